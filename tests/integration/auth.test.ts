/**
 * Drives the real route modules with real Request objects, the way Remix calls them.
 * Loaders and actions throw Responses for redirects and refusals; `call` turns both outcomes
 * into one Response so tests can assert status and headers.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createUserSession, hashPassword, verifyPassword } from "~/auth.server";
import { getDb } from "~/db.server";
import { createUser, getUserById, getUserRoles } from "~/models/user.server";
import * as dashboardRoute from "~/routes/dashboard";
import * as loginRoute from "~/routes/login";
import * as settingsRoute from "~/routes/settings";
import * as signupRoute from "~/routes/signup";
import * as teamMembersRoute from "~/routes/team.members";
import { sessions, userRoles, users, type RoleName } from "~db/schema";

const base = "http://localhost/";
const password = "correct horse battery";
let counter = 0;

function uniqueEmail(prefix = "auth") {
  counter += 1;
  return `${prefix}-${counter}-${Date.now()}@auth.example`;
}

/** A fresh address per test, so per-IP limits of one test never leak into another. */
function uniqueIp() {
  counter += 1;
  return `198.51.100.${counter % 250}`;
}

type RouteArgs = { request: Request; params: Record<string, string>; context: { clientIp: string } };
type Handler = (args: RouteArgs) => Promise<unknown>;

async function call(handler: Handler, request: Request, clientIp = "203.0.113.5") {
  try {
    const result = await handler({ request, params: {}, context: { clientIp } });
    if (!(result instanceof Response)) throw new Error(`expected a Response, got ${JSON.stringify(result)}`);
    return { response: result, thrown: false };
  } catch (error) {
    if (error instanceof Response) return { response: error, thrown: true };
    throw error;
  }
}

function post(path: string, fields: [string, string][] | Record<string, string>, options: { cookie?: string; url?: string } = {}) {
  const headers = new Headers({ "Content-Type": "application/x-www-form-urlencoded" });
  if (options.cookie) headers.set("Cookie", options.cookie);
  return new Request(new URL(path, options.url ?? base), {
    method: "POST",
    headers,
    body: new URLSearchParams(fields),
  });
}

function get(path: string, cookie?: string) {
  return new Request(new URL(path, base), { headers: cookie ? { Cookie: cookie } : {} });
}

function sessionCookieFrom(response: Response) {
  return response.headers.getSetCookie().find((cookie) => cookie.startsWith("tandem_session="));
}

/** "tandem_session=abc; HttpOnly; ..." → "tandem_session=abc", as a browser would send it back. */
function asRequestCookie(setCookie: string) {
  return setCookie.split(";")[0]!;
}

function sessionIdOf(cookie: string) {
  return asRequestCookie(cookie).slice("tandem_session=".length);
}

function userCount(email: string) {
  return getDb().select().from(users).where(eq(users.email, email)).all().length;
}

async function makeUser(roles: RoleName[] = ["requester"], email = uniqueEmail()) {
  const created = createUser({
    name: "Route Tester",
    email,
    passwordHash: await hashPassword(password),
    locale: "de",
    timeZone: "Europe/Berlin",
    roles: roles.filter((role) => role !== "team"),
  });
  if (!created) throw new Error("test user could not be created");
  if (roles.includes("team")) getDb().insert(userRoles).values({ userId: created.id, role: "team" }).run();
  return created;
}

async function sessionFor(userId: string) {
  return asRequestCookie(await createUserSession(get("/"), userId));
}

function signupFields(email: string): [string, string][] {
  return [
    ["name", "Neue Person"],
    ["email", email],
    ["password", "ein sehr langes Passwort"],
    ["locale", "en"],
    ["timeZone", "Europe/Berlin"],
    ["roles", "coach"],
    ["roles", "requester"],
    ["consent", "on"],
  ];
}

describe("signup", () => {
  it("creates the account and signs in with a HttpOnly, SameSite=Lax cookie (no Secure over http)", async () => {
    const email = uniqueEmail("signup");
    const { response, thrown } = await call(signupRoute.action, post("/signup", signupFields(` ${email.toUpperCase()} `)), uniqueIp());

    expect(thrown).toBe(false);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/dashboard");
    const cookie = sessionCookieFrom(response);
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).not.toMatch(/;\s*Secure/i);

    const user = getDb().select().from(users).where(eq(users.email, email)).get();
    expect(user).toMatchObject({ name: "Neue Person", locale: "en", timeZone: "Europe/Berlin" });
    expect(getUserRoles(user!.id)).toEqual(["coach", "requester"]);
    expect(await verifyPassword(user!.passwordHash, "ein sehr langes Passwort")).toBe(true);
    const session = getDb().select().from(sessions).where(eq(sessions.id, sessionIdOf(cookie!))).get();
    expect(session?.userId).toBe(user!.id);
  });

  it("marks the session cookie Secure when the request came over https", async () => {
    const email = uniqueEmail("secure");
    const request = post("/signup", signupFields(email), { url: "https://tandem.example/" });
    const { response } = await call(signupRoute.action, request, uniqueIp());

    expect(response.status).toBe(302);
    expect(sessionCookieFrom(response)).toMatch(/;\s*Secure/i);
  });

  it("answers invalid data with 400 and field errors, and creates nobody", async () => {
    const email = uniqueEmail("invalid");
    const fields: [string, string][] = [
      ["name", ""],
      ["email", email],
      ["password", "short"],
      ["locale", "fr"],
      ["timeZone", "Mars/Olympus"],
    ];
    const { response } = await call(signupRoute.action, post("/signup", fields), uniqueIp());

    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toMatchObject({
      name: expect.any(String),
      password: "errors.passwordTooShort",
      locale: "errors.localeInvalid",
      timeZone: "errors.timeZoneInvalid",
      roles: "errors.rolesRequired",
      consent: "errors.consentRequired",
    });
    expect(body.values).not.toHaveProperty("password");
    expect(sessionCookieFrom(response)).toBeUndefined();
    expect(userCount(email)).toBe(0);
  });

  it("refuses an email that already has an account, in any case", async () => {
    const existing = await makeUser();
    const { response } = await call(signupRoute.action, post("/signup", signupFields(existing.email.toUpperCase())), uniqueIp());

    expect(response.status).toBe(400);
    expect((await response.json()).errors.email).toBe("errors.emailTaken");
    expect(sessionCookieFrom(response)).toBeUndefined();
    expect(userCount(existing.email)).toBe(1);
  });
});

describe("signup rate limit", () => {
  it("refuses the 11th sign-up from one address within an hour, and creates nobody", async () => {
    const ip = uniqueIp();
    for (let signup = 1; signup <= 10; signup++) {
      const { response } = await call(signupRoute.action, post("/signup", signupFields(uniqueEmail("burst"))), ip);
      expect(response.status).toBe(302);
    }
    const email = uniqueEmail("burst-11");
    const { response } = await call(signupRoute.action, post("/signup", signupFields(email)), ip);

    expect(response.status).toBe(429);
    expect((await response.json()).formError.key).toBe("errors.rateLimited");
    expect(userCount(email)).toBe(0);
    const other = await call(signupRoute.action, post("/signup", signupFields(uniqueEmail("other-ip"))), uniqueIp());
    expect(other.response.status).toBe(302);
  });

  it("refuses the 6th sign-up attempt for one email within an hour, from any address", async () => {
    const existing = await makeUser();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const { response } = await call(signupRoute.action, post("/signup", signupFields(existing.email)), uniqueIp());
      expect((await response.json()).errors.email).toBe("errors.emailTaken");
    }
    const { response } = await call(signupRoute.action, post("/signup", signupFields(existing.email)), uniqueIp());
    expect(response.status).toBe(429);
    expect((await response.json()).formError.key).toBe("errors.rateLimited");
  });
});

describe("login", () => {
  function loginRequest(email: string, pass: string, redirectTo = "") {
    return post("/login", { email, password: pass, redirectTo });
  }

  it("signs in with the right password and follows a same-site redirectTo", async () => {
    const user = await makeUser();
    const { response } = await call(loginRoute.action, loginRequest(user.email.toUpperCase(), password, "/organisations?tab=1"), uniqueIp());

    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/organisations?tab=1");
    const cookie = sessionCookieFrom(response);
    expect(cookie).toMatch(/HttpOnly/i);
    const session = getDb().select().from(sessions).where(eq(sessions.id, sessionIdOf(cookie!))).get();
    expect(session?.userId).toBe(user.id);
  });

  it("ignores an off-site redirectTo and goes to the dashboard", async () => {
    const user = await makeUser();
    const { response } = await call(loginRoute.action, loginRequest(user.email, password, "https://evil.example"), uniqueIp());

    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/dashboard");
  });

  it("rejects a wrong password with 400 and no session", async () => {
    const user = await makeUser();
    const sessionsBefore = getDb().select().from(sessions).where(eq(sessions.userId, user.id)).all().length;
    const { response } = await call(loginRoute.action, loginRequest(user.email, "wrong password!"), uniqueIp());

    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.formError).toEqual({ key: "errors.loginFailed", count: 0 });
    expect(body.values).not.toHaveProperty("password");
    expect(sessionCookieFrom(response)).toBeUndefined();
    expect(getDb().select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(sessionsBefore);
  });

  it("answers an unknown email exactly like a wrong password", async () => {
    const user = await makeUser();
    const wrongPassword = await call(loginRoute.action, loginRequest(user.email, "wrong password!"), uniqueIp());
    const unknownEmail = await call(loginRoute.action, loginRequest(uniqueEmail("nobody"), "wrong password!"), uniqueIp());

    expect(unknownEmail.response.status).toBe(wrongPassword.response.status);
    const [known, unknown] = [await wrongPassword.response.json(), await unknownEmail.response.json()];
    expect(Object.keys(unknown).sort()).toEqual(Object.keys(known).sort());
    expect(unknown.errors).toEqual(known.errors);
    expect(unknown.formError).toEqual(known.formError);
    expect(sessionCookieFrom(unknownEmail.response)).toBeUndefined();
  });

  it("refuses the 11th attempt for one account within 15 minutes, even with the right password", async () => {
    const user = await makeUser();
    for (let attempt = 1; attempt <= 10; attempt++) {
      // A different address each time, so only the per-account limit can apply.
      const { response } = await call(loginRoute.action, loginRequest(user.email, `wrong ${attempt} password`), uniqueIp());
      expect(response.status).toBe(400);
    }

    const { response } = await call(loginRoute.action, loginRequest(user.email, password), uniqueIp());

    expect(response.status).toBe(429);
    const body = await response.json();
    expect(body.formError.key).toBe("errors.rateLimited");
    expect(body.formError.count).toBeGreaterThanOrEqual(1);
    expect(body.formError.count).toBeLessThanOrEqual(15);
    expect(Number(response.headers.get("Retry-After"))).toBe(body.formError.count * 60);
    expect(sessionCookieFrom(response)).toBeUndefined();
    expect(getDb().select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(0);
  });

  it("sends a signed-in visitor away from the login form", async () => {
    const user = await makeUser();
    const { response, thrown } = await call(loginRoute.loader, get("/login", await sessionFor(user.id)));

    expect(thrown).toBe(true);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/dashboard");
  });
});

describe("protected loaders", () => {
  it("redirects an anonymous visitor from the dashboard to the login page", async () => {
    const { response, thrown } = await call(dashboardRoute.loader, get("/dashboard"));

    expect(thrown).toBe(true);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fdashboard");
  });

  it("treats an unknown session id as anonymous", async () => {
    const { response, thrown } = await call(dashboardRoute.loader, get("/dashboard", "tandem_session=doesnotexist"));

    expect(thrown).toBe(true);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fdashboard");
  });

  it("shows the dashboard to a signed-in user", async () => {
    const user = await makeUser(["coach"]);
    const { response, thrown } = await call(dashboardRoute.loader, get("/dashboard", await sessionFor(user.id)));

    expect(thrown).toBe(false);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: "Route Tester", roles: ["coach"], userCount: null });
  });

  it("forbids the team member list to a requester", async () => {
    const requester = await makeUser(["requester"]);
    const { response, thrown } = await call(teamMembersRoute.loader, get("/team/members", await sessionFor(requester.id)));

    expect(thrown).toBe(true);
    expect(response.status).toBe(403);
  });

  it("shows the team member list to a team member", async () => {
    const teamMember = await makeUser(["team", "coach"]);
    const { response, thrown } = await call(
      teamMembersRoute.loader,
      get(`/team/members?q=${encodeURIComponent(teamMember.email)}`, await sessionFor(teamMember.id)),
    );

    expect(thrown).toBe(false);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.currentUserId).toBe(teamMember.id);
    expect(body.people).toEqual([
      { id: teamMember.id, name: "Route Tester", email: teamMember.email, roles: ["coach", "team"] },
    ]);
  });

  it("refuses a team role change from a requester and leaves roles unchanged", async () => {
    const requester = await makeUser(["requester"]);
    const request = post("/team/members", { intent: "grant", userId: requester.id }, { cookie: await sessionFor(requester.id) });
    const { response, thrown } = await call(teamMembersRoute.action, request);

    expect(thrown).toBe(true);
    expect(response.status).toBe(403);
    expect(getUserRoles(requester.id)).toEqual(["requester"]);
  });
});

describe("settings", () => {
  it("updates the profile", async () => {
    const user = await makeUser(["requester"]);
    const cookie = await sessionFor(user.id);
    const request = post(
      "/settings",
      [
        ["intent", "profile"],
        ["name", "Renamed Person"],
        ["locale", "en"],
        ["timeZone", "America/Chicago"],
        ["humhubUsername", "renamed.person"],
        ["roles", "coach"],
      ],
      { cookie },
    );
    const { response } = await call(settingsRoute.action, request);

    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/settings");
    expect(getUserById(user.id)).toMatchObject({
      name: "Renamed Person",
      locale: "en",
      timeZone: "America/Chicago",
      humhubUsername: "renamed.person",
    });
    expect(getUserRoles(user.id)).toEqual(["coach"]);
  });

  it("does not let a user give themselves the team role", async () => {
    const user = await makeUser(["requester"]);
    const request = post(
      "/settings",
      [
        ["intent", "profile"],
        ["name", "Sneaky"],
        ["locale", "de"],
        ["timeZone", "Europe/Berlin"],
        ["roles", "team"],
      ],
      { cookie: await sessionFor(user.id) },
    );
    const { response } = await call(settingsRoute.action, request);

    expect(response.status).toBe(400);
    expect(getUserRoles(user.id)).toEqual(["requester"]);
    expect(getUserById(user.id)?.name).toBe("Route Tester");
  });

  function passwordChange(cookie: string, currentPassword: string) {
    return post(
      "/settings",
      {
        intent: "password",
        currentPassword,
        newPassword: "a brand new passphrase",
        newPasswordConfirm: "a brand new passphrase",
      },
      { cookie },
    );
  }

  it("refuses a password change with the wrong current password", async () => {
    const user = await makeUser();
    const hashBefore = getUserById(user.id)!.passwordHash;
    const { response } = await call(settingsRoute.action, passwordChange(await sessionFor(user.id), "not my password"));

    expect(response.status).toBe(400);
    expect((await response.json()).errors.currentPassword).toBe("errors.passwordWrong");
    expect(getUserById(user.id)!.passwordHash).toBe(hashBefore);
  });

  it("changes the password and signs out the user's other sessions only", async () => {
    const user = await makeUser();
    const bystander = await makeUser();
    const hashBefore = getUserById(user.id)!.passwordHash;
    const current = await sessionFor(user.id);
    const otherDevice = await sessionFor(user.id);
    const bystanderSession = await sessionFor(bystander.id);

    const { response } = await call(settingsRoute.action, passwordChange(current, password));

    expect(response.status).toBe(302);
    const stored = getUserById(user.id)!;
    expect(stored.passwordHash).not.toBe(hashBefore);
    expect(await verifyPassword(stored.passwordHash, "a brand new passphrase")).toBe(true);
    expect(await verifyPassword(stored.passwordHash, password)).toBe(false);

    const remaining = getDb().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id)).all();
    expect(remaining.map((row) => row.id)).toEqual([sessionIdOf(current)]);
    expect(remaining.map((row) => row.id)).not.toContain(sessionIdOf(otherDevice));
    expect(getDb().select().from(sessions).where(eq(sessions.id, sessionIdOf(bystanderSession))).get()).toBeDefined();

    const stillSignedIn = await call(dashboardRoute.loader, get("/dashboard", current));
    expect(stillSignedIn.response.status).toBe(200);
    const signedOut = await call(dashboardRoute.loader, get("/dashboard", otherDevice));
    expect(signedOut.response.status).toBe(302);
  });
});
