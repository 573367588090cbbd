import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth.server";
import { FormError } from "~/components/form-fields";
import {
  RequestForm,
  readRequestSubmission,
  useRequestForm,
  requestFormValuesFromRequest,
  type RequestFormValues,
} from "~/components/request-form";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { listOrganisationsForUser } from "~/models/organisation.server";
import { createRequest, listRequestableTopics } from "~/models/request.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { readFormData, type FieldErrors } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "requester");
  const organisations = listOrganisationsForUser(user.id).map(({ id, name }) => ({ id, name }));
  return json({
    values: requestFormValuesFromRequest(null, organisations[0]?.id ?? ""),
    organisations,
    topics: listRequestableTopics(null),
    timeZone: user.timeZone,
  });
}

type ActionResult = { errors: FieldErrors; values: RequestFormValues };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "requester");
  const submission = readRequestSubmission(await readFormData(request), user.timeZone);
  if (!submission.ok) {
    return json<ActionResult>({ errors: submission.errors, values: submission.values }, { status: submission.status });
  }
  const created = createRequest(user.id, submission.data);
  if (!created.ok) return json<ActionResult>({ errors: created.errors, values: submission.values }, { status: 400 });
  return redirectWithFlash(request, `/requests/${created.requestId}`, { key: "requests.created" });
}

export default function NewRequestPage() {
  const { t } = useTranslation();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const values = actionData?.values ?? loaderData.values;
  const { register, errors, onSubmit } = useRequestForm({ timeZone: loaderData.timeZone, values, serverErrors: actionData?.errors });
  return (
    <div className="page page--narrow">
      <h1>{t("requests.newTitle")}</h1>
      <FormError message={actionData?.errors.form} />
      {loaderData.organisations.length === 0 ? (
        <>
          <p>{t("offer.noOrganisation")}</p>
          <Link className="button" to="/organisations/new">
            {t("dashboard.createOrganisation")}
          </Link>
        </>
      ) : (
        <RequestForm
          onSubmit={onSubmit}
          register={register}
          errors={errors}
          values={values}
          topics={loaderData.topics}
          organisations={loaderData.organisations}
          timeZone={loaderData.timeZone}
          submitLabel={t("requests.create")}
        />
      )}
    </div>
  );
}

export const meta = pageTitle("requests.newTitle");
