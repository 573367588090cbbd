import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/auth.server";
import { FormError } from "~/components/form-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { answerInvite, listInvitesForEmail, listOrganisationsForUser } from "~/models/organisation.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

const inviteAnswerSchema = z.object({
  intent: z.enum(["accept", "decline"]),
  inviteId: z.string().min(1).max(64),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({
    organisations: listOrganisationsForUser(user.id),
    invites: listInvitesForEmail(user.email).map((invite) => ({
      ...invite,
      expiresAt: invite.expiresAt.toISOString(),
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(inviteAnswerSchema, await readFormData(request));
  if (!form.success) return json({ formError: "errors.unknownIntent" }, { status: 400 });
  const accept = form.data.intent === "accept";
  const answered = answerInvite(form.data.inviteId, user, accept);
  if (!answered) return json({ formError: "errors.inviteNotFound" }, { status: 404 });
  return accept
    ? redirectWithFlash(request, `/organisations/${answered.organisationId}`, {
        key: "organisations.accepted",
        values: { name: answered.name },
      })
    : redirectWithFlash(request, "/organisations", { key: "organisations.declined" });
}

export default function OrganisationsPage() {
  const { t, i18n } = useTranslation();
  const { organisations, invites } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: "long" });
  return (
    <div className="page">
      <h1>{t("organisations.title")}</h1>
      <FormError message={actionData?.formError} />
      {invites.length > 0 ? (
        <section aria-labelledby="invites-title">
          <h2 id="invites-title">{t("organisations.invitesTitle")}</h2>
          <ul className="cards" role="list">
            {invites.map((invite) => (
              <li key={invite.id} className="card">
                <h3>{invite.organisationName}</h3>
                {invite.invitedByName ? <p>{t("organisations.invitedBy", { name: invite.invitedByName })}</p> : null}
                <p>{t("organisations.inviteExpires", { date: dateFormat.format(new Date(invite.expiresAt)) })}</p>
                <Form method="post" className="actions">
                  <input type="hidden" name="inviteId" value={invite.id} />
                  <button type="submit" name="intent" value="accept" className="button">
                    {t("organisations.accept")}
                  </button>
                  <button type="submit" name="intent" value="decline" className="button button--secondary">
                    {t("organisations.decline")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="mine-title">
        <h2 id="mine-title">{t("organisations.mine")}</h2>
        {organisations.length === 0 ? (
          <p>{t("organisations.none")}</p>
        ) : (
          <ul className="cards" role="list">
            {organisations.map((organisation) => (
              <li key={organisation.id} className="card">
                <h3>
                  <Link to={`/organisations/${organisation.id}`}>{organisation.name}</Link>
                </h3>
                <p>
                  {t(`organisationKinds.${organisation.kind}`)} · {t(`regions.${organisation.region}`)} ·{" "}
                  {t("organisations.members", { count: organisation.memberCount })}
                </p>
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link className="button" to="/organisations/new">
            {t("organisations.create")}
          </Link>
        </p>
      </section>
    </div>
  );
}

export const meta = pageTitle("organisations.title");
