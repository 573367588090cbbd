/**
 * Durable delivery of session changes to HumHub. A session change writes its outbox rows in its own transaction
 * (`enqueueHumhubCalls`); after commit, `deliverDueOutbox` sends them, oldest first per session, with exponential
 * backoff and jitter on errors that may pass, and stops on HumHub's refusals (4xx), which the team sees and can retry
 * or skip. Each call is weighed against the session as it is at delivery: nothing is created for a session that was
 * cancelled or is over by then.
 *
 * Any process may deliver (the web server after an action, the timer in `npm start`, a second instance): a row is
 * claimed by a conditional UPDATE that moves its next attempt past a lease, so two deliverers never send the same
 * row at once, and a deliverer killed mid-call leaves a row that becomes due again when the lease runs out. The
 * outcome is recorded only by the deliverer whose claim still stands.
 * HumHub has no idempotency keys, so a create whose earlier attempt may have acted first looks for Tandem's marker,
 * and a call that timed out is not repeated until HumHub has surely finished it.
 */
import { and, asc, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { getDb, type TandemDatabase } from "~/db.server";
import { formatSessionRange } from "~/domain/session-times";
import {
  createCalendarEntry,
  createPost,
  deleteCalendarEntry,
  escapeMarkdown,
  findCalendarEntry,
  findPost,
  mentionMarkdown,
  sendCustomNotification,
  updateCalendarEntry,
  type HumhubConnection,
  type HumhubFailure,
} from "~/humhub.server";
import { createI18n } from "~/i18n/i18n";
import { recordAuditEvent } from "~/models/audit.server";
import { getHumhubReadiness, type HumhubSettings } from "~/models/humhub-settings.server";
import { getSessionDetails, type SessionDetails, type SessionParticipant } from "~/models/session-details.server";
import { publicOrigin } from "~/utils/public-origin.server";
import { coachingSessions, humhubOutbox, type OutboxKind } from "~db/schema";

type Transaction = Parameters<Parameters<TandemDatabase["transaction"]>[0]>[0];

export function enqueueHumhubCalls(tx: Transaction, sessionId: string, kinds: OutboxKind[], now: Date) {
  for (const kind of kinds) tx.insert(humhubOutbox).values({ sessionId, kind, nextAttemptAt: now, createdAt: now }).run();
}

export type DeliveryOptions = {
  /**
   * How long a claimed row is reserved for its deliverer; a crash mid-call delays that row by this much at most.
   * Keep it well above a whole call (a create after a lost answer may page through the space first) and above
   * HumHub's own longest request, so a row is not claimed again while its call may still be running.
   */
  leaseMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Attempts before an error that might pass is given up and shown to the team like a refusal. */
  maxAttempts: number;
  /** Rows of different sessions sent at the same time. */
  parallelSessions: number;
  random: () => number;
  now: () => number;
  /** Per-request limit for HumHub's answer; unset, the client's own default applies. */
  timeoutMs?: number;
  /**
   * After a timeout HumHub may still be working on the call and act later: a retry at once would find no marker and
   * create a second entry or post (or a late update would undo a newer one). The next attempt waits at least this
   * long, past PHP's default max_execution_time of 30 s, by which HumHub has finished or abandoned the request.
   */
  settleAfterTimeoutMs: number;
};

export const defaultDeliveryOptions: DeliveryOptions = {
  leaseMs: 60_000,
  backoffBaseMs: 2_000,
  backoffMaxMs: 15 * 60_000,
  maxAttempts: 12,
  parallelSessions: 4,
  settleAfterTimeoutMs: 60_000,
  random: Math.random,
  now: Date.now,
};

/** "Equal jitter": half the exponential delay for sure, half at random, so retries of many rows spread out. */
export function backoffDelayMs(attempts: number, options: Pick<DeliveryOptions, "backoffBaseMs" | "backoffMaxMs" | "random">) {
  const exponential = Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential / 2 + (options.random() * exponential) / 2);
}

type OutboxRow = typeof humhubOutbox.$inferSelect;

/** Due rows whose session has no earlier undelivered row: per session, strictly in order. */
function findDueRows(now: number, limit: number): OutboxRow[] {
  return getDb()
    .select()
    .from(humhubOutbox)
    .where(
      and(
        eq(humhubOutbox.status, "pending"),
        sql`${humhubOutbox.nextAttemptAt} <= ${now}`,
        sql`not exists (select 1 from humhub_outbox earlier where earlier.session_id = ${humhubOutbox.sessionId}
              and earlier.id < ${humhubOutbox.id} and earlier.status <> 'delivered')`,
      ),
    )
    .orderBy(asc(humhubOutbox.id))
    .limit(limit)
    .all();
}

/** Only if the row is unchanged since it was read and still due: of two deliverers, exactly one gets it. */
function claim(row: OutboxRow, now: number, leaseMs: number) {
  const claimed = getDb()
    .update(humhubOutbox)
    .set({ attempts: row.attempts + 1, nextAttemptAt: new Date(now + leaseMs) })
    .where(
      and(
        eq(humhubOutbox.id, row.id),
        eq(humhubOutbox.status, "pending"),
        eq(humhubOutbox.attempts, row.attempts),
        sql`${humhubOutbox.nextAttemptAt} <= ${now}`,
      ),
    )
    .run();
  return claimed.changes === 1;
}

/** The row as this deliverer's claim left it: no one else has claimed it since (`claim` raised attempts by one). */
function stillOurs(row: OutboxRow) {
  return and(eq(humhubOutbox.id, row.id), eq(humhubOutbox.status, "pending"), eq(humhubOutbox.attempts, row.attempts + 1));
}

/** `overtaken`: the call outlived its lease and another deliverer took the row over; that one records the outcome. */
export type DeliveryReport = { delivered: number; retrying: number; failed: number; overtaken: number };

let deliveryInProgress: Promise<DeliveryReport> | null = null;

/**
 * Sends every due row, until none is due. Returns at once, doing nothing, when HumHub is not configured: the rows
 * wait. One pass at a time per process; a call during a pass joins it.
 */
export function deliverDueOutbox(overrides: Partial<DeliveryOptions> = {}): Promise<DeliveryReport> {
  deliveryInProgress ??= runDelivery({ ...defaultDeliveryOptions, ...overrides }).finally(() => {
    deliveryInProgress = null;
  });
  return deliveryInProgress;
}

async function runDelivery(options: DeliveryOptions): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, retrying: 0, failed: 0, overtaken: 0 };
  const readiness = getHumhubReadiness();
  if (!readiness.ready) return report;
  for (;;) {
    const due = findDueRows(options.now(), options.parallelSessions * 4);
    const oneRowPerSession = due.filter((row, index) => due.findIndex((other) => other.sessionId === row.sessionId) === index);
    const batch = oneRowPerSession.slice(0, options.parallelSessions).filter((row) => claim(row, options.now(), options.leaseMs));
    if (batch.length === 0) return report;
    const connection = options.timeoutMs === undefined ? readiness.connection : { ...readiness.connection, timeoutMs: options.timeoutMs };
    const outcomes = await Promise.all(batch.map((row) => deliverRow(row, connection, readiness.settings, options)));
    for (const outcome of outcomes) report[outcome]++;
  }
}

/** Asks for a delivery pass soon, without waiting for it; errors are logged, the rows stay and are retried. */
export function kickOutboxDelivery() {
  setImmediate(() => {
    deliverDueOutbox().catch((error: unknown) => console.error("HumHub delivery failed:", error));
  });
}

type CallOutcome = { ok: true; resultId?: number | null; resultUrl?: string | null; note?: string | null } | { ok: false; failure: HumhubFailure };

async function deliverRow(row: OutboxRow, connection: HumhubConnection, settings: HumhubSettings & { spaceContainerId: number }, options: DeliveryOptions) {
  const session = getSessionDetails(row.sessionId);
  let outcome: CallOutcome;
  try {
    outcome = session
      ? await performCall(row, session, connection, settings, options.now())
      : { ok: true, note: "sessionGone" };
  } catch (error) {
    // A bug of ours must not lose the row: it is retried like a network error and logged.
    console.error("HumHub delivery error:", error);
    outcome = { ok: false, failure: { kind: "network", message: String(error), retryable: true } };
  }
  const db = getDb();
  const now = options.now();
  // Every write below is conditional on the claim still being ours: after a lease ran out mid-call, another deliverer
  // may have claimed the row and recorded its outcome, which a late failure must not turn back into "pending".
  if (outcome.ok) {
    const recorded = db.transaction((tx) => {
      const marked = tx
        .update(humhubOutbox)
        .set({ status: "delivered", deliveredAt: new Date(now), resultId: outcome.resultId ?? null, resultUrl: outcome.resultUrl ?? null, resultNote: outcome.note ?? null, lastError: null })
        .where(stillOurs(row))
        .run();
      if (marked.changes !== 1) return false;
      if (row.kind === "createEntry" && outcome.resultId) {
        tx.update(coachingSessions).set({ humhubEntryId: outcome.resultId, humhubEntryUrl: outcome.resultUrl ?? null }).where(eq(coachingSessions.id, row.sessionId)).run();
      }
      if (row.kind === "deleteEntry") {
        // The session page must not link an entry HumHub no longer has.
        tx.update(coachingSessions).set({ humhubEntryId: null, humhubEntryUrl: null }).where(eq(coachingSessions.id, row.sessionId)).run();
      }
      if (row.kind === "announceSession" && outcome.resultUrl) {
        tx.update(coachingSessions).set({ humhubPostUrl: outcome.resultUrl }).where(eq(coachingSessions.id, row.sessionId)).run();
      }
      return true;
    });
    return recorded ? ("delivered" as const) : ("overtaken" as const);
  }
  const attempts = row.attempts + 1;
  const givesUp = !outcome.failure.retryable || attempts >= options.maxAttempts;
  const wait = Math.max(backoffDelayMs(attempts, options), outcome.failure.kind === "timeout" ? options.settleAfterTimeoutMs : 0);
  const recorded = db
    .update(humhubOutbox)
    .set({
      status: givesUp ? "failed" : "pending",
      nextAttemptAt: new Date(givesUp ? now : now + wait),
      lastError: outcome.failure.message,
      lastStatus: outcome.failure.status ?? null,
    })
    .where(stillOurs(row))
    .run();
  if (recorded.changes !== 1) return "overtaken" as const;
  return givesUp ? ("failed" as const) : ("retrying" as const);
}

/**
 * Tandem's own marker in what it creates: the path of the link back to the session, with a fragment naming what it
 * is. Looked for without the origin, which differs between instances without PUBLIC_URL (each its own PORT) and
 * changes when PUBLIC_URL does; the session's id alone makes the path unique.
 */
function markerPath(sessionId: string, marker: string) {
  return `/sessions/${sessionId}#${marker}`;
}

function tandemLink(sessionId: string, marker: string) {
  return `${publicOrigin()}${markerPath(sessionId, marker)}`;
}

const markers = { createEntry: "calendar", announceSession: "announcement", announceCancellation: "cancellation" } as const;

/**
 * Why a call no longer fits the session as it is now, or null when it does. A cancelled session gets no entry, post
 * or notification, and its entry no update (its deleteEntry follows); one that is over gets nothing new either, though
 * its entry may still be corrected or removed.
 */
function skipNote(kind: OutboxKind, session: SessionDetails, now: number) {
  if (kind === "deleteEntry" || kind === "announceCancellation") return null;
  if (session.status === "cancelled") return "skipped:cancelled";
  if (kind !== "updateEntry" && session.endsAt !== null && session.endsAt <= now) return "skipped:over";
  return null;
}

/** A cancellation corrects an announcement; without one HumHub has nothing to correct. */
function wasAnnounced(sessionId: string) {
  const announced = getDb()
    .select({ id: humhubOutbox.id })
    .from(humhubOutbox)
    .where(
      and(
        eq(humhubOutbox.sessionId, sessionId),
        eq(humhubOutbox.kind, "announceSession"),
        eq(humhubOutbox.status, "delivered"),
        isNotNull(humhubOutbox.resultId),
      ),
    )
    .get();
  return announced !== undefined;
}

async function performCall(
  row: OutboxRow,
  session: SessionDetails,
  connection: HumhubConnection,
  settings: HumhubSettings & { spaceContainerId: number },
  now: number,
): Promise<CallOutcome> {
  // An earlier attempt may have acted with its answer lost; a create looks before making a second one. It looks even
  // when the session no longer wants one: what it finds is recorded, so the session's deleteEntry or
  // announceCancellation that follows removes or corrects it.
  const mayHaveActed = row.attempts > 0;
  const skip = skipNote(row.kind, session, now);
  switch (row.kind) {
    case "createEntry": {
      const marker = tandemLink(session.id, markers.createEntry);
      const ownPath = markerPath(session.id, markers.createEntry);
      if (mayHaveActed) {
        const existing = await findCalendarEntry(connection, settings.spaceContainerId, (entry) => entry.description.includes(ownPath));
        if (!existing.ok) return existing;
        if (existing.value) return { ok: true, resultId: existing.value.id, resultUrl: existing.value.url ?? null, note: "foundExisting" };
      }
      if (skip) return { ok: true, note: skip };
      const created = await createCalendarEntry(connection, settings.spaceContainerId, calendarEntryFor(session, settings, marker));
      return created.ok ? { ok: true, resultId: created.value.id, resultUrl: created.value.url ?? null } : created;
    }
    case "updateEntry": {
      if (skip) return { ok: true, note: skip };
      if (session.humhubEntryId === null) return { ok: true, note: "noEntry" };
      const updated = await updateCalendarEntry(connection, session.humhubEntryId, calendarEntryFor(session, settings, tandemLink(session.id, markers.createEntry)));
      return updated.ok ? { ok: true, resultId: updated.value.id, resultUrl: updated.value.url ?? session.humhubEntryUrl } : updated;
    }
    case "deleteEntry": {
      if (session.humhubEntryId === null) return { ok: true, note: "noEntry" };
      const deleted = await deleteCalendarEntry(connection, session.humhubEntryId);
      // Gone already (an earlier attempt's answer was lost, or someone removed it in HumHub): the goal is reached.
      if (!deleted.ok && deleted.failure.kind === "notFound") return { ok: true, note: "alreadyGone" };
      return deleted.ok ? { ok: true } : deleted;
    }
    case "announceSession":
    case "announceCancellation": {
      const marker = tandemLink(session.id, markers[row.kind]);
      const ownPath = markerPath(session.id, markers[row.kind]);
      if (row.kind === "announceCancellation" && !wasAnnounced(session.id)) return { ok: true, note: "skipped:notAnnounced" };
      if (mayHaveActed) {
        const existing = await findPost(connection, settings.spaceContainerId, (post) => post.message.includes(ownPath));
        if (!existing.ok) return existing;
        if (existing.value) return { ok: true, resultId: existing.value.id, resultUrl: existing.value.url ?? null, note: "foundExisting" };
      }
      if (skip) return { ok: true, note: skip };
      const message = row.kind === "announceSession" ? announcementFor(session, settings, marker) : cancellationFor(session, settings, marker);
      const posted = await createPost(connection, settings.spaceContainerId, { message, visibility: settings.visibility });
      return posted.ok ? { ok: true, resultId: posted.value.id, resultUrl: posted.value.url ?? null } : posted;
    }
    case "notifyCoach":
    case "notifyRequester":
      if (skip) return { ok: true, note: skip };
      return notify(row.kind === "notifyCoach" ? session.coach : session.requester, session, connection, settings);
    default:
      // A kind this version does not know (a row written by another version) must fail visibly, not stall the queue.
      return { ok: false, failure: { kind: "rejected", message: `Unknown HumHub call: ${String(row.kind)}`, retryable: false } };
  }
}

/**
 * One person, one row: a refusal about this person (no right to notify, an account HumHub no longer knows) is noted
 * and the row counts as delivered, since holding it would hold every later call of the session. Errors that may pass
 * are retried as any other.
 */
async function notify(person: SessionParticipant, session: SessionDetails, connection: HumhubConnection, settings: HumhubSettings): Promise<CallOutcome> {
  if (!person.humhub) return { ok: true, note: "noHumhubAccount" };
  const t = createI18n(settings.language).t;
  const sent = await sendCustomNotification(connection, {
    userId: person.humhub.humhubUserId,
    // A notification is plain text in HumHub, not Markdown.
    text: t("humhub.notificationText", { topic: topicOf(session, settings), when: whenOf(session, settings) }),
    url: session.humhubEntryUrl ?? tandemLink(session.id, "notification"),
  });
  if (sent.ok) return { ok: true, note: "notified" };
  // Only an admin token may notify; without that right HumHub's mentions in the post must do.
  if (sent.failure.kind === "forbidden") return { ok: true, note: "notAllowedToNotify" };
  if (sent.failure.status === 422) return { ok: true, note: `refused: ${sent.failure.message}` };
  return sent;
}

function topicOf(session: SessionDetails, settings: HumhubSettings) {
  const topic = settings.language === "en" ? session.topicEn : session.topicDe;
  return topic ?? createI18n(settings.language).t("humhub.genericTopic");
}

function whenOf(session: SessionDetails, settings: HumhubSettings) {
  if (session.startsAt === null || session.endsAt === null) return "";
  return `${formatSessionRange({ startsAt: session.startsAt, endsAt: session.endsAt }, session.requestTimeZone, settings.language)} (${session.requestTimeZone})`;
}

/**
 * How to join, as Markdown HumHub may show to the space: a phone number stays in Tandem, between the two people.
 * Everything people typed (goal, join details, names) goes into Markdown through `escapeMarkdown`; the entry's title
 * and location are plain text in HumHub and stay as typed.
 */
function joinMarkdown(session: SessionDetails, settings: HumhubSettings) {
  const t = createI18n(settings.language).t;
  if (session.format === "phone") return t("humhub.joinByPhone");
  if (!session.joinDetails) return t(`formats.${session.format}`);
  // A bare link goes in as an autolink, which Markdown takes literally: escaping would put backslashes into the URL.
  const details = /^https?:\/\/[^\s<>]+$/.test(session.joinDetails) ? `<${session.joinDetails}>` : escapeMarkdown(session.joinDetails);
  return `${t(`formats.${session.format}`)}: ${details}`;
}

function calendarEntryFor(session: SessionDetails, settings: HumhubSettings, marker: string) {
  const t = createI18n(settings.language).t;
  return {
    title: t("humhub.entryTitle", { topic: topicOf(session, settings), requester: session.requester.organisation, coach: session.coach.organisation }),
    description: [
      `**${t("humhub.goal")}:** ${escapeMarkdown(session.goal)}`,
      `**${t("humhub.howToJoin")}:** ${joinMarkdown(session, settings)}`,
      `[${t("humhub.openInTandem")}](${marker})`,
    ].join("\n\n"),
    location: session.format === "phone" ? t("humhub.joinByPhone") : session.joinDetails,
    startsAt: session.startsAt ?? 0,
    endsAt: session.endsAt ?? 0,
    timeZone: session.requestTimeZone,
  };
}

function personMarkdown(person: SessionParticipant) {
  const organisation = escapeMarkdown(person.organisation);
  return person.humhub ? `${mentionMarkdown({ guid: person.humhub.guid, displayName: person.humhub.displayName, url: person.humhub.profileUrl })} (${organisation})` : organisation;
}

function announcementFor(session: SessionDetails, settings: HumhubSettings, marker: string) {
  const t = createI18n(settings.language).t;
  const lines = [
    t("humhub.announcement", { topic: escapeMarkdown(topicOf(session, settings)), when: whenOf(session, settings) }),
    t("humhub.participants", { requester: personMarkdown(session.requester), coach: personMarkdown(session.coach) }),
  ];
  if (session.humhubEntryUrl) lines.push(`[${t("humhub.toCalendarEntry")}](${session.humhubEntryUrl})`);
  lines.push(`[${t("humhub.openInTandem")}](${marker})`);
  return lines.join("\n\n");
}

function cancellationFor(session: SessionDetails, settings: HumhubSettings, marker: string) {
  const t = createI18n(settings.language).t;
  return [
    t("humhub.cancellation", { topic: escapeMarkdown(topicOf(session, settings)), when: whenOf(session, settings) }),
    `[${t("humhub.openInTandem")}](${marker})`,
  ].join("\n\n");
}

export type HumhubSessionState =
  | { state: "none" }
  | { state: "pending"; waitingForSetup: boolean }
  | { state: "failed"; reason: string }
  | { state: "posted"; entryUrl: string | null; postUrl: string | null };

/** What the session page shows of HumHub: nothing yet, on its way, refused (with HumHub's reason), or posted. */
export function getHumhubStateForSession(sessionId: string): HumhubSessionState {
  const rows = getDb().select().from(humhubOutbox).where(eq(humhubOutbox.sessionId, sessionId)).orderBy(asc(humhubOutbox.id)).all();
  if (rows.length === 0) return { state: "none" };
  const failed = rows.find((row) => row.status === "failed");
  if (failed) return { state: "failed", reason: failed.lastError ?? "" };
  if (rows.some((row) => row.status === "pending")) return { state: "pending", waitingForSetup: !getHumhubReadiness().ready };
  const session = getDb().select({ entryUrl: coachingSessions.humhubEntryUrl, postUrl: coachingSessions.humhubPostUrl }).from(coachingSessions).where(eq(coachingSessions.id, sessionId)).get();
  return { state: "posted", entryUrl: session?.entryUrl ?? null, postUrl: session?.postUrl ?? null };
}

/** Refused calls, newest first, for the team's failures page. */
export function listFailedDeliveries(limit = 100) {
  return getDb()
    .select({
      id: humhubOutbox.id,
      sessionId: humhubOutbox.sessionId,
      kind: humhubOutbox.kind,
      attempts: humhubOutbox.attempts,
      lastError: humhubOutbox.lastError,
      lastStatus: humhubOutbox.lastStatus,
      createdAt: humhubOutbox.createdAt,
      startsAt: coachingSessions.startsAt,
    })
    .from(humhubOutbox)
    .innerJoin(coachingSessions, eq(coachingSessions.id, humhubOutbox.sessionId))
    .where(eq(humhubOutbox.status, "failed"))
    .orderBy(desc(humhubOutbox.id))
    .limit(limit)
    .all();
}

export function countOutbox() {
  const rows = getDb()
    .select({ status: humhubOutbox.status, count: sql<number>`count(*)` })
    .from(humhubOutbox)
    .groupBy(humhubOutbox.status)
    .all();
  const count = (status: string) => rows.find((row) => row.status === status)?.count ?? 0;
  return { pending: count("pending"), delivered: count("delivered"), failed: count("failed") };
}

/**
 * The team retries refused calls once the cause is fixed. The attempt count stays above zero, so a create still
 * looks for its marker first.
 */
export function retryFailedDeliveries(ids: number[], now = new Date()) {
  if (ids.length === 0) return 0;
  const retried = getDb()
    .update(humhubOutbox)
    .set({ status: "pending", attempts: 1, nextAttemptAt: now })
    .where(and(inArray(humhubOutbox.id, ids), eq(humhubOutbox.status, "failed")))
    .run().changes;
  if (retried > 0) kickOutboxDelivery();
  return retried;
}

/**
 * The team gives up refused calls that cannot succeed (HumHub will not take them, or they no longer matter): each is
 * marked delivered without being sent, noting who skipped it, so the session's later calls go out. What a skipped call
 * would have done is missing in HumHub; a skipped create leaves the session's later updates nothing to change.
 */
export function skipFailedDeliveries(ids: number[], actorUserId: string, now = new Date()) {
  if (ids.length === 0) return 0;
  const skipped = getDb().transaction((tx) => {
    const rows = tx
      .update(humhubOutbox)
      .set({ status: "delivered", deliveredAt: now, resultNote: `skippedByTeam:${actorUserId}` })
      .where(and(inArray(humhubOutbox.id, ids), eq(humhubOutbox.status, "failed")))
      .returning({ id: humhubOutbox.id, sessionId: humhubOutbox.sessionId, kind: humhubOutbox.kind, lastError: humhubOutbox.lastError })
      .all();
    if (rows.length > 0) recordAuditEvent(tx, { actorUserId, subjectUserId: null, action: "humhub.deliveriesSkipped", detail: { rows } });
    return rows.length;
  });
  if (skipped > 0) kickOutboxDelivery();
  return skipped;
}
