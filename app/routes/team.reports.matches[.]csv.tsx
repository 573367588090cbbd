import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth.server";
import { calendarToday } from "~/domain/requests";
import { matchesCsv } from "~/models/reports.server";

/**
 * Every match as a CSV download for the team (a resource route: no page). A UTF-8 byte order mark
 * leads the file so spreadsheet programs read umlauts in organisation names correctly.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "team");
  const today = calendarToday(user.timeZone, new Date());
  return new Response(`\uFEFF${matchesCsv()}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="tandem-matches-${today}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
