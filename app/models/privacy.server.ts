/**
 * The person's rights over their data (GDPR Art. 15, 17, 20) and the community's retention rule: a download of
 * everything Tandem holds about one person, deleting an account while keeping anonymised records, and the daily job
 * that strips free text from requests closed longer than the retention period.
 */
import { and, asc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { z } from "zod";
import { getDb, type TandemDatabase } from "~/db.server";
import { recordAuditEvent } from "~/models/audit.server";
import { kickOutboxDelivery } from "~/models/humhub-outbox.server";
import { closeActiveMatchesOf } from "~/models/match.server";
import { cancelUpcomingSessionsOf, upcomingSessionsOf } from "~/models/session.server";
import { readSettingsGroup, saveSettingsGroup } from "~/models/settings.server";
import { isLastTeamMember } from "~/models/user.server";
import { retentionLimits } from "~/schemas/privacy";
import {
  auditEvents,
  calendarFeeds,
  coachingRequests,
  coachingSessions,
  coachOffers,
  humhubAccounts,
  matchEvents,
  matches,
  memberships,
  notifications,
  offerAvailability,
  offerLanguages,
  offerTopics,
  organisationInvites,
  organisations,
  requestAvailability,
  requestHistory,
  requestLanguages,
  requestTopics,
  sessionEvents,
  sessionFeedback,
  sessions,
  topics,
  userRoles,
  users,
} from "~db/schema";

type Transaction = Parameters<Parameters<TandemDatabase["transaction"]>[0]>[0];

const privacySettingsKey = "privacy_settings";
const privacySettingsSchema = z.object({
  retentionMonths: z.number().int().min(retentionLimits.minMonths).max(retentionLimits.maxMonths),
});
export type PrivacySettings = z.infer<typeof privacySettingsSchema>;

export function getPrivacySettings(): PrivacySettings {
  return readSettingsGroup(privacySettingsKey, privacySettingsSchema, { retentionMonths: retentionLimits.defaultMonths });
}

export function savePrivacySettings(actorUserId: string, settings: PrivacySettings) {
  saveSettingsGroup(privacySettingsKey, { actorUserId, action: "settings.privacy_changed", before: getPrivacySettings(), after: settings });
}

/** The name a deleted account shows wherever history still names it; both languages, since it is stored once. */
export const deletedAccountName = "Gelöschtes Konto · Deleted account";

// ---------------------------------------------------------------------------------------------------------------
// Export

const iso = (value: Date | number | null | undefined) => (value === null || value === undefined ? null : new Date(value).toISOString());

/**
 * Everything Tandem holds about the person, as they may see it: their own words and choices, the matches and
 * sessions they take part in, the feedback they gave and the audit entries about them. Other people appear only as
 * the person already sees them in Tandem (name and organisation of the other side); the team's internal notes
 * (reasons for rejecting or replacing a proposal) and secrets (password hash, feed token) are left out.
 */
export function exportUserData(userId: string, now = new Date()) {
  const db = getDb();
  const user = db.select().from(users).where(and(eq(users.id, userId), isNull(users.deletedAt))).get();
  if (!user) return null;
  const roles = db.select({ role: userRoles.role, grantedAt: userRoles.grantedAt }).from(userRoles).where(eq(userRoles.userId, userId)).all();
  const organisationRows = db
    .select({ id: organisations.id, name: organisations.name, kind: organisations.kind, sizeBand: organisations.sizeBand, region: organisations.region, website: organisations.website, joinedAt: memberships.joinedAt })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organisations.name))
    .all();
  const topicLabel = (topicId: string) => db.select({ de: topics.labelDe, en: topics.labelEn }).from(topics).where(eq(topics.id, topicId)).get() ?? null;

  const offer = db.select().from(coachOffers).where(eq(coachOffers.userId, userId)).get();
  const offerExport = offer
    ? {
        id: offer.id,
        organisationId: offer.organisationId,
        bio: offer.bio,
        formats: offer.formats,
        inPersonRegion: offer.inPersonRegion,
        travelKm: offer.travelKm,
        accessSupport: offer.accessSupport,
        capacityPerMonth: offer.capacityPerMonth,
        pausedUntil: offer.pausedUntil,
        timeZone: offer.timeZone,
        createdAt: iso(offer.createdAt),
        updatedAt: iso(offer.updatedAt),
        topics: db.select().from(offerTopics).where(eq(offerTopics.offerId, offer.id)).all().map((row) => ({ topic: topicLabel(row.topicId), level: row.level, note: row.note })),
        languages: db.select().from(offerLanguages).where(eq(offerLanguages.offerId, offer.id)).all().map((row) => row.language),
        availability: db.select().from(offerAvailability).where(eq(offerAvailability.offerId, offer.id)).all().map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute })),
      }
    : null;

  const requestRows = db.select().from(coachingRequests).where(eq(coachingRequests.userId, userId)).orderBy(asc(coachingRequests.createdAt)).all();
  const requestExports = requestRows.map((request) => ({
    id: request.id,
    organisationId: request.organisationId,
    goal: request.goal,
    urgency: request.urgency,
    deadline: request.deadline,
    formats: request.formats,
    inPersonRegion: request.inPersonRegion,
    accessNeeds: request.accessNeeds,
    sessionMinutes: request.sessionMinutes,
    timeZone: request.timeZone,
    status: request.status,
    expiresOn: request.expiresOn,
    redactedAt: iso(request.redactedAt),
    createdAt: iso(request.createdAt),
    updatedAt: iso(request.updatedAt),
    topics: db.select().from(requestTopics).where(eq(requestTopics.requestId, request.id)).all().map((row) => ({ topic: topicLabel(row.topicId), isMain: row.isMain })),
    languages: db.select().from(requestLanguages).where(eq(requestLanguages.requestId, request.id)).all().map((row) => row.language),
    availability: db.select().from(requestAvailability).where(eq(requestAvailability.requestId, request.id)).all().map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute })),
    // Only the person's own changes: a team member's edit is theirs to account for, not this person's data.
    history: db
      .select()
      .from(requestHistory)
      .where(and(eq(requestHistory.requestId, request.id), eq(requestHistory.actorUserId, userId)))
      .orderBy(asc(requestHistory.at))
      .all()
      .map((row) => ({ action: row.action, changes: row.changes, at: iso(row.at) })),
  }));

  const matchRows = getDb()
    .$client.prepare(
      `select m.id, m.status, m.source, m.score, m.decline_reason as declineReason, m.created_at as createdAt, m.updated_at as updatedAt,
              m.request_id as requestId, r.user_id as requesterId, o.user_id as coachId,
              requester.name as requesterName, coach.name as coachName, req_org.name as requesterOrganisation, coach_org.name as coachOrganisation
         from matches m
         join coaching_requests r on r.id = m.request_id join coach_offers o on o.id = m.offer_id
         join users requester on requester.id = r.user_id join users coach on coach.id = o.user_id
         join organisations req_org on req_org.id = r.organisation_id join organisations coach_org on coach_org.id = o.organisation_id
        where r.user_id = ? or o.user_id = ?
        order by m.created_at`,
    )
    .all(userId, userId) as Array<Record<string, string | number | null>>;
  const matchIds = matchRows.map((row) => String(row.id));
  const ownEvents = matchIds.length
    ? db.select().from(matchEvents).where(and(inArray(matchEvents.matchId, matchIds), eq(matchEvents.actorUserId, userId))).orderBy(asc(matchEvents.at)).all()
    : [];
  const matchExports = matchRows.map((row) => {
    const role = row.coachId === userId ? "coach" : "requester";
    // The other side's name is shared only once a coach accepted; before that the person knew only the organisation.
    const shared = row.status === "accepted" || row.status === "closed";
    return {
      id: row.id,
      yourRole: role,
      status: row.status,
      source: row.source,
      requestId: row.requestId,
      declineReason: row.declineReason,
      otherSide: role === "coach"
        ? { organisation: row.requesterOrganisation, name: shared ? row.requesterName : null }
        : { organisation: row.coachOrganisation, name: shared ? row.coachName : null },
      createdAt: iso(row.createdAt as number),
      updatedAt: iso(row.updatedAt as number),
      yourSteps: ownEvents.filter((event) => event.matchId === row.id).map((event) => ({ from: event.fromStatus, to: event.toStatus, reason: event.reason, at: iso(event.at) })),
    };
  });

  const sessionRows = db
    .select()
    .from(coachingSessions)
    .where(or(eq(coachingSessions.coachUserId, userId), eq(coachingSessions.requesterUserId, userId)))
    .orderBy(asc(coachingSessions.createdAt))
    .all();
  const feedbackRows = db.select().from(sessionFeedback).where(eq(sessionFeedback.userId, userId)).all();
  const sessionExports = sessionRows.map((session) => ({
    id: session.id,
    matchId: session.matchId,
    yourRole: session.coachUserId === userId ? "coach" : "requester",
    status: session.status,
    format: session.format,
    joinDetails: session.joinDetails,
    startsAt: iso(session.startsAt),
    endsAt: iso(session.endsAt),
    durationMinutes: session.durationMinutes,
    proposedTimes: session.proposedTimes?.map((time) => ({ startsAt: iso(time.startsAt), endsAt: iso(time.endsAt) })) ?? null,
    cancelReason: session.cancelReason,
    createdAt: iso(session.createdAt),
    updatedAt: iso(session.updatedAt),
    yourFeedback: feedbackRows
      .filter((feedback) => feedback.sessionId === session.id)
      .map(({ held, rating, comment, createdAt, updatedAt }) => ({ held, rating, comment, createdAt: iso(createdAt), updatedAt: iso(updatedAt) }))[0] ?? null,
  }));

  const feed = db.select({ createdAt: calendarFeeds.createdAt, lastReadAt: calendarFeeds.lastReadAt }).from(calendarFeeds).where(eq(calendarFeeds.userId, userId)).get();
  const humhub = db.select().from(humhubAccounts).where(eq(humhubAccounts.userId, userId)).get();
  const notificationRows = db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(asc(notifications.createdAt)).all();
  const audit = db
    .select({ action: auditEvents.action, detail: auditEvents.detail, at: auditEvents.at, byYou: sql<number>`${auditEvents.actorUserId} = ${userId}` })
    .from(auditEvents)
    .where(eq(auditEvents.subjectUserId, userId))
    .orderBy(asc(auditEvents.at))
    .all();

  return {
    format: "tandem-personal-data/1",
    exportedAt: iso(now),
    profile: {
      id: user.id,
      name: user.name,
      email: user.email,
      locale: user.locale,
      timeZone: user.timeZone,
      humhubUsername: user.humhubUsername,
      privacyConsentAt: iso(user.privacyConsentAt),
      createdAt: iso(user.createdAt),
      roles: roles.map((row) => ({ role: row.role, grantedAt: iso(row.grantedAt) })),
    },
    organisations: organisationRows.map(({ joinedAt, ...organisation }) => ({ ...organisation, joinedAt: iso(joinedAt) })),
    offer: offerExport,
    requests: requestExports,
    matches: matchExports,
    sessions: sessionExports,
    calendarFeed: feed ? { createdAt: iso(feed.createdAt), lastReadAt: iso(feed.lastReadAt) } : null,
    humhubAccount: humhub ? { username: humhub.username, displayName: humhub.displayName, profileUrl: humhub.profileUrl, checkedAt: iso(humhub.checkedAt) } : null,
    notifications: notificationRows.map((row) => ({ kind: row.kind, matchId: row.matchId, createdAt: iso(row.createdAt), readAt: iso(row.readAt) })),
    auditEntries: audit.map((row) => ({ action: row.action, detail: row.detail, at: iso(row.at), byYou: Boolean(row.byYou) })),
  };
}

export type UserDataExport = NonNullable<ReturnType<typeof exportUserData>>;

// ---------------------------------------------------------------------------------------------------------------
// Deletion

export type AccountDeletion = { ok: true; cancelledSessions: number; closedMatches: number } | { ok: false; refusal: "notFound" | "lastTeamMember" };

/**
 * Deletes the person's account in one transaction. Kept, without anything that names them: the user row as an empty
 * tombstone (so history can point at it), their matches and sessions with topic, dates and status, ratings without
 * words. Removed or emptied: name, email, password, HumHub name, roles, memberships, log-ins on every device,
 * notifications, calendar feed, offer texts and times, request goals and times, join details, reasons and comments
 * they wrote. Future sessions are cancelled (the other side is told, HumHub entries go through the outbox) and
 * active matches closed. The last team member cannot leave the community without a team.
 */
export function deleteAccount(userId: string, now = new Date()): AccountDeletion {
  const result = getDb().transaction((tx): AccountDeletion => {
    const user = tx.select({ id: users.id }).from(users).where(and(eq(users.id, userId), isNull(users.deletedAt))).get();
    if (!user) return { ok: false, refusal: "notFound" };
    if (isLastTeamMember(tx, userId)) return { ok: false, refusal: "lastTeamMember" };
    const cancelledSessions = cancelUpcomingSessionsOf(tx, userId, now);
    const closedMatches = closeActiveMatchesOf(tx, userId, now);
    eraseFreeText(tx, { userId });

    const offer = tx.select({ id: coachOffers.id }).from(coachOffers).where(eq(coachOffers.userId, userId)).get();
    if (offer) {
      // The offer row stays for the match history; paused for good, it leaves the directory and batch runs.
      tx.update(coachOffers).set({ bio: "", pausedUntil: "9999-12-31", updatedAt: now }).where(eq(coachOffers.id, offer.id)).run();
      tx.update(offerTopics).set({ note: "" }).where(eq(offerTopics.offerId, offer.id)).run();
      tx.delete(offerAvailability).where(eq(offerAvailability.offerId, offer.id)).run();
    }
    const requestIds = tx.select({ id: coachingRequests.id }).from(coachingRequests).where(eq(coachingRequests.userId, userId)).all().map((row) => row.id);
    if (requestIds.length) {
      tx.update(coachingRequests)
        .set({ goal: "", wishedCoachOfferId: null, updatedAt: now })
        .where(inArray(coachingRequests.id, requestIds))
        .run();
      tx.update(coachingRequests).set({ status: "withdrawn" }).where(and(inArray(coachingRequests.id, requestIds), eq(coachingRequests.status, "open"))).run();
      tx.delete(requestAvailability).where(inArray(requestAvailability.requestId, requestIds)).run();
    }

    const email = tx.select({ email: users.email }).from(users).where(eq(users.id, userId)).get()?.email;
    if (email) tx.delete(organisationInvites).where(eq(organisationInvites.email, email)).run();
    tx.delete(memberships).where(eq(memberships.userId, userId)).run();
    tx.delete(userRoles).where(eq(userRoles.userId, userId)).run();
    tx.delete(notifications).where(eq(notifications.userId, userId)).run();
    tx.delete(calendarFeeds).where(eq(calendarFeeds.userId, userId)).run();
    tx.delete(humhubAccounts).where(eq(humhubAccounts.userId, userId)).run();
    // Signs the person out on every device.
    tx.delete(sessions).where(eq(sessions.userId, userId)).run();
    tx.update(auditEvents).set({ detail: null }).where(eq(auditEvents.subjectUserId, userId)).run();
    tx.update(users)
      .set({
        name: deletedAccountName,
        email: `deleted-${userId}@deleted.invalid`,
        // Not an argon2 hash: no password can ever match it.
        passwordHash: "!",
        humhubUsername: null,
        deletedAt: now,
      })
      .where(eq(users.id, userId))
      .run();
    recordAuditEvent(tx, { actorUserId: userId, subjectUserId: userId, action: "account.deleted", detail: { cancelledSessions, closedMatches } });
    return { ok: true, cancelledSessions, closedMatches };
  }, { behavior: "immediate" });
  if (result.ok && result.cancelledSessions > 0) kickOutboxDelivery();
  return result;
}

/** How much an account deletion would end, for the confirmation page. */
export function countWhatDeletionEnds(userId: string, now = new Date()) {
  const db = getDb();
  const upcomingSessions = db.select({ value: sql<number>`count(*)` }).from(coachingSessions).where(upcomingSessionsOf(userId, now)).get()?.value ?? 0;
  const openRequests =
    db
      .select({ value: sql<number>`count(*)` })
      .from(coachingRequests)
      .where(and(eq(coachingRequests.userId, userId), eq(coachingRequests.status, "open")))
      .get()?.value ?? 0;
  return { upcomingSessions, openRequests };
}

/**
 * Empties the words people wrote that a deletion or the retention rule removes: for a person, what they wrote
 * anywhere (session reasons, feedback comments, match step reasons, request history) and the join details of their
 * sessions; for requests, everything written on them, their matches and their sessions.
 */
function eraseFreeText(tx: Transaction, scope: { userId: string } | { requestIds: string[] }) {
  if ("userId" in scope) {
    const { userId } = scope;
    const ownSessions = or(eq(coachingSessions.coachUserId, userId), eq(coachingSessions.requesterUserId, userId));
    tx.update(coachingSessions).set({ joinDetails: "", proposedJoinDetails: null, cancelReason: null }).where(ownSessions).run();
    tx.update(sessionEvents).set({ reason: null }).where(eq(sessionEvents.actorUserId, userId)).run();
    tx.update(sessionFeedback).set({ comment: null }).where(eq(sessionFeedback.userId, userId)).run();
    tx.update(matchEvents).set({ reason: null }).where(and(eq(matchEvents.actorUserId, userId), sql`${matchEvents.reason} <> 'accountDeleted'`)).run();
    tx.update(requestHistory).set({ changes: {} }).where(sql`${requestHistory.requestId} in (select id from ${coachingRequests} where ${coachingRequests.userId} = ${userId})`).run();
    return;
  }
  const { requestIds } = scope;
  const matchIds = sql`(select id from ${matches} where ${inArray(matches.requestId, requestIds)})`;
  const sessionIds = sql`(select id from ${coachingSessions} where ${coachingSessions.matchId} in ${matchIds})`;
  tx.update(coachingRequests).set({ goal: "" }).where(inArray(coachingRequests.id, requestIds)).run();
  tx.update(requestHistory).set({ changes: {} }).where(inArray(requestHistory.requestId, requestIds)).run();
  tx.update(matchEvents).set({ reason: null }).where(and(sql`${matchEvents.matchId} in ${matchIds}`, sql`${matchEvents.reason} <> 'accountDeleted'`)).run();
  tx.update(coachingSessions).set({ joinDetails: "", proposedJoinDetails: null, cancelReason: null }).where(sql`${coachingSessions.id} in ${sessionIds}`).run();
  tx.update(sessionEvents).set({ reason: null }).where(sql`${sessionEvents.sessionId} in ${sessionIds}`).run();
  tx.update(sessionFeedback).set({ comment: null }).where(sql`${sessionFeedback.sessionId} in ${sessionIds}`).run();
}

// ---------------------------------------------------------------------------------------------------------------
// Retention

/**
 * The daily retention job: a request closed (withdrawn, expired, or matched with no active match) whose last activity
 * (the request, its matches and its sessions) lies more than the retention period back loses its free text, and so
 * do its matches and sessions. Dates, topics, statuses and ratings stay for the community's reports. Returns how
 * many requests it redacted; idempotent.
 */
export function applyRetention(now = new Date()) {
  const { retentionMonths } = getPrivacySettings();
  const cutoff = DateTime.fromJSDate(now).minus({ months: retentionMonths });
  const cutoffMs = cutoff.toMillis();
  const cutoffDay = cutoff.toUTC().toISODate()!;
  return getDb().transaction((tx) => {
    const due = tx
      .select({ id: coachingRequests.id })
      .from(coachingRequests)
      .where(
        and(
          isNull(coachingRequests.redactedAt),
          lt(coachingRequests.updatedAt, new Date(cutoffMs)),
          or(
            eq(coachingRequests.status, "withdrawn"),
            eq(coachingRequests.status, "matched"),
            and(eq(coachingRequests.status, "open"), lt(coachingRequests.expiresOn, cutoffDay)),
          ),
          sql`not exists (select 1 from ${matches} where ${matches.requestId} = ${coachingRequests.id}
                and (${matches.status} in ('awaitingReview', 'awaitingCoach', 'accepted') or ${matches.updatedAt} >= ${cutoffMs}))`,
          sql`not exists (select 1 from ${coachingSessions} join ${matches} on ${matches.id} = ${coachingSessions.matchId}
                where ${matches.requestId} = ${coachingRequests.id}
                  and (${coachingSessions.updatedAt} >= ${cutoffMs} or coalesce(${coachingSessions.endsAt}, 0) >= ${cutoffMs}))`,
        ),
      )
      .all()
      .map((row) => row.id);
    if (due.length === 0) return 0;
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for (let start = 0; start < due.length; start += 500) {
      const chunk = due.slice(start, start + 500);
      eraseFreeText(tx, { requestIds: chunk });
      tx.update(coachingRequests).set({ redactedAt: now }).where(inArray(coachingRequests.id, chunk)).run();
    }
    recordAuditEvent(tx, { actorUserId: null, subjectUserId: null, action: "retention.applied", detail: { requests: due.length, retentionMonths } });
    return due.length;
  }, { behavior: "immediate" });
}
