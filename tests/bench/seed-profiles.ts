/**
 * Writes synthetic coach and request profiles (see matching-profiles.ts) straight into a migrated
 * SQLite file with prepared statements, for benchmarks that need tens of thousands of rows fast.
 */
import type Database from "better-sqlite3";
import type { CoachProfile, RequestProfile } from "~/domain/matching/scoring";

function userInserts(sqlite: Database.Database) {
  return {
    user: sqlite.prepare(
      "insert or ignore into users (id, email, name, password_hash, locale, time_zone, privacy_consent_at) values (?, ?, ?, 'x', 'de', ?, 0)",
    ),
    role: sqlite.prepare("insert or ignore into user_roles (user_id, role) values (?, ?)"),
    organisation: sqlite.prepare(
      "insert or ignore into organisations (id, name, kind, size_band, region) values (?, ?, ?, 'upTo50', 'DE-BE')",
    ),
  };
}

export function seedCoaches(sqlite: Database.Database, coaches: CoachProfile[]) {
  const insert = userInserts(sqlite);
  const offer = sqlite.prepare(
    `insert into coach_offers (id, user_id, organisation_id, formats, in_person_region, travel_km, access_support,
       capacity_per_month, paused_until, bio, time_zone, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'Bio', ?, ?)`,
  );
  const topic = sqlite.prepare("insert into offer_topics (offer_id, topic_id, level, note) values (?, ?, ?, '')");
  const language = sqlite.prepare("insert into offer_languages (offer_id, language) values (?, ?)");
  const window = sqlite.prepare("insert into offer_availability (offer_id, weekday, start_minute, end_minute) values (?, ?, ?, ?)");
  sqlite.transaction(() => {
    for (const coach of coaches) {
      insert.user.run(coach.userId, `${coach.userId}@bench.example`, `Coach ${coach.userId}`, coach.timeZone);
      insert.role.run(coach.userId, "coach");
      insert.organisation.run(coach.organisationId, `Verein ${coach.organisationId}`, coach.organisationKind);
      offer.run(
        coach.offerId,
        coach.userId,
        coach.organisationId,
        JSON.stringify(coach.formats),
        coach.inPersonRegion,
        coach.travelKm,
        JSON.stringify(coach.accessSupport),
        coach.capacityPerMonth,
        coach.pausedUntil,
        coach.timeZone,
        Date.now(),
      );
      for (const offered of coach.topics) topic.run(coach.offerId, offered.topicId, offered.level);
      for (const spoken of coach.languages) language.run(coach.offerId, spoken);
      for (const free of coach.windows) window.run(coach.offerId, free.weekday, free.startMinute, free.endMinute);
    }
  })();
}

export function seedRequests(sqlite: Database.Database, requests: RequestProfile[]) {
  const insert = userInserts(sqlite);
  const request = sqlite.prepare(
    `insert into coaching_requests (id, user_id, organisation_id, goal, urgency, formats, in_person_region, access_needs,
       session_minutes, time_zone, status, expires_on, created_at, updated_at)
     values (?, ?, ?, 'Wir möchten HumHub besser nutzen.', 'flexible', ?, ?, ?, ?, ?, 'open', '2099-01-01', ?, ?)`,
  );
  const topic = sqlite.prepare("insert into request_topics (request_id, topic_id, is_main) values (?, ?, ?)");
  const language = sqlite.prepare("insert into request_languages (request_id, language) values (?, ?)");
  const window = sqlite.prepare("insert into request_availability (request_id, weekday, start_minute, end_minute) values (?, ?, ?, ?)");
  sqlite.transaction(() => {
    for (const profile of requests) {
      insert.user.run(profile.userId, `${profile.userId}@bench.example`, `Requester ${profile.userId}`, profile.timeZone);
      insert.role.run(profile.userId, "requester");
      insert.organisation.run(profile.organisationId, `Initiative ${profile.organisationId}`, profile.organisationKind);
      request.run(
        profile.requestId,
        profile.userId,
        profile.organisationId,
        JSON.stringify(profile.formats),
        profile.inPersonRegion,
        JSON.stringify(profile.accessNeeds),
        profile.sessionMinutes,
        profile.timeZone,
        profile.createdAt.getTime(),
        profile.createdAt.getTime(),
      );
      topic.run(profile.requestId, profile.mainTopicId, 1);
      for (const other of profile.otherTopicIds) topic.run(profile.requestId, other, 0);
      for (const spoken of profile.languages) language.run(profile.requestId, spoken);
      for (const free of profile.windows) window.run(profile.requestId, free.weekday, free.startMinute, free.endMinute);
    }
  })();
}
