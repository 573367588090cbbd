import { beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "~/auth.server";
import { getDb } from "~/db.server";
import { getUserByEmail, getUserRoles } from "~/models/user.server";
import { demoLogins, demoPassword, seedDemoData } from "~db/seed";

function count(sql: string) {
  return (getDb().$client.prepare(sql).get() as { n: number }).n;
}

function countWithRole(role: string) {
  return (getDb().$client.prepare("SELECT count(*) AS n FROM user_roles WHERE role = ?").get(role) as { n: number }).n;
}

function tableCounts() {
  return Object.fromEntries(
    ["users", "user_roles", "organisations", "memberships", "organisation_invites", "sessions"].map((table) => [
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
