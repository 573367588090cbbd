import { createCookie } from "@remix-run/node";
import { getUser } from "~/auth.server";
import { defaultLocale, isLocale } from "~/i18n/i18n";
import type { LocaleCode } from "~db/schema";

export const localeCookie = createCookie("tandem_lang", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

function fromAcceptLanguage(header: string | null): LocaleCode | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const quality = Number(params.find((p) => p.trim().startsWith("q="))?.split("=")[1] ?? 1);
      return { language: tag.toLowerCase().split("-")[0], quality: Number.isNaN(quality) ? 0 : quality };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality);
  return ranked.map((entry) => entry.language).find(isLocale) ?? null;
}

/** The signed-in user's choice, else the remembered cookie, else the browser's wish, else German. */
export async function getLocale(request: Request): Promise<LocaleCode> {
  const user = await getUser(request);
  if (user) return user.locale;
  const fromCookie: unknown = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(fromCookie)) return fromCookie;
  return fromAcceptLanguage(request.headers.get("Accept-Language")) ?? defaultLocale;
}
