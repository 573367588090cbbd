/**
 * Tandem users' HumHub accounts: the user name a person stores in their settings, resolved through HumHub's API to
 * the id, guid and profile that mentions and notifications need. The lookup is a network call, so it runs outside
 * any database transaction; the answer is written only if the name is still the one that was looked up.
 */
import { eq, isNotNull } from "drizzle-orm";
import { getDb } from "~/db.server";
import { findUserByUsername, type HumhubFailure } from "~/humhub.server";
import { getHumhubConnection } from "~/models/humhub-settings.server";
import { humhubAccounts, users } from "~db/schema";

/**
 * Why a name is not resolved: HumHub has no such user; the token lacks HumHub's "Manage users" right (only such a
 * token may look users up); HumHub is not configured; or HumHub could not be asked (down, slow, token refused).
 */
export type HumhubAccountProblem = "notFound" | "notAllowed" | "notConnected" | "unreachable";

export type HumhubAccount = typeof humhubAccounts.$inferSelect;

function problemFor(failure: HumhubFailure): HumhubAccountProblem {
  if (failure.kind === "notFound") return "notFound";
  if (failure.kind === "forbidden") return "notAllowed";
  return "unreachable";
}

export function getHumhubAccount(userId: string): HumhubAccount | null {
  return getDb().select().from(humhubAccounts).where(eq(humhubAccounts.userId, userId)).get() ?? null;
}

export type HumhubResolution = { outcome: "found" | HumhubAccountProblem | "cleared" | "superseded"; account: HumhubAccount | null };

/**
 * Looks `username` up in HumHub and stores what HumHub answered, or why it could not; a cleared name removes the
 * row. When HumHub cannot be asked, an earlier resolution of the same name stays: an outage must not cost people
 * their mentions. "superseded": the person changed the name meanwhile, and that newer save resolves its own.
 */
export async function resolveHumhubAccount(userId: string, username: string | null, now = new Date()): Promise<HumhubResolution> {
  const name = username?.trim() ?? "";
  if (name === "") {
    getDb().delete(humhubAccounts).where(eq(humhubAccounts.userId, userId)).run();
    return { outcome: "cleared", account: null };
  }
  const connection = getHumhubConnection();
  const answer = connection ? await findUserByUsername(connection, name) : null;
  const outcome = answer === null ? "notConnected" : answer.ok ? "found" : problemFor(answer.failure);
  const resolved = answer?.ok
    ? { humhubUserId: answer.value.id, guid: answer.value.guid, displayName: answer.value.displayName, profileUrl: answer.value.url, problem: null }
    : { humhubUserId: null, guid: null, displayName: null, profileUrl: null, problem: outcome };

  return getDb().transaction((tx): HumhubResolution => {
    const current = tx.select({ username: users.humhubUsername }).from(users).where(eq(users.id, userId)).get();
    const existing = tx.select().from(humhubAccounts).where(eq(humhubAccounts.userId, userId)).get() ?? null;
    if (current?.username?.trim() !== name) return { outcome: "superseded", account: existing };
    const cannotAsk = outcome === "unreachable" || outcome === "notConnected";
    if (cannotAsk && existing?.username === name && existing.problem === null) return { outcome, account: existing };
    const values = { username: name, ...resolved, checkedAt: now };
    tx.insert(humhubAccounts)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: humhubAccounts.userId, set: values })
      .run();
    return { outcome, account: tx.select().from(humhubAccounts).where(eq(humhubAccounts.userId, userId)).get() ?? null };
  });
}

export type ResolveAllReport = Record<"found" | "notFound" | "notAllowed" | "unchecked", number>;

/**
 * Resolves every stored user name again, one after another (HumHub is one server; a burst helps nobody). Stops at
 * the first name HumHub could not be asked about, since the rest would wait for the same timeout: those count as
 * unchecked and keep their earlier state.
 */
export async function resolveAllHumhubAccounts(now = new Date()): Promise<ResolveAllReport> {
  const people = getDb()
    .select({ id: users.id, username: users.humhubUsername })
    .from(users)
    .where(isNotNull(users.humhubUsername))
    .all()
    .filter((person) => person.username?.trim());
  const report: ResolveAllReport = { found: 0, notFound: 0, notAllowed: 0, unchecked: 0 };
  for (const [index, person] of people.entries()) {
    const { outcome } = await resolveHumhubAccount(person.id, person.username, now);
    if (outcome === "found" || outcome === "notFound" || outcome === "notAllowed") report[outcome]++;
    else if (outcome === "superseded") report.unchecked++;
    else {
      report.unchecked += people.length - index;
      break;
    }
  }
  return report;
}

/** How many people gave a HumHub user name, and how their names stand (by outcome); for the team's page. */
export function countHumhubAccounts() {
  const rows = getDb()
    .select({ problem: humhubAccounts.problem, username: humhubAccounts.username, current: users.humhubUsername })
    .from(users)
    .leftJoin(humhubAccounts, eq(humhubAccounts.userId, users.id))
    .where(isNotNull(users.humhubUsername))
    .all();
  const counts = { withName: 0, found: 0, notFound: 0, notAllowed: 0, unchecked: 0 };
  for (const row of rows) {
    if (!row.current?.trim()) continue;
    counts.withName++;
    // A row for an older name, or one HumHub was never asked about, counts as not checked yet.
    if (row.username !== row.current.trim() || row.problem === "notConnected" || row.problem === "unreachable") counts.unchecked++;
    else if (row.problem === "notFound" || row.problem === "notAllowed") counts[row.problem]++;
    else counts.found++;
  }
  return counts;
}
