import { beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "~/auth.server";
import { getDb } from "~/db.server";
import { findWindowProblems } from "~/domain/availability";
import { getOwnOffer } from "~/models/offer.server";
import { getUserByEmail, getUserRoles } from "~/models/user.server";
import { accessOptions, languageCodes, offerAvailability, sessionFormats, topicLevels } from "~db/schema";
import { demoLogins, demoPassword, seedDemoData } from "~db/seed";

function count(sql: string) {
  return (getDb().$client.prepare(sql).get() as { n: number }).n;
}

/** The first column of every row, as sorted text. */
function column(sql: string) {
  return (getDb().$client.prepare(sql).pluck().all() as string[]).sort();
}

function countWithRole(role: string) {
  return (getDb().$client.prepare("SELECT count(*) AS n FROM user_roles WHERE role = ?").get(role) as { n: number }).n;
}

function tableCounts() {
  return Object.fromEntries(
    ["users", "user_roles", "organisations", "memberships", "organisation_invites", "sessions", "coach_offers"].map((table) => [
      table,
      count(`SELECT count(*) AS n FROM ${table}`),
    ]),
  );
}

describe("seedDemoData", () => {
  let firstResult: Awaited<ReturnType<typeof seedDemoData>>;

  beforeAll(async () => {
    expect(count("SELECT count(*) AS n FROM users")).toBe(0);
    firstResult = await seedDemoData(getDb());
  });

  it("reports what it seeded, matching the rows written", () => {
    expect(firstResult.seeded).toBe(true);
    expect(firstResult.users).toBe(count("SELECT count(*) AS n FROM users"));
    expect(firstResult.organisations).toBe(count("SELECT count(*) AS n FROM organisations"));
  });

  it("seeds at least 20 coaches, 30 requesters and exactly 2 team members", () => {
    expect(countWithRole("coach")).toBeGreaterThanOrEqual(20);
    expect(countWithRole("requester")).toBeGreaterThanOrEqual(30);
    expect(countWithRole("team")).toBe(2);
  });

  it("puts every user in at least one organisation and leaves no organisation empty", () => {
    expect(count("SELECT count(*) AS n FROM users WHERE id NOT IN (SELECT user_id FROM memberships)")).toBe(0);
    expect(count("SELECT count(*) AS n FROM organisations WHERE id NOT IN (SELECT organisation_id FROM memberships)")).toBe(0);
  });

  it("stores demo emails normalised, so they can be found at login", () => {
    expect(count("SELECT count(*) AS n FROM users WHERE email <> lower(trim(email))")).toBe(0);
  });

  it("lets every demo login sign in with the demo password", async () => {
    for (const { email } of demoLogins) {
      const user = getUserByEmail(email);
      expect(user, email).not.toBeNull();
      expect(await verifyPassword(user!.passwordHash, demoPassword), email).toBe(true);
      expect(await verifyPassword(user!.passwordHash, `${demoPassword}x`), email).toBe(false);
    }
    expect(getUserRoles(getUserByEmail("team@tandem.example")!.id)).toContain("team");
    expect(getUserRoles(getUserByEmail("requester@tandem.example")!.id)).toEqual(["requester"]);
  });

  it("gives every coach exactly one offer, and nobody else any", () => {
    expect(count("SELECT count(*) AS n FROM coach_offers")).toBe(countWithRole("coach"));
    expect(
      count("SELECT count(*) AS n FROM user_roles WHERE role = 'coach' AND user_id NOT IN (SELECT user_id FROM coach_offers)"),
    ).toBe(0);
  });

  it("fills each offer plausibly: 1–3 topics, German among its languages, the coach's time zone, 1–8 a month", () => {
    expect(
      count(
        "SELECT count(*) AS n FROM coach_offers o WHERE (SELECT count(*) FROM offer_topics t WHERE t.offer_id = o.id) NOT BETWEEN 1 AND 3",
      ),
    ).toBe(0);
    expect(
      count("SELECT count(*) AS n FROM coach_offers WHERE id NOT IN (SELECT offer_id FROM offer_languages WHERE language = 'de')"),
    ).toBe(0);
    expect(
      count("SELECT count(*) AS n FROM coach_offers o JOIN users u ON u.id = o.user_id WHERE o.time_zone <> u.time_zone"),
    ).toBe(0);
    expect(count("SELECT count(*) AS n FROM coach_offers WHERE capacity_per_month NOT BETWEEN 1 AND 8")).toBe(0);
    expect(count("SELECT count(*) AS n FROM coach_offers WHERE trim(bio) = ''")).toBe(0);
  });

  it("covers every topic at every level, every language, format and access option", () => {
    const topicIds = column("SELECT id FROM topics");
    expect(topicIds).toHaveLength(4);
    expect(column("SELECT DISTINCT topic_id || ':' || level FROM offer_topics")).toEqual(
      topicIds.flatMap((topicId) => topicLevels.map((level) => `${topicId}:${level}`)).sort(),
    );
    expect(column("SELECT DISTINCT language FROM offer_languages")).toEqual([...languageCodes].sort());
    expect(column("SELECT DISTINCT f.value FROM coach_offers, json_each(coach_offers.formats) f")).toEqual(
      [...sessionFormats].sort(),
    );
    expect(column("SELECT DISTINCT a.value FROM coach_offers, json_each(coach_offers.access_support) a")).toEqual(
      [...accessOptions].sort(),
    );
    expect(count("SELECT count(*) AS n FROM coach_offers WHERE access_support = '[]'")).toBeGreaterThan(0);
  });

  it("gives every offer 1–4 valid, non-overlapping weekly windows", () => {
    const windows = getDb().select().from(offerAvailability).all();
    for (const offerId of column("SELECT id FROM coach_offers")) {
      const own = windows.filter((window) => window.offerId === offerId);
      expect(own.length, offerId).toBeGreaterThanOrEqual(1);
      expect(own.length, offerId).toBeLessThanOrEqual(4);
      expect(findWindowProblems(own), offerId).toEqual([]);
    }
  });

  it("gives in-person offers a region and a travel distance, and other offers neither", () => {
    const inPerson = "EXISTS (SELECT 1 FROM json_each(formats) WHERE value = 'inPerson')";
    expect(count(`SELECT count(*) AS n FROM coach_offers WHERE ${inPerson}`)).toBeGreaterThan(0);
    expect(
      count(
        `SELECT count(*) AS n FROM coach_offers WHERE ${inPerson} AND (in_person_region IS NULL OR travel_km NOT BETWEEN 10 AND 150)`,
      ),
    ).toBe(0);
    expect(
      count(
        `SELECT count(*) AS n FROM coach_offers WHERE NOT ${inPerson} AND (in_person_region IS NOT NULL OR travel_km IS NOT NULL)`,
      ),
    ).toBe(0);
  });

  it("offers coaching on behalf of an organisation the coach belongs to", () => {
    expect(
      count(
        "SELECT count(*) AS n FROM coach_offers o WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = o.user_id AND m.organisation_id = o.organisation_id)",
      ),
    ).toBe(0);
  });

  it("pauses exactly two offers until a date in 2027, never the demo coach's", () => {
    expect(column("SELECT paused_until FROM coach_offers WHERE paused_until IS NOT NULL")).toEqual([
      expect.stringMatching(/^2027-\d{2}-\d{2}$/),
      expect.stringMatching(/^2027-\d{2}-\d{2}$/),
    ]);
    const demoCoachOffer = getOwnOffer(getUserByEmail("coach@tandem.example")!.id);
    expect(demoCoachOffer).not.toBeNull();
    expect(demoCoachOffer!.pausedUntil).toBeNull();
  });

  it("leaves a database that already has users alone", async () => {
    const before = tableCounts();
    const second = await seedDemoData(getDb());

    expect(second).toEqual({ seeded: false, users: 0, organisations: 0 });
    expect(tableCounts()).toEqual(before);
  });

  it("leaves no dangling foreign keys", () => {
    expect(getDb().$client.pragma("foreign_key_check")).toEqual([]);
  });

  it("opens the connection with foreign keys enforced and WAL journaling", () => {
    expect(getDb().$client.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(getDb().$client.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(() =>
      getDb().$client.prepare("INSERT INTO memberships (organisation_id, user_id) VALUES ('nope', 'nope')").run(),
    ).toThrow(/FOREIGN KEY/);
  });
});
