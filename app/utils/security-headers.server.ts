/** Headers every response carries; the CSP's nonce lets only our own inline scripts run. */
export function applySecurityHeaders(headers: Headers, nonce: string | null, isDevelopment: boolean) {
  const scriptSource = nonce ? `'self' 'nonce-${nonce}'` : "'self'";
  const connectSource = isDevelopment ? "'self' ws://localhost:*" : "'self'";
  headers.set(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src ${scriptSource}`,
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src ${connectSource}`,
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
    ].join("; "),
  );
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
}
