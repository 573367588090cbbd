import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export type OpenRequestRow = { id: string; topicDe: string; topicEn: string; organisationName: string; waitingDays: number };

/** "Waits long" after a space, for a request waiting more than `flagDays`; nothing otherwise. */
export function WaitingLongBadge({ waitingDays, flagDays }: { waitingDays: number; flagDays: number }) {
  const { t } = useTranslation();
  if (waitingDays <= flagDays) return null;
  return (
    <>
      {" "}
      <strong className="badge">{t("matches.waitingLong")}</strong>
    </>
  );
}

/**
 * The team's open requests in a scrollable, keyboard-reachable table: each topic links to the
 * request's suggestions. `labelledBy` names the element that labels the scroll region; with
 * `flagDays`, requests waiting longer are flagged.
 */
export function OpenRequestsTable({ requests, labelledBy, flagDays }: { requests: OpenRequestRow[]; labelledBy: string; flagDays?: number }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === "en";
  return (
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t("matching.requestColumn")}</th>
            <th scope="col">{t("matching.organisationColumn")}</th>
            <th scope="col">{t("matching.waitingColumn")}</th>
          </tr>
        </thead>
        <tbody>
          {requests.map((request) => {
            const topic = english ? request.topicEn : request.topicDe;
            return (
              <tr key={request.id}>
                <th scope="row">
                  <Link
                    to={`/requests/${request.id}/suggestions`}
                    aria-label={t("matching.suggestionsLink", { topic, organisation: request.organisationName })}
                  >
                    {topic}
                  </Link>
                </th>
                <td>{request.organisationName}</td>
                <td>
                  {t("matching.waitingDays", { count: request.waitingDays })}
                  {flagDays === undefined ? null : <WaitingLongBadge waitingDays={request.waitingDays} flagDays={flagDays} />}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
