import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import {
  answerInvite,
  createOrganisation,
  getOrganisationForMember,
  inviteToOrganisation,
  listInvitesForEmail,
  listOrganisationsForUser,
  listPendingInvitesOfOrganisation,
  revokeInvite,
  type NewOrganisation,
} from "~/models/organisation.server";
import { createUser } from "~/models/user.server";
import { memberships, organisationInvites, organisations } from "~db/schema";

const day = 24 * 60 * 60 * 1000;
let counter = 0;

function makeUser(name = "Member") {
  counter += 1;
  const created = createUser({
    name,
    email: `org-user-${counter}-${Date.now()}@orgs.example`,
    passwordHash: "not-a-real-hash",
    locale: "de",
    timeZone: "Europe/Berlin",
    roles: ["requester"],
  });
  if (!created) throw new Error("test user could not be created");
  return created;
}

function makeOrganisation(userId: string, overrides: Partial<NewOrganisation> = {}) {
  return createOrganisation(userId, {
    name: "Verein Beispiel",
    kind: "association",
    sizeBand: "upTo50",
    region: "DE-NW",
    website: null,
    ...overrides,
  });
}

function isMember(organisationId: string, userId: string) {
  return Boolean(
    getDb()
      .select()
      .from(memberships)
      .where(and(eq(memberships.organisationId, organisationId), eq(memberships.userId, userId)))
      .get(),
  );
}

function invitesOf(organisationId: string) {
  return getDb().select().from(organisationInvites).where(eq(organisationInvites.organisationId, organisationId)).all();
}

function inviteIdFor(organisationId: string, email: string) {
  const invite = invitesOf(organisationId).find((row) => row.email === email.toLowerCase());
  if (!invite) throw new Error(`no invite for ${email}`);
  return invite.id;
}

describe("creating and listing organisations", () => {
  it("makes the creator a member and records them as creator", () => {
    const creator = makeUser();
    const id = makeOrganisation(creator.id, { name: "Tafel Test", website: "https://tafel.example" });

    expect(isMember(id, creator.id)).toBe(true);
    const row = getDb().select().from(organisations).where(eq(organisations.id, id)).get();
    expect(row).toMatchObject({ name: "Tafel Test", createdByUserId: creator.id, website: "https://tafel.example" });
  });

  it("lists only the user's own organisations, sorted by name, with member counts", () => {
    const alice = makeUser("Alice");
    const bob = makeUser("Bob");
    const zebra = makeOrganisation(alice.id, { name: "Zebra e.V." });
    const alpha = makeOrganisation(alice.id, { name: "Alpha e.V." });
    const bobsOwn = makeOrganisation(bob.id, { name: "Bobs Verein" });
    getDb().insert(memberships).values({ organisationId: zebra, userId: bob.id }).run();

    const alicesList = listOrganisationsForUser(alice.id);
    expect(alicesList.map((org) => [org.id, org.name, org.memberCount])).toEqual([
      [alpha, "Alpha e.V.", 1],
      [zebra, "Zebra e.V.", 2],
    ]);
    expect(alicesList.map((org) => org.id)).not.toContain(bobsOwn);
    expect(listOrganisationsForUser(bob.id).map((org) => org.id).sort()).toEqual([bobsOwn, zebra].sort());
    expect(listOrganisationsForUser(makeUser().id)).toEqual([]);
  });

  it("shows an organisation only to its members", () => {
    const member = makeUser();
    const outsider = makeUser();
    const id = makeOrganisation(member.id, { name: "Private Org" });

    expect(getOrganisationForMember(id, member.id)).toMatchObject({ id, name: "Private Org" });
    expect(getOrganisationForMember(id, outsider.id)).toBeNull();
    expect(getOrganisationForMember("no-such-organisation", member.id)).toBeNull();
  });
});

describe("invitations", () => {
  it("lists a new invite for the invitee, whatever the case of their email", () => {
    const inviter = makeUser("Ines Inviter");
    const invitee = makeUser();
    const orgId = makeOrganisation(inviter.id, { name: "Invite Org" });

    expect(inviteToOrganisation(orgId, inviter.id, `  ${invitee.email.toUpperCase()} `)).toEqual({ ok: true });

    const stored = invitesOf(orgId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ email: invitee.email, invitedByUserId: inviter.id });
    expect(listInvitesForEmail(invitee.email.toUpperCase())).toEqual([
      expect.objectContaining({ id: stored[0]!.id, organisationName: "Invite Org", invitedByName: "Ines Inviter" }),
    ]);
    expect(listPendingInvitesOfOrganisation(orgId).map((invite) => invite.email)).toEqual([invitee.email]);
  });

  it("refuses a second invite for the same address while the first is pending", () => {
    const inviter = makeUser();
    const orgId = makeOrganisation(inviter.id);
    const email = `repeat-${Date.now()}@orgs.example`;

    expect(inviteToOrganisation(orgId, inviter.id, email)).toEqual({ ok: true });
    expect(inviteToOrganisation(orgId, inviter.id, email.toUpperCase())).toEqual({ ok: false, reason: "alreadyInvited" });
    expect(invitesOf(orgId)).toHaveLength(1);
  });

  it("refuses to invite someone who is already a member", () => {
    const inviter = makeUser();
    const member = makeUser();
    const orgId = makeOrganisation(inviter.id);
    getDb().insert(memberships).values({ organisationId: orgId, userId: member.id }).run();

    expect(inviteToOrganisation(orgId, inviter.id, member.email.toUpperCase())).toEqual({
      ok: false,
      reason: "alreadyMember",
    });
    expect(inviteToOrganisation(orgId, inviter.id, inviter.email)).toEqual({ ok: false, reason: "alreadyMember" });
    expect(invitesOf(orgId)).toHaveLength(0);
  });

  it("accepting adds the membership and removes the invite", () => {
    const inviter = makeUser();
    const invitee = makeUser();
    const orgId = makeOrganisation(inviter.id, { name: "Accept Org" });
    inviteToOrganisation(orgId, inviter.id, invitee.email);
    const inviteId = inviteIdFor(orgId, invitee.email);

    const answer = answerInvite(inviteId, { id: invitee.id, email: invitee.email.toUpperCase() }, true);

    expect(answer).toEqual({ organisationId: orgId, name: "Accept Org" });
    expect(isMember(orgId, invitee.id)).toBe(true);
    expect(invitesOf(orgId)).toHaveLength(0);
    expect(listInvitesForEmail(invitee.email)).toEqual([]);
    expect(getOrganisationForMember(orgId, invitee.id)).not.toBeNull();
  });

  it("an invite cannot be answered by an account with a different email", () => {
    const inviter = makeUser();
    const invitee = makeUser();
    const intruder = makeUser();
    const orgId = makeOrganisation(inviter.id);
    inviteToOrganisation(orgId, inviter.id, invitee.email);
    const inviteId = inviteIdFor(orgId, invitee.email);

    expect(answerInvite(inviteId, { id: intruder.id, email: intruder.email }, true)).toBeNull();
    expect(answerInvite(inviteId, { id: intruder.id, email: intruder.email }, false)).toBeNull();
    expect(isMember(orgId, intruder.id)).toBe(false);
    expect(invitesOf(orgId)).toHaveLength(1);
  });

  it("declining removes the invite without adding a membership", () => {
    const inviter = makeUser();
    const invitee = makeUser();
    const orgId = makeOrganisation(inviter.id, { name: "Decline Org" });
    inviteToOrganisation(orgId, inviter.id, invitee.email);
    const inviteId = inviteIdFor(orgId, invitee.email);

    expect(answerInvite(inviteId, invitee, false)).toEqual({ organisationId: orgId, name: "Decline Org" });
    expect(isMember(orgId, invitee.id)).toBe(false);
    expect(invitesOf(orgId)).toHaveLength(0);
    expect(answerInvite(inviteId, invitee, true)).toBeNull();
    expect(isMember(orgId, invitee.id)).toBe(false);
  });

  it("an expired invite is neither listed nor acceptable, and can be renewed", () => {
    const inviter = makeUser();
    const invitee = makeUser();
    const orgId = makeOrganisation(inviter.id);
    const longAgo = new Date(Date.now() - 30 * day);
    expect(inviteToOrganisation(orgId, inviter.id, invitee.email, longAgo)).toEqual({ ok: true });
    const inviteId = inviteIdFor(orgId, invitee.email);

    expect(listInvitesForEmail(invitee.email)).toEqual([]);
    expect(listPendingInvitesOfOrganisation(orgId)).toEqual([]);
    expect(answerInvite(inviteId, invitee, true)).toBeNull();
    expect(isMember(orgId, invitee.id)).toBe(false);

    // An expired invite no longer blocks a fresh one.
    expect(inviteToOrganisation(orgId, inviter.id, invitee.email)).toEqual({ ok: true });
    expect(invitesOf(orgId)).toHaveLength(1);
    expect(listInvitesForEmail(invitee.email)).toHaveLength(1);
  });

  it("an invite stops working once its lifetime has passed", () => {
    const inviter = makeUser();
    const invitee = makeUser();
    const orgId = makeOrganisation(inviter.id);
    const now = new Date();
    inviteToOrganisation(orgId, inviter.id, invitee.email, now);
    const inviteId = inviteIdFor(orgId, invitee.email);
    const later = new Date(now.getTime() + 15 * day);

    expect(listInvitesForEmail(invitee.email, new Date(now.getTime() + 13 * day))).toHaveLength(1);
    expect(listInvitesForEmail(invitee.email, later)).toEqual([]);
    expect(answerInvite(inviteId, invitee, true, later)).toBeNull();
    expect(isMember(orgId, invitee.id)).toBe(false);
    expect(invitesOf(orgId)).toHaveLength(1);
  });

  it("revokes an invite only through its own organisation", () => {
    const inviter = makeUser();
    const otherOwner = makeUser();
    const orgId = makeOrganisation(inviter.id);
    const otherOrgId = makeOrganisation(otherOwner.id);
    const email = `revoke-${Date.now()}@orgs.example`;
    inviteToOrganisation(orgId, inviter.id, email);
    const inviteId = inviteIdFor(orgId, email);

    expect(revokeInvite(otherOrgId, inviteId)).toBe(false);
    expect(invitesOf(orgId)).toHaveLength(1);

    expect(revokeInvite(orgId, inviteId)).toBe(true);
    expect(invitesOf(orgId)).toHaveLength(0);
    expect(revokeInvite(orgId, inviteId)).toBe(false);
  });
});
