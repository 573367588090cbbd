import { and, asc, eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { listChoosableTopics } from "~/models/topic.server";
import type { OfferInput } from "~/schemas/offer";
import type { FieldErrors } from "~/utils/forms";
import {
  coachOffers,
  memberships,
  offerAvailability,
  offerLanguages,
  offerTopics,
  organisations,
  topics,
  users,
} from "~db/schema";

/** The coach's own offer with everything the form and the preview show, or null. */
export function getOwnOffer(userId: string) {
  const db = getDb();
  const offer = db
    .select({
      offer: coachOffers,
      organisation: { id: organisations.id, name: organisations.name, kind: organisations.kind, region: organisations.region },
    })
    .from(coachOffers)
    .innerJoin(organisations, eq(organisations.id, coachOffers.organisationId))
    .where(eq(coachOffers.userId, userId))
    .get();
  if (!offer) return null;
  const offerId = offer.offer.id;
  return {
    ...offer.offer,
    organisation: offer.organisation,
    topics: db
      .select({
        topicId: offerTopics.topicId,
        level: offerTopics.level,
        note: offerTopics.note,
        labelDe: topics.labelDe,
        labelEn: topics.labelEn,
        retired: topics.retiredAt,
      })
      .from(offerTopics)
      .innerJoin(topics, eq(topics.id, offerTopics.topicId))
      .where(eq(offerTopics.offerId, offerId))
      .orderBy(asc(topics.labelDe))
      .all()
      .map(({ retired, ...topic }) => ({ ...topic, retired: retired !== null })),
    languages: db
      .select({ language: offerLanguages.language })
      .from(offerLanguages)
      .where(eq(offerLanguages.offerId, offerId))
      .all()
      .map((row) => row.language),
    windows: db
      .select({ weekday: offerAvailability.weekday, startMinute: offerAvailability.startMinute, endMinute: offerAvailability.endMinute })
      .from(offerAvailability)
      .where(eq(offerAvailability.offerId, offerId))
      .orderBy(asc(offerAvailability.weekday), asc(offerAvailability.startMinute))
      .all(),
  };
}

export type OwnOffer = NonNullable<ReturnType<typeof getOwnOffer>>;

/** Topics a coach may pick: every active one, plus retired ones already on their offer. */
export function listOfferableTopics(userId: string) {
  const db = getDb();
  const ownOffer = db.select({ id: coachOffers.id }).from(coachOffers).where(eq(coachOffers.userId, userId)).get();
  const alreadyChosen = ownOffer
    ? db.select({ topicId: offerTopics.topicId }).from(offerTopics).where(eq(offerTopics.offerId, ownOffer.id)).all().map((row) => row.topicId)
    : [];
  return listChoosableTopics(alreadyChosen);
}

export type SaveOfferResult = { ok: true } | { ok: false; errors: FieldErrors };

/**
 * Creates or replaces the coach's offer in one transaction. The organisation must be one of the
 * coach's own, and every topic one they may pick, whatever the form claimed.
 */
export function saveOffer(userId: string, input: OfferInput, now = new Date()): SaveOfferResult {
  return getDb().transaction((tx): SaveOfferResult => {
    const member = tx
      .select({ organisationId: memberships.organisationId })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.organisationId, input.organisationId)))
      .get();
    if (!member) return { ok: false, errors: { organisationId: "errors.organisationInvalid" } };
    const allowedTopics = new Set(listOfferableTopics(userId).map((topic) => topic.id));
    if (input.topics.some((topic) => !allowedTopics.has(topic.topicId))) {
      return { ok: false, errors: { topics: "errors.topicUnknown" } };
    }
    const user = tx.select({ timeZone: users.timeZone }).from(users).where(eq(users.id, userId)).get();
    const existing = tx.select({ id: coachOffers.id }).from(coachOffers).where(eq(coachOffers.userId, userId)).get();
    const offerId = existing?.id ?? crypto.randomUUID();
    const row = {
      organisationId: input.organisationId,
      formats: input.formats,
      inPersonRegion: input.inPersonRegion,
      travelKm: input.travelKm,
      accessSupport: input.accessSupport,
      capacityPerMonth: input.capacityPerMonth,
      pausedUntil: input.pausedUntil,
      bio: input.bio,
      timeZone: user?.timeZone ?? "Europe/Berlin",
      updatedAt: now,
    };
    if (existing) {
      tx.update(coachOffers).set(row).where(eq(coachOffers.id, offerId)).run();
      for (const table of [offerTopics, offerLanguages, offerAvailability]) {
        tx.delete(table).where(eq(table.offerId, offerId)).run();
      }
    } else {
      tx.insert(coachOffers).values({ id: offerId, userId, ...row }).run();
    }
    tx.insert(offerTopics).values(input.topics.map((topic) => ({ offerId, ...topic }))).run();
    tx.insert(offerLanguages).values(input.languages.map((language) => ({ offerId, language }))).run();
    tx.insert(offerAvailability).values(input.windows.map((window) => ({ offerId, ...window }))).run();
    return { ok: true };
  });
}

/** Pauses (until and including a date) or resumes the coach's own offer. */
export function setOfferPause(userId: string, pausedUntil: string | null, now = new Date()) {
  return (
    getDb().update(coachOffers).set({ pausedUntil, updatedAt: now }).where(eq(coachOffers.userId, userId)).run().changes > 0
  );
}
