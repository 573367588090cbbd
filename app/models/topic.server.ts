import { and, asc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { getDb } from "~/db.server";
import { recordAuditEvent } from "~/models/audit.server";
import { topics } from "~db/schema";

export type TopicInput = {
  labelDe: string;
  labelEn: string;
  descriptionDe: string;
  descriptionEn: string;
};

export function listTopics(options: { includeRetired: boolean }) {
  return getDb()
    .select()
    .from(topics)
    .where(options.includeRetired ? undefined : isNull(topics.retiredAt))
    .orderBy(sql`${topics.retiredAt} IS NOT NULL`, asc(topics.labelDe))
    .all();
}

/** Topics a person may pick: every active one, plus retired ones their record already names. */
export function listChoosableTopics(alreadyChosen: string[]) {
  return getDb()
    .select({
      id: topics.id,
      labelDe: topics.labelDe,
      labelEn: topics.labelEn,
      descriptionDe: topics.descriptionDe,
      descriptionEn: topics.descriptionEn,
    })
    .from(topics)
    .where(alreadyChosen.length ? or(isNull(topics.retiredAt), inArray(topics.id, alreadyChosen)) : isNull(topics.retiredAt))
    .orderBy(asc(topics.labelDe))
    .all();
}

export function getTopic(topicId: string) {
  return getDb().select().from(topics).where(eq(topics.id, topicId)).get() ?? null;
}

/** Slugs are derived from the English label once and never change, so old links keep working. */
export function slugify(label: string) {
  const base = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "topic";
}

type TopicWriteResult =
  | { ok: true; topicId: string }
  | { ok: false; field: "labelDe" | "labelEn"; reason: "topicLabelTaken" };

function findLabelClash(input: TopicInput, exceptTopicId: string | null): TopicWriteResult | null {
  const clash = getDb()
    .select({ labelDe: topics.labelDe, labelEn: topics.labelEn })
    .from(topics)
    .where(
      and(
        exceptTopicId ? ne(topics.id, exceptTopicId) : undefined,
        or(
          sql`unicode_lower(${topics.labelDe}) = ${input.labelDe.toLocaleLowerCase("de")}`,
          sql`unicode_lower(${topics.labelEn}) = ${input.labelEn.toLocaleLowerCase("de")}`,
        ),
      ),
    )
    .get();
  if (!clash) return null;
  const field = clash.labelDe.toLocaleLowerCase("de") === input.labelDe.toLocaleLowerCase("de") ? "labelDe" : "labelEn";
  return { ok: false, field, reason: "topicLabelTaken" };
}

export function createTopic(actorUserId: string, input: TopicInput): TopicWriteResult {
  const clash = findLabelClash(input, null);
  if (clash) return clash;
  return getDb().transaction((tx) => {
    const id = crypto.randomUUID();
    const base = slugify(input.labelEn);
    const taken = new Set(
      tx.select({ slug: topics.slug }).from(topics).where(sql`${topics.slug} LIKE ${`${base}%`}`).all().map((row) => row.slug),
    );
    let slug = base;
    for (let suffix = 2; taken.has(slug); suffix++) slug = `${base}-${suffix}`;
    tx.insert(topics).values({ id, slug, ...input }).run();
    recordAuditEvent(tx, { actorUserId, subjectUserId: null, action: "topic.created", detail: { topicId: id, ...input } });
    return { ok: true, topicId: id } as const;
  });
}

export function updateTopic(actorUserId: string, topicId: string, input: TopicInput): TopicWriteResult {
  const clash = findLabelClash(input, topicId);
  if (clash) return clash;
  return getDb().transaction((tx) => {
    const before = tx.select().from(topics).where(eq(topics.id, topicId)).get();
    // Callers load the topic first (404 for unknown ids); this only trips on a concurrent delete.
    if (!before) throw new Error(`Topic ${topicId} does not exist.`);
    tx.update(topics).set(input).where(eq(topics.id, topicId)).run();
    recordAuditEvent(tx, {
      actorUserId,
      subjectUserId: null,
      action: "topic.renamed",
      detail: { topicId, before: { labelDe: before.labelDe, labelEn: before.labelEn }, after: input },
    });
    return { ok: true, topicId } as const;
  });
}

/** Retiring keeps the topic on existing records; reactivating offers it again. */
export function setTopicRetired(actorUserId: string, topicId: string, retired: boolean, now = new Date()) {
  return getDb().transaction((tx) => {
    const changed = tx
      .update(topics)
      .set({ retiredAt: retired ? now : null })
      .where(and(eq(topics.id, topicId), retired ? isNull(topics.retiredAt) : sql`${topics.retiredAt} IS NOT NULL`))
      .run().changes;
    if (changed > 0) {
      recordAuditEvent(tx, {
        actorUserId,
        subjectUserId: null,
        action: retired ? "topic.retired" : "topic.reactivated",
        detail: { topicId },
      });
    }
    return changed > 0;
  });
}
