import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { calendarToday } from "~/domain/requests";
import { recordAuditEvent } from "~/models/audit.server";
import { exportUserData } from "~/models/privacy.server";
import { getDb } from "~/db.server";

/** "My data": everything Tandem holds about the signed-in person, as a JSON download (GDPR Art. 15 and 20). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = exportUserData(user.id);
  if (!data) throw new Response("Not Found", { status: 404 });
  recordAuditEvent(getDb(), { actorUserId: user.id, subjectUserId: user.id, action: "account.exported" });
  const today = calendarToday(user.timeZone, new Date());
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="tandem-my-data-${today}.json"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
