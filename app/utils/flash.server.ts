import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { isSecureRequest } from "~/auth.server";
import { getSessionSecret } from "~/models/settings.server";
import { safeRedirect } from "~/utils/safe-redirect";

/** A one-time notice shown after a redirect: a catalogue key and its interpolation values. */
export type Flash = { key: string; values?: Record<string, string | number> };

type FlashStorage = ReturnType<typeof createCookieSessionStorage<Record<string, never>, { flash: Flash }>>;

let storage: FlashStorage | undefined;

function flashStorage() {
  storage ??= createCookieSessionStorage<Record<string, never>, { flash: Flash }>({
    cookie: {
      name: "tandem_flash",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secrets: [getSessionSecret()],
    },
  });
  return storage;
}

export async function redirectWithFlash(
  request: Request,
  to: string,
  flash: Flash,
  extraHeaders: HeadersInit = {},
) {
  const session = await flashStorage().getSession(request.headers.get("Cookie"));
  session.flash("flash", flash);
  const headers = new Headers(extraHeaders);
  headers.append(
    "Set-Cookie",
    await flashStorage().commitSession(session, { secure: isSecureRequest(request) }),
  );
  return redirect(safeRedirect(to), { headers });
}

/** Reads and clears the pending notice; the returned cookie header must be sent. */
export async function readFlash(request: Request) {
  const session = await flashStorage().getSession(request.headers.get("Cookie"));
  const flash = session.get("flash") ?? null;
  const setCookie = flash
    ? await flashStorage().commitSession(session, { secure: isSecureRequest(request) })
    : null;
  return { flash, setCookie };
}
