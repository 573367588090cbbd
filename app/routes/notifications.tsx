import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth.server";
import { listNotifications, markNotificationsRead } from "~/models/match.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { pageTitle } from "~/utils/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({
    notifications: listNotifications(user.id).map(({ createdAt, readAt, ...notification }) => ({
      ...notification,
      createdAt: createdAt.toISOString(),
      unread: readAt === null,
    })),
    timeZone: user.timeZone,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  markNotificationsRead(user.id);
  return redirectWithFlash(request, "/notifications", { key: "matches.markedRead" });
}

export default function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const { notifications, timeZone } = useLoaderData<typeof loader>();
  const dateTime = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short", timeZone });
  return (
    <div className="page">
      <h1>{t("matches.notificationsTitle")}</h1>
      {notifications.length === 0 ? (
        <p>{t("matches.notificationsNone")}</p>
      ) : (
        <>
          {notifications.some((notification) => notification.unread) ? (
            <Form method="post">
              <button type="submit" className="button button--secondary">
                {t("matches.markRead")}
              </button>
            </Form>
          ) : null}
          <ul className="link-list">
            {notifications.map((notification) => (
              <li key={notification.id}>
                {notification.unread ? <span className="badge">{t("matches.unread")}</span> : null}{" "}
                <Link to={notification.matchId ? `/matches/${notification.matchId}` : "/team/desk"}>
                  {t(`matches.notification.${notification.kind}`)}
                </Link>{" "}
                {dateTime.format(new Date(notification.createdAt))}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export const meta = pageTitle("matches.notificationsTitle");
