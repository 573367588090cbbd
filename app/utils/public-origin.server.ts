import { getEnv } from "~/env.server";

/**
 * The address people reach Tandem at, for links that leave the app (calendar files, HumHub posts). PUBLIC_URL when
 * set; else the request's own origin, or the local default for work outside a request.
 */
export function publicOrigin(request?: Request) {
  const env = getEnv();
  return env.PUBLIC_URL ?? (request ? new URL(request.url).origin : `http://localhost:${env.PORT}`);
}
