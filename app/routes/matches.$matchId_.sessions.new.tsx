import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth.server";
import { CheckboxGroup, ErrorSummary, FormError, RadioGroup, SelectField, TextAreaField, TextField } from "~/components/form-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { describeForViewer } from "~/domain/session-times";
import { getSchedulingOptions, getSchedulingSettings, proposeSessionTimes } from "~/models/session.server";
import { proposeTimesSchema } from "~/schemas/session";
import { redirectWithFlash } from "~/utils/flash.server";
import { echoedList, echoedText, parseForm, type FieldErrors, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

const slotsPerPage = 24;

async function requireSchedulingOptions(request: Request, matchId: string | undefined) {
  const user = await requireUser(request);
  const sessionId = new URL(request.url).searchParams.get("session");
  const options = matchId ? getSchedulingOptions(matchId, user, sessionId) : null;
  if (!options || !matchId) throw new Response("Not found", { status: 404 });
  return { user, options, sessionId, matchId };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, options, sessionId, matchId } = await requireSchedulingOptions(request, params.matchId);
  const from = Math.max(0, Math.floor(Number(new URL(request.url).searchParams.get("from")) || 0));
  const settings = getSchedulingSettings();
  const otherZone = options.side === "coach" ? options.requesterTimeZone : options.side === "requester" ? options.coachTimeZone : null;
  return json({
    matchId,
    sessionId,
    side: options.side,
    formats: options.formats,
    openProposal: options.openProposal,
    slots: options.slots.slice(from, from + slotsPerPage),
    from,
    hasLater: options.slots.length > from + slotsPerPage,
    viewerZone: user.timeZone,
    otherZone,
    settings,
  });
}

type ActionData = { errors?: FieldErrors; values?: FormValues; formError?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, options, sessionId, matchId } = await requireSchedulingOptions(request, params.matchId);
  const form = parseForm(proposeTimesSchema(options.side), await request.formData());
  if (!form.success) return json<ActionData>({ errors: form.errors, values: form.values }, { status: 400 });
  const result = proposeSessionTimes({
    matchId,
    sessionId,
    viewer: user,
    times: form.data.times,
    format: form.data.format,
    joinDetails: form.data.joinDetails,
    reason: form.data.reason,
  });
  if (!result.ok) return json<ActionData>({ formError: `sessions.refusals.${result.refusal}`, values: form.values }, { status: 409 });
  return redirectWithFlash(request, `/sessions/${result.sessionId}`, { key: options.side === "team" ? "sessions.booked" : "sessions.proposed" });
}

export default function NewSessionPage() {
  const { t, i18n } = useTranslation();
  const { matchId, sessionId, side, formats, openProposal, slots, from, hasLater, viewerZone, otherZone, settings } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const locale = i18n.language === "en" ? "en" : "de";
  const chosenTimes = echoedList(actionData?.values, "times");
  const form = useValidatedForm({
    schema: proposeTimesSchema(side),
    serverErrors: actionData?.errors,
    choiceGroups: { times: side === "coach" ? chosenTimes : (chosenTimes[0] ?? ""), format: echoedText(actionData?.values, "format") ?? formats[0] ?? "" },
  });
  const pageQuery = (start: number) => `?${new URLSearchParams({ ...(sessionId ? { session: sessionId } : {}), from: String(start) })}`;
  const slotOptions = slots.map((slot) => {
    const described = describeForViewer(slot, viewerZone, otherZone ?? viewerZone, locale);
    return {
      value: String(slot.startsAt),
      label: (
        <>
          {described.primary}
          {otherZone && described.other ? <span className="field__hint"> · {t("sessions.otherZone", { time: described.other })}</span> : null}
        </>
      ),
    };
  });
  const timesGroup = {
    formId: "propose",
    legend: t("sessions.timesLegend"),
    error: form.errors.times,
    registration: form.register("times"),
    options: slotOptions,
  };
  return (
    <div className="page page--narrow">
      <p>
        <Link to={sessionId ? `/sessions/${sessionId}` : `/matches/${matchId}`}>{sessionId ? t("sessions.detailTitle") : t("sessions.backToMatch")}</Link>
      </p>
      <h1>{sessionId ? t("sessions.rescheduleTitle") : t("sessions.newTitle")}</h1>
      <FormError message={actionData?.formError} />
      {openProposal ? (
        <p role="status">
          {t("sessions.openProposalHint")} <Link to={`/sessions/${openProposal}`}>{t("sessions.detailTitle")}</Link>
        </p>
      ) : slots.length === 0 ? (
        <p>{t("sessions.noSlots")}</p>
      ) : (
        <>
          <p>{side === "coach" ? t("sessions.slotsIntroCoach") : side === "requester" ? t("sessions.slotsIntroRequester") : t("sessions.slotsIntroTeam")}</p>
          <p className="field__hint">
            {t("sessions.slotsRules", { buffer: settings.bufferMinutes, notice: settings.noticeHours, zone: viewerZone.replaceAll("_", " ") })}
          </p>
          <Form method="post" noValidate onSubmit={form.onSubmit} className="stack">
            <ErrorSummary formId="propose" errors={form.errors} />
            {side === "coach" ? (
              <CheckboxGroup {...timesGroup} checkedValues={chosenTimes} />
            ) : (
              <RadioGroup {...timesGroup} checkedValue={chosenTimes[0] ?? ""} />
            )}
            {/* Only when there is somewhere to go: an empty navigation landmark is noise for screen readers. */}
            {from > 0 || hasLater ? (
              <nav aria-label={t("sessions.timesLegend")} className="button-row">
                {from > 0 ? <Link to={pageQuery(Math.max(0, from - slotsPerPage))}>{t("sessions.earlierTimes")}</Link> : null}
                {hasLater ? <Link to={pageQuery(from + slotsPerPage)}>{t("sessions.laterTimes")}</Link> : null}
              </nav>
            ) : null}
            <SelectField
              formId="propose"
              label={t("sessions.format")}
              registration={form.register("format")}
              error={form.errors.format}
              options={formats.map((format) => ({ value: format, label: t(`formats.${format}`) }))}
            />
            {side !== "requester" ? (
              <TextField
                formId="propose"
                label={t("sessions.joinDetails")}
                hint={t("sessions.joinDetailsHint")}
                registration={form.register("joinDetails")}
                error={form.errors.joinDetails}
                defaultValue={echoedText(actionData?.values, "joinDetails")}
                autoComplete="off"
              />
            ) : null}
            {sessionId ? (
              <TextAreaField
                formId="propose"
                label={t("sessions.rescheduleReason")}
                rows={2}
                registration={form.register("reason")}
                error={form.errors.reason}
                defaultValue={echoedText(actionData?.values, "reason")}
              />
            ) : null}
            <button type="submit" className="button">
              {side === "coach" ? t("sessions.propose") : side === "requester" ? t("sessions.pick") : t("sessions.book_team")}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}

export const meta = pageTitle("sessions.newTitle");
