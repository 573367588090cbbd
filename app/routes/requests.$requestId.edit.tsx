import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth.server";
import {
  RequestForm,
  requestChoiceGroups,
  requestFormValuesFromRequest,
  requestFormValuesFromSubmission,
  type RequestFormValues,
} from "~/components/request-form";
import { useValidatedForm } from "~/components/use-validated-form";
import { isWindowRowIntent, reshapeWindowRows } from "~/components/window-rows";
import { listOrganisationsForUser } from "~/models/organisation.server";
import { getOwnRequest, listRequestableTopics, updateRequest } from "~/models/request.server";
import { requestSchemaFor } from "~/schemas/request";
import { redirectWithFlash } from "~/utils/flash.server";
import { formDataToObject, parseForm, type FieldErrors } from "~/utils/forms";
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
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  if (isWindowRowIntent(intent)) {
    const values = requestFormValuesFromSubmission(formDataToObject(formData));
    return json<ActionResult>({ errors: {}, values: { ...values, windows: reshapeWindowRows(intent, values.windows) } });
  }
  if (intent !== "save") {
    return json<ActionResult>(
      { errors: { form: "errors.unknownIntent" }, values: requestFormValuesFromSubmission({}) },
      { status: 400 },
    );
  }
  const form = parseForm(requestSchemaFor(ownRequest.timeZone), formData);
  const echo = requestFormValuesFromSubmission(form.values);
  if (!form.success) return json<ActionResult>({ errors: form.errors, values: echo }, { status: 400 });
  const updated = updateRequest(user.id, ownRequest.id, form.data);
  if (!updated) return json<ActionResult>({ errors: { form: "requests.notEditable" }, values: echo }, { status: 409 });
  if (!updated.ok) return json<ActionResult>({ errors: updated.errors, values: echo }, { status: 400 });
  return redirectWithFlash(request, `/requests/${ownRequest.id}`, { key: "requests.saved" });
}

export default function EditRequestPage() {
  const { t } = useTranslation();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values ?? loaderData.values;
  const { register, errors, onSubmit, formKey } = useValidatedForm({
    schema: requestSchemaFor(loaderData.timeZone),
    serverErrors: actionData?.errors,
    isUnvalidatedIntent: isWindowRowIntent,
    choiceGroups: requestChoiceGroups(values),
  });
  return (
    <div className="page page--narrow">
      <p>
        <Link to={`/requests/${loaderData.requestId}`}>{t("requests.detailTitle")}</Link>
      </p>
      <h1>{t("requests.editTitle")}</h1>
      {loaderData.editable && !errors.form ? (
        <RequestForm
          formKey={formKey}
          onSubmit={onSubmit}
          register={register}
          errors={errors}
          values={values}
          topics={loaderData.topics}
          organisations={loaderData.organisations}
          timeZone={loaderData.timeZone}
          submitLabel={t("requests.save")}
        />
      ) : (
        <p className="notice notice--error">{t("requests.notEditable")}</p>
      )}
    </div>
  );
}

export const meta = pageTitle("requests.editTitle");
