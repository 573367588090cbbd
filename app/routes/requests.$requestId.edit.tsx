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
import { getOwnRequest, listRequestableTopics, updateRequest } from "~/models/request.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { readFormData, type FieldErrors } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

/** Only the author's own open request can be edited; any other id is simply not found. */
async function requireOwnOpenRequest(request: Request, requestId: string | undefined) {
  const user = await requireRole(request, "requester");
  const ownRequest = requestId ? getOwnRequest(user.id, requestId) : null;
  if (!ownRequest) throw new Response("Not found", { status: 404 });
  return { user, ownRequest };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, ownRequest } = await requireOwnOpenRequest(request, params.requestId);
  return json({
    requestId: ownRequest.id,
    editable: ownRequest.status === "open",
    values: requestFormValuesFromRequest(ownRequest, ownRequest.organisationId),
    organisations: listOrganisationsForUser(user.id).map(({ id, name }) => ({ id, name })),
    topics: listRequestableTopics(ownRequest.id),
    timeZone: ownRequest.timeZone,
  });
}

type ActionResult = { errors: FieldErrors; values: RequestFormValues };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, ownRequest } = await requireOwnOpenRequest(request, params.requestId);
  const submission = readRequestSubmission(await readFormData(request), ownRequest.timeZone);
  if (!submission.ok) {
    return json<ActionResult>({ errors: submission.errors, values: submission.values }, { status: submission.status });
  }
  const updated = updateRequest(user.id, ownRequest.id, submission.data);
  if (!updated) return json<ActionResult>({ errors: { form: "requests.notEditable" }, values: submission.values }, { status: 409 });
  if (!updated.ok) return json<ActionResult>({ errors: updated.errors, values: submission.values }, { status: 400 });
  return redirectWithFlash(request, `/requests/${ownRequest.id}`, { key: "requests.saved" });
}

export default function EditRequestPage() {
  const { t } = useTranslation();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const values = actionData?.values ?? loaderData.values;
  const { register, errors, onSubmit } = useRequestForm({ timeZone: loaderData.timeZone, values, serverErrors: actionData?.errors });
  return (
    <div className="page page--narrow">
      <p>
        <Link to={`/requests/${loaderData.requestId}`}>{t("requests.detailTitle")}</Link>
      </p>
      <h1>{t("requests.editTitle")}</h1>
      <FormError message={errors.form} />
      {loaderData.editable && !errors.form ? (
        <RequestForm
          onSubmit={onSubmit}
          register={register}
          errors={errors}
          values={values}
          topics={loaderData.topics}
          organisations={loaderData.organisations}
          timeZone={loaderData.timeZone}
          submitLabel={t("requests.save")}
        />
      ) : errors.form ? null : (
        <p className="notice notice--error">{t("requests.notEditable")}</p>
      )}
    </div>
  );
}

export const meta = pageTitle("requests.editTitle");
