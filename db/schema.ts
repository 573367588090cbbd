import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

export const roleNames = ["requester", "coach", "team"] as const;
export type RoleName = (typeof roleNames)[number];

export const localeCodes = ["de", "en"] as const;
export type LocaleCode = (typeof localeCodes)[number];

export const organisationKinds = [
  "association",
  "foundation",
  "municipality",
  "parish",
  "initiative",
  "other",
] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

/** Size bands count the people active in the organisation, paid or volunteer. */
export const organisationSizeBands = ["upTo10", "upTo50", "upTo250", "over250"] as const;
export type OrganisationSizeBand = (typeof organisationSizeBands)[number];

/** ISO 3166-2 codes of the German federal states, plus one value for everywhere else. */
export const regionCodes = [
  "DE-BW",
  "DE-BY",
  "DE-BE",
  "DE-BB",
  "DE-HB",
  "DE-HH",
  "DE-HE",
  "DE-MV",
  "DE-NI",
  "DE-NW",
  "DE-RP",
  "DE-SL",
  "DE-SN",
  "DE-ST",
  "DE-SH",
  "DE-TH",
  "outside",
] as const;
export type RegionCode = (typeof regionCodes)[number];

/** ISO 639-1 codes offered in forms; people read them through Intl.DisplayNames. */
export const languageCodes = ["de", "en", "tr", "ar", "uk", "ru", "pl", "ro", "it", "fr", "es", "fa"] as const;
export type LanguageCode = (typeof languageCodes)[number];

export const sessionFormats = ["video", "phone", "inPerson"] as const;
export type SessionFormat = (typeof sessionFormats)[number];

/** One vocabulary for what a coach can support and what a requester needs, so they can be compared. */
export const accessOptions = ["captions", "signLanguage", "plainLanguage", "screenReader", "lowBandwidth"] as const;
export type AccessOption = (typeof accessOptions)[number];

export const topicLevels = [1, 2, 3] as const;

export const requestUrgencies = ["flexible", "withinMonth", "withinWeek", "deadline"] as const;
export type RequestUrgency = (typeof requestUrgencies)[number];

export const sessionLengths = [30, 45, 60, 90] as const;

/** "expired" is not stored: an open request whose expiry date has passed reads as expired. */
export const requestStatuses = ["open", "matched", "withdrawn"] as const;
export type RequestStatus = (typeof requestStatuses)[number];

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  locale: text("locale", { enum: localeCodes }).notNull().default("de"),
  timeZone: text("time_zone").notNull().default("Europe/Berlin"),
  humhubUsername: text("humhub_username"),
  privacyConsentAt: integer("privacy_consent_at", { mode: "timestamp_ms" }).notNull(),
  createdAt: createdAt(),
  /**
   * Set when the person deleted their account. The row stays, emptied of personal data, so the anonymised records the
   * community keeps (held sessions, match history) still point somewhere; see README, Decisions.
   */
  deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
});

export const userRoles = sqliteTable(
  "user_roles",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: roleNames }).notNull(),
    grantedAt: createdAt(),
    grantedByUserId: text("granted_by_user_id").references(() => users.id, {
      onDelete: "set null",
    }),
  },
  (table) => [primaryKey({ columns: [table.userId, table.role] })],
);

/** Lucia's session table: the adapter expects exactly these three columns. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
  },
  (table) => [index("sessions_user_id_idx").on(table.userId)],
);

export const organisations = sqliteTable("organisations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  kind: text("kind", { enum: organisationKinds }).notNull(),
  sizeBand: text("size_band", { enum: organisationSizeBands }).notNull(),
  region: text("region", { enum: regionCodes }).notNull(),
  website: text("website"),
  createdByUserId: text("created_by_user_id").references(() => users.id, {
    onDelete: "set null",
  }),
  createdAt: createdAt(),
});

export const memberships = sqliteTable(
  "memberships",
  {
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    joinedAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.organisationId, table.userId] }),
    index("memberships_user_id_idx").on(table.userId),
  ],
);

/** An invitation is bound to an email address: only the account with that address can accept it. */
export const organisationInvites = sqliteTable(
  "organisation_invites",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    invitedByUserId: text("invited_by_user_id").references(() => users.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    uniqueIndex("organisation_invites_org_email_idx").on(table.organisationId, table.email),
    index("organisation_invites_email_idx").on(table.email),
  ],
);

/** One row per counted attempt; keys are hashed so no raw IP address is stored. */
export const rateLimitHits = sqliteTable(
  "rate_limit_hits",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    bucket: text("bucket").notNull(),
    keyHash: text("key_hash").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("rate_limit_hits_lookup_idx").on(table.bucket, table.keyHash, table.at)],
);

/** Operator settings editable at run time (imprint text) and generated secrets. */
export const appSettings = sqliteTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: createdAt(),
});

/**
 * What coaching is about. Retired topics stay on old offers and requests but are not offered for
 * new ones; the slug is a stable key for code and seeds, labels are what people read.
 */
export const topics = sqliteTable(
  "topics",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    labelDe: text("label_de").notNull(),
    labelEn: text("label_en").notNull(),
    descriptionDe: text("description_de").notNull(),
    descriptionEn: text("description_en").notNull(),
    retiredAt: integer("retired_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (table) => [index("topics_retired_at_idx").on(table.retiredAt)],
);

/**
 * One offer per coach. Small fixed vocabularies (formats, access support) are JSON arrays checked
 * per candidate row; topics and languages, the selective directory filters, are indexed tables.
 * Availability windows are local wall-clock times in `timeZone` (see README, Decisions).
 */
export const coachOffers = sqliteTable("coach_offers", {
  id: text("id").primaryKey(),
  userId: text("user_id")
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: "cascade" }),
  organisationId: text("organisation_id")
    .notNull()
    .references(() => organisations.id),
  formats: text("formats", { mode: "json" }).notNull().$type<SessionFormat[]>(),
  inPersonRegion: text("in_person_region", { enum: regionCodes }),
  travelKm: integer("travel_km"),
  accessSupport: text("access_support", { mode: "json" }).notNull().$type<AccessOption[]>(),
  capacityPerMonth: integer("capacity_per_month").notNull(),
  /** A calendar date (YYYY-MM-DD), inclusive: the coach takes no new sessions up to that day. */
  pausedUntil: text("paused_until"),
  bio: text("bio").notNull(),
  timeZone: text("time_zone").notNull(),
  createdAt: createdAt(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
}, (table) => [
  // The directory lists offers newest first: it reads 20 from this index instead of sorting every offer.
  index("coach_offers_updated_idx").on(table.updatedAt),
]);

export const offerTopics = sqliteTable(
  "offer_topics",
  {
    offerId: text("offer_id")
      .notNull()
      .references(() => coachOffers.id, { onDelete: "cascade" }),
    topicId: text("topic_id")
      .notNull()
      .references(() => topics.id),
    level: integer("level").notNull(),
    note: text("note").notNull().default(""),
  },
  (table) => [
    primaryKey({ columns: [table.offerId, table.topicId] }),
    index("offer_topics_topic_level_idx").on(table.topicId, table.level),
  ],
);

export const offerLanguages = sqliteTable(
  "offer_languages",
  {
    offerId: text("offer_id")
      .notNull()
      .references(() => coachOffers.id, { onDelete: "cascade" }),
    language: text("language", { enum: languageCodes }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.offerId, table.language] }),
    index("offer_languages_language_idx").on(table.language, table.offerId),
  ],
);

export const offerAvailability = sqliteTable(
  "offer_availability",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    offerId: text("offer_id")
      .notNull()
      .references(() => coachOffers.id, { onDelete: "cascade" }),
    weekday: integer("weekday").notNull(),
    startMinute: integer("start_minute").notNull(),
    endMinute: integer("end_minute").notNull(),
  },
  (table) => [index("offer_availability_offer_idx").on(table.offerId)],
);

/** A coaching request; a requester may have several, each with its own life. */
export const coachingRequests = sqliteTable(
  "coaching_requests",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    goal: text("goal").notNull(),
    urgency: text("urgency", { enum: requestUrgencies }).notNull(),
    /** A calendar date (YYYY-MM-DD), only with urgency "deadline". */
    deadline: text("deadline"),
    formats: text("formats", { mode: "json" }).notNull().$type<SessionFormat[]>(),
    inPersonRegion: text("in_person_region", { enum: regionCodes }),
    accessNeeds: text("access_needs", { mode: "json" }).notNull().$type<AccessOption[]>(),
    sessionMinutes: integer("session_minutes").notNull(),
    timeZone: text("time_zone").notNull(),
    status: text("status", { enum: requestStatuses }).notNull().default("open"),
    /** A calendar date (YYYY-MM-DD), inclusive. */
    expiresOn: text("expires_on").notNull(),
    /** A coach the requester asked for from the directory, until the match workflow takes over. */
    wishedCoachOfferId: text("wished_coach_offer_id").references(() => coachOffers.id, { onDelete: "set null" }),
    /** When the retention job removed the free text of this closed request and its matches and sessions. */
    redactedAt: integer("redacted_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    index("coaching_requests_user_idx").on(table.userId),
    index("coaching_requests_status_expiry_idx").on(table.status, table.expiresOn),
    // Open requests oldest first (review desk, batch runs) without a sort step.
    index("coaching_requests_status_created_idx").on(table.status, table.createdAt, table.id),
  ],
);

export const requestTopics = sqliteTable(
  "request_topics",
  {
    requestId: text("request_id")
      .notNull()
      .references(() => coachingRequests.id, { onDelete: "cascade" }),
    topicId: text("topic_id")
      .notNull()
      .references(() => topics.id),
    isMain: integer("is_main", { mode: "boolean" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.requestId, table.topicId] }), index("request_topics_topic_idx").on(table.topicId)],
);

export const requestLanguages = sqliteTable(
  "request_languages",
  {
    requestId: text("request_id")
      .notNull()
      .references(() => coachingRequests.id, { onDelete: "cascade" }),
    language: text("language", { enum: languageCodes }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.requestId, table.language] })],
);

export const requestAvailability = sqliteTable(
  "request_availability",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: text("request_id")
      .notNull()
      .references(() => coachingRequests.id, { onDelete: "cascade" }),
    weekday: integer("weekday").notNull(),
    startMinute: integer("start_minute").notNull(),
    endMinute: integer("end_minute").notNull(),
  },
  (table) => [index("request_availability_request_idx").on(table.requestId)],
);

/** Who changed a request, when and what: each changed field with its value before and after. */
export const requestHistory = sqliteTable(
  "request_history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: text("request_id")
      .notNull()
      .references(() => coachingRequests.id, { onDelete: "cascade" }),
    actorUserId: text("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action", { enum: ["created", "edited", "withdrawn", "extended"] }).notNull(),
    changes: text("changes", { mode: "json" }).notNull().$type<Record<string, { before: unknown; after: unknown }>>(),
    at: createdAt(),
  },
  (table) => [index("request_history_request_idx").on(table.requestId)],
);

export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    actorUserId: text("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    subjectUserId: text("subject_user_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    at: createdAt(),
  },
  (table) => [index("audit_events_subject_idx").on(table.subjectUserId), index("audit_events_action_idx").on(table.action, table.at)],
);

/**
 * A coach offer paired with a request, and its life (see `app/domain/match-workflow.ts`). A request
 * has at most one active match (awaiting review, awaiting the coach, accepted), enforced by a partial
 * unique index; declined, expired, rejected and overridden matches stay as history.
 */
export const matchStatuses = [
  "awaitingReview",
  "awaitingCoach",
  "accepted",
  "declined",
  "expired",
  "rejected",
  "overridden",
  "closed",
] as const;
export type MatchStatus = (typeof matchStatuses)[number];
/** Who proposed the pair: the requester (from suggestions or the directory), a batch run, or the team by hand. */
export const matchSources = ["requester", "batch", "team"] as const;
export type MatchSource = (typeof matchSources)[number];
export const declineReasons = ["noTime", "notMyTopic", "fullyBooked", "other"] as const;
export type DeclineReason = (typeof declineReasons)[number];

export const matches = sqliteTable(
  "matches",
  {
    id: text("id").primaryKey(),
    requestId: text("request_id")
      .notNull()
      .references(() => coachingRequests.id, { onDelete: "cascade" }),
    offerId: text("offer_id")
      .notNull()
      .references(() => coachOffers.id, { onDelete: "cascade" }),
    status: text("status", { enum: matchStatuses }).notNull(),
    source: text("source", { enum: matchSources }).notNull(),
    proposedByUserId: text("proposed_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /** The score and each criterion's points when the pair was proposed. */
    score: real("score").notNull(),
    breakdown: text("breakdown", { mode: "json" }).notNull().$type<Record<string, number>>(),
    /** Set when the proposal reaches the coach; past it, an unanswered proposal expires. */
    respondBy: integer("respond_by", { mode: "timestamp_ms" }),
    declineReason: text("decline_reason", { enum: declineReasons }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    index("matches_offer_idx").on(table.offerId, table.status, table.createdAt),
    index("matches_request_idx").on(table.requestId),
    index("matches_status_idx").on(table.status, table.createdAt),
    uniqueIndex("matches_one_active_per_request_idx")
      .on(table.requestId)
      .where(sql`status in ('awaitingReview', 'awaitingCoach', 'accepted')`),
  ],
);

/** Every change of a match's state: who, when, from, to, why. Written with the change; never edited. */
export const matchEvents = sqliteTable(
  "match_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    matchId: text("match_id")
      .notNull()
      .references(() => matches.id, { onDelete: "cascade" }),
    actorUserId: text("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    fromStatus: text("from_status", { enum: matchStatuses }),
    toStatus: text("to_status", { enum: matchStatuses }).notNull(),
    reason: text("reason"),
    at: createdAt(),
  },
  (table) => [index("match_events_match_idx").on(table.matchId, table.at)],
);

export const notificationKinds = [
  "proposalForCoach",
  "matchAccepted",
  "matchDeclined",
  "matchExpired",
  "proposalsWaiting",
  "sessionProposed",
  "sessionConfirmed",
  "sessionCancelled",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** In-app notifications for steps that need someone's action. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    matchId: text("match_id").references(() => matches.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    readAt: integer("read_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("notifications_user_idx").on(table.userId, table.readAt)],
);

export const assignmentModes = ["score", "count"] as const;
export type AssignmentModeName = (typeof assignmentModes)[number];
export const matchingRunStatuses = ["running", "finished", "failed"] as const;
export const matchingRunPhases = ["loading", "scoring", "solving", "saving", "done"] as const;
export type MatchingRunPhase = (typeof matchingRunPhases)[number];

/** One batch assignment over all open requests, computed in a worker thread; its result is proposals. */
export const matchingRuns = sqliteTable(
  "matching_runs",
  {
    id: text("id").primaryKey(),
    mode: text("mode", { enum: assignmentModes }).notNull(),
    status: text("status", { enum: matchingRunStatuses }).notNull(),
    phase: text("phase", { enum: matchingRunPhases }).notNull(),
    /** 0–100 within the whole run. */
    progress: integer("progress").notNull().default(0),
    startedByUserId: text("started_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /** The criterion weights the run scored with, so its proposals can be understood later. */
    weights: text("weights", { mode: "json" }).notNull().$type<Record<string, number>>(),
    requestCount: integer("request_count"),
    coachCount: integer("coach_count"),
    matchedCount: integer("matched_count"),
    totalScore: real("total_score"),
    scoreMs: integer("score_ms"),
    solveMs: integer("solve_ms"),
    error: text("error"),
    createdAt: createdAt(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("matching_runs_created_idx").on(table.createdAt)],
);

/** A pair the batch run proposes, with the score breakdown at that moment; the match workflow acts on it. */
export const matchingProposals = sqliteTable(
  "matching_proposals",
  {
    runId: text("run_id")
      .notNull()
      .references(() => matchingRuns.id, { onDelete: "cascade" }),
    requestId: text("request_id")
      .notNull()
      .references(() => coachingRequests.id, { onDelete: "cascade" }),
    offerId: text("offer_id")
      .notNull()
      .references(() => coachOffers.id, { onDelete: "cascade" }),
    score: real("score").notNull(),
    breakdown: text("breakdown", { mode: "json" }).notNull().$type<Record<string, number>>(),
  },
  (table) => [primaryKey({ columns: [table.runId, table.requestId] })],
);

export const sessionStatuses = ["proposed", "confirmed", "cancelled"] as const;
export type SessionStatus = (typeof sessionStatuses)[number];
export type ProposedTime = { startsAt: number; endsAt: number };

/**
 * One coaching session of an accepted match. While proposed it carries 1–3 times offered by one side; the other
 * side confirms one, which fixes startsAt/endsAt. A reschedule proposes new times on a confirmed session: the
 * confirmed time holds until the other side confirms a new one. Both people are copied from the match so the
 * double-booking trigger (migration 0008) can check each person's confirmed sessions without joins.
 */
export const coachingSessions = sqliteTable(
  "coaching_sessions",
  {
    id: text("id").primaryKey(),
    matchId: text("match_id")
      .notNull()
      .references(() => matches.id, { onDelete: "cascade" }),
    coachUserId: text("coach_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    requesterUserId: text("requester_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: sessionStatuses }).notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    format: text("format", { enum: sessionFormats }).notNull(),
    /** The coach's address, video link or phone number: how to join. */
    joinDetails: text("join_details").notNull().default(""),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }),
    endsAt: integer("ends_at", { mode: "timestamp_ms" }),
    /** Times waiting for the other side's confirmation (new session or reschedule). */
    proposedTimes: text("proposed_times", { mode: "json" }).$type<ProposedTime[]>(),
    proposedByUserId: text("proposed_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /** A reschedule may also change the kind of session and how to join; both apply only once confirmed. */
    proposedFormat: text("proposed_format", { enum: sessionFormats }),
    proposedJoinDetails: text("proposed_join_details"),
    /** RFC 5545 SEQUENCE: raised on every change calendar clients must apply. */
    sequence: integer("sequence").notNull().default(0),
    cancelReason: text("cancel_reason"),
    cancelledByUserId: text("cancelled_by_user_id").references(() => users.id, { onDelete: "set null" }),
    humhubEntryId: integer("humhub_entry_id"),
    humhubEntryUrl: text("humhub_entry_url"),
    humhubPostUrl: text("humhub_post_url"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    index("coaching_sessions_match_idx").on(table.matchId),
    index("coaching_sessions_coach_idx").on(table.coachUserId, table.status, table.startsAt),
    index("coaching_sessions_requester_idx").on(table.requesterUserId, table.status, table.startsAt),
    // Offers waiting for an answer are few; pages look for stale ones on every load (see lapseStaleProposals).
    index("coaching_sessions_open_offers_idx").on(table.id).where(sql`proposed_times is not null`),
  ],
);

export const sessionEventKinds = ["proposed", "confirmed", "rescheduleProposed", "rescheduled", "keptTime", "joinDetailsChanged", "lapsed", "cancelled", "feedback"] as const;
export type SessionEventKind = (typeof sessionEventKinds)[number];

/** What happened to a session, by whom and when; never edited. */
export const sessionEvents = sqliteTable(
  "session_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sessionId: text("session_id")
      .notNull()
      .references(() => coachingSessions.id, { onDelete: "cascade" }),
    actorUserId: text("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    kind: text("kind", { enum: sessionEventKinds }).notNull(),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }),
    reason: text("reason"),
    at: createdAt(),
  },
  (table) => [index("session_events_session_idx").on(table.sessionId, table.at)],
);

/** Each side's word after a session: whether it took place, and optionally a rating and a sentence. */
export const sessionFeedback = sqliteTable(
  "session_feedback",
  {
    sessionId: text("session_id")
      .notNull()
      .references(() => coachingSessions.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    held: integer("held", { mode: "boolean" }).notNull(),
    rating: integer("rating"),
    comment: text("comment"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.sessionId, table.userId] })],
);

/** A private calendar subscription address; only a hash of its secret is kept, so a leak of the database cannot read feeds. */
export const calendarFeeds = sqliteTable("calendar_feeds", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: createdAt(),
  lastReadAt: integer("last_read_at", { mode: "timestamp_ms" }),
});

/** A Tandem user's HumHub account, as HumHub resolved the user name they stored in their settings. */
export const humhubAccounts = sqliteTable("humhub_accounts", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  username: text("username").notNull(),
  humhubUserId: integer("humhub_user_id"),
  guid: text("guid"),
  displayName: text("display_name"),
  profileUrl: text("profile_url"),
  /** Why the name could not be resolved (not found, or the token lacks the right); null when resolved. */
  problem: text("problem"),
  checkedAt: integer("checked_at", { mode: "timestamp_ms" }).notNull(),
});

export const outboxKinds = ["createEntry", "updateEntry", "deleteEntry", "announceSession", "announceCancellation", "notifyCoach", "notifyRequester"] as const;
export type OutboxKind = (typeof outboxKinds)[number];
export const outboxStatuses = ["pending", "delivered", "failed"] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/**
 * HumHub calls owed for session changes, written in the transaction that changes the session and delivered after
 * commit, oldest first per session. `attempts` is raised before each call, so after a crash a row with attempts > 0
 * may already have acted and a create first looks for its marker in HumHub.
 */
export const humhubOutbox = sqliteTable(
  "humhub_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sessionId: text("session_id")
      .notNull()
      .references(() => coachingSessions.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: outboxKinds }).notNull(),
    status: text("status", { enum: outboxStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    lastError: text("last_error"),
    lastStatus: integer("last_status"),
    /** What HumHub made (entry or post id, link), or what was done, for the session page. */
    resultId: integer("result_id"),
    resultUrl: text("result_url"),
    resultNote: text("result_note"),
    createdAt: createdAt(),
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    index("humhub_outbox_due_idx").on(table.status, table.nextAttemptAt),
    index("humhub_outbox_session_idx").on(table.sessionId, table.id),
  ],
);
