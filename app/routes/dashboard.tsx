import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth.server";
import { listInvitesForEmail, listOrganisationsForUser } from "~/models/organisation.server";
import { getOwnOffer } from "~/models/offer.server";
import { getUpcomingSessionsForUser } from "~/models/session.server";
import { describeForViewer } from "~/domain/session-times";
import { listOwnRequests } from "~/models/request.server";
import { countUsers } from "~/models/user.server";
import { pageTitle } from "~/utils/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({
    name: user.name,
    roles: user.roles,
    organisationCount: listOrganisationsForUser(user.id).length,
    inviteCount: listInvitesForEmail(user.email).length,
    userCount: user.roles.includes("team") ? countUsers() : null,
    hasOffer: user.roles.includes("coach") && getOwnOffer(user.id) !== null,
    openRequestCount: user.roles.includes("requester")
      ? listOwnRequests(user.id).filter((request) => request.shownStatus === "open").length
      : 0,
    sessions: getUpcomingSessionsForUser(user.id),
    timeZone: user.timeZone,
  });
}

export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  const { name, roles, organisationCount, inviteCount, userCount, hasOffer, openRequestCount, sessions, timeZone } =
    useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("dashboard.title")}</h1>
      <p className="lead">{t("dashboard.greeting", { name })}</p>
      {roles.length > 0 ? (
        <p>
          {t("dashboard.rolesLabel")}: {roles.map((role) => t(`roles.${role}`)).join(", ")}
        </p>
      ) : null}
      <div className="cards">
        {sessions.upcoming.length > 0 || sessions.awaitingAnswer > 0 ? (
          <section className="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t("dashboard.sessionsTitle")}</h2>
            {sessions.awaitingAnswer > 0 ? <p>{t("dashboard.sessionsAwaitingAnswer", { count: sessions.awaitingAnswer })}</p> : null}
            {sessions.upcoming.length > 0 ? (
              <ul className="link-list">
                {sessions.upcoming.map((session) => (
                  <li key={session.id}>
                    <Link to={`/sessions/${session.id}`}>
                      {describeForViewer(session, timeZone, timeZone, i18n.language === "en" ? "en" : "de").primary} · {t(`formats.${session.format}`)}
                    </Link>
                  </li>
                ))}
              </ul>
            ) : null}
            <Link to="/matches">{t("dashboard.toTandems")}</Link>
          </section>
        ) : null}
        {inviteCount > 0 ? (
          <section className="card" aria-labelledby="invites-title">
            <h2 id="invites-title">{t("organisations.invitesTitle")}</h2>
            <p>{t("dashboard.pendingInvites", { count: inviteCount })}</p>
            <Link to="/organisations">{t("dashboard.showInvites")}</Link>
          </section>
        ) : null}
        {organisationCount === 0 ? (
          <section className="card" aria-labelledby="organisation-title">
            <h2 id="organisation-title">{t("dashboard.noOrganisationTitle")}</h2>
            <p>{t("dashboard.noOrganisationText")}</p>
            <Link className="button" to="/organisations/new">
              {t("dashboard.createOrganisation")}
            </Link>
          </section>
        ) : null}
        {roles.includes("requester") ? (
          <section className="card" aria-labelledby="requester-title">
            <h2 id="requester-title">{t("dashboard.requesterTitle")}</h2>
            <p>
              {openRequestCount > 0
                ? t("dashboard.requesterHasRequests", { count: openRequestCount })
                : t("dashboard.requesterEmpty")}
            </p>
            <Link to={openRequestCount > 0 ? "/requests" : "/requests/new"}>
              {openRequestCount > 0 ? t("dashboard.toRequests") : t("requests.new")}
            </Link>
          </section>
        ) : null}
        {roles.includes("coach") ? (
          <section className="card" aria-labelledby="coach-title">
            <h2 id="coach-title">{t("dashboard.coachTitle")}</h2>
            <p>{hasOffer ? t("dashboard.coachHasOffer") : t("dashboard.coachEmpty")}</p>
            <Link to={hasOffer ? "/offer" : "/offer/edit"}>{hasOffer ? t("dashboard.toOffer") : t("offer.create")}</Link>
          </section>
        ) : null}
        {roles.includes("team") && userCount !== null ? (
          <section className="card" aria-labelledby="team-title">
            <h2 id="team-title">{t("dashboard.teamTitle")}</h2>
            <p>{t("dashboard.teamText", { count: userCount })}</p>
            <ul className="link-list">
              <li>
                <Link to="/team/matching">{t("matching.hubTitle")}</Link>
              </li>
              <li>
                <Link to="/team/members">{t("dashboard.manageTeam")}</Link>
              </li>
            </ul>
          </section>
        ) : null}
        {roles.length === 0 ? (
          <section className="card" aria-labelledby="no-roles-title">
            <h2 id="no-roles-title">{t("dashboard.noRolesTitle")}</h2>
            <p>{t("dashboard.noRolesText")}</p>
            <Link to="/settings">{t("dashboard.toSettings")}</Link>
          </section>
        ) : null}
      </div>
    </div>
  );
}

export const meta = pageTitle("dashboard.title");
