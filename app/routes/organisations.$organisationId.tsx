import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/auth.server";
import { ErrorSummary, FormError, TextField } from "~/components/form-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import {
  getOrganisationForMember,
  inviteToOrganisation,
  listMembers,
  listPendingInvitesOfOrganisation,
  revokeInvite,
} from "~/models/organisation.server";
import { inviteSchema } from "~/schemas/organisation";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData, type FieldErrors, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

const revokeSchema = z.object({ inviteId: z.string().min(1).max(64) });

/** Only members see or change an organisation; to anyone else it does not exist. */
async function requireMembership(request: Request, organisationId: string | undefined) {
  const user = await requireUser(request);
  const organisation = organisationId ? getOrganisationForMember(organisationId, user.id) : null;
  if (!organisation) throw new Response("Not found", { status: 404 });
  return { user, organisation };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireMembership(request, params.organisationId);
  return json({
    organisation,
    members: listMembers(organisation.id),
    invites: listPendingInvitesOfOrganisation(organisation.id).map((invite) => ({
      ...invite,
      expiresAt: invite.expiresAt.toISOString(),
    })),
  });
}

type ActionResult = { errors: FieldErrors; values: FormValues };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, organisation } = await requireMembership(request, params.organisationId);
  const formData = await readFormData(request);
  const here = `/organisations/${organisation.id}`;
  switch (formData.get("intent")) {
    case "invite": {
      const form = parseForm(inviteSchema, formData);
      if (!form.success) return json<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });
      const result = inviteToOrganisation(organisation.id, user.id, form.data.email);
      if (!result.ok) {
        return json<ActionResult>({ errors: { email: `errors.${result.reason}` }, values: form.values }, { status: 409 });
      }
      return redirectWithFlash(request, here, { key: "organisations.invited", values: { email: form.data.email } });
    }
    case "revoke": {
      const form = parseForm(revokeSchema, formData);
      if (!form.success || !revokeInvite(organisation.id, form.data.inviteId)) {
        return json<ActionResult>({ errors: { form: "errors.inviteNotFound" }, values: {} }, { status: 404 });
      }
      return redirectWithFlash(request, here, { key: "organisations.revoked" });
    }
    default:
      return json<ActionResult>({ errors: { form: "errors.unknownIntent" }, values: {} }, { status: 400 });
  }
}

export default function OrganisationPage() {
  const { t, i18n } = useTranslation();
  const { organisation, members, invites } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const { register, errors, onSubmit } = useValidatedForm({
    schema: inviteSchema,
    serverErrors: actionData?.errors,
  });
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: "long" });
  const formId = "invite";
  return (
    <div className="page">
      <h1>{organisation.name}</h1>
      <FormError message={actionData?.errors.form} />
      <section aria-labelledby="details-title">
        <h2 id="details-title">{t("organisations.details")}</h2>
        <dl className="meta-list">
          <dt>{t("organisations.kind")}</dt>
          <dd>{t(`organisationKinds.${organisation.kind}`)}</dd>
          <dt>{t("organisations.sizeBand")}</dt>
          <dd>{t(`sizeBands.${organisation.sizeBand}`)}</dd>
          <dt>{t("organisations.region")}</dt>
          <dd>{t(`regions.${organisation.region}`)}</dd>
          {organisation.website ? (
            <>
              <dt>{t("organisations.websiteLabel")}</dt>
              <dd>
                <a href={organisation.website} rel="noopener noreferrer">
                  {organisation.website}
                </a>
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      <section aria-labelledby="members-title">
        <h2 id="members-title">{t("organisations.membersTitle")}</h2>
        <ul>
          {members.map((member) => (
            <li key={member.id}>
              {member.name}
              {member.humhubUsername ? ` (@${member.humhubUsername})` : ""}
            </li>
          ))}
        </ul>
      </section>
      {invites.length > 0 ? (
        <section aria-labelledby="pending-title">
          <h2 id="pending-title">{t("organisations.pendingInvitesTitle")}</h2>
          <ul>
            {invites.map((invite) => (
              <li key={invite.id}>
                {invite.email} – {t("organisations.inviteExpires", { date: dateFormat.format(new Date(invite.expiresAt)) })}{" "}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="inviteId" value={invite.id} />
                  <button type="submit" name="intent" value="revoke" className="button button--secondary">
                    {t("organisations.revokeInvite", { email: invite.email })}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="invite-title" className="page--narrow">
        <h2 id="invite-title">{t("organisations.inviteTitle")}</h2>
        <p>{t("organisations.inviteIntro")}</p>
        <ErrorSummary formId={formId} errors={errors} />
        <Form method="post" noValidate onSubmit={onSubmit} className="stack">
          <TextField
            formId={formId}
            label={t("organisations.inviteEmail")}
            type="email"
            autoComplete="off"
            required
            error={errors.email}
            registration={register("email")}
          />
          <button type="submit" name="intent" value="invite" className="button">
            {t("organisations.inviteSubmit")}
          </button>
        </Form>
      </section>
    </div>
  );
}

export const meta = pageTitle("organisations.title");
