/**
 * The world the authorization matrix walks, seeded through the models into the shared test server's database (WAL:
 * both processes may write): a requester and another requester, a coach and another coach, a team member, each with
 * an organisation and a real session cookie, and objects that belong to each of them.
 *
 *   requester × coach            an accepted match with a confirmed session (join details set by the coach) on which
 *                                the coach has offered a new time with new join details; for three more requests,
 *                                a proposal of the requester's that the team approved and the coach has not answered
 *                                yet, one the team has not reviewed yet, and one of the team's the coach declined; the
 *                                requester's calendar feed; an invite of the requester's organisation; two invites
 *                                addressed to the requester (from the team member's and the other coach's
 *                                organisations)
 *   otherRequester × otherCoach  an accepted match with a confirmed session, the "same role, other person" side
 *   team                         a topic that every offer and request here uses (so no other test's request is
 *                                suggested these coaches), and a finished matching run without proposals
 *
 * The coach's organisation also has an invite, for the attempt to revoke it through another organisation.
 */
import { inject } from "vitest";
import type { TandemDatabase } from "~/db.server";
import { getDb } from "~/db.server";
import { defaultMatchingWeights } from "~/domain/matching/criteria";
import { createCalendarFeed } from "~/models/calendar.server";
import { actOnMatch, proposeMatch } from "~/models/match.server";
import { createOrganisation, inviteToOrganisation, listOrganisationsForUser, listPendingInvitesOfOrganisation } from "~/models/organisation.server";
import { confirmSessionTime, getSchedulingOptions, proposeSessionTimes } from "~/models/session.server";
import { createRequest } from "~/models/request.server";
import { createTopic } from "~/models/topic.server";
import { matchingRuns } from "~db/schema";
import { nextClientIp } from "./browser-session";
import { requestInput } from "./matching-fixtures";
import { asViewer, requesterWindows, sessionFixtures, type Person } from "./session-fixtures";

export const personas = ["anonymous", "requester", "otherRequester", "coach", "otherCoach", "team"] as const;
export type Persona = (typeof personas)[number];
export type SignedInPersona = Exclude<Persona, "anonymous">;

/** This process's database connection lives on globalThis, which every browser test file shares. */
function closeProcessDatabase() {
  const holder = globalThis as { tandemDb?: TandemDatabase };
  holder.tandemDb?.$client.close();
  delete holder.tandemDb;
}

/** Points this process's models at the shared server's database; the returned function lets go of it again. */
export function borrowSharedAppDatabase() {
  const previous = process.env.DATABASE_PATH;
  // A connection an earlier file left open would still point at its own database.
  closeProcessDatabase();
  process.env.DATABASE_PATH = inject("databasePath");
  return () => {
    closeProcessDatabase();
    if (previous === undefined) delete process.env.DATABASE_PATH;
    else process.env.DATABASE_PATH = previous;
  };
}

export type AuthorizationWorld = Awaited<ReturnType<typeof seedAuthorizationWorld>>;

export async function seedAuthorizationWorld(now = new Date()) {
  const { makeUser, makeCoach, makeAcceptedMatch, teamMember, cookiesFor } = sessionFixtures({ person: "Matrix", emailPrefix: "authz" });
  const unique = crypto.randomUUID().slice(0, 8);
  const team = teamMember();
  const topicId = makeTopic(team.id, unique);
  const offerTopic = { topics: [{ topicId, level: 3 as const, note: "" }] };
  const requestTopic = { topics: [topicId], mainTopic: topicId };

  const coach = makeCoach({ overrides: offerTopic });
  const otherCoach = makeCoach({ overrides: offerTopic });
  const requester = makeUser(["requester"], "America/New_York");
  const otherRequester = makeUser(["requester"], "America/New_York");
  const match = makeAcceptedMatch({ coach, requester, request: requestTopic, now });
  const otherMatch = makeAcceptedMatch({ coach: otherCoach, requester: otherRequester, request: requestTopic, now });

  const joinDetails = `https://video.example/authz-${unique}`;
  const movedJoinDetails = `https://video.example/authz-moved-${unique}`;
  const sessionId = bookSession(match, joinDetails, now);
  const otherSessionId = bookSession(otherMatch, `https://video.example/authz-other-${unique}`, now);
  // The coach offers another time: the requester may answer it, the coach and the team may not.
  const moveTo = getSchedulingOptions(match.matchId, asViewer(coach.coach), sessionId, now)?.slots.at(-1);
  if (!moveTo) throw new Error("no free time to move the session to");
  expectOk(proposeSessionTimes({ matchId: match.matchId, sessionId, viewer: asViewer(coach.coach), times: [moveTo.startsAt], format: "video", joinDetails: movedJoinDetails }, now));

  const organisationOf = (person: Person) => listOrganisationsForUser(person.id)[0]!.id;
  const teamOrganisationId = createOrganisation(team.id, { name: `Team-Verein ${unique}`, kind: "association", sizeBand: "upTo50", region: "DE-BE", website: null });
  const organisationId = organisationOf(requester);

  /** Another request of the requester, proposed to the coach by the team (straight to the coach) or by the requester. */
  const propose = (source: "team" | "requester") => {
    const created = expectOk(createRequest(requester.id, requestInput(organisationId, { ...requestTopic, formats: ["video", "phone"], windows: requesterWindows, sessionMinutes: 60 }), now));
    const proposed = expectOk(proposeMatch({ requestId: created.requestId, offerId: coach.offerId, source, actorUserId: source === "team" ? team.id : requester.id }, now));
    // The requester's proposal waits for review while the team setting says so, as it does unless a test changed it.
    const expectedStatus = source === "team" ? "awaitingCoach" : "awaitingReview";
    if (proposed.status !== expectedStatus) throw new Error(`proposal is ${proposed.status}, not ${expectedStatus}`);
    return { requestId: created.requestId, matchId: proposed.matchId };
  };
  const pending = propose("requester");
  expectOk(actOnMatch({ matchId: pending.matchId, action: "approve", actorUserId: team.id, actorRole: "team" }, now));
  const review = propose("requester");
  const declined = propose("team");
  expectOk(actOnMatch({ matchId: declined.matchId, action: "decline", actorUserId: coach.coach.id, actorRole: "coach", declineReason: "noTime", reason: null }, now));

  const runId = crypto.randomUUID();
  getDb()
    .insert(matchingRuns)
    .values({ id: runId, mode: "score", status: "finished", phase: "done", progress: 100, weights: defaultMatchingWeights, startedByUserId: team.id, finishedAt: now })
    .run();

  const people = { requester, otherRequester, coach: coach.coach, otherCoach: otherCoach.coach, team } satisfies Record<SignedInPersona, Person>;
  const cookies: Record<Persona, string | null> = { anonymous: null, ...(await cookiesFor(people)) };
  const clientIps = Object.fromEntries(personas.map((persona) => [persona, nextClientIp()])) as Record<Persona, string>;

  return {
    people,
    cookies,
    clientIps,
    topicId,
    runId,
    organisationId,
    requestId: match.requestId,
    offerId: coach.offerId,
    otherOfferId: otherCoach.offerId,
    matchId: match.matchId,
    pendingMatchId: pending.matchId,
    reviewMatchId: review.matchId,
    declinedMatchId: declined.matchId,
    /** Open again after the coach declined, so it has suggestions: the other coach. */
    openRequestId: declined.requestId,
    sessionId,
    otherSessionId,
    joinDetails,
    movedJoinDetails,
    feedToken: createCalendarFeed(requester.id, now),
    ownInviteId: invite(organisationId, requester.id, `outsider-${unique}@authz.example`, now),
    foreignInviteId: invite(organisationOf(coach.coach), coach.coach.id, `outsider-${unique}@authz.example`, now),
    invitesToRequester: {
      accept: invite(teamOrganisationId, team.id, requester.email, now),
      decline: invite(organisationOf(otherCoach.coach), otherCoach.coach.id, requester.email, now),
    },
  };
}

function expectOk<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`fixture refused: ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

function makeTopic(actorUserId: string, unique: string) {
  return expectOk(
    createTopic(actorUserId, {
      labelDe: `Matrix-Thema ${unique}`,
      labelEn: `Matrix topic ${unique}`,
      descriptionDe: "Nur für die Berechtigungsprüfung.",
      descriptionEn: "Only for the authorization test.",
    }),
  ).topicId;
}

/** The coach offers two free times with how to join, and the requester confirms the first. */
function bookSession(match: { matchId: string; coach: Person; requester: Person }, joinDetails: string, now: Date) {
  const slots = getSchedulingOptions(match.matchId, asViewer(match.coach), null, now)?.slots ?? [];
  const times = [slots[0], slots[2]].map((slot) => slot?.startsAt);
  if (!times.every((time) => time !== undefined)) throw new Error("no free times for a session");
  const { sessionId } = expectOk(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: times as number[], format: "video", joinDetails }, now));
  expectOk(confirmSessionTime({ sessionId, viewer: asViewer(match.requester), startsAt: times[0]!, joinDetails: "" }, now));
  return sessionId;
}

function invite(organisationId: string, invitedByUserId: string, email: string, now: Date) {
  expectOk(inviteToOrganisation(organisationId, invitedByUserId, email, now));
  return listPendingInvitesOfOrganisation(organisationId, now).find((pending) => pending.email === email)!.id;
}
