import type { AppLoadContext } from "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as the HTTP server sees it (proxy headers only with TRUST_PROXY). */
    clientIp?: string;
  }
}

export function clientIp(context: AppLoadContext) {
  return context.clientIp ?? "unknown";
}
