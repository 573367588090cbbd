/**
 * Only same-site paths are allowed as redirect targets; anything else (absolute URLs,
 * protocol-relative "//host", backslash tricks) falls back to the default. A Location header
 * holds printable ASCII only (our own paths arrive percent-encoded), so a target with anything
 * else (control characters, spaces, "/€") is not one of ours either.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/") {
  if (typeof to !== "string" || to.length === 0) return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  if (/[^\x21-\x7e]|\\/.test(to)) return fallback;
  return to;
}
