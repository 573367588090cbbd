import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarFeedFile, findFeedOwner } from "~/models/calendar.server";
import { publicOrigin } from "~/utils/public-origin.server";

/** A private calendar subscription: the secret in the address is the only key, as calendar apps cannot log in. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const owner = params.token ? findFeedOwner(params.token) : null;
  if (!owner) throw new Response("Not found", { status: 404 });
  return new Response(calendarFeedFile(owner.userId, owner.locale, publicOrigin(request)), {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Cache-Control": "private, no-store",
      // The address is the secret: keep it out of other sites' logs when someone follows a link from the feed.
      "Referrer-Policy": "no-referrer",
    },
  });
}
