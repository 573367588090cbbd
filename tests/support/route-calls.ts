/** Drives route modules the way Remix does: real Requests in, Responses (returned or thrown) out. */
import { expect } from "vitest";
import { createUserSession } from "~/auth.server";

const base = "http://localhost/";

type RouteArgs = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
export type Handler = (args: RouteArgs) => Promise<unknown>;

export async function call(handler: Handler, request: Request, params: Record<string, string> = {}) {
  try {
    const result = await handler({ request, params, context: {} });
    if (!(result instanceof Response)) throw new Error(`expected a Response, got ${JSON.stringify(result)}`);
    return { response: result, thrown: false };
  } catch (error) {
    if (error instanceof Response) return { response: error, thrown: true };
    throw error;
  }
}

export function get(path: string, cookie?: string) {
  return new Request(new URL(path, base), { headers: cookie ? { Cookie: cookie } : {} });
}

/** A form post as a browser sends it without JavaScript (dot-path names, urlencoded). */
export function post(path: string, fields: [string, string][], cookie?: string) {
  const headers = new Headers({ "Content-Type": "application/x-www-form-urlencoded" });
  if (cookie) headers.set("Cookie", cookie);
  return new Request(new URL(path, base), { method: "POST", headers, body: new URLSearchParams(fields) });
}

/** "tandem_session=abc; HttpOnly; ..." → "tandem_session=abc", as a browser sends it back. */
export async function sessionFor(userId: string) {
  const setCookie = await createUserSession(get("/"), userId);
  const cookie = setCookie.split(";")[0]!;
  expect(cookie).toMatch(/^tandem_session=.+/);
  return cookie;
}
