import { hash, verify } from "@node-rs/argon2";
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { redirect } from "@remix-run/node";
import { Lucia, type Session, type User } from "lucia";
import { getDb } from "~/db.server";
import { getEnv } from "~/env.server";
import { checkRateLimit, failedLoginPerAccount, recordRateLimitHit } from "~/models/rate-limit.server";
import { getUserById, getUserRoles } from "~/models/user.server";
import { safeRedirect } from "~/utils/safe-redirect";
import { sessions, users, type LocaleCode, type RoleName } from "~db/schema";

// OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 lane.
const argon2Options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string) {
  return hash(password, argon2Options);
}

export function verifyPassword(passwordHash: string, password: string) {
  return verify(passwordHash, password).catch(() => false);
}

function createLucia() {
  const adapter = new DrizzleSQLiteAdapter(getDb(), sessions, users);
  return new Lucia(adapter, {
    sessionCookie: {
      name: "tandem_session",
      // Secure is decided per request in sessionCookieHeader, so plain-HTTP local use still works.
      attributes: { secure: false, sameSite: "lax" },
    },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      name: attributes.name,
      locale: attributes.locale,
      timeZone: attributes.timeZone,
      humhubUsername: attributes.humhubUsername,
    }),
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: {
      email: string;
      name: string;
      locale: LocaleCode;
      timeZone: string;
      humhubUsername: string | null;
    };
  }
}

let lucia: ReturnType<typeof createLucia> | undefined;
export function getLucia() {
  lucia ??= createLucia();
  return lucia;
}

export function isSecureRequest(request: Request) {
  return getEnv().COOKIE_SECURE ?? new URL(request.url).protocol === "https:";
}

function withSecureFlag(request: Request, serialized: string) {
  return isSecureRequest(request) ? `${serialized}; Secure` : serialized;
}

export async function createUserSession(request: Request, userId: string) {
  const session = await getLucia().createSession(userId, {});
  return withSecureFlag(request, getLucia().createSessionCookie(session.id).serialize());
}

type AuthenticatedUser = User & { roles: RoleName[] };

type Authentication = { user: AuthenticatedUser; session: Session; setCookie?: string };

// Remix calls several loaders for one request; memoise so the session is validated once.
const authenticationByRequest = new WeakMap<Request, Promise<Authentication | null>>();

async function authenticate(request: Request): Promise<Authentication | null> {
  const sessionId = getLucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!sessionId) return null;
  const { session, user } = await getLucia().validateSession(sessionId);
  if (!session || !user) return null;
  const setCookie = session.fresh
    ? withSecureFlag(request, getLucia().createSessionCookie(session.id).serialize())
    : undefined;
  return { user: { ...user, roles: getUserRoles(user.id) }, session, setCookie };
}

export function getAuthentication(request: Request) {
  let pending = authenticationByRequest.get(request);
  if (!pending) {
    pending = authenticate(request);
    authenticationByRequest.set(request, pending);
  }
  return pending;
}

export async function getUser(request: Request) {
  return (await getAuthentication(request))?.user ?? null;
}

export function loginPath(request: Request) {
  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  return `/login?${new URLSearchParams({ redirectTo })}`;
}

export async function requireUser(request: Request) {
  const user = await getUser(request);
  if (!user) throw redirect(loginPath(request));
  return user;
}

export async function requireRole(request: Request, role: RoleName) {
  const user = await requireUser(request);
  if (!user.roles.includes(role)) {
    throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

export async function requireAnonymous(request: Request) {
  const user = await getUser(request);
  if (user) throw redirect("/dashboard");
}

/** Ends the current session; returns the Set-Cookie header that clears it in the browser. */
export async function endSession(request: Request) {
  const authentication = await getAuthentication(request);
  if (authentication) await getLucia().invalidateSession(authentication.session.id);
  return withSecureFlag(request, getLucia().createBlankSessionCookie().serialize());
}

export async function logoutOtherSessions(userId: string, keepSessionId: string) {
  const all = await getLucia().getUserSessions(userId);
  await Promise.all(
    all.filter((s) => s.id !== keepSessionId).map((s) => getLucia().invalidateSession(s.id)),
  );
}

export async function redirectWithNewSession(request: Request, userId: string, to: string | null) {
  return redirect(safeRedirect(to, "/dashboard"), {
    headers: { "Set-Cookie": await createUserSession(request, userId) },
  });
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a login. An unknown email still costs one hash verification, so response times do not
 * tell which addresses have accounts.
 */
export async function verifyLogin(user: { passwordHash: string } | null, password: string) {
  if (user) return verifyPassword(user.passwordHash, password);
  dummyHash ??= hashPassword("tandem-timing-equaliser");
  await verifyPassword(await dummyHash, password);
  return false;
}

export type CurrentPasswordCheck = { ok: true } | { ok: false; reason: "wrong" } | { ok: false; reason: "rateLimited"; retryAfterMinutes: number };

/**
 * For changes a signed-in person must confirm with their password (a new password, deleting the account): wrong
 * guesses count against the same per-account limit as log-ins, so a borrowed, unlocked device cannot try many.
 */
export async function verifyCurrentPassword(user: { id: string; email: string }, password: string): Promise<CurrentPasswordCheck> {
  const limit = checkRateLimit(failedLoginPerAccount, user.email);
  if (limit.limited) return { ok: false, reason: "rateLimited", retryAfterMinutes: limit.retryAfterMinutes };
  const stored = getUserById(user.id);
  if (stored && (await verifyPassword(stored.passwordHash, password))) return { ok: true };
  recordRateLimitHit(failedLoginPerAccount, user.email);
  return { ok: false, reason: "wrong" };
}
