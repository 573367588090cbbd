import { and, asc, eq, gt, sql } from "drizzle-orm";
import { getDb } from "~/db.server";
import { normaliseEmail } from "~/models/user.server";
import {
  memberships,
  organisationInvites,
  organisations,
  users,
  type OrganisationKind,
  type OrganisationSizeBand,
  type RegionCode,
} from "~db/schema";

const inviteLifetimeMs = 14 * 24 * 60 * 60 * 1000;

export type NewOrganisation = {
  name: string;
  kind: OrganisationKind;
  sizeBand: OrganisationSizeBand;
  region: RegionCode;
  website: string | null;
};

export function createOrganisation(userId: string, input: NewOrganisation) {
  return getDb().transaction((tx) => {
    const id = crypto.randomUUID();
    tx.insert(organisations).values({ id, ...input, createdByUserId: userId }).run();
    tx.insert(memberships).values({ organisationId: id, userId }).run();
    return id;
  });
}

export function listOrganisationsForUser(userId: string) {
  // Counted per listed organisation through the primary key; a grouped count would read every membership on each page.
  const memberCount = sql<number>`(select count(*) from ${memberships} as counted where counted.organisation_id = ${organisations.id})`;
  return getDb()
    .select({
      id: organisations.id,
      name: organisations.name,
      kind: organisations.kind,
      region: organisations.region,
      memberCount,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organisations.name))
    .all();
}

/** The organisation, only if the user is a member of it. */
export function getOrganisationForMember(organisationId: string, userId: string) {
  return (
    getDb()
      .select({
        id: organisations.id,
        name: organisations.name,
        kind: organisations.kind,
        sizeBand: organisations.sizeBand,
        region: organisations.region,
        website: organisations.website,
      })
      .from(organisations)
      .innerJoin(
        memberships,
        and(eq(memberships.organisationId, organisations.id), eq(memberships.userId, userId)),
      )
      .where(eq(organisations.id, organisationId))
      .get() ?? null
  );
}

export function listMembers(organisationId: string) {
  return getDb()
    .select({ id: users.id, name: users.name, humhubUsername: users.humhubUsername })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organisationId, organisationId))
    .orderBy(asc(users.name))
    .all();
}

export function listPendingInvitesOfOrganisation(organisationId: string, now = new Date()) {
  return getDb()
    .select({ id: organisationInvites.id, email: organisationInvites.email, expiresAt: organisationInvites.expiresAt })
    .from(organisationInvites)
    .where(and(eq(organisationInvites.organisationId, organisationId), gt(organisationInvites.expiresAt, now)))
    .orderBy(asc(organisationInvites.email))
    .all();
}

export type InviteResult = { ok: true } | { ok: false; reason: "alreadyMember" | "alreadyInvited" };

/** The caller must have checked membership with getOrganisationForMember. */
export function inviteToOrganisation(organisationId: string, invitedByUserId: string, rawEmail: string, now = new Date()): InviteResult {
  const email = normaliseEmail(rawEmail);
  return getDb().transaction((tx) => {
    const member = tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organisationId, organisationId), eq(users.email, email)))
      .get();
    if (member) return { ok: false, reason: "alreadyMember" } as const;
    const existing = tx
      .select({ id: organisationInvites.id, expiresAt: organisationInvites.expiresAt })
      .from(organisationInvites)
      .where(and(eq(organisationInvites.organisationId, organisationId), eq(organisationInvites.email, email)))
      .get();
    if (existing && existing.expiresAt > now) return { ok: false, reason: "alreadyInvited" } as const;
    if (existing) tx.delete(organisationInvites).where(eq(organisationInvites.id, existing.id)).run();
    tx.insert(organisationInvites)
      .values({
        id: crypto.randomUUID(),
        organisationId,
        email,
        invitedByUserId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + inviteLifetimeMs),
      })
      .run();
    return { ok: true } as const;
  });
}

export function revokeInvite(organisationId: string, inviteId: string) {
  const result = getDb()
    .delete(organisationInvites)
    .where(and(eq(organisationInvites.id, inviteId), eq(organisationInvites.organisationId, organisationId)))
    .run();
  return result.changes > 0;
}

export function listInvitesForEmail(email: string, now = new Date()) {
  return getDb()
    .select({
      id: organisationInvites.id,
      organisationName: organisations.name,
      invitedByName: users.name,
      expiresAt: organisationInvites.expiresAt,
    })
    .from(organisationInvites)
    .innerJoin(organisations, eq(organisations.id, organisationInvites.organisationId))
    .leftJoin(users, eq(users.id, organisationInvites.invitedByUserId))
    .where(and(eq(organisationInvites.email, normaliseEmail(email)), gt(organisationInvites.expiresAt, now)))
    .orderBy(asc(organisations.name))
    .all();
}

/** Accepts or declines an invite addressed to this user's email; null when there is no such invite. */
export function answerInvite(inviteId: string, user: { id: string; email: string }, accept: boolean, now = new Date()) {
  return getDb().transaction((tx) => {
    const invite = tx
      .select({ organisationId: organisationInvites.organisationId, name: organisations.name })
      .from(organisationInvites)
      .innerJoin(organisations, eq(organisations.id, organisationInvites.organisationId))
      .where(
        and(
          eq(organisationInvites.id, inviteId),
          eq(organisationInvites.email, normaliseEmail(user.email)),
          gt(organisationInvites.expiresAt, now),
        ),
      )
      .get();
    if (!invite) return null;
    tx.delete(organisationInvites).where(eq(organisationInvites.id, inviteId)).run();
    if (accept) {
      tx.insert(memberships)
        .values({ organisationId: invite.organisationId, userId: user.id })
        .onConflictDoNothing()
        .run();
    }
    return { organisationId: invite.organisationId, name: invite.name };
  });
}
