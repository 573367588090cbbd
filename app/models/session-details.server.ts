/**
 * Everything calendars and HumHub say about one session: topic, both organisations, the goal, how to join and who
 * takes part. Read at delivery time, so an entry or invitation always shows the session as it is now.
 */
import { getDb } from "~/db.server";
import type { SessionFormat, SessionStatus } from "~db/schema";

export type SessionParticipant = {
  userId: string;
  name: string;
  email: string;
  timeZone: string;
  organisation: string;
  humhub: { humhubUserId: number; guid: string; displayName: string; profileUrl: string } | null;
};

export type SessionDetails = {
  id: string;
  matchId: string;
  status: SessionStatus;
  startsAt: number | null;
  endsAt: number | null;
  format: SessionFormat;
  joinDetails: string;
  sequence: number;
  cancelReason: string | null;
  createdAt: number;
  updatedAt: number;
  humhubEntryId: number | null;
  humhubEntryUrl: string | null;
  goal: string;
  topicDe: string | null;
  topicEn: string | null;
  /** The zone the requester's availability is kept in: the session's "home" zone for HumHub. */
  requestTimeZone: string;
  coach: SessionParticipant;
  requester: SessionParticipant;
};

type Row = Record<string, string | number | null>;

export function getSessionDetails(sessionId: string): SessionDetails | null {
  const row = getDb()
    .$client.prepare(
      `select s.id, s.match_id as matchId, s.status, s.starts_at as startsAt, s.ends_at as endsAt, s.format,
              s.join_details as joinDetails, s.sequence, s.cancel_reason as cancelReason, s.created_at as createdAt,
              s.updated_at as updatedAt, s.humhub_entry_id as humhubEntryId, s.humhub_entry_url as humhubEntryUrl,
              r.goal, r.time_zone as requestTimeZone, t.label_de as topicDe, t.label_en as topicEn,
              coach.id as coachId, coach.name as coachName, coach.email as coachEmail, coach.time_zone as coachZone,
              coach_org.name as coachOrganisation,
              requester.id as requesterId, requester.name as requesterName, requester.email as requesterEmail,
              requester.time_zone as requesterZone, req_org.name as requesterOrganisation,
              coach_hh.humhub_user_id as coachHumhubId, coach_hh.guid as coachGuid, coach_hh.display_name as coachDisplay,
              coach_hh.profile_url as coachProfile,
              req_hh.humhub_user_id as requesterHumhubId, req_hh.guid as requesterGuid, req_hh.display_name as requesterDisplay,
              req_hh.profile_url as requesterProfile
         from coaching_sessions s
         join matches m on m.id = s.match_id
         join coaching_requests r on r.id = m.request_id join organisations req_org on req_org.id = r.organisation_id
         left join request_topics rt on rt.request_id = r.id and rt.is_main = 1 left join topics t on t.id = rt.topic_id
         join coach_offers o on o.id = m.offer_id join organisations coach_org on coach_org.id = o.organisation_id
         join users coach on coach.id = s.coach_user_id join users requester on requester.id = s.requester_user_id
         left join humhub_accounts coach_hh on coach_hh.user_id = coach.id
         left join humhub_accounts req_hh on req_hh.user_id = requester.id
        where s.id = ?`,
    )
    .get(sessionId) as Row | undefined;
  if (!row) return null;
  const participant = (prefix: "coach" | "requester"): SessionParticipant => {
    const humhubId = row[`${prefix}HumhubId`];
    return {
      userId: String(row[`${prefix}Id`]),
      name: String(row[`${prefix}Name`]),
      email: String(row[`${prefix}Email`]),
      timeZone: String(row[`${prefix}Zone`]),
      organisation: String(row[`${prefix}Organisation`]),
      humhub:
        typeof humhubId === "number" && row[`${prefix}Guid`]
          ? {
              humhubUserId: humhubId,
              guid: String(row[`${prefix}Guid`]),
              displayName: String(row[`${prefix}Display`] ?? row[`${prefix}Name`]),
              profileUrl: String(row[`${prefix}Profile`] ?? ""),
            }
          : null,
    };
  };
  return {
    id: String(row.id),
    matchId: String(row.matchId),
    status: row.status as SessionStatus,
    startsAt: row.startsAt as number | null,
    endsAt: row.endsAt as number | null,
    format: row.format as SessionFormat,
    joinDetails: String(row.joinDetails),
    sequence: Number(row.sequence),
    cancelReason: row.cancelReason as string | null,
    createdAt: Number(row.createdAt),
    updatedAt: Number(row.updatedAt),
    humhubEntryId: row.humhubEntryId as number | null,
    humhubEntryUrl: row.humhubEntryUrl as string | null,
    goal: String(row.goal),
    topicDe: row.topicDe as string | null,
    topicEn: row.topicEn as string | null,
    requestTimeZone: String(row.requestTimeZone),
    coach: participant("coach"),
    requester: participant("requester"),
  };
}
