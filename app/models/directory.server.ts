import { and, asc, count, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { SQLiteSelect } from "drizzle-orm/sqlite-core";
import { getDb } from "~/db.server";
import {
  coachOffers,
  offerAvailability,
  offerLanguages,
  offerTopics,
  organisations,
  topics,
  type AccessOption,
  type LanguageCode,
  type RegionCode,
  type SessionFormat,
} from "~db/schema";

export type DirectoryFilters = {
  topicId: string | null;
  language: LanguageCode | null;
  format: SessionFormat | null;
  access: AccessOption[];
  region: RegionCode | null;
};

export const directoryPageSize = 20;

/**
 * Coaches that are not paused, filtered, and sorted by topic fit (the coach's level in the chosen
 * topic) when a topic is chosen. With a topic the query starts from the (topic, level) index, so
 * it reads only offers with that topic, level by level; only ties within a level need sorting.
 */
export function searchCoachOffers(filters: DirectoryFilters, page: number, today: string) {
  const db = getDb();
  const conditions = and(
    or(isNull(coachOffers.pausedUntil), lt(coachOffers.pausedUntil, today)),
    filters.language
      ? sql`exists (select 1 from ${offerLanguages} where ${offerLanguages.offerId} = ${coachOffers.id} and ${offerLanguages.language} = ${filters.language})`
      : undefined,
    filters.format
      ? sql`exists (select 1 from json_each(${coachOffers.formats}) where value = ${filters.format})`
      : undefined,
    ...filters.access.map(
      (option) => sql`exists (select 1 from json_each(${coachOffers.accessSupport}) where value = ${option})`,
    ),
    filters.region ? or(eq(organisations.region, filters.region), eq(coachOffers.inPersonRegion, filters.region)) : undefined,
  );
  // With a topic, joining offer_topics on it lets SQLite drive the query from the topic's index. Organisations are
  // joined only for the region filter: looking one up for each of 10,000 offers cost more than the rest of the query.
  const withFilters = <Query extends SQLiteSelect>(query: Query) => {
    const withRegion = filters.region ? query.innerJoin(organisations, eq(organisations.id, coachOffers.organisationId)) : query;
    return (
      filters.topicId
        ? withRegion.innerJoin(offerTopics, and(eq(offerTopics.offerId, coachOffers.id), eq(offerTopics.topicId, filters.topicId)))
        : withRegion
    ).where(conditions);
  };
  const total = withFilters(db.select({ value: count() }).from(coachOffers).$dynamic()).get()?.value ?? 0;
  const order = filters.topicId ? [desc(offerTopics.level), desc(coachOffers.updatedAt)] : [desc(coachOffers.updatedAt)];
  const ids = withFilters(db.select({ id: coachOffers.id }).from(coachOffers).$dynamic())
    .orderBy(...order)
    .limit(directoryPageSize)
    .offset((page - 1) * directoryPageSize)
    .all()
    .map((row) => row.id);
  return { total, offers: loadOfferCards(ids) };
}

/** Everything an offer card shows, for a page of offers, in the given order; never names or contacts. */
function loadOfferCards(offerIds: string[]) {
  if (offerIds.length === 0) return [];
  const db = getDb();
  const offers = db
    .select({
      id: coachOffers.id,
      formats: coachOffers.formats,
      inPersonRegion: coachOffers.inPersonRegion,
      travelKm: coachOffers.travelKm,
      accessSupport: coachOffers.accessSupport,
      capacityPerMonth: coachOffers.capacityPerMonth,
      timeZone: coachOffers.timeZone,
      bio: coachOffers.bio,
      organisation: { name: organisations.name, kind: organisations.kind, region: organisations.region },
    })
    .from(coachOffers)
    .innerJoin(organisations, eq(organisations.id, coachOffers.organisationId))
    .where(inArray(coachOffers.id, offerIds))
    .all();
  const topicRows = db
    .select({ offerId: offerTopics.offerId, topicId: offerTopics.topicId, level: offerTopics.level, note: offerTopics.note, labelDe: topics.labelDe, labelEn: topics.labelEn })
    .from(offerTopics)
    .innerJoin(topics, eq(topics.id, offerTopics.topicId))
    .where(inArray(offerTopics.offerId, offerIds))
    .orderBy(desc(offerTopics.level), asc(topics.labelDe))
    .all();
  const languageRows = db.select().from(offerLanguages).where(inArray(offerLanguages.offerId, offerIds)).all();
  const windowRows = db
    .select()
    .from(offerAvailability)
    .where(inArray(offerAvailability.offerId, offerIds))
    .orderBy(asc(offerAvailability.weekday), asc(offerAvailability.startMinute))
    .all();
  const byId = new Map(offers.map((offer) => [offer.id, offer]));
  return offerIds.flatMap((offerId) => {
    const offer = byId.get(offerId);
    if (!offer) return [];
    return [
      {
        ...offer,
        topics: topicRows.filter((row) => row.offerId === offerId),
        languages: languageRows.filter((row) => row.offerId === offerId).map((row) => row.language),
        windows: windowRows
          .filter((row) => row.offerId === offerId)
          .map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute })),
      },
    ];
  });
}

/** Whether an offer can be asked for: it exists and is not paused today. */
export function isOfferAvailable(offerId: string, today: string) {
  return (
    getDb()
      .select({ id: coachOffers.id })
      .from(coachOffers)
      .where(and(eq(coachOffers.id, offerId), or(isNull(coachOffers.pausedUntil), lt(coachOffers.pausedUntil, today))))
      .get() !== undefined
  );
}
