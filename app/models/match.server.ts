/**
 * Matches and their workflow: proposing, the team's review, the coach's answer, expiry, the audit
 * trail and the notifications each step leaves. Every status change goes through `transition`
 * (the rules) and a conditional UPDATE (the race): of two people acting at once, exactly one wins.
 */
import { and, asc, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type TandemDatabase } from "~/db.server";
import { activeMatchStatuses, requiredState, responseDeadline, sharesContactDetails, transition, type MatchAction, type TransitionRefusal } from "~/domain/match-workflow";
import { explainCoachForRequest, getMatchingWeights, getRequestForSuggestions } from "~/models/matching.server";
import { readSettingsGroup, saveSettingsGroup } from "~/models/settings.server";
import {
  coachingRequests,
  coachOffers,
  matchEvents,
  matches,
  notifications,
  userRoles,
  users,
  type DeclineReason,
  type MatchSource,
  type MatchStatus,
  type NotificationKind,
} from "~db/schema";

type Transaction = Parameters<Parameters<TandemDatabase["transaction"]>[0]>[0];

const settingsKey = "match_settings";

export const matchSettingsSchema = z.object({
  /** Requester-initiated proposals wait for the team's review before reaching the coach. */
  reviewRequesterProposals: z.boolean(),
  /** Days a coach has to answer before the proposal expires. */
  responseDays: z.number().int().min(1).max(60),
  /** Requests waiting longer than this many days are flagged on the review desk. */
  waitingFlagDays: z.number().int().min(1).max(365),
});
export type MatchSettings = z.infer<typeof matchSettingsSchema>;

export const defaultMatchSettings: MatchSettings = { reviewRequesterProposals: true, responseDays: 5, waitingFlagDays: 14 };

export function getMatchSettings(): MatchSettings {
  return readSettingsGroup(settingsKey, matchSettingsSchema, defaultMatchSettings);
}

export function saveMatchSettings(actorUserId: string, settings: MatchSettings, now = new Date()) {
  saveSettingsGroup(settingsKey, { actorUserId, action: "matching.settingsChanged", before: getMatchSettings(), after: settings }, now);
}

function notify(tx: Transaction, userId: string, kind: NotificationKind, matchId: string | null, now: Date) {
  tx.insert(notifications).values({ userId, kind, matchId, createdAt: now }).run();
}

/** One unread "proposals are waiting" per team member is enough; it points at the desk, not a match. */
function notifyTeamOfWaitingProposals(tx: Transaction, now: Date) {
  const teamMembers = tx.select({ userId: userRoles.userId }).from(userRoles).where(eq(userRoles.role, "team")).all();
  for (const { userId } of teamMembers) {
    const unread = tx
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.kind, "proposalsWaiting"), isNull(notifications.readAt)))
      .get();
    if (!unread) notify(tx, userId, "proposalsWaiting", null, now);
  }
}

function recordEvent(tx: Transaction, matchId: string, actorUserId: string | null, from: MatchStatus | null, to: MatchStatus, reason: string | null, now: Date) {
  tx.insert(matchEvents).values({ matchId, actorUserId, fromStatus: from, toStatus: to, reason, at: now }).run();
}

function participants(tx: Transaction, matchId: string) {
  return tx
    .select({ requesterId: coachingRequests.userId, coachId: coachOffers.userId, requestId: matches.requestId, offerId: matches.offerId })
    .from(matches)
    .innerJoin(coachingRequests, eq(coachingRequests.id, matches.requestId))
    .innerJoin(coachOffers, eq(coachOffers.id, matches.offerId))
    .where(eq(matches.id, matchId))
    .get();
}

export type ProposeRefusal = "notFound" | "requestNotOpen" | "excluded" | "requestHasActiveMatch";
export type ProposeResult = { ok: true; matchId: string; status: MatchStatus } | { ok: false; refusal: ProposeRefusal };

function isUniqueViolation(error: unknown) {
  return error instanceof Error && "code" in error && (error as { code: string }).code === "SQLITE_CONSTRAINT_UNIQUE";
}

/**
 * Proposes a coach for a request, storing the score breakdown of this moment. Requester proposals
 * wait for review when the team wants that; the team's own and approved batch proposals go straight
 * to the coach. Refused for an excluded pair or a request that already has an active match.
 */
export function proposeMatch(
  { requestId, offerId, source, actorUserId }: { requestId: string; offerId: string; source: MatchSource; actorUserId: string | null },
  now = new Date(),
  writer?: Transaction,
): ProposeResult {
  const request = getRequestForSuggestions(requestId, now);
  if (!request) return { ok: false, refusal: "notFound" };
  if (request.shownStatus !== "open") return { ok: false, refusal: "requestNotOpen" };
  const explanation = explainCoachForRequest(requestId, offerId, getMatchingWeights(), now);
  if (!explanation) return { ok: false, refusal: "notFound" };
  if (explanation.excludedBy.length > 0) return { ok: false, refusal: "excluded" };
  const settings = getMatchSettings();
  const status: MatchStatus = source === "requester" && settings.reviewRequesterProposals ? "awaitingReview" : "awaitingCoach";
  const matchId = crypto.randomUUID();
  const write = (tx: Transaction) => {
    tx.insert(matches)
      .values({
        id: matchId,
        requestId,
        offerId,
        status,
        source,
        proposedByUserId: actorUserId,
        score: explanation.total,
        breakdown: Object.fromEntries(explanation.criteria.map(({ criterion, points }) => [criterion, points])),
        respondBy: status === "awaitingCoach" ? responseDeadline(now, settings.responseDays) : null,
        createdAt: now,
        updatedAt: now,
      })
      .run();
    recordEvent(tx, matchId, actorUserId, null, status, null, now);
    if (status === "awaitingCoach") notify(tx, participants(tx, matchId)!.coachId, "proposalForCoach", matchId, now);
    else notifyTeamOfWaitingProposals(tx, now);
  };
  try {
    if (writer) write(writer);
    else getDb().transaction(write);
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, refusal: "requestHasActiveMatch" };
    throw error;
  }
  return { ok: true, matchId, status };
}

export type ActResult = { ok: true; status: MatchStatus } | { ok: false; refusal: TransitionRefusal | "notFound" | "alreadyChanged" | ProposeRefusal };

type ActInput = {
  matchId: string;
  action: Exclude<MatchAction, "override">;
  actorUserId: string | null;
  actorRole: "team" | "coach" | "system";
  reason?: string | null;
  declineReason?: DeclineReason | null;
};

/**
 * Takes one action on a match. A coach may only act on their own offer's matches (otherwise the match
 * does not exist for them). The UPDATE only succeeds if the match is still in the state the action
 * starts from, so a second, simultaneous decision gets "alreadyChanged".
 */
export function actOnMatch(input: ActInput, now = new Date()): ActResult {
  // IMMEDIATE: take the write lock before reading the status. A deferred transaction that read first
  // cannot upgrade while another connection writes, and SQLite then throws SQLITE_BUSY at once
  // (no busy_timeout wait) instead of letting the loser see "alreadyChanged".
  return getDb().transaction((tx) => actInTransaction(tx, input, now), { behavior: "immediate" });
}

function actInTransaction(tx: Transaction, { matchId, action, actorUserId, actorRole, reason = null, declineReason = null }: ActInput, now: Date): ActResult {
  const match = tx.select({ status: matches.status }).from(matches).where(eq(matches.id, matchId)).get();
  const people = match ? participants(tx, matchId) : undefined;
  if (!match || !people || (actorRole === "coach" && people.coachId !== actorUserId)) return { ok: false, refusal: "notFound" };
  const fullReason = action === "decline" && declineReason ? [declineReason, reason?.trim()].filter(Boolean).join(": ") : (reason?.trim() || null);
  const allowed = transition(match.status, action, actorRole, action === "decline" ? (declineReason ?? reason ?? null) : reason);
  if (!allowed.ok) return allowed.refusal === "notAllowedFromState" ? { ok: false, refusal: "alreadyChanged" } : allowed;
  // A withdrawn or expired request cannot go on to a coach or into a tandem; it can still be declined or rejected.
  if ((action === "approve" || action === "accept") && getRequestForSuggestions(people.requestId, now)?.shownStatus !== "open") {
    return { ok: false, refusal: "requestNotOpen" };
  }
  const settings = getMatchSettings();
  const updated = tx
    .update(matches)
    .set({
      status: allowed.to,
      updatedAt: now,
      ...(action === "approve" ? { respondBy: responseDeadline(now, settings.responseDays) } : {}),
      ...(action === "decline" ? { declineReason } : {}),
    })
    .where(and(eq(matches.id, matchId), eq(matches.status, requiredState(action))))
    .run();
  if (updated.changes !== 1) return { ok: false, refusal: "alreadyChanged" };
  recordEvent(tx, matchId, actorUserId, match.status, allowed.to, fullReason, now);
  switch (action) {
    case "approve":
      notify(tx, people.coachId, "proposalForCoach", matchId, now);
      break;
    case "accept":
      tx.update(coachingRequests).set({ status: "matched", updatedAt: now }).where(eq(coachingRequests.id, people.requestId)).run();
      notify(tx, people.requesterId, "matchAccepted", matchId, now);
      break;
    case "decline":
      notify(tx, people.requesterId, "matchDeclined", matchId, now);
      notifyTeamOfWaitingProposals(tx, now);
      break;
    case "expire":
      notify(tx, people.requesterId, "matchExpired", matchId, now);
      notifyTeamOfWaitingProposals(tx, now);
      break;
    case "reject":
    case "close":
      break;
  }
  return { ok: true, status: allowed.to };
}

/**
 * A deleted account ends every active match it is part of, whatever the match's state, since nobody is left to act on
 * it: this is the one status change outside `transition`. Runs inside the deletion's transaction; returns how many.
 */
export function closeActiveMatchesOf(tx: Transaction, userId: string, now: Date) {
  const active = tx
    .select({ id: matches.id, status: matches.status })
    .from(matches)
    .innerJoin(coachingRequests, eq(coachingRequests.id, matches.requestId))
    .innerJoin(coachOffers, eq(coachOffers.id, matches.offerId))
    .where(and(inArray(matches.status, [...activeMatchStatuses]), sql`(${coachingRequests.userId} = ${userId} or ${coachOffers.userId} = ${userId})`))
    .all();
  for (const match of active) {
    tx.update(matches).set({ status: "closed", updatedAt: now }).where(eq(matches.id, match.id)).run();
    recordEvent(tx, match.id, null, match.status, "closed", "accountDeleted", now);
  }
  return active.length;
}

class OverrideRefused extends Error {
  constructor(readonly refusal: ProposeRefusal) {
    super(refusal);
  }
}

/**
 * The team replaces a proposal's coach: the proposal becomes "overridden" and the chosen coach gets a
 * new one, in one transaction, so a refused new proposal leaves the old one untouched.
 */
export function overrideMatch(
  { matchId, offerId, actorUserId, reason }: { matchId: string; offerId: string; actorUserId: string; reason: string },
  now = new Date(),
): ActResult {
  try {
    return getDb().transaction((tx): ActResult => {
      const match = tx.select().from(matches).where(eq(matches.id, matchId)).get();
      if (!match) return { ok: false, refusal: "notFound" };
      const allowed = transition(match.status, "override", "team", reason);
      if (!allowed.ok) return allowed.refusal === "notAllowedFromState" ? { ok: false, refusal: "alreadyChanged" } : allowed;
      if (match.offerId === offerId) return { ok: false, refusal: "excluded" };
      const updated = tx
        .update(matches)
        .set({ status: allowed.to, updatedAt: now })
        .where(and(eq(matches.id, matchId), eq(matches.status, requiredState("override"))))
        .run();
      if (updated.changes !== 1) return { ok: false, refusal: "alreadyChanged" };
      recordEvent(tx, matchId, actorUserId, match.status, allowed.to, reason.trim(), now);
      const proposed = proposeMatch({ requestId: match.requestId, offerId, source: "team", actorUserId }, now, tx);
      if (!proposed.ok) throw new OverrideRefused(proposed.refusal);
      return { ok: true, status: allowed.to };
    }, { behavior: "immediate" });
  } catch (error) {
    if (error instanceof OverrideRefused) return { ok: false, refusal: error.refusal };
    throw error;
  }
}

/** Proposals the coach left unanswered past their deadline expire; returns how many. */
export function expireOverdueMatches(now = new Date()) {
  const overdue = getDb()
    .select({ id: matches.id })
    .from(matches)
    .where(and(eq(matches.status, "awaitingCoach"), lt(matches.respondBy, now)))
    .all();
  let expired = 0;
  for (const { id } of overdue) {
    if (actOnMatch({ matchId: id, action: "expire", actorUserId: null, actorRole: "system" }, now).ok) expired++;
  }
  return expired;
}

export function listMatchEvents(matchIds: string[]) {
  if (matchIds.length === 0) return [];
  return getDb()
    .select({
      id: matchEvents.id,
      matchId: matchEvents.matchId,
      from: matchEvents.fromStatus,
      to: matchEvents.toStatus,
      reason: matchEvents.reason,
      at: matchEvents.at,
      actorName: users.name,
      // Which side of the tandem acted (null: the team or the system), so a page can withhold the other side's name.
      actorSide: sql<"requester" | "coach" | null>`case ${matchEvents.actorUserId} when ${coachingRequests.userId} then 'requester' when ${coachOffers.userId} then 'coach' end`,
    })
    .from(matchEvents)
    .leftJoin(users, eq(users.id, matchEvents.actorUserId))
    .leftJoin(matches, eq(matches.id, matchEvents.matchId))
    .leftJoin(coachingRequests, eq(coachingRequests.id, matches.requestId))
    .leftJoin(coachOffers, eq(coachOffers.id, matches.offerId))
    .where(inArray(matchEvents.matchId, matchIds))
    .orderBy(asc(matchEvents.at), asc(matchEvents.id))
    .all();
}

export function countUnreadNotifications(userId: string) {
  return (
    getDb()
      .select({ count: sql<number>`count(*)` })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .get()?.count ?? 0
  );
}

export function listNotifications(userId: string, limit = 50) {
  return getDb()
    .select({ id: notifications.id, kind: notifications.kind, matchId: notifications.matchId, createdAt: notifications.createdAt, readAt: notifications.readAt })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit)
    .all();
}

export function markNotificationsRead(userId: string, now = new Date()) {
  getDb()
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .run();
}

export type MatchViewerRole = "requester" | "coach" | "team";

// A proposal still under review, or stopped by the team before it was sent, is no business of the coach.
const neverSentToCoach: readonly MatchStatus[] = ["awaitingReview", "rejected", "overridden"];

function reachedCoach(status: MatchStatus) {
  return !neverSentToCoach.includes(status);
}

/**
 * A match as one viewer may see it: the requester and the coach of the match, and the team. Names and
 * contact details of the other side only once the coach has accepted. Null for anyone else.
 */
export function getMatchForViewer(matchId: string, viewer: { id: string; roles: readonly string[] }) {
  const row = getDb()
    .$client.prepare(
      `select m.id, m.status, m.source, m.score, m.breakdown, m.respond_by as respondBy, m.decline_reason as declineReason,
              m.created_at as createdAt, m.request_id as requestId, m.offer_id as offerId,
              r.user_id as requesterId, r.goal, req_org.name as requestOrganisation, t.label_de as topicDe, t.label_en as topicEn,
              o.user_id as coachId, coach_org.name as coachOrganisation,
              requester.name as requesterName, requester.email as requesterEmail, requester.humhub_username as requesterHumhub,
              coach.name as coachName, coach.email as coachEmail, coach.humhub_username as coachHumhub
         from matches m
         join coaching_requests r on r.id = m.request_id join organisations req_org on req_org.id = r.organisation_id
         left join request_topics rt on rt.request_id = r.id and rt.is_main = 1 left join topics t on t.id = rt.topic_id
         join coach_offers o on o.id = m.offer_id join organisations coach_org on coach_org.id = o.organisation_id
         join users requester on requester.id = r.user_id join users coach on coach.id = o.user_id
        where m.id = ?`,
    )
    .get(matchId) as
    | {
        id: string;
        status: MatchStatus;
        source: MatchSource;
        score: number;
        breakdown: string;
        respondBy: number | null;
        declineReason: DeclineReason | null;
        createdAt: number;
        requestId: string;
        offerId: string;
        requesterId: string;
        goal: string;
        requestOrganisation: string;
        topicDe: string | null;
        topicEn: string | null;
        coachId: string;
        coachOrganisation: string;
        requesterName: string;
        requesterEmail: string;
        requesterHumhub: string | null;
        coachName: string;
        coachEmail: string;
        coachHumhub: string | null;
      }
    | undefined;
  if (!row) return null;
  const viewerRole: MatchViewerRole | null =
    row.coachId === viewer.id && reachedCoach(row.status)
      ? "coach"
      : row.requesterId === viewer.id
        ? "requester"
        : viewer.roles.includes("team")
          ? "team"
          : null;
  if (!viewerRole) return null;
  const contactsShared = sharesContactDetails(row.status);
  const seesNames = viewerRole === "team" || contactsShared;
  return {
    id: row.id,
    status: row.status,
    source: row.source,
    score: row.score,
    breakdown: JSON.parse(row.breakdown) as Record<string, number>,
    respondBy: row.respondBy,
    declineReason: row.declineReason,
    createdAt: row.createdAt,
    requestId: row.requestId,
    offerId: row.offerId,
    viewerRole,
    goal: row.goal,
    topicDe: row.topicDe,
    topicEn: row.topicEn,
    requestOrganisation: row.requestOrganisation,
    coachOrganisation: row.coachOrganisation,
    coachName: seesNames ? row.coachName : null,
    requesterName: seesNames ? row.requesterName : null,
    // Contact details go to the other side of an accepted tandem only; the team works through names.
    contact:
      contactsShared && viewerRole !== "team"
        ? viewerRole === "coach"
          ? { name: row.requesterName, email: row.requesterEmail, humhub: row.requesterHumhub }
          : { name: row.coachName, email: row.coachEmail, humhub: row.coachHumhub }
        : null,
  };
}

/** The user's matches as coach and as requester, newest first. */
export function listMatchesForUser(userId: string) {
  const rows = getDb()
    .$client.prepare(
      `select m.id, m.status, m.created_at as createdAt, m.respond_by as respondBy,
              case when o.user_id = @userId then 'coach' else 'requester' end as side,
              t.label_de as topicDe, t.label_en as topicEn, req_org.name as requestOrganisation, coach_org.name as coachOrganisation
         from matches m
         join coaching_requests r on r.id = m.request_id join organisations req_org on req_org.id = r.organisation_id
         left join request_topics rt on rt.request_id = r.id and rt.is_main = 1 left join topics t on t.id = rt.topic_id
         join coach_offers o on o.id = m.offer_id join organisations coach_org on coach_org.id = o.organisation_id
        where (o.user_id = @userId and m.status not in ('awaitingReview', 'rejected', 'overridden')) or r.user_id = @userId
        order by m.created_at desc, m.id`,
    )
    .all({ userId }) as {
    id: string;
    status: MatchStatus;
    createdAt: number;
    respondBy: number | null;
    side: "coach" | "requester";
    topicDe: string | null;
    topicEn: string | null;
    requestOrganisation: string;
    coachOrganisation: string;
  }[];
  return rows;
}

/** The request's active match, for its page. */
export function getActiveMatchForRequest(requestId: string) {
  return (
    getDb()
      .select({ id: matches.id, status: matches.status, respondBy: matches.respondBy })
      .from(matches)
      .where(and(eq(matches.requestId, requestId), inArray(matches.status, ["awaitingReview", "awaitingCoach", "accepted"])))
      .get() ?? null
  );
}

/** Proposals waiting for the team, oldest request first, with the coach's load this month. */
export function listProposalsForReview(topicId: string | null, limit: number, now = new Date()) {
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return getDb()
    .$client.prepare(
      `select m.id, m.score, m.breakdown, m.source, m.created_at as proposedAt, m.request_id as requestId, m.offer_id as offerId,
              r.created_at as requestCreatedAt, req_org.name as requestOrganisation, t.label_de as topicDe, t.label_en as topicEn,
              coach.name as coachName, coach_org.name as coachOrganisation, o.capacity_per_month as capacity,
              (select count(*) from matches load where load.offer_id = m.offer_id and load.status in ('awaitingCoach', 'accepted')
                 and load.created_at >= @monthStart) as load
         from matches m
         join coaching_requests r on r.id = m.request_id join organisations req_org on req_org.id = r.organisation_id
         left join request_topics rt on rt.request_id = r.id and rt.is_main = 1 left join topics t on t.id = rt.topic_id
         join coach_offers o on o.id = m.offer_id join users coach on coach.id = o.user_id
         join organisations coach_org on coach_org.id = o.organisation_id
        where m.status = 'awaitingReview' and (@topicId is null or rt.topic_id = @topicId)
        order by r.created_at, m.id
        limit @limit`,
    )
    .all({ topicId, limit, monthStart })
    .map((row) => {
      const { breakdown, ...proposal } = row as { breakdown: string } & Record<string, unknown>;
      return { ...proposal, breakdown: JSON.parse(breakdown) as Record<string, number> } as {
        id: string;
        score: number;
        breakdown: Record<string, number>;
        source: MatchSource;
        proposedAt: number;
        requestId: string;
        offerId: string;
        requestCreatedAt: number;
        requestOrganisation: string;
        topicDe: string | null;
        topicEn: string | null;
        coachName: string;
        coachOrganisation: string;
        capacity: number;
        load: number;
      };
    });
}

export function countProposalsForReview() {
  return getDb().select({ count: sql<number>`count(*)` }).from(matches).where(eq(matches.status, "awaitingReview")).get()?.count ?? 0;
}

/** Every match of a request with its events, oldest first: the request's side of the audit trail. */
export function listMatchHistoryForRequest(requestId: string) {
  const requestMatches = getDb()
    .$client.prepare(
      `select m.id, m.status, coach_org.name as coachOrganisation, coach.name as coachName
         from matches m join coach_offers o on o.id = m.offer_id join users coach on coach.id = o.user_id
         join organisations coach_org on coach_org.id = o.organisation_id
        where m.request_id = ? order by m.created_at, m.id`,
    )
    .all(requestId) as { id: string; status: MatchStatus; coachOrganisation: string; coachName: string }[];
  const events = listMatchEvents(requestMatches.map((match) => match.id));
  return requestMatches.map((match) => ({ ...match, events: events.filter((event) => event.matchId === match.id) }));
}
