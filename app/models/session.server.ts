/**
 * Coaching sessions of accepted matches: free times, proposing, confirming, rescheduling, cancelling and feedback.
 * Every change that HumHub must hear about writes its outbox rows in the same transaction (see humhub-outbox.server).
 */
import { and, asc, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type TandemDatabase } from "~/db.server";
import { conflictsWithBusy, defaultSlotRules, findFreeSlots, isFreeSlot, type SlotSearch, type TimeRange } from "~/domain/slots";
import { enqueueHumhubCalls, kickOutboxDelivery } from "~/models/humhub-outbox.server";
import { readSettingsGroup, saveSettingsGroup } from "~/models/settings.server";
import { maxProposedTimes, schedulingLimits, type SchedulingSide } from "~/schemas/session";
import {
  coachingRequests,
  coachingSessions,
  coachOffers,
  matches,
  notifications,
  offerAvailability,
  requestAvailability,
  sessionEvents,
  sessionFeedback,
  users,
  type NotificationKind,
  type SessionEventKind,
  type SessionFormat,
} from "~db/schema";

type Transaction = Parameters<Parameters<TandemDatabase["transaction"]>[0]>[0];

const schedulingSettingsKey = "scheduling_settings";

export const schedulingSettingsSchema = z.object({
  /** Minutes kept free between two sessions of one person. */
  bufferMinutes: z.number().int().min(schedulingLimits.bufferMinutes.min).max(schedulingLimits.bufferMinutes.max),
  /** How far ahead a session must at least be booked. */
  noticeHours: z.number().int().min(schedulingLimits.noticeHours.min).max(schedulingLimits.noticeHours.max),
});
export type SchedulingSettings = z.infer<typeof schedulingSettingsSchema>;

export const defaultSchedulingSettings: SchedulingSettings = {
  bufferMinutes: defaultSlotRules.bufferMinutes,
  noticeHours: defaultSlotRules.noticeMinutes / 60,
};

export function getSchedulingSettings(): SchedulingSettings {
  return readSettingsGroup(schedulingSettingsKey, schedulingSettingsSchema, defaultSchedulingSettings);
}

export function saveSchedulingSettings(actorUserId: string, settings: SchedulingSettings) {
  saveSettingsGroup(schedulingSettingsKey, { actorUserId, action: "scheduling.settingsChanged", before: getSchedulingSettings(), after: settings });
}

export type SessionViewer = { id: string; roles: readonly string[] };

/** An accepted match with everything scheduling needs, or null when the viewer may not schedule it. */
function getSchedulableMatch(db: TandemDatabase | Transaction, matchId: string, viewer: SessionViewer) {
  const row = db
    .select({
      matchId: matches.id,
      status: matches.status,
      requestId: coachingRequests.id,
      offerId: coachOffers.id,
      requesterUserId: coachingRequests.userId,
      coachUserId: coachOffers.userId,
      durationMinutes: coachingRequests.sessionMinutes,
      requestFormats: coachingRequests.formats,
      offerFormats: coachOffers.formats,
      requestTimeZone: coachingRequests.timeZone,
      offerTimeZone: coachOffers.timeZone,
    })
    .from(matches)
    .innerJoin(coachingRequests, eq(coachingRequests.id, matches.requestId))
    .innerJoin(coachOffers, eq(coachOffers.id, matches.offerId))
    .where(eq(matches.id, matchId))
    .get();
  if (!row || row.status !== "accepted") return null;
  const side = sideOf(viewer, row);
  if (!side) return null;
  return { ...row, side, formats: row.offerFormats.filter((format) => row.requestFormats.includes(format)) };
}

function sideOf(viewer: SessionViewer, people: { coachUserId: string; requesterUserId: string }): SchedulingSide | null {
  if (people.coachUserId === viewer.id) return "coach";
  if (people.requesterUserId === viewer.id) return "requester";
  return viewer.roles.includes("team") ? "team" : null;
}

/** Confirmed sessions of either person, the ones a new time must keep clear of. */
function busyTimes(db: TandemDatabase | Transaction, userIds: string[], exceptSessionId: string | null): TimeRange[] {
  return db
    .select({ startsAt: coachingSessions.startsAt, endsAt: coachingSessions.endsAt, id: coachingSessions.id })
    .from(coachingSessions)
    .where(
      and(
        eq(coachingSessions.status, "confirmed"),
        or(inArray(coachingSessions.coachUserId, userIds), inArray(coachingSessions.requesterUserId, userIds)),
      ),
    )
    .all()
    .filter((session) => session.id !== exceptSessionId && session.startsAt && session.endsAt)
    .map((session) => ({ startsAt: session.startsAt!.getTime(), endsAt: session.endsAt!.getTime() }));
}

function slotSearchFor(
  db: TandemDatabase | Transaction,
  match: NonNullable<ReturnType<typeof getSchedulableMatch>>,
  exceptSessionId: string | null,
  now: Date,
): SlotSearch {
  const settings = getSchedulingSettings();
  const windowsOf = (rows: { weekday: number; startMinute: number; endMinute: number }[]) =>
    rows.map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute }));
  const coachWindows = db.select().from(offerAvailability).where(eq(offerAvailability.offerId, match.offerId)).all();
  const requesterWindows = db.select().from(requestAvailability).where(eq(requestAvailability.requestId, match.requestId)).all();
  return {
    now: now.getTime(),
    coach: { timeZone: match.offerTimeZone, windows: windowsOf(coachWindows) },
    requester: { timeZone: match.requestTimeZone, windows: windowsOf(requesterWindows) },
    busy: busyTimes(db, [match.coachUserId, match.requesterUserId], exceptSessionId),
    rules: {
      durationMinutes: match.durationMinutes,
      bufferMinutes: settings.bufferMinutes,
      noticeMinutes: settings.noticeHours * 60,
      horizonDays: defaultSlotRules.horizonDays,
      stepMinutes: defaultSlotRules.stepMinutes,
    },
  };
}

function hasStarted(session: { status: string; startsAt: Date | null }, now: Date) {
  return session.status === "confirmed" && session.startsAt !== null && session.startsAt.getTime() <= now.getTime();
}

/**
 * Free times for a new session of the match (or new times for `sessionId`), with both people's time zones for
 * display. Null when the match is not accepted or the viewer is neither side nor team.
 */
export function getSchedulingOptions(matchId: string, viewer: SessionViewer, sessionId: string | null, now = new Date()) {
  lapseStaleProposals(now);
  const db = getDb();
  const match = getSchedulableMatch(db, matchId, viewer);
  if (!match) return null;
  const session = sessionId
    ? db.select().from(coachingSessions).where(and(eq(coachingSessions.id, sessionId), eq(coachingSessions.matchId, matchId))).get()
    : undefined;
  // Only a session that still lies ahead can get new times.
  if (sessionId && (!session || session.status === "cancelled" || hasStarted(session, now))) return null;
  const zones = db
    .select({ id: users.id, timeZone: users.timeZone })
    .from(users)
    .where(inArray(users.id, [match.coachUserId, match.requesterUserId]))
    .all();
  const zoneOf = (userId: string) => zones.find((zone) => zone.id === userId)?.timeZone ?? "Europe/Berlin";
  return {
    side: match.side,
    formats: match.formats,
    durationMinutes: match.durationMinutes,
    slots: findFreeSlots(slotSearchFor(db, match, sessionId, now)),
    coachTimeZone: zoneOf(match.coachUserId),
    requesterTimeZone: zoneOf(match.requesterUserId),
    current: session ? { format: session.format, joinDetails: session.joinDetails } : null,
    openProposal: sessionId ? null : (findOpenProposal(db, matchId) ?? null),
  };
}

/** The match's session still waiting for its first confirmation, if any: a match has at most one. */
function findOpenProposal(db: TandemDatabase | Transaction, matchId: string) {
  return db
    .select({ id: coachingSessions.id })
    .from(coachingSessions)
    .where(and(eq(coachingSessions.matchId, matchId), eq(coachingSessions.status, "proposed")))
    .get()?.id;
}

/**
 * Offered times that can no longer be confirmed (every one is inside the notice or past) lapse: a new session's
 * proposal is cancelled, a reschedule's offer is dropped and the confirmed time stays. Run before anything reads
 * or adds proposals, so a forgotten offer never blocks a match.
 */
export function lapseStaleProposals(now = new Date()) {
  const db = getDb();
  const confirmableFrom = now.getTime() + getSchedulingSettings().noticeHours * 3_600_000;
  const isStale = and(
    isNotNull(coachingSessions.proposedTimes),
    or(
      sql`(select max(json_extract(value, '$.startsAt')) from json_each(${coachingSessions.proposedTimes})) < ${confirmableFrom}`,
      // A session under way or over is not moved any more, whatever times were offered for it.
      and(eq(coachingSessions.status, "confirmed"), sql`${coachingSessions.startsAt} <= ${now.getTime()}`),
    ),
  );
  const stale = db.select({ id: coachingSessions.id, status: coachingSessions.status }).from(coachingSessions).where(isStale).all();
  if (stale.length === 0) return;
  db.transaction((tx) => {
    for (const session of stale) {
      const lapsed = tx
        .update(coachingSessions)
        .set({
          ...(session.status === "proposed" ? { status: "cancelled" as const } : {}),
          proposedTimes: null,
          proposedByUserId: null,
          proposedFormat: null,
          proposedJoinDetails: null,
          updatedAt: now,
        })
        // Checked again inside the write lock: a fresh offer made since the read above must not be dropped.
        .where(and(eq(coachingSessions.id, session.id), isStale))
        .run();
      if (lapsed.changes === 1) tx.insert(sessionEvents).values({ sessionId: session.id, actorUserId: null, kind: "lapsed", at: now }).run();
    }
  }, { behavior: "immediate" });
}

export type SessionRefusal =
  | "notFound"
  | "notAvailable"
  | "tooManyTimes"
  | "openProposalExists"
  | "notYourTurn"
  | "doubleBooked"
  | "alreadyChanged"
  | "formatNotShared"
  | "notOver"
  | "alreadyOver";

export type SessionResult = { ok: true; sessionId: string } | { ok: false; refusal: SessionRefusal };

function recordSessionEvent(tx: Transaction, sessionId: string, actorUserId: string, kind: SessionEventKind, now: Date, extra: { startsAt?: Date | null; reason?: string | null } = {}) {
  tx.insert(sessionEvents).values({ sessionId, actorUserId, kind, at: now, startsAt: extra.startsAt ?? null, reason: extra.reason ?? null }).run();
}

function notifyUsers(tx: Transaction, userIds: string[], kind: NotificationKind, matchId: string, now: Date) {
  for (const userId of userIds) tx.insert(notifications).values({ userId, kind, matchId, createdAt: now }).run();
}

function otherSides(people: { coachUserId: string; requesterUserId: string }, actorUserId: string) {
  return [people.coachUserId, people.requesterUserId].filter((userId) => userId !== actorUserId);
}

function isDoubleBookingAbort(error: unknown) {
  return error instanceof Error && error.message.includes("double booking");
}

/**
 * A change HumHub must hear about: one IMMEDIATE transaction (it writes the outbox rows), then a delivery pass. An
 * abort by the double-booking triggers becomes the refusal the model's own check gives.
 */
function changeSession(work: (tx: Transaction) => SessionResult): SessionResult {
  try {
    const result = getDb().transaction(work, { behavior: "immediate" });
    if (result.ok) kickOutboxDelivery();
    return result;
  } catch (error) {
    if (isDoubleBookingAbort(error)) return { ok: false, refusal: "doubleBooked" };
    throw error;
  }
}

type ProposeInput = {
  matchId: string;
  /** The session to reschedule; null for a new one. */
  sessionId: string | null;
  viewer: SessionViewer;
  times: number[];
  format: SessionFormat;
  joinDetails: string;
  reason?: string | null;
};

/**
 * One side offers times for a session; the other side confirms one. The coach may offer up to three, the requester
 * picks one. The team, as arbiter, books the single time it picks straight away. Each time must still be free for
 * both people when offered, and is checked again when confirmed.
 */
export function proposeSessionTimes(input: ProposeInput, now = new Date()): SessionResult {
  lapseStaleProposals(now);
  return changeSession((tx) => proposeInTransaction(tx, input, now));
}

function proposeInTransaction(tx: Transaction, { matchId, sessionId, viewer, times, format, joinDetails, reason = null }: ProposeInput, now: Date): SessionResult {
  const match = getSchedulableMatch(tx, matchId, viewer);
  if (!match) return { ok: false, refusal: "notFound" };
  const distinctTimes = [...new Set(times)].sort((a, b) => a - b);
  if (distinctTimes.length === 0 || distinctTimes.length > maxProposedTimes(match.side)) return { ok: false, refusal: "tooManyTimes" };
  if (!match.formats.includes(format)) return { ok: false, refusal: "formatNotShared" };
  const existing = sessionId
    ? tx.select().from(coachingSessions).where(and(eq(coachingSessions.id, sessionId), eq(coachingSessions.matchId, matchId))).get()
    : undefined;
  if (sessionId && (!existing || existing.status === "cancelled")) return { ok: false, refusal: "notFound" };
  if (existing && hasStarted(existing, now)) return { ok: false, refusal: "alreadyOver" };
  if (!sessionId && findOpenProposal(tx, matchId)) return { ok: false, refusal: "openProposalExists" };
  const search = slotSearchFor(tx, match, sessionId, now);
  if (!distinctTimes.every((time) => isFreeSlot(search, time))) return { ok: false, refusal: "notAvailable" };
  const proposedTimes = distinctTimes.map((startsAt) => ({ startsAt, endsAt: startsAt + match.durationMinutes * 60_000 }));
  // How to join is the coach's to say (the team may fill in); a requester's pick leaves it to the coach.
  const details = match.side === "requester" ? "" : joinDetails.trim();

  if (match.side === "team") {
    const id = sessionId ?? crypto.randomUUID();
    if (!existing) {
      tx.insert(coachingSessions)
        .values({ id, matchId, coachUserId: match.coachUserId, requesterUserId: match.requesterUserId, status: "proposed", durationMinutes: match.durationMinutes, format, createdAt: now, updatedAt: now })
        .run();
    }
    return confirmInTransaction(tx, { sessionId: id, viewer, startsAt: proposedTimes[0]!.startsAt, joinDetails: details, format, bypassTurn: true, reason }, now);
  }

  if (existing) {
    // The confirmed session stays as it is until the other side confirms: format and details travel with the offer.
    tx.update(coachingSessions)
      .set({
        proposedTimes,
        proposedByUserId: viewer.id,
        proposedFormat: format === existing.format ? null : format,
        // Unchanged (pre-filled) details do not travel with a new format: a phone number must not become a video link.
        proposedJoinDetails: details && details !== existing.joinDetails ? details : null,
        updatedAt: now,
      })
      .where(eq(coachingSessions.id, existing.id))
      .run();
    recordSessionEvent(tx, existing.id, viewer.id, "rescheduleProposed", now, { startsAt: new Date(proposedTimes[0]!.startsAt), reason });
    notifyUsers(tx, otherSides(match, viewer.id), "sessionProposed", matchId, now);
    return { ok: true, sessionId: existing.id };
  }
  const id = crypto.randomUUID();
  tx.insert(coachingSessions)
    .values({
      id,
      matchId,
      coachUserId: match.coachUserId,
      requesterUserId: match.requesterUserId,
      status: "proposed",
      durationMinutes: match.durationMinutes,
      format,
      joinDetails: details,
      proposedTimes,
      proposedByUserId: viewer.id,
      createdAt: now,
      updatedAt: now,
    })
    .run();
  recordSessionEvent(tx, id, viewer.id, "proposed", now, { startsAt: new Date(proposedTimes[0]!.startsAt) });
  notifyUsers(tx, otherSides(match, viewer.id), "sessionProposed", matchId, now);
  return { ok: true, sessionId: id };
}

/**
 * How to join once the offered change is confirmed: new details if the offer brought them; none when the format
 * changed without them (a phone number must not stand as a video link); otherwise the session's own.
 */
export function joinDetailsAfterConfirm(session: { format: SessionFormat; joinDetails: string; proposedFormat: SessionFormat | null; proposedJoinDetails: string | null }) {
  if (session.proposedJoinDetails) return session.proposedJoinDetails;
  return session.proposedFormat && session.proposedFormat !== session.format ? "" : session.joinDetails;
}

type ConfirmInput = {
  sessionId: string;
  viewer: SessionViewer;
  startsAt: number;
  joinDetails: string;
  format?: SessionFormat;
  /** The team books directly, without waiting for a side's confirmation. */
  bypassTurn?: boolean;
  reason?: string | null;
};

/**
 * The other side confirms one of the offered times. In one IMMEDIATE transaction: the time must still be offered,
 * and clear (with the buffer) of both people's confirmed sessions; the triggers of migration 0008 refuse an overlap
 * even if this check were skipped. Of many people confirming overlapping times at once, exactly one wins.
 */
export function confirmSessionTime(input: ConfirmInput, now = new Date()): SessionResult {
  return changeSession((tx) => confirmInTransaction(tx, input, now));
}

function confirmInTransaction(tx: Transaction, { sessionId, viewer, startsAt, joinDetails, format, bypassTurn = false, reason = null }: ConfirmInput, now: Date): SessionResult {
  const session = tx.select().from(coachingSessions).where(eq(coachingSessions.id, sessionId)).get();
  const side = session ? sideOf(viewer, session) : null;
  if (!session || !side || session.status === "cancelled") return { ok: false, refusal: "notFound" };
  // New times for a session that has begun would rewrite what took place, however early they were offered.
  if (hasStarted(session, now)) return { ok: false, refusal: "alreadyOver" };
  const matchStatus = tx.select({ status: matches.status }).from(matches).where(eq(matches.id, session.matchId)).get()?.status;
  if (matchStatus !== "accepted") return { ok: false, refusal: "alreadyChanged" };
  const offered = bypassTurn
    ? [{ startsAt, endsAt: startsAt + session.durationMinutes * 60_000 }]
    : (session.proposedTimes ?? []);
  const chosen = offered.find((time) => time.startsAt === startsAt);
  if (!bypassTurn && (!session.proposedTimes || session.proposedByUserId === viewer.id || side === "team")) {
    return { ok: false, refusal: session.proposedTimes ? "notYourTurn" : "alreadyChanged" };
  }
  if (!chosen) return { ok: false, refusal: "notAvailable" };
  const settings = getSchedulingSettings();
  if (chosen.startsAt < now.getTime() + settings.noticeHours * 3_600_000) return { ok: false, refusal: "notAvailable" };
  const busy = busyTimes(tx, [session.coachUserId, session.requesterUserId], session.id);
  if (conflictsWithBusy(chosen, busy, settings.bufferMinutes)) return { ok: false, refusal: "doubleBooked" };

  const wasConfirmed = session.status === "confirmed";
  const newFormat = format ?? session.proposedFormat ?? session.format;
  // The team books over any pending offer: that offer's details were meant for the offer's format, not the team's.
  const offeredDetails = joinDetailsAfterConfirm({ ...session, proposedFormat: newFormat, proposedJoinDetails: bypassTurn ? null : session.proposedJoinDetails });
  const details = side === "coach" || side === "team" ? joinDetails.trim() || offeredDetails : offeredDetails;
  tx.update(coachingSessions)
    .set({
      status: "confirmed",
      startsAt: new Date(chosen.startsAt),
      endsAt: new Date(chosen.endsAt),
      proposedTimes: null,
      proposedByUserId: null,
      proposedFormat: null,
      proposedJoinDetails: null,
      joinDetails: details,
      format: newFormat,
      sequence: wasConfirmed ? session.sequence + 1 : session.sequence,
      updatedAt: now,
    })
    .where(eq(coachingSessions.id, session.id))
    .run();
  recordSessionEvent(tx, session.id, viewer.id, wasConfirmed ? "rescheduled" : "confirmed", now, { startsAt: new Date(chosen.startsAt), reason });
  notifyUsers(tx, otherSides(session, viewer.id), "sessionConfirmed", session.matchId, now);
  enqueueHumhubCalls(tx, session.id, wasConfirmed ? ["updateEntry"] : ["createEntry", "announceSession", "notifyCoach", "notifyRequester"], now);
  return { ok: true, sessionId: session.id };
}

/** Turns down offered new times of a confirmed session: the confirmed time stays. */
export function keepConfirmedTime(sessionId: string, viewer: SessionViewer, now = new Date()): SessionResult {
  return getDb().transaction((tx): SessionResult => {
    const session = tx.select().from(coachingSessions).where(eq(coachingSessions.id, sessionId)).get();
    const side = session ? sideOf(viewer, session) : null;
    if (!session || !side) return { ok: false, refusal: "notFound" };
    if (session.status !== "confirmed" || !session.proposedTimes) return { ok: false, refusal: "alreadyChanged" };
    if (side === "team" || session.proposedByUserId === viewer.id) return { ok: false, refusal: "notYourTurn" };
    tx.update(coachingSessions)
      .set({ proposedTimes: null, proposedByUserId: null, proposedFormat: null, proposedJoinDetails: null, updatedAt: now })
      .where(eq(coachingSessions.id, sessionId))
      .run();
    recordSessionEvent(tx, sessionId, viewer.id, "keptTime", now, { startsAt: session.startsAt });
    notifyUsers(tx, otherSides(session, viewer.id), "sessionConfirmed", session.matchId, now);
    return { ok: true, sessionId };
  }, { behavior: "immediate" });
}

/** Either side or the team cancels, with a reason; a confirmed session's calendar entry is removed in HumHub. */
export function cancelSession({ sessionId, viewer, reason }: { sessionId: string; viewer: SessionViewer; reason: string }, now = new Date()): SessionResult {
  return changeSession((tx) => {
    const session = tx.select().from(coachingSessions).where(eq(coachingSessions.id, sessionId)).get();
    if (!session || !sideOf(viewer, session)) return { ok: false, refusal: "notFound" };
    if (session.status === "cancelled") return { ok: false, refusal: "alreadyChanged" };
    // What took place stays in the record; a session that is over gets feedback, not a cancellation.
    if (hasStarted(session, now)) return { ok: false, refusal: "alreadyOver" };
    cancelInTransaction(tx, session, viewer.id, reason.trim(), now);
    return { ok: true, sessionId };
  });
}

function cancelInTransaction(tx: Transaction, session: typeof coachingSessions.$inferSelect, actorUserId: string, reason: string | null, now: Date) {
  tx.update(coachingSessions)
    .set({
      status: "cancelled",
      cancelReason: reason,
      cancelledByUserId: actorUserId,
      proposedTimes: null,
      proposedByUserId: null,
      proposedFormat: null,
      proposedJoinDetails: null,
      sequence: session.sequence + 1,
      updatedAt: now,
    })
    .where(eq(coachingSessions.id, session.id))
    .run();
  recordSessionEvent(tx, session.id, actorUserId, "cancelled", now, { reason });
  notifyUsers(tx, otherSides(session, actorUserId), "sessionCancelled", session.matchId, now);
  if (session.status === "confirmed") enqueueHumhubCalls(tx, session.id, ["deleteEntry", "announceCancellation"], now);
}

/** The person's sessions that have not started: offered ones, and confirmed ones still ahead. */
export function upcomingSessionsOf(userId: string, now: Date) {
  return and(
    or(eq(coachingSessions.coachUserId, userId), eq(coachingSessions.requesterUserId, userId)),
    or(eq(coachingSessions.status, "proposed"), and(eq(coachingSessions.status, "confirmed"), sql`${coachingSessions.startsAt} > ${now.getTime()}`)),
  );
}

/**
 * Cancels every session of the person that has not started, inside the caller's transaction (an account deletion):
 * the other side is told and confirmed sessions leave HumHub through the outbox. No reason is stored, since a
 * deleted account leaves no words behind. Returns how many were cancelled.
 */
export function cancelUpcomingSessionsOf(tx: Transaction, userId: string, now: Date) {
  const upcoming = tx.select().from(coachingSessions).where(upcomingSessionsOf(userId, now)).all();
  for (const session of upcoming) cancelInTransaction(tx, session, userId, null, now);
  return upcoming.length;
}

/** The coach (or the team) changes how to join an upcoming confirmed session: calendars and HumHub follow. */
export function updateJoinDetails({ sessionId, viewer, joinDetails }: { sessionId: string; viewer: SessionViewer; joinDetails: string }, now = new Date()): SessionResult {
  return changeSession((tx) => {
    const session = tx.select().from(coachingSessions).where(eq(coachingSessions.id, sessionId)).get();
    const side = session ? sideOf(viewer, session) : null;
    if (!session || !side) return { ok: false, refusal: "notFound" };
    if (side === "requester") return { ok: false, refusal: "notYourTurn" };
    if (session.status !== "confirmed") return { ok: false, refusal: "alreadyChanged" };
    if (hasStarted(session, now)) return { ok: false, refusal: "alreadyOver" };
    tx.update(coachingSessions)
      .set({ joinDetails: joinDetails.trim(), sequence: session.sequence + 1, updatedAt: now })
      .where(eq(coachingSessions.id, sessionId))
      .run();
    recordSessionEvent(tx, sessionId, viewer.id, "joinDetailsChanged", now);
    notifyUsers(tx, otherSides(session, viewer.id), "sessionConfirmed", session.matchId, now);
    enqueueHumhubCalls(tx, sessionId, ["updateEntry"], now);
    return { ok: true, sessionId };
  });
}

/** After a confirmed session has ended, each side says whether it took place, with an optional rating and sentence. */
export function recordSessionFeedback(
  { sessionId, viewer, held, rating, comment }: { sessionId: string; viewer: SessionViewer; held: boolean; rating: number | null; comment: string | null },
  now = new Date(),
): SessionResult {
  return getDb().transaction((tx): SessionResult => {
    const session = tx.select().from(coachingSessions).where(eq(coachingSessions.id, sessionId)).get();
    const side = session ? sideOf(viewer, session) : null;
    if (!session || (side !== "coach" && side !== "requester")) return { ok: false, refusal: "notFound" };
    if (session.status !== "confirmed" || !session.endsAt) return { ok: false, refusal: "alreadyChanged" };
    if (session.endsAt.getTime() > now.getTime()) return { ok: false, refusal: "notOver" };
    const values = { held, rating: held ? rating : null, comment: comment?.trim() || null, updatedAt: now };
    tx.insert(sessionFeedback)
      .values({ sessionId, userId: viewer.id, ...values, createdAt: now })
      .onConflictDoUpdate({ target: [sessionFeedback.sessionId, sessionFeedback.userId], set: values })
      .run();
    recordSessionEvent(tx, sessionId, viewer.id, "feedback", now);
    return { ok: true, sessionId };
  }, { behavior: "immediate" });
}

/** A session as one viewer may see it: its two people and the team. Null for anyone else. */
export function getSessionForViewer(sessionId: string, viewer: SessionViewer, now = new Date()) {
  lapseStaleProposals(now);
  const db = getDb();
  const session = db.select().from(coachingSessions).where(eq(coachingSessions.id, sessionId)).get();
  const side = session ? sideOf(viewer, session) : null;
  if (!session || !side) return null;
  const people = db
    .select({ id: users.id, name: users.name, email: users.email, timeZone: users.timeZone })
    .from(users)
    .where(inArray(users.id, [session.coachUserId, session.requesterUserId]))
    .all();
  const person = (userId: string) => people.find((candidate) => candidate.id === userId)!;
  const feedback = db.select().from(sessionFeedback).where(eq(sessionFeedback.sessionId, sessionId)).all();
  const events = db
    .select({ id: sessionEvents.id, kind: sessionEvents.kind, startsAt: sessionEvents.startsAt, reason: sessionEvents.reason, at: sessionEvents.at, actorName: users.name })
    .from(sessionEvents)
    .leftJoin(users, eq(users.id, sessionEvents.actorUserId))
    .where(eq(sessionEvents.sessionId, sessionId))
    .orderBy(asc(sessionEvents.at), asc(sessionEvents.id))
    .all();
  const matchStatus = db.select({ status: matches.status }).from(matches).where(eq(matches.id, session.matchId)).get()!.status;
  return { ...session, side, matchStatus, coach: person(session.coachUserId), requester: person(session.requesterUserId), feedback, events };
}

/** A match's sessions, soonest first, with each one's feedback count. */
export function listSessionsForMatch(matchId: string, now = new Date()) {
  lapseStaleProposals(now);
  return getDb()
    .select({
      id: coachingSessions.id,
      status: coachingSessions.status,
      startsAt: coachingSessions.startsAt,
      endsAt: coachingSessions.endsAt,
      proposedTimes: coachingSessions.proposedTimes,
      proposedByUserId: coachingSessions.proposedByUserId,
      format: coachingSessions.format,
    })
    .from(coachingSessions)
    .where(eq(coachingSessions.matchId, matchId))
    .orderBy(sql`coalesce(${coachingSessions.startsAt}, ${coachingSessions.createdAt})`, asc(coachingSessions.id))
    .all();
}

/** The person's next confirmed sessions, soonest first, and how many offered times wait for their answer. */
export function getUpcomingSessionsForUser(userId: string, now = new Date(), limit = 5) {
  lapseStaleProposals(now);
  const db = getDb();
  const involves = or(eq(coachingSessions.coachUserId, userId), eq(coachingSessions.requesterUserId, userId));
  const upcoming = db
    .select({ id: coachingSessions.id, startsAt: coachingSessions.startsAt, endsAt: coachingSessions.endsAt, format: coachingSessions.format })
    .from(coachingSessions)
    .where(and(involves, eq(coachingSessions.status, "confirmed"), sql`${coachingSessions.endsAt} > ${now.getTime()}`))
    .orderBy(asc(coachingSessions.startsAt))
    .limit(limit)
    .all()
    .map((session) => ({ id: session.id, format: session.format, startsAt: session.startsAt!.getTime(), endsAt: session.endsAt!.getTime() }));
  const awaitingAnswer =
    db
      .select({ count: sql<number>`count(*)` })
      .from(coachingSessions)
      .where(and(involves, isNotNull(coachingSessions.proposedTimes), sql`${coachingSessions.proposedByUserId} <> ${userId}`))
      .get()?.count ?? 0;
  return { upcoming, awaitingAnswer };
}

/** Every session a person takes part in that was ever confirmed, for their calendar feed. */
export function listCalendarSessionsForUser(userId: string) {
  return getDb()
    .select()
    .from(coachingSessions)
    .where(
      and(
        or(eq(coachingSessions.coachUserId, userId), eq(coachingSessions.requesterUserId, userId)),
        isNotNull(coachingSessions.startsAt),
      ),
    )
    .orderBy(asc(coachingSessions.startsAt))
    .all();
}
