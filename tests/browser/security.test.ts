import { describe, expect, it } from "vitest";
import { baseUrl, nextClientIp, uniqueEmail } from "../support/browser-session";

const actionPaths = [
  "/login",
  "/signup",
  "/logout",
  "/language",
  "/settings",
  "/organisations",
  "/organisations/new",
  "/organisations/00000000-0000-0000-0000-000000000000",
  "/team/members",
  "/team/settings",
  "/team/topics",
  "/team/topics/topic-onboarding",
  "/offer",
  "/offer/edit",
  "/requests/new",
  "/coaches",
  "/requests/00000000-0000-0000-0000-000000000000",
  "/requests/00000000-0000-0000-0000-000000000000/edit",
];

function post(path: string, body: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl()}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Forwarded-For": nextClientIp(),
      ...headers,
    },
    body: new URLSearchParams(body),
  });
}

describe("HTTP security", () => {
  it.each(actionPaths)("refuses a cross-origin POST to %s with 403", async (path) => {
    const response = await post(path, { intent: "profile" }, { Origin: "https://evil.example" });
    expect(response.status).toBe(403);
  });

  it("refuses a POST that names no origin", async () => {
    expect((await post("/login", { email: "a@b.example", password: "x" })).status).toBe(403);
  });

  it("accepts a same-origin POST and sets a HttpOnly, SameSite=Lax session cookie", async () => {
    const response = await post(
      "/signup",
      {
        name: "Cookie Prüferin",
        email: uniqueEmail("cookie"),
        password: "ein sicherer Satz 2026",
        locale: "de",
        timeZone: "Europe/Berlin",
        roles: "requester",
        consent: "yes",
      },
      { Origin: baseUrl() },
    );
    expect(response.status).toBe(302);
    const sessionCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith("tandem_session="));
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
  });

  it("sends a nonce-based CSP and the other security headers on pages", async () => {
    const response = await fetch(`${baseUrl()}/login`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
    const html = await response.text();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/<script(?![^>]*nonce=)[^>]*>[^<]/);
  });

  it("reports health with the database status", async () => {
    const response = await fetch(`${baseUrl()}/healthz`);
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ status: "ok", database: "ok" });
  });
});
