import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import {
  createUser,
  getUserById,
  getUserRoles,
  listUsersWithRoles,
  setTeamRole,
  updateProfile,
  type NewUser,
} from "~/models/user.server";
import { auditEvents, userRoles, users, type RoleName } from "~db/schema";

let counter = 0;
function uniqueEmail(prefix = "user") {
  counter += 1;
  return `${prefix}-${counter}-${Date.now()}@users.example`;
}

function makeUser(overrides: Partial<NewUser> = {}) {
  const created = createUser({
    name: "Test Person",
    email: uniqueEmail(),
    passwordHash: "not-a-real-hash",
    locale: "de",
    timeZone: "Europe/Berlin",
    roles: ["requester"],
    ...overrides,
  });
  if (!created) throw new Error("test user could not be created");
  return created;
}

function grantTeamDirectly(userId: string) {
  getDb().insert(userRoles).values({ userId, role: "team" }).run();
}

describe("createUser", () => {
  it("stores a normalised email, the chosen roles and the consent time", () => {
    const before = Date.now();
    const created = makeUser({ email: "  Mixed.Case@Users.Example ", roles: ["coach", "requester", "coach"] });

    expect(created.email).toBe("mixed.case@users.example");
    const row = getDb().select().from(users).where(eq(users.id, created.id)).get();
    expect(row?.email).toBe("mixed.case@users.example");
    expect(row?.privacyConsentAt).toBeInstanceOf(Date);
    expect(row!.privacyConsentAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row!.privacyConsentAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(getUserRoles(created.id)).toEqual(["coach", "requester"]);
  });

  it("returns null for an email that exists in a different case and adds no row", () => {
    const email = uniqueEmail("taken");
    makeUser({ email });
    const countBefore = getDb().$client.prepare("SELECT count(*) AS n FROM users").get() as { n: number };

    const second = createUser({
      name: "Someone Else",
      email: `  ${email.toUpperCase()}  `,
      passwordHash: "x",
      locale: "en",
      timeZone: "UTC",
      roles: ["coach"],
    });

    expect(second).toBeNull();
    const countAfter = getDb().$client.prepare("SELECT count(*) AS n FROM users").get() as { n: number };
    expect(countAfter.n).toBe(countBefore.n);
  });
});

describe("updateProfile", () => {
  it("changes name, locale, time zone and HumHub username", () => {
    const { id } = makeUser({ name: "Old Name", locale: "de", timeZone: "Europe/Berlin" });

    updateProfile(id, {
      name: "New Name",
      locale: "en",
      timeZone: "America/New_York",
      humhubUsername: "new.name",
      roles: ["requester"],
    });

    const row = getUserById(id);
    expect(row).toMatchObject({
      name: "New Name",
      locale: "en",
      timeZone: "America/New_York",
      humhubUsername: "new.name",
    });

    updateProfile(id, { name: "New Name", locale: "en", timeZone: "UTC", humhubUsername: null, roles: ["requester"] });
    expect(getUserById(id)?.humhubUsername).toBeNull();
  });

  it("adds and removes the requester and coach roles", () => {
    const { id } = makeUser({ roles: ["requester"] });

    updateProfile(id, { name: "P", locale: "de", timeZone: "UTC", humhubUsername: null, roles: ["coach"] });
    expect(getUserRoles(id)).toEqual(["coach"]);

    updateProfile(id, { name: "P", locale: "de", timeZone: "UTC", humhubUsername: null, roles: ["coach", "requester"] });
    expect(getUserRoles(id)).toEqual(["coach", "requester"]);

    updateProfile(id, { name: "P", locale: "de", timeZone: "UTC", humhubUsername: null, roles: [] });
    expect(getUserRoles(id)).toEqual([]);
  });

  it("never touches an existing team role", () => {
    const { id } = makeUser({ roles: ["coach"] });
    grantTeamDirectly(id);

    updateProfile(id, { name: "P", locale: "de", timeZone: "UTC", humhubUsername: null, roles: [] });
    expect(getUserRoles(id)).toEqual(["team"]);

    updateProfile(id, { name: "P", locale: "de", timeZone: "UTC", humhubUsername: null, roles: ["requester"] });
    expect(getUserRoles(id)).toEqual(["requester", "team"]);
  });

  it("does not change other users", () => {
    const target = makeUser({ name: "Target", roles: ["requester"] });
    const bystander = makeUser({ name: "Bystander", roles: ["requester"] });

    updateProfile(target.id, { name: "Changed", locale: "en", timeZone: "UTC", humhubUsername: null, roles: ["coach"] });

    expect(getUserById(bystander.id)?.name).toBe("Bystander");
    expect(getUserRoles(bystander.id)).toEqual(["requester"]);
  });
});

describe("setTeamRole", () => {
  // The last-team-member rule looks at the whole table, so each test starts with no team at all.
  beforeEach(() => {
    getDb().delete(userRoles).where(eq(userRoles.role, "team")).run();
  });

  function teamRoleOf(userId: string) {
    return getDb()
      .select()
      .from(userRoles)
      .where(eq(userRoles.userId, userId))
      .all()
      .find((row) => row.role === ("team" satisfies RoleName));
  }

  function auditRowsFor(subjectUserId: string) {
    return getDb().select().from(auditEvents).where(eq(auditEvents.subjectUserId, subjectUserId)).all();
  }

  it("grants the team role and records who granted it in the audit log", () => {
    const actor = makeUser({ name: "Actor" });
    grantTeamDirectly(actor.id);
    const subject = makeUser({ name: "Subject Person" });

    const result = setTeamRole(actor.id, subject.id, true);

    expect(result).toEqual({ ok: true, name: "Subject Person" });
    expect(teamRoleOf(subject.id)?.grantedByUserId).toBe(actor.id);
    const audit = auditRowsFor(subject.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorUserId: actor.id, subjectUserId: subject.id, action: "team_role.granted" });
  });

  it("refuses to let a team member revoke their own team role", () => {
    const actor = makeUser();
    const other = makeUser();
    grantTeamDirectly(actor.id);
    grantTeamDirectly(other.id);

    expect(setTeamRole(actor.id, actor.id, false)).toEqual({ ok: false, reason: "cannotRevokeSelf" });
    expect(teamRoleOf(actor.id)).toBeDefined();
    expect(auditRowsFor(actor.id)).toHaveLength(0);
  });

  it("refuses to revoke the last team member", () => {
    const onlyTeam = makeUser();
    grantTeamDirectly(onlyTeam.id);
    const actor = makeUser();

    expect(setTeamRole(actor.id, onlyTeam.id, false)).toEqual({ ok: false, reason: "lastTeamMember" });
    expect(teamRoleOf(onlyTeam.id)).toBeDefined();
    expect(auditRowsFor(onlyTeam.id)).toHaveLength(0);
  });

  it("reports an unknown user without writing anything", () => {
    const actor = makeUser();
    grantTeamDirectly(actor.id);
    const auditBefore = getDb().select().from(auditEvents).all().length;

    expect(setTeamRole(actor.id, "no-such-user", true)).toEqual({ ok: false, reason: "userNotFound" });
    expect(setTeamRole(actor.id, "no-such-user", false)).toEqual({ ok: false, reason: "userNotFound" });
    expect(getDb().select().from(auditEvents).all().length).toBe(auditBefore);
  });

  it("refuses to revoke a role the person does not have, and audits nothing", () => {
    const actor = makeUser();
    grantTeamDirectly(actor.id);
    const outsider = makeUser();

    expect(setTeamRole(actor.id, outsider.id, false)).toEqual({ ok: false, reason: "notTeamMember" });
    expect(auditRowsFor(outsider.id)).toHaveLength(0);
  });

  it("treats a second grant as no change and audits it once", () => {
    const actor = makeUser();
    grantTeamDirectly(actor.id);
    const subject = makeUser({ name: "Twice Granted" });

    expect(setTeamRole(actor.id, subject.id, true)).toEqual({ ok: true, name: "Twice Granted" });
    expect(setTeamRole(actor.id, subject.id, true)).toEqual({ ok: true, name: "Twice Granted" });
    expect(auditRowsFor(subject.id)).toHaveLength(1);
  });

  it("revokes another team member when two exist, and audits it", () => {
    const actor = makeUser();
    const other = makeUser({ name: "Other Teamer" });
    grantTeamDirectly(actor.id);
    grantTeamDirectly(other.id);

    expect(setTeamRole(actor.id, other.id, false)).toEqual({ ok: true, name: "Other Teamer" });
    expect(teamRoleOf(other.id)).toBeUndefined();
    expect(teamRoleOf(actor.id)).toBeDefined();
    expect(auditRowsFor(other.id)).toEqual([
      expect.objectContaining({ actorUserId: actor.id, subjectUserId: other.id, action: "team_role.revoked" }),
    ]);
  });
});

describe("listUsersWithRoles", () => {
  it("finds people by any part of their name, ignoring case, with their roles", () => {
    const marker = `Zyx${Date.now()}`;
    const match = makeUser({ name: `Hannelore ${marker}wald`, roles: ["coach"] });
    makeUser({ name: "Unrelated Person" });

    const found = listUsersWithRoles(marker.toLowerCase());
    expect(found).toEqual([{ id: match.id, name: `Hannelore ${marker}wald`, email: match.email, roles: ["coach"] }]);
    expect(listUsersWithRoles(`  ${marker.toUpperCase()}WALD `).map((row) => row.id)).toEqual([match.id]);
    expect(listUsersWithRoles("hannelore").map((row) => row.id)).toContain(match.id);
  });

  it("finds names with umlauts whatever their case", () => {
    const match = makeUser({ name: "Ümit Özdemir-Äbersold" });

    for (const search of ["Ümit", "ümit", "özdemir", "ÄBERSOLD"]) {
      expect(listUsersWithRoles(search).map((row) => row.id), search).toEqual([match.id]);
    }
  });

  it("finds people by email, also when typed in upper case", () => {
    const email = uniqueEmail("findme");
    const match = makeUser({ email, name: "Plain Name" });

    expect(listUsersWithRoles(email).map((row) => row.id)).toEqual([match.id]);
    expect(listUsersWithRoles(email.toUpperCase()).map((row) => row.id)).toEqual([match.id]);
    expect(listUsersWithRoles("nobody-has-this-text@nowhere")).toEqual([]);
  });

  it("lists everyone, sorted by name, for an empty search", () => {
    makeUser({ name: "Aaron First" });
    const all = listUsersWithRoles("   ");
    const total = (getDb().$client.prepare("SELECT count(*) AS n FROM users").get() as { n: number }).n;
    expect(all).toHaveLength(Math.min(total, 200));
    const names = all.map((row) => row.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});
