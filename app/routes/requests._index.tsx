import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth.server";
import { listOwnRequests } from "~/models/request.server";
import { calendarDateText } from "~/utils/display";
import { pageTitle } from "~/utils/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "requester");
  return json({ requests: listOwnRequests(user.id) });
}

export default function RequestsPage() {
  const { t, i18n } = useTranslation();
  const { requests } = useLoaderData<typeof loader>();
  const english = i18n.language === "en";
  return (
    <div className="page">
      <h1>{t("requests.title")}</h1>
      <p>{t("requests.intro")}</p>
      <p>
        <Link className="button" to="/requests/new">
          {t("requests.new")}
        </Link>
      </p>
      {requests.length === 0 ? (
        <p>{t("requests.none")}</p>
      ) : (
        <ul className="cards" role="list">
          {requests.map((request) => (
            <li key={request.id} className="card">
              <h2>
                <Link to={`/requests/${request.id}`}>{(english ? request.mainTopicEn : request.mainTopicDe) ?? t("requests.detailTitle")}</Link>
              </h2>
              <p>
                <span className="badge">{t(`requestStatus.${request.shownStatus}`)}</span>{" "}
                {request.shownStatus === "open"
                  ? t("requests.expiresOn", { date: calendarDateText(request.expiresOn, i18n.language) })
                  : null}
              </p>
              <p className="clamp">{request.goal || t("privacy.redactedGoal")}</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const meta = pageTitle("requests.title");
