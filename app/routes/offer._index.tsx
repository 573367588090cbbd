import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "~/auth.server";
import { ErrorSummary, FormError, TextField } from "~/components/form-fields";
import { OfferCard } from "~/components/offer-preview";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { getOwnOffer, setOfferPause } from "~/models/offer.server";
import { calendarDate } from "~/schemas/fields";
import { calendarDateText } from "~/utils/display";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData, type FieldErrors } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

const pauseSchema = z.object({
  pausedUntil: calendarDate.refine((value) => value !== null, "errors.dateInvalid"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coach");
  return json({ offer: getOwnOffer(user.id), today: new Date().toISOString().slice(0, 10) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "coach");
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "pause": {
      const form = parseForm(pauseSchema, formData);
      if (!form.success) return json<{ errors: FieldErrors }>({ errors: form.errors }, { status: 400 });
      if (!setOfferPause(user.id, form.data.pausedUntil)) throw new Response("Not found", { status: 404 });
      return redirectWithFlash(request, "/offer", { key: "offer.paused" });
    }
    case "resume":
      if (!setOfferPause(user.id, null)) throw new Response("Not found", { status: 404 });
      return redirectWithFlash(request, "/offer", { key: "offer.resumed" });
    default:
      return json<{ errors: FieldErrors }>({ errors: { form: "errors.unknownIntent" } }, { status: 400 });
  }
}

export default function OfferPage() {
  const { t, i18n } = useTranslation();
  const { offer, today } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const { register, errors, onSubmit } = useValidatedForm({
    schema: pauseSchema,
    serverErrors: actionData?.errors,
  });
  if (!offer) {
    return (
      <div className="page page--narrow">
        <h1>{t("offer.title")}</h1>
        <h2>{t("offer.emptyTitle")}</h2>
        <p>{t("offer.emptyText")}</p>
        <Link className="button" to="/offer/edit">
          {t("offer.create")}
        </Link>
      </div>
    );
  }
  const paused = offer.pausedUntil !== null && offer.pausedUntil >= today;
  const formId = "pause";
  return (
    <div className="page">
      <h1>{t("offer.title")}</h1>
      <FormError message={actionData?.errors.form} />
      <p className={paused ? "notice" : "notice notice--success"}>
        {paused
          ? t("offer.pausedNotice", { date: calendarDateText(offer.pausedUntil ?? today, i18n.language) })
          : t("offer.activeNotice")}
      </p>
      <p className="actions">
        <Link className="button" to="/offer/edit">
          {t("offer.edit")}
        </Link>
      </p>
      <section aria-labelledby="preview-title">
        <h2 id="preview-title">{t("offer.previewTitle")}</h2>
        <p>{t("offer.previewHint")}</p>
        <OfferCard offer={offer} headingLevel={3} />
      </section>
      <section aria-labelledby="pause-title" className="page--narrow">
        <h2 id="pause-title">{t("offer.pauseTitle")}</h2>
        {paused ? (
          <Form method="post">
            <button type="submit" name="intent" value="resume" className="button button--secondary">
              {t("offer.resume")}
            </button>
          </Form>
        ) : (
          <>
            <ErrorSummary formId={formId} errors={errors} />
            <Form method="post" noValidate onSubmit={onSubmit} className="stack">
              <TextField
                formId={formId}
                label={t("offer.pauseUntil")}
                hint={t("offer.pausedUntilHint")}
                type="date"
                min={today}
                required
                error={errors.pausedUntil}
                registration={register("pausedUntil")}
              />
              <button type="submit" name="intent" value="pause" className="button button--secondary">
                {t("offer.pause")}
              </button>
            </Form>
          </>
        )}
      </section>
    </div>
  );
}

export const meta = pageTitle("offer.title");
