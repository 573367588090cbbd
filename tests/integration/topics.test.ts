import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { createTopic, getTopic, listTopics, setTopicRetired, slugify, updateTopic } from "~/models/topic.server";
import { createUser } from "~/models/user.server";
import { auditEvents, topics } from "~db/schema";

function teamMember() {
  const created = createUser({
    name: "Thea Themen",
    email: `thea-${crypto.randomUUID()}@team.example`,
    passwordHash: "irrelevant",
    locale: "de",
    timeZone: "Europe/Berlin",
    roles: ["coach"],
  });
  if (!created) throw new Error("user not created");
  return created.id;
}

const newsletter = {
  labelDe: "Newsletter",
  labelEn: "Newsletters",
  descriptionDe: "Rundbriefe aus HumHub verschicken.",
  descriptionEn: "Sending newsletters from HumHub.",
};

describe("topic catalogue", () => {
  it("comes with the four seeded topics, in both languages", () => {
    const seeded = listTopics({ includeRetired: false });
    expect(seeded.map((topic) => topic.slug).sort()).toEqual(["accessibility", "hosting", "mobile", "onboarding"]);
    expect(seeded.find((topic) => topic.slug === "accessibility")).toMatchObject({
      labelDe: "Barrierefreiheit",
      labelEn: "Accessibility",
    });
  });

  it("adds a topic with a slug from its English label and audits it", () => {
    const actor = teamMember();
    const result = createTopic(actor, newsletter);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(getTopic(result.topicId)).toMatchObject({ slug: "newsletters", ...newsletter, retiredAt: null });
    const audit = getDb().select().from(auditEvents).where(eq(auditEvents.action, "topic.created")).all();
    expect(audit).toEqual([expect.objectContaining({ actorUserId: actor })]);
  });

  it("refuses a label another topic already has, in either language and any case", () => {
    const actor = teamMember();
    expect(createTopic(actor, { ...newsletter, labelDe: "barrierefreiheit", labelEn: "Something new" })).toEqual({
      ok: false,
      field: "labelDe",
      reason: "topicLabelTaken",
    });
    expect(createTopic(actor, { ...newsletter, labelDe: "Ganz neu", labelEn: "MOBILE USE" })).toEqual({
      ok: false,
      field: "labelEn",
      reason: "topicLabelTaken",
    });
  });

  it("renames a topic without changing its slug, and may keep its own labels", () => {
    const actor = teamMember();
    const mobile = listTopics({ includeRetired: true }).find((topic) => topic.slug === "mobile")!;
    const renamed = { ...newsletter, labelDe: "Unterwegs mit HumHub", labelEn: "HumHub on the go" };
    expect(updateTopic(actor, mobile.id, renamed)).toEqual({ ok: true, topicId: mobile.id });
    expect(getTopic(mobile.id)).toMatchObject({ slug: "mobile", ...renamed });
    expect(updateTopic(actor, mobile.id, renamed).ok).toBe(true);
  });

  it("retires a topic out of the offered list and reactivates it, auditing real changes only", () => {
    const actor = teamMember();
    const hosting = listTopics({ includeRetired: true }).find((topic) => topic.slug === "hosting")!;
    expect(setTopicRetired(actor, hosting.id, true)).toBe(true);
    expect(setTopicRetired(actor, hosting.id, true)).toBe(false);
    expect(listTopics({ includeRetired: false }).map((topic) => topic.id)).not.toContain(hosting.id);
    expect(listTopics({ includeRetired: true }).at(-1)?.id).toBe(hosting.id);
    expect(getDb().select().from(topics).where(eq(topics.id, hosting.id)).get()?.retiredAt).toBeInstanceOf(Date);

    expect(setTopicRetired(actor, hosting.id, false)).toBe(true);
    expect(listTopics({ includeRetired: false }).map((topic) => topic.id)).toContain(hosting.id);
    const actions = getDb().select().from(auditEvents).all().map((event) => event.action);
    expect(actions.filter((action) => action === "topic.retired")).toHaveLength(1);
    expect(actions.filter((action) => action === "topic.reactivated")).toHaveLength(1);
  });

  it("makes distinct slugs for labels that read alike", () => {
    const actor = teamMember();
    const first = createTopic(actor, { ...newsletter, labelDe: "Datenschutz", labelEn: "Privacy & data" });
    const second = createTopic(actor, { ...newsletter, labelDe: "Datenschutz II", labelEn: "Privacy / data" });
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(getTopic(first.topicId)?.slug).toBe("privacy-data");
    expect(getTopic(second.topicId)?.slug).toBe("privacy-data-2");
    expect(slugify("Öffentlichkeitsarbeit & Presse")).toBe("offentlichkeitsarbeit-presse");
  });
});
