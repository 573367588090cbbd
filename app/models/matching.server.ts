/**
 * Reads what matching needs from the database: criterion weights (team-editable, audited), coach and
 * request profiles for the pure scorer, and suggestions for one request. Coach profiles are compiled
 * once and cached until an offer or match changes, so one request's suggestions over 10,000 coaches
 * cost a few milliseconds.
 */
import { desc, eq } from "drizzle-orm";
import { getDb, type TandemDatabase } from "~/db.server";
import { defaultMatchingWeights, fairnessWindowDays, softCriteria, type MatchingWeights } from "~/domain/matching/criteria";
import {
  compileCoaches,
  compileRequests,
  explainPair,
  prepareWeights,
  rankCoaches,
  scoreMatrix,
  type CoachPool,
  type CoachProfile,
  type PairExplanation,
  type RequestProfile,
} from "~/domain/matching/scoring";
import { calendarToday, shownStatus } from "~/domain/requests";
import { recordAuditEvent } from "~/models/audit.server";
import { getSetting } from "~/models/settings.server";
import { appSettings, auditEvents, users, type AccessOption, type SessionFormat } from "~db/schema";

const weightsKey = "matching_weights";
const weightsChangedAction = "matching.weightsChanged";
const MS_PER_DAY = 86_400_000;

export function getMatchingWeights(): MatchingWeights {
  const stored = getSetting(weightsKey);
  if (!stored) return { ...defaultMatchingWeights };
  const parsed = JSON.parse(stored) as Partial<MatchingWeights>;
  // A criterion added after the weights were saved starts at its default.
  return Object.fromEntries(
    softCriteria.map((criterion) => [criterion, parsed[criterion] ?? defaultMatchingWeights[criterion]]),
  ) as MatchingWeights;
}

/** Saves the weights and logs who changed which weight from what to what, in one transaction. */
export function saveMatchingWeights(actorUserId: string, weights: MatchingWeights, now = new Date()) {
  const before = getMatchingWeights();
  const changes = Object.fromEntries(
    softCriteria
      .filter((criterion) => before[criterion] !== weights[criterion])
      .map((criterion) => [criterion, { before: before[criterion], after: weights[criterion] }]),
  );
  if (Object.keys(changes).length === 0) return;
  getDb().transaction((tx) => {
    const value = JSON.stringify(weights);
    tx.insert(appSettings)
      .values({ key: weightsKey, value, updatedAt: now })
      .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: now } })
      .run();
    recordAuditEvent(tx, { actorUserId, subjectUserId: null, action: weightsChangedAction, detail: { changes } });
  });
}

export function listWeightChanges(limit = 20) {
  return getDb()
    .select({ id: auditEvents.id, at: auditEvents.at, actorName: users.name, detail: auditEvents.detail })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(eq(auditEvents.action, weightsChangedAction))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit)
    .all()
    .map(({ detail, ...change }) => ({
      ...change,
      changes: (detail?.changes ?? {}) as Record<string, { before: number; after: number }>,
    }));
}

type WindowRow = { owner: string; weekday: number; startMinute: number; endMinute: number };

function groupBy<T extends { owner: string }>(rows: T[]) {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.owner);
    if (group) group.push(row);
    else groups.set(row.owner, [row]);
  }
  return groups;
}

function windowsOf(groups: Map<string, WindowRow[]>, owner: string) {
  return (groups.get(owner) ?? []).map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute }));
}

function startOfUtcMonth(date: Date) {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/**
 * Every coach offer as a scoring profile. Load and fairness come from matches: matches started this
 * month that await the coach's answer or were accepted count against capacity, and accepted or closed ones from the last 90
 * days count as recent tandems (sessions themselves arrive with scheduling).
 */
export function loadCoachProfiles(db: TandemDatabase, referenceDate: Date): CoachProfile[] {
  const sqlite = db.$client;
  const offers = sqlite
    .prepare(
      `select o.id, o.user_id as userId, o.organisation_id as organisationId, org.kind as organisationKind,
              o.formats, o.in_person_region as inPersonRegion, o.travel_km as travelKm, o.access_support as accessSupport,
              o.capacity_per_month as capacityPerMonth, o.paused_until as pausedUntil, o.time_zone as timeZone,
              (select count(*) from matches m where m.offer_id = o.id and m.status in ('awaitingCoach', 'accepted') and m.created_at >= @monthStart) as matchesThisMonth,
              (select count(*) from matches m where m.offer_id = o.id and m.status in ('accepted', 'closed') and m.created_at >= @recentSince) as recentSessions
         from coach_offers o join organisations org on org.id = o.organisation_id
        order by o.id`,
    )
    .all({
      monthStart: startOfUtcMonth(referenceDate),
      recentSince: referenceDate.getTime() - fairnessWindowDays * MS_PER_DAY,
    }) as (Omit<CoachProfile, "offerId" | "formats" | "accessSupport" | "languages" | "topics" | "windows"> & {
    id: string;
    formats: string;
    accessSupport: string;
  })[];
  const topics = groupBy(sqlite.prepare("select offer_id as owner, topic_id as topicId, level from offer_topics").all() as { owner: string; topicId: string; level: number }[]);
  const languages = groupBy(sqlite.prepare("select offer_id as owner, language from offer_languages").all() as { owner: string; language: CoachProfile["languages"][number] }[]);
  const windows = groupBy(
    sqlite.prepare("select offer_id as owner, weekday, start_minute as startMinute, end_minute as endMinute from offer_availability").all() as WindowRow[],
  );
  return offers.map(({ id, formats, accessSupport, ...offer }) => ({
    ...offer,
    offerId: id,
    formats: JSON.parse(formats) as SessionFormat[],
    accessSupport: JSON.parse(accessSupport) as AccessOption[],
    languages: (languages.get(id) ?? []).map((row) => row.language),
    topics: (topics.get(id) ?? []).map(({ topicId, level }) => ({ topicId, level })),
    windows: windowsOf(windows, id),
  }));
}

type RequestRow = {
  id: string;
  userId: string;
  organisationId: string;
  organisationKind: RequestProfile["organisationKind"];
  formats: string;
  inPersonRegion: RequestProfile["inPersonRegion"];
  accessNeeds: string;
  timeZone: string;
  sessionMinutes: number;
  createdAt: number;
  expiresOn: string;
  status: "open" | "matched" | "withdrawn";
};

// No one's calendar is behind UTC−12, so a request that expired before that day has expired for every requester: the
// (status, expires_on) index skips those, and `unexpired` checks the rest on each requester's own calendar.
const openToMatching = `r.status = 'open' and r.expires_on >= @earliestToday
  and not exists (select 1 from matches m where m.request_id = r.id and m.status in ('awaitingReview', 'awaitingCoach', 'accepted'))`;
const earliestToday = (referenceDate: Date) => calendarToday("Etc/GMT+12", referenceDate);

/** Keeps the rows still open on each requester's own calendar ("expired" is worked out, not stored). */
function unexpired<T extends { status: RequestRow["status"]; expiresOn: string; timeZone: string }>(rows: T[], referenceDate: Date) {
  const todayByZone = new Map<string, string>();
  const today = (timeZone: string) => {
    let date = todayByZone.get(timeZone);
    if (!date) todayByZone.set(timeZone, (date = calendarToday(timeZone, referenceDate)));
    return date;
  };
  return rows.filter((row) => shownStatus(row.status, row.expiresOn, today(row.timeZone)) === "open");
}

/**
 * The requests open to matching, oldest first: open, unexpired on the requester's own calendar, and
 * without an active match (awaiting review, awaiting the coach, or accepted). With `requestId`, that
 * one request whatever its state.
 */
function matchableRequestRows(db: TandemDatabase, referenceDate: Date, requestId?: string): RequestRow[] {
  const rows = db.$client
    .prepare(
      `select r.id, r.user_id as userId, r.organisation_id as organisationId, org.kind as organisationKind, r.formats,
              r.in_person_region as inPersonRegion, r.access_needs as accessNeeds, r.time_zone as timeZone,
              r.session_minutes as sessionMinutes, r.created_at as createdAt, r.expires_on as expiresOn, r.status
         from coaching_requests r join organisations org on org.id = r.organisation_id
        where ${requestId ? "r.id = @requestId" : openToMatching}
        order by r.created_at, r.id`,
    )
    .all(requestId ? { requestId } : { earliestToday: earliestToday(referenceDate) }) as RequestRow[];
  return requestId ? rows : unexpired(rows, referenceDate);
}

/** Requests as scoring profiles: those open to matching, or just `requestId` (see `matchableRequestRows`). */
export function loadRequestProfiles(db: TandemDatabase, referenceDate: Date, requestId?: string): RequestProfile[] {
  const sqlite = db.$client;
  const stillOpen = matchableRequestRows(db, referenceDate, requestId);
  const ownerFilter = requestId ? "where request_id = @requestId" : "";
  const parameters = requestId ? { requestId } : {};
  const topics = groupBy(
    sqlite.prepare(`select request_id as owner, topic_id as topicId, is_main as isMain from request_topics ${ownerFilter}`).all(parameters) as {
      owner: string;
      topicId: string;
      isMain: number;
    }[],
  );
  const languages = groupBy(
    sqlite.prepare(`select request_id as owner, language from request_languages ${ownerFilter}`).all(parameters) as {
      owner: string;
      language: RequestProfile["languages"][number];
    }[],
  );
  const windows = groupBy(
    sqlite
      .prepare(`select request_id as owner, weekday, start_minute as startMinute, end_minute as endMinute from request_availability ${ownerFilter}`)
      .all(parameters) as WindowRow[],
  );
  const declined = groupBy(
    sqlite
      .prepare(`select request_id as owner, offer_id as offerId from matches where status in ('declined', 'expired') ${requestId ? "and request_id = @requestId" : ""}`)
      .all(parameters) as { owner: string; offerId: string }[],
  );
  return stillOpen.map((row) => {
    const requestTopics = topics.get(row.id) ?? [];
    return {
      requestId: row.id,
      userId: row.userId,
      organisationId: row.organisationId,
      organisationKind: row.organisationKind,
      languages: (languages.get(row.id) ?? []).map((language) => language.language),
      formats: JSON.parse(row.formats) as SessionFormat[],
      inPersonRegion: row.inPersonRegion,
      accessNeeds: JSON.parse(row.accessNeeds) as AccessOption[],
      mainTopicId: requestTopics.find((topic) => topic.isMain)?.topicId ?? "",
      otherTopicIds: requestTopics.filter((topic) => !topic.isMain).map((topic) => topic.topicId),
      windows: windowsOf(windows, row.id),
      timeZone: row.timeZone,
      sessionMinutes: row.sessionMinutes,
      createdAt: new Date(row.createdAt),
      declinedOfferIds: (declined.get(row.id) ?? []).map((match) => match.offerId),
    };
  });
}

type CachedPool = { key: string; writes: string; pool: CoachPool };
const poolCache = new WeakMap<TandemDatabase, CachedPool>();

/**
 * Moves whenever the database may have changed: `data_version` when another connection (a batch worker, another
 * process) commits, `total_changes()` when this one writes. Reading both costs microseconds, the stamp's scans of
 * every offer and match a few milliseconds.
 */
function writesSeen(db: TandemDatabase) {
  const { writes } = db.$client
    .prepare("select (select data_version from pragma_data_version) || ':' || total_changes() as writes")
    .get() as { writes: string };
  return writes;
}

/**
 * The compiled coach pool. It depends on offers (every write sets `updated_at`, a deletion lowers the
 * count), on matches (load, declines; every status change must set `updated_at`) and on the day
 * (pauses, the week for time zones), so those make up the cache key; reading them costs two small
 * aggregate queries, skipped while nothing has been written since. The sum of `updated_at` catches an
 * edit that does not raise the maximum.
 */
export function getCoachPool(referenceDate: Date, db = getDb()): CoachPool {
  const day = referenceDate.toISOString().slice(0, 10);
  const writes = writesSeen(db);
  const cached = poolCache.get(db);
  if (cached && cached.writes === writes && cached.key.endsWith(`/${day}`)) return cached.pool;
  const stamp = db.$client
    .prepare(
      `select (select count(*) || ':' || coalesce(max(updated_at), 0) || ':' || total(updated_at) from coach_offers) || '/' ||
              (select count(*) || ':' || coalesce(max(updated_at), 0) || ':' || total(updated_at) from matches) as stamp`,
    )
    .get() as { stamp: string };
  const key = `${stamp.stamp}/${day}`;
  if (cached?.key === key) {
    cached.writes = writes;
    return cached.pool;
  }
  const pool = compileCoaches(loadCoachProfiles(db, referenceDate), referenceDate);
  poolCache.set(db, { key, writes, pool });
  return pool;
}

const suggestionLimit = 10;
const nearMissLimit = 5;

/**
 * Suggestions for one request: the best coaches with their explanations, how many coaches each rule
 * excluded, the best-scoring coaches that fail exactly one rule, and the requester's wished coach.
 * Null when the request does not exist. Callers check who may see it.
 */
export function suggestCoaches(requestId: string, weights: MatchingWeights, referenceDate = new Date()) {
  const db = getDb();
  const coaches = getCoachPool(referenceDate, db);
  const [profile] = loadRequestProfiles(db, referenceDate, requestId);
  if (!profile) return null;
  const requests = compileRequests([profile], coaches, referenceDate);
  const prepared = prepareWeights(weights);
  const ranking = rankCoaches(requests, 0, coaches, prepared, suggestionLimit, nearMissLimit);
  const explain = (coachIndex: number): PairExplanation => explainPair(requests, 0, coaches, coachIndex, prepared);
  const wished = db.$client
    .prepare("select wished_coach_offer_id as offerId from coaching_requests where id = ?")
    .get(requestId) as { offerId: string | null };
  const wishedIndex = wished.offerId === null ? undefined : coaches.offerIndexById.get(wished.offerId);
  return {
    suggestions: ranking.best.map(({ coachIndex }) => explain(coachIndex)),
    nearMisses: ranking.nearMisses.map(({ coachIndex }) => explain(coachIndex)),
    wished: wishedIndex === undefined ? null : explain(wishedIndex),
    excludedCoaches: ranking.excludedCoaches,
    excludedCounts: ranking.excludedCounts,
    coachCount: coaches.count,
  };
}

export type Suggestions = NonNullable<ReturnType<typeof suggestCoaches>>;

/** One coach's fit for one request, or null when either does not exist. */
export function explainCoachForRequest(requestId: string, offerId: string, weights: MatchingWeights, referenceDate = new Date()) {
  const db = getDb();
  const coaches = getCoachPool(referenceDate, db);
  const coachIndex = coaches.offerIndexById.get(offerId);
  const [profile] = loadRequestProfiles(db, referenceDate, requestId);
  if (coachIndex === undefined || !profile) return null;
  return explainPair(compileRequests([profile], coaches, referenceDate), 0, coaches, coachIndex, prepareWeights(weights));
}

/** The top coaches for a request under two sets of weights, for the weights page's preview. */
export function previewWeights(requestId: string, current: MatchingWeights, proposed: MatchingWeights, limit: number, referenceDate = new Date()) {
  const db = getDb();
  const coaches = getCoachPool(referenceDate, db);
  const [profile] = loadRequestProfiles(db, referenceDate, requestId);
  if (!profile) return null;
  const requests = compileRequests([profile], coaches, referenceDate);
  const top = (weights: MatchingWeights) =>
    rankCoaches(requests, 0, coaches, prepareWeights(weights), limit).best.map(({ coachIndex, total }) => ({
      offerId: coaches.offerIds[coachIndex]!,
      total,
    }));
  return { current: top(current), proposed: top(proposed) };
}

/** The best `limit` coaches for each request other than the one already proposed, totals only (for the review desk). */
export function rankAlternatives(pairs: { requestId: string; offerId: string }[], weights: MatchingWeights, limit: number, referenceDate = new Date()) {
  const db = getDb();
  const coaches = getCoachPool(referenceDate, db);
  const prepared = prepareWeights(weights);
  return new Map(
    pairs.map(({ requestId, offerId }) => {
      const profiles = loadRequestProfiles(db, referenceDate, requestId);
      if (profiles.length === 0) return [requestId, []];
      // Totals only: scoring stops at each pair's first failed rule, where ranking for a page checks every rule
      // (for the exclusion counts and near misses), which made this the desk's costliest step.
      const totals = scoreMatrix(compileRequests(profiles, coaches, referenceDate), coaches, prepared);
      const candidates: number[] = [];
      totals.forEach((total, coachIndex) => {
        if (!Number.isNaN(total) && coaches.offerIds[coachIndex] !== offerId) candidates.push(coachIndex);
      });
      const others = candidates
        .sort((a, b) => totals[b]! - totals[a]! || a - b)
        .slice(0, limit)
        .map((coachIndex) => ({ offerId: coaches.offerIds[coachIndex]!, total: totals[coachIndex]! }));
      return [requestId, others];
    }),
  );
}

/** Who stands behind each offer, for the pages that show suggestions and proposals. */
export function describeOffers(offerIds: string[]) {
  if (offerIds.length === 0) return new Map<string, { organisationName: string; coachName: string }>();
  const rows = getDb()
    .$client.prepare(
      `select o.id, org.name as organisationName, u.name as coachName
         from coach_offers o join organisations org on org.id = o.organisation_id join users u on u.id = o.user_id
        where o.id in (select value from json_each(?))`,
    )
    .all(JSON.stringify(offerIds)) as { id: string; organisationName: string; coachName: string }[];
  return new Map(rows.map(({ id, ...names }) => [id, names]));
}

/**
 * Open requests for the team (optionally with one main topic), oldest first, a page at a time. Reads
 * only what paging needs for all of them, and the rest for the page.
 */
export function listOpenRequestsForTeam(page: number, pageSize: number, now = new Date(), topicId: string | null = null) {
  const db = getDb();
  const candidates = db.$client
    .prepare(
      `select r.id, r.created_at as createdAt, r.time_zone as timeZone, r.expires_on as expiresOn, r.status
         from coaching_requests r
        where ${openToMatching}
          and (@topicId is null or exists (select 1 from request_topics rt where rt.request_id = r.id and rt.is_main = 1 and rt.topic_id = @topicId))
        order by r.created_at, r.id`,
    )
    .all({ topicId, earliestToday: earliestToday(now) }) as { id: string; createdAt: number; timeZone: string; expiresOn: string; status: RequestRow["status"] }[];
  const all = unexpired(candidates, now);
  const rows = all.slice((page - 1) * pageSize, page * pageSize);
  const details = db.$client
    .prepare(
      `select r.id, org.name as organisationName, t.label_de as topicDe, t.label_en as topicEn
         from coaching_requests r join organisations org on org.id = r.organisation_id
         left join request_topics rt on rt.request_id = r.id and rt.is_main = 1 left join topics t on t.id = rt.topic_id
        where r.id in (select value from json_each(?))`,
    )
    .all(JSON.stringify(rows.map((row) => row.id))) as { id: string; organisationName: string; topicDe: string | null; topicEn: string | null }[];
  const byId = new Map(details.map((row) => [row.id, row]));
  return {
    total: all.length,
    requests: rows.map((row) => ({
      id: row.id,
      organisationName: byId.get(row.id)?.organisationName ?? "",
      topicDe: byId.get(row.id)?.topicDe ?? "",
      topicEn: byId.get(row.id)?.topicEn ?? "",
      waitingDays: Math.max(0, Math.floor((now.getTime() - row.createdAt) / MS_PER_DAY)),
    })),
  };
}

/** A request's owner, status and main topic, for the suggestion page's guard and heading. */
export function getRequestForSuggestions(requestId: string, now = new Date()) {
  const row = getDb()
    .$client.prepare(
      `select r.id, r.user_id as userId, r.status, r.expires_on as expiresOn, r.time_zone as timeZone,
              r.wished_coach_offer_id as wishedOfferId, org.name as organisationName, t.label_de as topicDe, t.label_en as topicEn
         from coaching_requests r join organisations org on org.id = r.organisation_id
         left join request_topics rt on rt.request_id = r.id and rt.is_main = 1 left join topics t on t.id = rt.topic_id
        where r.id = ?`,
    )
    .get(requestId) as
    | {
        id: string;
        userId: string;
        status: "open" | "matched" | "withdrawn";
        expiresOn: string;
        timeZone: string;
        wishedOfferId: string | null;
        organisationName: string;
        topicDe: string | null;
        topicEn: string | null;
      }
    | undefined;
  if (!row) return null;
  return { ...row, shownStatus: shownStatus(row.status, row.expiresOn, calendarToday(row.timeZone, now)) };
}

