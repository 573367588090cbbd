import { and, asc, count, eq, isNull, or, sql } from "drizzle-orm";
import { getDb } from "~/db.server";
import { recordAuditEvent } from "~/models/audit.server";
import { userRoles, users, type LocaleCode, type RoleName } from "~db/schema";

export function normaliseEmail(email: string) {
  return email.trim().toLowerCase();
}

export function getUserRoles(userId: string): RoleName[] {
  return getDb()
    .select({ role: userRoles.role })
    .from(userRoles)
    .where(eq(userRoles.userId, userId))
    .orderBy(asc(userRoles.role))
    .all()
    .map((row) => row.role);
}

export function getUserByEmail(email: string) {
  return getDb().select().from(users).where(eq(users.email, normaliseEmail(email))).get() ?? null;
}

export function getUserById(userId: string) {
  return getDb().select().from(users).where(eq(users.id, userId)).get() ?? null;
}

export type NewUser = {
  name: string;
  email: string;
  passwordHash: string;
  locale: LocaleCode;
  timeZone: string;
  roles: RoleName[];
};

/** Returns null when the email is taken, so callers can answer without revealing more. */
export function createUser(input: NewUser) {
  const db = getDb();
  return db.transaction((tx) => {
    const email = normaliseEmail(input.email);
    const taken = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
    if (taken) return null;
    const id = crypto.randomUUID();
    tx.insert(users)
      .values({
        id,
        email,
        name: input.name,
        passwordHash: input.passwordHash,
        locale: input.locale,
        timeZone: input.timeZone,
        privacyConsentAt: new Date(),
      })
      .run();
    for (const role of new Set(input.roles)) {
      tx.insert(userRoles).values({ userId: id, role }).run();
    }
    return { id, email };
  });
}

export type ProfileUpdate = {
  name: string;
  locale: LocaleCode;
  timeZone: string;
  humhubUsername: string | null;
  roles: Extract<RoleName, "requester" | "coach">[];
};

/** Updates the user's own profile; the team role is never touched here. */
export function updateProfile(userId: string, profile: ProfileUpdate) {
  getDb().transaction((tx) => {
    tx.update(users)
      .set({
        name: profile.name,
        locale: profile.locale,
        timeZone: profile.timeZone,
        humhubUsername: profile.humhubUsername,
      })
      .where(eq(users.id, userId))
      .run();
    for (const role of ["requester", "coach"] as const) {
      if (profile.roles.includes(role)) {
        tx.insert(userRoles).values({ userId, role }).onConflictDoNothing().run();
      } else {
        tx.delete(userRoles)
          .where(and(eq(userRoles.userId, userId), eq(userRoles.role, role)))
          .run();
      }
    }
  });
}

export function updateLocale(userId: string, locale: LocaleCode) {
  getDb().update(users).set({ locale }).where(eq(users.id, userId)).run();
}

export function updatePasswordHash(userId: string, passwordHash: string) {
  getDb().update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
}

export function countUsers() {
  return getDb().select({ value: count() }).from(users).get()?.value ?? 0;
}

export function listUsersWithRoles(search: string) {
  const db = getDb();
  const needle = search.trim().toLocaleLowerCase("de");
  const rows = db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(
      and(
        // A deleted account's tombstone is nobody the team can give a role to.
        isNull(users.deletedAt),
        needle
          ? or(
              sql`instr(unicode_lower(${users.name}), ${needle}) > 0`,
              sql`instr(${users.email}, ${needle}) > 0`,
            )
          : undefined,
      ),
    )
    .orderBy(asc(users.name))
    .limit(200)
    .all();
  return rows.map((row) => ({ ...row, roles: getUserRoles(row.id) }));
}

type Reader = Pick<ReturnType<typeof getDb>, "select">;

function isTeamMember(reader: Reader, userId: string) {
  return Boolean(reader.select({ userId: userRoles.userId }).from(userRoles).where(and(eq(userRoles.userId, userId), eq(userRoles.role, "team"))).get());
}

/** The community must keep a team: its last member can neither lose the role nor delete their account. */
export function isLastTeamMember(reader: Reader, userId: string) {
  if (!isTeamMember(reader, userId)) return false;
  return (reader.select({ value: count() }).from(userRoles).where(eq(userRoles.role, "team")).get()?.value ?? 0) <= 1;
}

export type TeamRoleChange =
  | { ok: true; name: string }
  | { ok: false; reason: "userNotFound" | "cannotRevokeSelf" | "lastTeamMember" | "notTeamMember" };

export function setTeamRole(actorUserId: string, subjectUserId: string, grant: boolean): TeamRoleChange {
  return getDb().transaction((tx) => {
    const subject = tx
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(eq(users.id, subjectUserId))
      .get();
    if (!subject) return { ok: false, reason: "userNotFound" } as const;
    if (grant) {
      const inserted = tx
        .insert(userRoles)
        .values({ userId: subject.id, role: "team", grantedByUserId: actorUserId })
        .onConflictDoNothing()
        .run();
      // Granting twice (two team members clicking at once) is fine but is not a second change.
      if (inserted.changes === 0) return { ok: true, name: subject.name } as const;
    } else {
      if (subject.id === actorUserId) return { ok: false, reason: "cannotRevokeSelf" } as const;
      if (!isTeamMember(tx, subject.id)) return { ok: false, reason: "notTeamMember" } as const;
      if (isLastTeamMember(tx, subject.id)) return { ok: false, reason: "lastTeamMember" } as const;
      tx.delete(userRoles)
        .where(and(eq(userRoles.userId, subject.id), eq(userRoles.role, "team")))
        .run();
    }
    recordAuditEvent(tx, {
      actorUserId,
      subjectUserId: subject.id,
      action: grant ? "team_role.granted" : "team_role.revoked",
    });
    return { ok: true, name: subject.name } as const;
  });
}
