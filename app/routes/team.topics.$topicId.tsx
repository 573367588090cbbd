import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth.server";
import { ErrorSummary, FormError } from "~/components/form-fields";
import { TopicFields } from "~/components/topic-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { getTopic, setTopicRetired, updateTopic } from "~/models/topic.server";
import { topicSchema } from "~/schemas/topic";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData, type FieldErrors, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

async function requireTopic(request: Request, topicId: string | undefined) {
  const user = await requireRole(request, "team");
  const topic = topicId ? getTopic(topicId) : null;
  if (!topic) throw new Response("Not found", { status: 404 });
  return { user, topic };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { topic } = await requireTopic(request, params.topicId);
  return json({ topic: { ...topic, retiredAt: topic.retiredAt?.toISOString() ?? null, createdAt: topic.createdAt.toISOString() } });
}

type ActionResult = { errors: FieldErrors; values: FormValues };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, topic } = await requireTopic(request, params.topicId);
  const formData = await readFormData(request);
  const here = `/team/topics/${topic.id}`;
  switch (formData.get("intent")) {
    case "rename": {
      const form = parseForm(topicSchema, formData);
      if (!form.success) return json<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });
      const result = updateTopic(user.id, topic.id, form.data);
      if (!result.ok) {
        return json<ActionResult>({ errors: { [result.field]: `errors.${result.reason}` }, values: form.values }, { status: 409 });
      }
      return redirectWithFlash(request, here, { key: "topics.saved" });
    }
    case "retire":
    case "reactivate": {
      const retire = formData.get("intent") === "retire";
      setTopicRetired(user.id, topic.id, retire);
      return redirectWithFlash(request, here, { key: retire ? "topics.retiredNotice" : "topics.reactivatedNotice" });
    }
    default:
      return json<ActionResult>({ errors: { form: "errors.unknownIntent" }, values: {} }, { status: 400 });
  }
}

export default function EditTopicPage() {
  const { t } = useTranslation();
  const { topic } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const { register, errors, onSubmit } = useValidatedForm({
    schema: topicSchema,
    serverErrors: actionData?.errors,
  });
  const values = { ...topic, ...(actionData?.values as Record<string, string> | undefined) };
  const formId = "topic";
  return (
    <div className="page page--narrow">
      <p>
        <Link to="/team/topics">{t("topics.backToList")}</Link>
      </p>
      <h1>{t("topics.editTitle")}</h1>
      <FormError message={actionData?.errors.form} />
      <ErrorSummary formId={formId} errors={errors} />
      <Form method="post" noValidate onSubmit={onSubmit} className="stack">
        <TopicFields formId={formId} register={register} errors={errors} values={values} />
        <button type="submit" name="intent" value="rename" className="button">
          {t("topics.save")}
        </button>
      </Form>
      <section aria-labelledby="retire-title">
        <h2 id="retire-title">{t("topics.retireTitle")}</h2>
        <p>
          {t("topics.status")}: <strong>{topic.retiredAt ? t("topics.retired") : t("topics.active")}</strong>
        </p>
        <p>{t("topics.retireText")}</p>
        <Form method="post">
          <button
            type="submit"
            name="intent"
            value={topic.retiredAt ? "reactivate" : "retire"}
            className="button button--secondary"
          >
            {topic.retiredAt ? t("topics.reactivate") : t("topics.retire")}
          </button>
        </Form>
      </section>
    </div>
  );
}

export const meta = pageTitle("topics.editTitle");
