/**
 * Figures for the community team's reports, read with a few aggregate queries: demand and free
 * capacity per topic, time from request to accepted match, the coaches' acceptance rate, tandems per
 * coach organisation, held sessions and their ratings, and the matches export. Nothing here reads
 * names, emails or free-text reasons (nor feedback comments).
 */
import { getDb } from "~/db.server";
import { toCsv } from "~/domain/csv";
import {
  averageRating,
  daysBetween,
  demandAndSupply,
  periodStart,
  summariseDurations,
  type AcceptanceCounts,
  type DemandSupplyRow,
  type ReportPeriod,
} from "~/domain/reports";
import { loadCoachProfiles, loadRequestProfiles } from "~/models/matching.server";
import type { DeclineReason, MatchSource, MatchStatus } from "~db/schema";

/** Open requests per main topic against free coach places per topic (see `demandAndSupply`). */
export function getDemandAndSupply(now = new Date()): DemandSupplyRow[] {
  const db = getDb();
  const topics = db.$client
    .prepare("select id, label_de as labelDe, label_en as labelEn, retired_at is not null as retired from topics")
    .all() as { id: string; labelDe: string; labelEn: string; retired: number }[];
  return demandAndSupply(
    topics.map((topic) => ({ ...topic, retired: topic.retired === 1 })),
    loadRequestProfiles(db, now),
    loadCoachProfiles(db, now),
    now,
  );
}

/**
 * Days from a request's creation to the moment its coach accepted, over every match that was ever
 * accepted (closed tandems included): median, 90th percentile and how many; null before the first.
 */
export function getTimeToAcceptance() {
  const rows = getDb()
    .$client.prepare(
      `select r.created_at as requestedAt, min(e.created_at) as acceptedAt
         from match_events e join matches m on m.id = e.match_id join coaching_requests r on r.id = m.request_id
        where e.to_status = 'accepted'
        group by m.id`,
    )
    .all() as { requestedAt: number; acceptedAt: number }[];
  return summariseDurations(rows.map(({ requestedAt, acceptedAt }) => daysBetween(requestedAt, acceptedAt)));
}

/**
 * How the proposals that reached a coach ended: accepted (closed tandems were accepted first),
 * declined, or expired unanswered. Read from the event log, so later steps do not hide the answer;
 * proposals still awaiting an answer are not counted.
 */
export function getAcceptanceCounts(): AcceptanceCounts {
  const rows = getDb()
    .$client.prepare(
      `select to_status as status, count(distinct match_id) as count
         from match_events where to_status in ('accepted', 'declined', 'expired') group by to_status`,
    )
    .all() as { status: keyof AcceptanceCounts; count: number }[];
  const counts: AcceptanceCounts = { accepted: 0, declined: 0, expired: 0 };
  for (const { status, count } of rows) counts[status] = count;
  return counts;
}

/**
 * Accepted and closed matches per coach organisation (the organisation on the coach's offer), most
 * first, at most `limit`; with how many organisations have any.
 */
export function getTandemsPerCoachOrganisation(limit = 50) {
  const sqlite = getDb().$client;
  const organisations = sqlite
    .prepare(
      `select org.id, org.name, count(*) as tandems
         from matches m join coach_offers o on o.id = m.offer_id join organisations org on org.id = o.organisation_id
        where m.status in ('accepted', 'closed')
        group by org.id
        order by tandems desc, org.name, org.id
        limit ?`,
    )
    .all(limit) as { id: string; name: string; tandems: number }[];
  const { total } = sqlite
    .prepare(
      `select count(distinct o.organisation_id) as total
         from matches m join coach_offers o on o.id = m.offer_id
        where m.status in ('accepted', 'closed')`,
    )
    .get() as { total: number };
  return { organisations, total };
}

/**
 * Sessions of the period: confirmed ones that ended in it and that at least one side said took place, and the
 * mean of the ratings given for sessions that ended in it. A session counts by its end, so one that has not
 * ended yet counts in no period.
 */
export function getSessionFigures(period: ReportPeriod, now = new Date()) {
  const sqlite = getDb().$client;
  const bounds = { from: periodStart(period, now.getTime()) ?? 0, now: now.getTime() };
  const ended = "s.status = 'confirmed' and s.ends_at <= :now and s.ends_at >= :from";
  const { held } = sqlite
    .prepare(
      `select count(*) as held from coaching_sessions s
        where ${ended} and exists (select 1 from session_feedback f where f.session_id = s.id and f.held = 1)`,
    )
    .get(bounds) as { held: number };
  const ratings = sqlite
    .prepare(`select f.rating from session_feedback f join coaching_sessions s on s.id = f.session_id where ${ended} and f.rating is not null`)
    .pluck()
    .all(bounds) as number[];
  return { held, rating: averageRating(ratings) };
}

export type MatchExportRow = {
  id: string;
  status: MatchStatus;
  source: MatchSource;
  createdAt: number;
  requestId: string;
  mainTopic: string | null;
  requesterOrganisation: string;
  coachOrganisation: string;
  score: number;
  declineReason: DeclineReason | null;
};

/** Every match, oldest first, with organisations and the German main topic; no people, no notes. */
export function listMatchesForExport(): MatchExportRow[] {
  return getDb()
    .$client.prepare(
      `select m.id, m.status, m.source, m.created_at as createdAt, m.request_id as requestId, t.label_de as mainTopic,
              ro.name as requesterOrganisation, co.name as coachOrganisation, m.score, m.decline_reason as declineReason
         from matches m
         join coaching_requests r on r.id = m.request_id
         join organisations ro on ro.id = r.organisation_id
         join coach_offers o on o.id = m.offer_id
         join organisations co on co.id = o.organisation_id
         left join request_topics rt on rt.request_id = r.id and rt.is_main = 1
         left join topics t on t.id = rt.topic_id
        order by m.created_at, m.id`,
    )
    .all() as MatchExportRow[];
}

/** Stable column names for spreadsheets and scripts; statuses, sources and reasons as their codes. */
export const matchExportHeader = [
  "match_id",
  "status",
  "source",
  "created_at",
  "request_id",
  "main_topic",
  "requester_organisation",
  "coach_organisation",
  "score",
  "decline_reason",
] as const;

/** The matches export as CSV text (RFC 4180, CRLF). */
export function matchesCsv() {
  return toCsv(
    matchExportHeader,
    listMatchesForExport().map((row) => [
      row.id,
      row.status,
      row.source,
      new Date(row.createdAt).toISOString(),
      row.requestId,
      row.mainTopic,
      row.requesterOrganisation,
      row.coachOrganisation,
      row.score.toFixed(1),
      row.declineReason,
    ]),
  );
}
