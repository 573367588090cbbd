import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth.server";
import { ErrorSummary } from "~/components/form-fields";
import { TopicFields } from "~/components/topic-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { createTopic, listTopics } from "~/models/topic.server";
import { topicSchema } from "~/schemas/topic";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData, type FieldErrors, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "team");
  return json({
    topics: listTopics({ includeRetired: true }).map((topic) => ({
      ...topic,
      retiredAt: topic.retiredAt?.toISOString() ?? null,
      createdAt: topic.createdAt.toISOString(),
    })),
  });
}

type ActionResult = { errors: FieldErrors; values: FormValues };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "team");
  const form = parseForm(topicSchema, await readFormData(request));
  if (!form.success) return json<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });
  const result = createTopic(user.id, form.data);
  if (!result.ok) {
    return json<ActionResult>({ errors: { [result.field]: `errors.${result.reason}` }, values: form.values }, { status: 409 });
  }
  return redirectWithFlash(request, "/team/topics", {
    key: "topics.added",
    values: { label: form.data.labelDe },
  });
}

export default function TeamTopicsPage() {
  const { t, i18n } = useTranslation();
  const { topics } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const { register, errors, onSubmit } = useValidatedForm({
    schema: topicSchema,
    serverErrors: actionData?.errors,
  });
  const english = i18n.language === "en";
  const formId = "topic";
  return (
    <div className="page">
      <h1>{t("topics.title")}</h1>
      <p>{t("topics.intro")}</p>
      <h2>{t("topics.listTitle")}</h2>
      <div className="table-scroll" role="region" aria-label={t("topics.listTitle")} tabIndex={0}>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t("topics.label")}</th>
              <th scope="col">{t("topics.description")}</th>
              <th scope="col">{t("topics.status")}</th>
            </tr>
          </thead>
          <tbody>
            {topics.map((topic) => {
              const label = english ? topic.labelEn : topic.labelDe;
              return (
                <tr key={topic.id}>
                  <th scope="row">
                    <Link to={`/team/topics/${topic.id}`} aria-label={t("topics.edit", { label })}>
                      {label}
                    </Link>
                  </th>
                  <td>{english ? topic.descriptionEn : topic.descriptionDe}</td>
                  <td>
                    <span className="badge">{topic.retiredAt ? t("topics.retired") : t("topics.active")}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <section aria-labelledby="add-topic-title" className="page--narrow">
        <h2 id="add-topic-title">{t("topics.addTitle")}</h2>
        <ErrorSummary formId={formId} errors={errors} />
        <Form method="post" noValidate onSubmit={onSubmit} className="stack">
          <TopicFields formId={formId} register={register} errors={errors} values={(actionData?.values ?? {}) as Record<string, string>} />
          <button type="submit" className="button">
            {t("topics.add")}
          </button>
        </Form>
      </section>
    </div>
  );
}

export const meta = pageTitle("topics.title");
