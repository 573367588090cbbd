import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { sessionInvitationFile } from "~/models/calendar.server";
import { getSessionForViewer } from "~/models/session.server";
import { publicOrigin } from "~/utils/public-origin.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const session = params.sessionId ? getSessionForViewer(params.sessionId, user) : null;
  // An invitation is for the two people who meet; it carries both email addresses, which the team does not get.
  const attends = session !== null && session.side !== "team";
  const file = attends ? sessionInvitationFile(session.id, user.locale, publicOrigin(request)) : null;
  if (!session || !file) throw new Response("Not found", { status: 404 });
  return new Response(file, {
    headers: {
      "Content-Type": `text/calendar; charset=utf-8; method=${session.status === "cancelled" ? "CANCEL" : "REQUEST"}`,
      "Content-Disposition": `attachment; filename="tandem-${session.id.slice(0, 8)}.ics"`,
      "Cache-Control": "private, no-store",
    },
  });
}
