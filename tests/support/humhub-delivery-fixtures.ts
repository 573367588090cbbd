/**
 * Accepted matches and confirmed sessions for the HumHub delivery tests, on the real migrated database. Sessions
 * made in bulk are written the way `confirmSessionTime` writes them: the session row and its outbox rows in one
 * transaction, through `enqueueHumhubCalls`.
 */
import { eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { enqueueHumhubCalls } from "~/models/humhub-outbox.server";
import type { FakeUser } from "./fake-humhub";
import { matchingFixtures } from "./matching-fixtures";
import type { RequestInput } from "~/schemas/request";
import { coachingRequests, coachingSessions, humhubAccounts, matches, type OutboxKind } from "~db/schema";

const HOUR = 3_600_000;

/** What `confirmSessionTime` enqueues for a first confirmation. */
export const confirmationCalls: OutboxKind[] = ["createEntry", "announceSession", "notifyCoach", "notifyRequester"];

const fixtures = matchingFixtures({ person: "Delivery Person", emailPrefix: "delivery" });

export type AcceptedMatch = { matchId: string; coachId: string; requesterId: string; coachName: string; requesterName: string };

/**
 * A coach (offer: video, Mondays 18–20 Berlin) and a requester with a match already accepted; how the match came to
 * be is another file's business. `requestTimeZone` moves the request (and so the session's home zone) elsewhere.
 */
export function acceptedMatch({ requestTimeZone, request = {} }: { requestTimeZone?: string; request?: Partial<RequestInput> } = {}): AcceptedMatch {
  const { coach, offerId } = fixtures.makeCoach({ capacityPerMonth: 10 });
  const { requester, requestId } = fixtures.makeRequest(request);
  const db = getDb();
  if (requestTimeZone) db.update(coachingRequests).set({ timeZone: requestTimeZone }).where(eq(coachingRequests.id, requestId)).run();
  const matchId = crypto.randomUUID();
  const now = new Date();
  db.insert(matches).values({ id: matchId, requestId, offerId, status: "accepted", source: "team", score: 1, breakdown: {}, createdAt: now, updatedAt: now }).run();
  db.update(coachingRequests).set({ status: "matched", updatedAt: now }).where(eq(coachingRequests.id, requestId)).run();
  return { matchId, coachId: coach.id, requesterId: requester.id, coachName: coach.name, requesterName: requester.name };
}

/** A Tandem user's HumHub account as the team page resolves it; `null` stands for a name HumHub did not know. */
export function linkHumhubAccount(userId: string, humhubUser: FakeUser | null, profileBase = "https://humhub.example") {
  getDb()
    .insert(humhubAccounts)
    .values(
      humhubUser
        ? {
            userId,
            username: humhubUser.username,
            humhubUserId: humhubUser.id,
            guid: humhubUser.guid,
            displayName: humhubUser.displayName,
            profileUrl: `${profileBase}/u/${humhubUser.username}/`,
            problem: null,
            checkedAt: new Date(),
          }
        : { userId, username: "nobody.known", problem: "notFound", checkedAt: new Date() },
    )
    .run();
}

/**
 * `count` confirmed one-hour sessions of one match, two hours apart from `firstStartsAt`, each with the outbox rows a
 * confirmation writes. Returns the session ids in order.
 */
export function insertConfirmedSessions(match: AcceptedMatch, count: number, firstStartsAt: number): string[] {
  const ids: string[] = [];
  const now = new Date();
  getDb().transaction((tx) => {
    for (let index = 0; index < count; index++) {
      const id = crypto.randomUUID();
      const startsAt = firstStartsAt + index * 2 * HOUR;
      tx.insert(coachingSessions)
        .values({
          id,
          matchId: match.matchId,
          coachUserId: match.coachId,
          requesterUserId: match.requesterId,
          status: "confirmed",
          durationMinutes: 60,
          format: "video",
          joinDetails: `https://meet.example/${index}`,
          startsAt: new Date(startsAt),
          endsAt: new Date(startsAt + HOUR),
          createdAt: now,
          updatedAt: now,
        })
        .run();
      enqueueHumhubCalls(tx, id, confirmationCalls, now);
      ids.push(id);
    }
  });
  return ids;
}

export const makeDeliveryUser = fixtures.makeUser;
