import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ParseKeys } from "i18next";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth.server";
import { FormError } from "~/components/form-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { formatTimeOfDay } from "~/domain/availability";
import { getActiveMatchForRequest } from "~/models/match.server";
import { extendRequest, getOwnRequest, withdrawRequest } from "~/models/request.server";
import { calendarDateText, languageName, weekdayName } from "~/utils/display";
import { redirectWithFlash } from "~/utils/flash.server";
import { readFormData } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

/** A request is visible only to its author; to anyone else its id does not exist. */
async function requireOwnRequest(request: Request, requestId: string | undefined) {
  const user = await requireRole(request, "requester");
  const ownRequest = requestId ? getOwnRequest(user.id, requestId) : null;
  if (!ownRequest) throw new Response("Not found", { status: 404 });
  return { user, ownRequest };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { ownRequest } = await requireOwnRequest(request, params.requestId);
  return json({ request: ownRequest, activeMatch: getActiveMatchForRequest(ownRequest.id) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, ownRequest } = await requireOwnRequest(request, params.requestId);
  const formData = await readFormData(request);
  const here = `/requests/${ownRequest.id}`;
  switch (formData.get("intent")) {
    case "withdraw":
      if (!withdrawRequest(user.id, ownRequest.id)) return json({ formError: "requests.notEditable" }, { status: 409 });
      return redirectWithFlash(request, here, { key: "requests.withdrawn" });
    case "extend": {
      const expiresOn = extendRequest(user.id, ownRequest.id);
      if (!expiresOn) return json({ formError: "requests.notExtendable" }, { status: 409 });
      return redirectWithFlash(request, here, { key: "requests.extended" });
    }
    default:
      return json({ formError: "errors.unknownIntent" }, { status: 400 });
  }
}

export default function RequestPage() {
  const { t, i18n } = useTranslation();
  const { request, activeMatch } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const locale = i18n.language;
  const english = locale === "en";
  const open = request.shownStatus === "open" || request.shownStatus === "expired";
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: request.timeZone });
  return (
    <div className="page">
      <p>
        <Link to="/requests">{t("requests.backToList")}</Link>
      </p>
      <h1>{t("requests.detailTitle")}</h1>
      <FormError message={actionData?.formError} />
      <p>
        <span className="badge">{t(`requestStatus.${request.shownStatus}`)}</span>{" "}
        {request.shownStatus === "open"
          ? t("requests.expiresOn", { date: calendarDateText(request.expiresOn, locale) })
          : request.shownStatus === "expired"
            ? t("requests.expiredOn", { date: calendarDateText(request.expiresOn, locale) })
            : null}
      </p>
      {activeMatch ? (
        <p className="notice">
          {t("matches.activeMatch", { status: t(`matches.status.${activeMatch.status}`) })}{" "}
          <Link to={`/matches/${activeMatch.id}`}>{t("matches.toMatch")}</Link>
        </p>
      ) : null}
      {open ? (
        <div className="actions">
          {request.shownStatus === "open" ? (
            <Link className="button" to={`/requests/${request.id}/suggestions`}>
              {t("matching.showSuggestions")}
            </Link>
          ) : null}
          {request.status === "open" ? (
            <Link className="button button--secondary" to={`/requests/${request.id}/edit`}>
              {t("requests.edit")}
            </Link>
          ) : null}
          {request.canExtend ? (
            <Form method="post" className="inline-form">
              <button type="submit" name="intent" value="extend" className="button button--secondary">
                {t("requests.extend")}
              </button>
            </Form>
          ) : null}
          <Form method="post" className="inline-form">
            <button type="submit" name="intent" value="withdraw" className="button button--secondary">
              {t("requests.withdraw")}
            </button>
          </Form>
        </div>
      ) : null}
      <dl className="meta-list">
        <dt>{t("requests.summaryOrganisation")}</dt>
        <dd>{request.organisation.name}</dd>
        <dt>{t("requests.summaryTopics")}</dt>
        <dd>
          {request.topics.map((topic, index) => (
            <span key={topic.topicId}>
              {index > 0 ? ", " : ""}
              {english ? topic.labelEn : topic.labelDe}
              {topic.isMain ? ` (${t("requests.mainTopicBadge")})` : ""}
            </span>
          ))}
        </dd>
        <dt>{t("requests.goal")}</dt>
        <dd className="preserve-lines">{request.goal || t("privacy.redactedGoal")}</dd>
        <dt>{t("requests.summaryUrgency")}</dt>
        <dd>
          {t(`urgency.${request.urgency}`)}
          {request.deadline ? `: ${calendarDateText(request.deadline, locale)}` : ""}
        </dd>
        <dt>{t("requests.summaryLanguages")}</dt>
        <dd>{request.languages.map((code) => languageName(code, locale)).join(", ")}</dd>
        <dt>{t("requests.summaryFormats")}</dt>
        <dd>
          {request.formats
            .map((format) =>
              format === "inPerson" && request.inPersonRegion
                ? `${t("formats.inPerson")} (${t(`regions.${request.inPersonRegion}`)})`
                : t(`formats.${format}`),
            )
            .join(", ")}
        </dd>
        {request.accessNeeds.length > 0 ? (
          <>
            <dt>{t("requests.summaryAccess")}</dt>
            <dd>{request.accessNeeds.map((need) => t(`access.${need}`)).join(", ")}</dd>
          </>
        ) : null}
        <dt>{t("requests.summaryTime")}</dt>
        <dd>
          <ul className="plain-list">
            {request.windows.map((window) => (
              <li key={`${window.weekday}-${window.startMinute}`}>
                {weekdayName(window.weekday, locale)} {formatTimeOfDay(window.startMinute)}–{formatTimeOfDay(window.endMinute)}
              </li>
            ))}
          </ul>
          {t("offer.timeZoneNote", { timeZone: request.timeZone.replaceAll("_", " ") })}
        </dd>
        <dt>{t("requests.summaryLength")}</dt>
        <dd>{t("requests.minutes", { count: request.sessionMinutes })}</dd>
      </dl>
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t("requests.historyTitle")}</h2>
        <ol className="history">
          {request.history.map((entry) => (
            <li key={entry.id}>
              {t("requests.historyEntry", {
                date: dateTime.format(new Date(entry.at)),
                action: t(`historyActions.${entry.action}`),
                name: entry.actorName ?? t("requests.someone"),
              })}
              {entry.action === "edited" ? (
                <>
                  {" – "}
                  {t("requests.historyChanged", {
                    fields: Object.keys(entry.changes)
                      .map((field) => t(`requestFields.${field}` as ParseKeys))
                      .join(", "),
                  })}
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

export const meta = pageTitle("requests.detailTitle");
