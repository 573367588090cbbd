const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(url: string | undefined) {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * CSRF defence for every action: a state-changing request must name our own origin in its
 * Origin header (or, from older browsers, its Referer). A request naming neither is refused too.
 */
export function isAllowedOrigin(request: {
  method: string;
  origin: string | undefined;
  referer: string | undefined;
  expectedOrigin: string;
}) {
  if (safeMethods.has(request.method.toUpperCase())) return true;
  const claimed = request.origin && request.origin !== "null" ? request.origin : originOf(request.referer);
  return claimed === request.expectedOrigin;
}
