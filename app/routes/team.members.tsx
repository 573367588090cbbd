import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "~/auth.server";
import { FormError } from "~/components/form-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { listUsersWithRoles, setTeamRole } from "~/models/user.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

const teamRoleSchema = z.object({
  intent: z.enum(["grant", "revoke"]),
  userId: z.string().min(1).max(64),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "team");
  const search = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  return json({ currentUserId: user.id, search, people: listUsersWithRoles(search) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "team");
  const form = parseForm(teamRoleSchema, await readFormData(request));
  if (!form.success) return json({ formError: "errors.unknownIntent" }, { status: 400 });
  const grant = form.data.intent === "grant";
  const result = setTeamRole(user.id, form.data.userId, grant);
  if (!result.ok) {
    const formError = result.reason === "userNotFound" ? "errors.userNotFound" : `team.${result.reason}`;
    return json({ formError }, { status: result.reason === "userNotFound" ? 404 : 409 });
  }
  const url = new URL(request.url);
  return redirectWithFlash(request, `${url.pathname}${url.search}`, {
    key: grant ? "team.granted" : "team.revoked",
    values: { name: result.name },
  });
}

export default function TeamMembersPage() {
  const { t } = useTranslation();
  const { currentUserId, search, people } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  return (
    <div className="page">
      <h1>{t("team.membersTitle")}</h1>
      <p>{t("team.membersIntro")}</p>
      <FormError message={actionData?.formError} />
      <Form method="get" role="search" className="actions">
        <label htmlFor="people-search" className="field__label">
          {t("team.search")}
        </label>
        <input id="people-search" className="field__input" type="search" name="q" defaultValue={search} />
        <button type="submit" className="button button--secondary">
          {t("team.searchSubmit")}
        </button>
      </Form>
      <p role="status">{t("team.resultCount", { count: people.length })}</p>
      <div className="table-scroll" role="region" aria-label={t("team.membersTitle")} tabIndex={0}>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t("team.name")}</th>
              <th scope="col">{t("team.email")}</th>
              <th scope="col">{t("team.rolesColumn")}</th>
              <th scope="col">{t("team.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {people.map((person) => {
              const isTeam = person.roles.includes("team");
              return (
                <tr key={person.id}>
                  <th scope="row">
                    {person.name} {person.id === currentUserId ? t("team.you") : null}
                  </th>
                  <td>{person.email}</td>
                  <td>
                    {person.roles.map((role) => (
                      <span key={role} className="badge">
                        {t(`roles.${role}`)}
                      </span>
                    ))}
                  </td>
                  <td>
                    {person.id === currentUserId && isTeam ? null : (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="userId" value={person.id} />
                        <button
                          type="submit"
                          name="intent"
                          value={isTeam ? "revoke" : "grant"}
                          className="button button--secondary"
                        >
                          {t(isTeam ? "team.revokeTeam" : "team.grantTeam", { name: person.name })}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export const meta = pageTitle("team.membersTitle");
