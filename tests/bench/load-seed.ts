/**
 * The large database for `npm run bench:load`: 10,000 coaches, 20,000 requests and 50,000 coaching sessions,
 * written with prepared statements in a few large transactions (the synthetic profiles and their writers are
 * the matching benchmarks' own). The shape lets a batch run see exactly 2,000 open requests and 400 coaches with
 * room, while the directory still lists about 9,500 coaches:
 *
 * - coaches 0–399 have 5 places a month and nothing this month (2,000 places); every 20th of the others is
 *   paused, and each remaining one has its single monthly place taken by a match started this month;
 * - requests 0–1,999 are open, unexpired and without an active match (every 10th had a coach decline it);
 *   the next 300 wait for the team's review, then come the matches started this month (about 620 awaiting
 *   the coach, the rest accepted), 3,000 closed tandems from earlier, 2,000 withdrawn and the rest expired;
 * - sessions belong to accepted and closed matches: past ones confirmed or cancelled, future ones confirmed or
 *   offered (about one accepted match in five has an offer waiting for an answer, one in 25 a reschedule offer).
 *   A requester has one match and a coach at most one accepted and one closed, whose sessions lie at different
 *   hours of the day, so no person is double-booked (migration 0008's triggers check every insert).
 */
import type Database from "better-sqlite3";
import { benchCoaches, benchRequests } from "./matching-profiles";
import { seedCoaches, seedRequests } from "./seed-profiles";

export const coachCount = 10_000;
export const requestCount = 20_000;
export const sessionCount = 50_000;
export const openRequestCount = 2_000;
export const availableCoachCount = 400;
const reviewCount = 300;
const awaitingCoachCount = 620;
const closedCount = 3_000;
const withdrawnCount = 2_000;
const teamCount = 5;
/** Distinct people per page, so the load is not one user's rows read over and over. */
const personaCount = 50;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const breakdown = JSON.stringify({ topicFit: 30, commonTime: 15, organisationKind: 5, fairness: 5, waitingTime: 5 });

export type LoadPersonas = {
  teamUserIds: string[];
  /** Requesters with an open request each, for the suggestions page and the directory. */
  requesters: { userId: string; requestId: string }[];
  /** Coaches and requesters of accepted matches with sessions ahead, for the dashboard. */
  dashboardUserIds: string[];
};

export function seedLoadDatabase(sqlite: Database.Database, now: Date): LoadPersonas {
  const nowMs = now.getTime();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const isPaused = (coach: number) => coach >= availableCoachCount && coach % 20 === 0;
  const coaches = benchCoaches(coachCount, 21).map((coach, n) => ({
    ...coach,
    capacityPerMonth: n < availableCoachCount ? 5 : 1,
    pausedUntil: isPaused(n) ? "2099-01-01" : null,
  }));
  const requests = benchRequests(requestCount, now, 22);
  seedCoaches(sqlite, coaches);
  seedRequests(sqlite, requests);

  const busyCoaches = coaches.map((_, n) => n).filter((n) => n >= availableCoachCount && !isPaused(n));
  const firstActive = openRequestCount + reviewCount;
  const firstClosed = firstActive + busyCoaches.length;
  const firstWithdrawn = firstClosed + closedCount;
  const firstExpired = firstWithdrawn + withdrawnCount;
  const acceptedCount = busyCoaches.length - awaitingCoachCount;
  if (firstExpired > requestCount) throw new Error("the request groups do not fit into the requests");

  const statements = {
    match: sqlite.prepare(
      `insert into matches (id, request_id, offer_id, status, source, score, breakdown, respond_by, decline_reason, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, '${breakdown}', ?, ?, ?, ?)`,
    ),
    request: sqlite.prepare("update coaching_requests set status = ?, expires_on = ?, created_at = ?, updated_at = ? where id = ?"),
    session: sqlite.prepare(
      `insert into coaching_sessions (id, match_id, coach_user_id, requester_user_id, status, duration_minutes, format, join_details,
         starts_at, ends_at, proposed_times, proposed_by_user_id, sequence, cancel_reason, cancelled_by_user_id, created_at, updated_at)
       values (@id, @matchId, @coach, @requester, @status, @minutes, 'video', 'https://meet.example/tandem', @startsAt, @endsAt,
         @proposedTimes, @proposedBy, 0, @cancelReason, @cancelledBy, @createdAt, @createdAt)`,
    ),
    notification: sqlite.prepare("insert into notifications (user_id, kind, match_id, created_at, read_at) values (?, ?, ?, ?, ?)"),
  };
  const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  // A request's expiry is 60 days after its creation (a calendar date); only the expired group lies in the past.
  const setRequest = (n: number, status: "open" | "matched" | "withdrawn", createdAt: number) =>
    statements.request.run(status, isoDate(createdAt + 60 * DAY), createdAt, createdAt, requests[n]!.requestId);
  const addMatch = (id: string, request: number, coach: number, status: string, createdAt: number, respondBy: number | null = null) =>
    statements.match.run(
      id,
      requests[request]!.requestId,
      coaches[coach]!.offerId,
      status,
      status === "awaitingReview" ? "requester" : "batch",
      50 + (request % 45),
      respondBy,
      status === "declined" ? "noTime" : null,
      createdAt,
      createdAt,
    );

  let sessionNumber = 0;
  const addSession = (
    matchId: string,
    coach: number,
    request: number,
    status: "confirmed" | "proposed" | "cancelled",
    startsAt: number,
    options: { offered?: number[]; offeredBy?: string } = {},
  ) => {
    const minutes = requests[request]!.sessionMinutes;
    const requesterId = requests[request]!.userId;
    statements.session.run({
      id: `session-${sessionNumber++}`,
      matchId,
      coach: coaches[coach]!.userId,
      requester: requesterId,
      status,
      minutes,
      startsAt: status === "proposed" ? null : startsAt,
      endsAt: status === "proposed" ? null : startsAt + minutes * MINUTE,
      proposedTimes: options.offered ? JSON.stringify(options.offered.map((start) => ({ startsAt: start, endsAt: start + minutes * MINUTE }))) : null,
      proposedBy: options.offeredBy ?? null,
      cancelReason: status === "cancelled" ? "Krank geworden" : null,
      cancelledBy: status === "cancelled" ? requesterId : null,
      createdAt: Math.min(nowMs, startsAt) - 3 * DAY,
    });
  };
  // Whole UTC days from today: accepted tandems meet at 09:00 UTC, closed ones met at 14:00 UTC (see the header).
  const today = Math.floor(nowMs / DAY) * DAY;
  const acceptedSlot = (days: number) => today + days * DAY + 9 * HOUR;
  const closedSlot = (days: number) => today + days * DAY + 14 * HOUR;
  // Accepted tandems share the remaining sessions after the closed ones' six each: four for most, three for the rest.
  const acceptedSessionsLeft = sessionCount - closedCount * 6;
  const withFourSessions = acceptedSessionsLeft - 3 * acceptedCount;
  if (withFourSessions < 0 || withFourSessions > acceptedCount) throw new Error("the sessions do not fit into the accepted tandems");

  sqlite.transaction(() => {
    // The open pool for batch runs; every tenth request had a coach decline it.
    for (let n = 0; n < openRequestCount; n++) {
      setRequest(n, "open", requests[n]!.createdAt.getTime());
      if (n % 10 === 0) addMatch(`match-declined-${n}`, n, (n * 7) % availableCoachCount, "declined", requests[n]!.createdAt.getTime() + DAY);
    }
    for (let n = openRequestCount; n < firstActive; n++) {
      setRequest(n, "open", requests[n]!.createdAt.getTime());
      addMatch(`match-review-${n}`, n, n % availableCoachCount, "awaitingReview", nowMs - (n % 48) * HOUR);
    }
    busyCoaches.forEach((coach, index) => {
      const request = firstActive + index;
      const matchId = `match-active-${index}`;
      const createdAt = monthStart + Math.floor(((nowMs - monthStart) * index) / busyCoaches.length);
      if (index < awaitingCoachCount) {
        setRequest(request, "open", requests[request]!.createdAt.getTime());
        addMatch(matchId, request, coach, "awaitingCoach", createdAt, nowMs + 3 * DAY);
        statements.notification.run(coaches[coach]!.userId, "proposalForCoach", matchId, createdAt, null);
        return;
      }
      const accepted = index - awaitingCoachCount;
      setRequest(request, "matched", requests[request]!.createdAt.getTime());
      addMatch(matchId, request, coach, "accepted", createdAt);
      statements.notification.run(requests[request]!.userId, "matchAccepted", matchId, createdAt, createdAt + HOUR);
      const spread = accepted % 20;
      addSession(matchId, coach, request, "confirmed", acceptedSlot(-7 - spread));
      addSession(matchId, coach, request, "confirmed", acceptedSlot(-21 - spread));
      const ahead = acceptedSlot(2 + spread);
      const rescheduling = accepted % 25 === 0;
      addSession(matchId, coach, request, "confirmed", ahead, rescheduling ? { offered: [ahead + DAY, ahead + 2 * DAY], offeredBy: coaches[coach]!.userId } : {});
      if (accepted >= withFourSessions) return;
      if (accepted % 5 === 0) {
        const offered = [acceptedSlot(3 + spread), acceptedSlot(4 + spread), acceptedSlot(6 + spread)];
        addSession(matchId, coach, request, "proposed", offered[0]!, { offered, offeredBy: coaches[coach]!.userId });
        statements.notification.run(requests[request]!.userId, "sessionProposed", matchId, nowMs - HOUR, null);
      } else if (accepted % 5 === 1) addSession(matchId, coach, request, "cancelled", acceptedSlot(-14 - spread));
      else addSession(matchId, coach, request, "confirmed", acceptedSlot(-35 - spread));
    });
    for (let index = 0; index < closedCount; index++) {
      const request = firstClosed + index;
      const coach = (index * 3) % coachCount;
      const matchId = `match-closed-${index}`;
      const createdAt = nowMs - (100 + (index % 250)) * DAY;
      setRequest(request, "matched", createdAt - 10 * DAY);
      addMatch(matchId, request, coach, "closed", createdAt);
      for (let week = 0; week < 6; week++) {
        addSession(matchId, coach, request, week === 3 ? "cancelled" : "confirmed", closedSlot(-95 - (index % 250) + week * 7));
      }
    }
    for (let n = firstWithdrawn; n < firstExpired; n++) setRequest(n, "withdrawn", requests[n]!.createdAt.getTime());
    for (let n = firstExpired; n < requestCount; n++) setRequest(n, "open", nowMs - (62 + (n % 200)) * DAY);

    // People belong to the organisations they coach or ask for, as they would after signing up.
    sqlite.exec(`insert or ignore into memberships (organisation_id, user_id) select organisation_id, user_id from coach_offers;
                 insert or ignore into memberships (organisation_id, user_id) select organisation_id, user_id from coaching_requests;`);
    const teamUser = sqlite.prepare(
      "insert into users (id, email, name, password_hash, locale, time_zone, privacy_consent_at) values (?, ?, ?, 'x', 'de', 'Europe/Berlin', 0)",
    );
    const role = sqlite.prepare("insert into user_roles (user_id, role) values (?, 'team')");
    for (let n = 0; n < teamCount; n++) {
      teamUser.run(`load-team-${n}`, `team-${n}@load.example`, `Team ${n}`);
      role.run(`load-team-${n}`);
      statements.notification.run(`load-team-${n}`, "proposalsWaiting", null, nowMs - HOUR, null);
    }
  })();
  if (sessionNumber !== sessionCount) throw new Error(`seeded ${sessionNumber} sessions instead of ${sessionCount}`);

  const withSessionsAhead = busyCoaches.slice(awaitingCoachCount, awaitingCoachCount + personaCount / 2);
  return {
    teamUserIds: Array.from({ length: teamCount }, (_, n) => `load-team-${n}`),
    requesters: requests.slice(0, personaCount).map(({ userId, requestId }) => ({ userId, requestId })),
    dashboardUserIds: withSessionsAhead.flatMap((coach, index) => [
      coaches[coach]!.userId,
      requests[firstActive + awaitingCoachCount + index]!.userId,
    ]),
  };
}
