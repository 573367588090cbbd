import { and, asc, desc, eq } from "drizzle-orm";
import { getDb, type TandemDatabase } from "~/db.server";
import { formatTimeOfDay } from "~/domain/availability";
import { addCalendarDays, calendarToday, changedFields, extendedExpiry, requestLifetimeDays, shownStatus } from "~/domain/requests";
import { listChoosableTopics } from "~/models/topic.server";
import type { RequestInput } from "~/schemas/request";
import type { FieldErrors } from "~/utils/forms";
import {
  coachingRequests,
  memberships,
  organisations,
  requestAvailability,
  requestHistory,
  requestLanguages,
  requestTopics,
  topics,
  users,
} from "~db/schema";

type Transaction = Parameters<Parameters<TandemDatabase["transaction"]>[0]>[0];

function userTimeZone(tx: Transaction, userId: string) {
  return tx.select({ timeZone: users.timeZone }).from(users).where(eq(users.id, userId)).get()?.timeZone ?? "Europe/Berlin";
}

export function listOwnRequests(userId: string, now = new Date()) {
  const db = getDb();
  const rows = db
    .select({
      id: coachingRequests.id,
      goal: coachingRequests.goal,
      status: coachingRequests.status,
      expiresOn: coachingRequests.expiresOn,
      timeZone: coachingRequests.timeZone,
      createdAt: coachingRequests.createdAt,
      mainTopicDe: topics.labelDe,
      mainTopicEn: topics.labelEn,
    })
    .from(coachingRequests)
    .leftJoin(requestTopics, and(eq(requestTopics.requestId, coachingRequests.id), eq(requestTopics.isMain, true)))
    .leftJoin(topics, eq(topics.id, requestTopics.topicId))
    .where(eq(coachingRequests.userId, userId))
    .orderBy(desc(coachingRequests.createdAt), desc(coachingRequests.id))
    .all();
  return rows.map(({ timeZone, ...row }) => ({
    ...row,
    shownStatus: shownStatus(row.status, row.expiresOn, calendarToday(timeZone, now)),
  }));
}

/** One of the user's own requests with everything its pages show, or null (also for others' ids). */
export function getOwnRequest(userId: string, requestId: string, now = new Date()) {
  const db = getDb();
  const row = db
    .select({
      request: coachingRequests,
      organisation: { id: organisations.id, name: organisations.name },
    })
    .from(coachingRequests)
    .innerJoin(organisations, eq(organisations.id, coachingRequests.organisationId))
    .where(and(eq(coachingRequests.id, requestId), eq(coachingRequests.userId, userId)))
    .get();
  if (!row) return null;
  const { request } = row;
  const today = calendarToday(request.timeZone, now);
  const chosenTopics = db
    .select({ topicId: requestTopics.topicId, isMain: requestTopics.isMain, labelDe: topics.labelDe, labelEn: topics.labelEn })
    .from(requestTopics)
    .innerJoin(topics, eq(topics.id, requestTopics.topicId))
    .where(eq(requestTopics.requestId, requestId))
    .orderBy(desc(requestTopics.isMain), asc(topics.labelDe))
    .all();
  return {
    ...request,
    organisation: row.organisation,
    shownStatus: shownStatus(request.status, request.expiresOn, today),
    canExtend: request.status === "open" && extendedExpiry(request.expiresOn, today) !== request.expiresOn,
    topics: chosenTopics,
    languages: db
      .select({ language: requestLanguages.language })
      .from(requestLanguages)
      .where(eq(requestLanguages.requestId, requestId))
      .all()
      .map((language) => language.language),
    windows: db
      .select({ weekday: requestAvailability.weekday, startMinute: requestAvailability.startMinute, endMinute: requestAvailability.endMinute })
      .from(requestAvailability)
      .where(eq(requestAvailability.requestId, requestId))
      .orderBy(asc(requestAvailability.weekday), asc(requestAvailability.startMinute))
      .all(),
    history: db
      .select({ id: requestHistory.id, action: requestHistory.action, changes: requestHistory.changes, at: requestHistory.at, actorName: users.name })
      .from(requestHistory)
      .leftJoin(users, eq(users.id, requestHistory.actorUserId))
      .where(eq(requestHistory.requestId, requestId))
      .orderBy(desc(requestHistory.at), desc(requestHistory.id))
      .all(),
  };
}

export type OwnRequest = NonNullable<ReturnType<typeof getOwnRequest>>;

/** Topics a request may name: the active ones, plus retired ones it already names. */
export function listRequestableTopics(requestId: string | null) {
  const alreadyChosen = requestId
    ? getDb().select({ topicId: requestTopics.topicId }).from(requestTopics).where(eq(requestTopics.requestId, requestId)).all().map((row) => row.topicId)
    : [];
  return listChoosableTopics(alreadyChosen);
}

/** What the history compares: every field a person edits, in a stable, readable form. */
function snapshot(tx: Transaction, requestId: string) {
  const request = tx.select().from(coachingRequests).where(eq(coachingRequests.id, requestId)).get();
  if (!request) return {};
  const chosen = tx.select().from(requestTopics).where(eq(requestTopics.requestId, requestId)).all();
  return {
    organisationId: request.organisationId,
    goal: request.goal,
    urgency: request.urgency,
    deadline: request.deadline,
    formats: request.formats,
    inPersonRegion: request.inPersonRegion,
    accessNeeds: request.accessNeeds,
    sessionMinutes: request.sessionMinutes,
    topics: chosen.map((topic) => topic.topicId).sort(),
    mainTopic: chosen.find((topic) => topic.isMain)?.topicId ?? null,
    languages: tx.select().from(requestLanguages).where(eq(requestLanguages.requestId, requestId)).all().map((row) => row.language).sort(),
    windows: tx
      .select()
      .from(requestAvailability)
      .where(eq(requestAvailability.requestId, requestId))
      .orderBy(asc(requestAvailability.weekday), asc(requestAvailability.startMinute))
      .all()
      .map((window) => `${window.weekday} ${formatTimeOfDay(window.startMinute)}-${formatTimeOfDay(window.endMinute)}`),
  };
}

function checkOwnership(tx: Transaction, userId: string, input: RequestInput, requestId: string | null): FieldErrors | null {
  const member = tx
    .select({ organisationId: memberships.organisationId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.organisationId, input.organisationId)))
    .get();
  if (!member) return { organisationId: "errors.organisationInvalid" };
  const allowed = new Set(listRequestableTopics(requestId).map((topic) => topic.id));
  if (input.topics.some((topicId) => !allowed.has(topicId))) return { topics: "errors.topicUnknown" };
  return null;
}

function writeDetails(tx: Transaction, requestId: string, input: RequestInput) {
  tx.insert(requestTopics).values(input.topics.map((topicId) => ({ requestId, topicId, isMain: topicId === input.mainTopic }))).run();
  tx.insert(requestLanguages).values(input.languages.map((language) => ({ requestId, language }))).run();
  tx.insert(requestAvailability).values(input.windows.map((window) => ({ requestId, ...window }))).run();
}

function requestRow(input: RequestInput, now: Date) {
  return {
    organisationId: input.organisationId,
    goal: input.goal,
    urgency: input.urgency,
    deadline: input.deadline,
    formats: input.formats,
    inPersonRegion: input.inPersonRegion,
    accessNeeds: input.accessNeeds,
    sessionMinutes: input.sessionMinutes,
    updatedAt: now,
  };
}

export type SaveRequestResult = { ok: true; requestId: string } | { ok: false; errors: FieldErrors };

export function createRequest(userId: string, input: RequestInput, now = new Date()): SaveRequestResult {
  return getDb().transaction((tx): SaveRequestResult => {
    const problems = checkOwnership(tx, userId, input, null);
    if (problems) return { ok: false, errors: problems };
    const requestId = crypto.randomUUID();
    const timeZone = userTimeZone(tx, userId);
    tx.insert(coachingRequests)
      .values({
        id: requestId,
        userId,
        timeZone,
        expiresOn: addCalendarDays(calendarToday(timeZone, now), requestLifetimeDays),
        createdAt: now,
        ...requestRow(input, now),
      })
      .run();
    writeDetails(tx, requestId, input);
    tx.insert(requestHistory).values({ requestId, actorUserId: userId, action: "created", changes: {}, at: now }).run();
    return { ok: true, requestId };
  });
}

/** Replaces an open request's details and records what changed; null when it is not the user's open request. */
export function updateRequest(userId: string, requestId: string, input: RequestInput, now = new Date()): SaveRequestResult | null {
  return getDb().transaction((tx): SaveRequestResult | null => {
    const existing = tx
      .select({ status: coachingRequests.status })
      .from(coachingRequests)
      .where(and(eq(coachingRequests.id, requestId), eq(coachingRequests.userId, userId)))
      .get();
    if (existing?.status !== "open") return null;
    const problems = checkOwnership(tx, userId, input, requestId);
    if (problems) return { ok: false, errors: problems };
    const before = snapshot(tx, requestId);
    tx.update(coachingRequests).set(requestRow(input, now)).where(eq(coachingRequests.id, requestId)).run();
    for (const table of [requestTopics, requestLanguages, requestAvailability]) {
      tx.delete(table).where(eq(table.requestId, requestId)).run();
    }
    writeDetails(tx, requestId, input);
    const changes = changedFields(before, snapshot(tx, requestId));
    if (Object.keys(changes).length > 0) {
      tx.insert(requestHistory).values({ requestId, actorUserId: userId, action: "edited", changes, at: now }).run();
    }
    return { ok: true, requestId };
  });
}

/** Withdraws the user's own open request; false when there is none to withdraw. */
export function withdrawRequest(userId: string, requestId: string, now = new Date()) {
  return getDb().transaction((tx) => {
    const changed = tx
      .update(coachingRequests)
      .set({ status: "withdrawn", updatedAt: now })
      .where(and(eq(coachingRequests.id, requestId), eq(coachingRequests.userId, userId), eq(coachingRequests.status, "open")))
      .run().changes;
    if (changed === 0) return false;
    tx.insert(requestHistory)
      .values({ requestId, actorUserId: userId, action: "withdrawn", changes: { status: { before: "open", after: "withdrawn" } }, at: now })
      .run();
    return true;
  });
}

/**
 * Gives the user's own open (or expired) request a full lifetime again and returns the new expiry;
 * null when it is not theirs, not open, or already runs that long.
 */
export function extendRequest(userId: string, requestId: string, now = new Date()) {
  return getDb().transaction((tx) => {
    const request = tx
      .select({ expiresOn: coachingRequests.expiresOn, timeZone: coachingRequests.timeZone })
      .from(coachingRequests)
      .where(and(eq(coachingRequests.id, requestId), eq(coachingRequests.userId, userId), eq(coachingRequests.status, "open")))
      .get();
    if (!request) return null;
    const expiresOn = extendedExpiry(request.expiresOn, calendarToday(request.timeZone, now));
    if (expiresOn === request.expiresOn) return null;
    tx.update(coachingRequests).set({ expiresOn, updatedAt: now }).where(eq(coachingRequests.id, requestId)).run();
    tx.insert(requestHistory)
      .values({ requestId, actorUserId: userId, action: "extended", changes: { expiresOn: { before: request.expiresOn, after: expiresOn } }, at: now })
      .run();
    return expiresOn;
  });
}

/**
 * Notes on the user's own open request which coach they asked for; false when it is not theirs,
 * not open, or already expired.
 */
export function setWishedCoach(userId: string, requestId: string, offerId: string, now = new Date()) {
  return getDb().transaction((tx) => {
    const request = tx
      .select({ wished: coachingRequests.wishedCoachOfferId, expiresOn: coachingRequests.expiresOn, timeZone: coachingRequests.timeZone })
      .from(coachingRequests)
      .where(and(eq(coachingRequests.id, requestId), eq(coachingRequests.userId, userId), eq(coachingRequests.status, "open")))
      .get();
    if (!request || shownStatus("open", request.expiresOn, calendarToday(request.timeZone, now)) !== "open") return false;
    if (request.wished === offerId) return true;
    tx.update(coachingRequests).set({ wishedCoachOfferId: offerId, updatedAt: now }).where(eq(coachingRequests.id, requestId)).run();
    tx.insert(requestHistory)
      .values({ requestId, actorUserId: userId, action: "edited", changes: { wishedCoach: { before: request.wished, after: offerId } }, at: now })
      .run();
    return true;
  });
}

