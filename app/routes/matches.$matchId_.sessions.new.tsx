import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth.server";
import { CheckboxGroup, EnterSubmits, ErrorSummary, FormError, RadioGroup, SelectField, TextAreaField } from "~/components/form-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { JoinDetailsField } from "~/components/join-details-field";
import { useValidatedForm } from "~/components/use-validated-form";
import { describeForViewer } from "~/domain/session-times";
import { getSchedulingOptions, getSchedulingSettings, proposeSessionTimes } from "~/models/session.server";
import { proposeTimesSchema } from "~/schemas/session";
import { redirectWithFlash } from "~/utils/flash.server";
import { echoedList, echoedText, formDataToObject, parseForm, readFormData, type FieldErrors, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

const slotsPerPage = 24;
/** The value of the paging buttons: tells the form hook not to validate, and the loader where to continue. */
const pagePrefix = "page:";

async function requireSchedulingOptions(request: Request, matchId: string | undefined) {
  const user = await requireUser(request);
  const sessionId = new URL(request.url).searchParams.get("session");
  const options = matchId ? getSchedulingOptions(matchId, user, sessionId) : null;
  if (!options || !matchId) throw new Response("Not found", { status: 404 });
  return { user, options, sessionId, matchId };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, options, sessionId, matchId } = await requireSchedulingOptions(request, params.matchId);

  const settings = getSchedulingSettings();
  const otherZone = options.side === "coach" ? options.requesterTimeZone : options.side === "requester" ? options.coachTimeZone : null;
  return json({
    matchId,
    sessionId,
    side: options.side,
    durationMinutes: options.durationMinutes,
    formats: options.formats,
    openProposal: options.openProposal,
    slots: options.slots,
    viewerZone: user.timeZone,
    otherZone,
    settings,
    // The team does not see how to join (see the session page); its field starts empty, and empty keeps the details.
    current: options.current && { format: options.current.format, joinDetails: options.side === "team" ? "" : options.current.joinDetails },
  });
}

type ActionData = { errors?: FieldErrors; values?: FormValues; formError?: string; from?: number };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, options, sessionId, matchId } = await requireSchedulingOptions(request, params.matchId);
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");
  // Paging re-renders the form with what was ticked and typed so far, like the availability editor; nothing is saved.
  if (intent.startsWith(pagePrefix)) {
    const requested = Math.floor(Number(intent.slice(pagePrefix.length))) || 0;
    return json<ActionData>({ values: formDataToObject(formData), from: Math.min(Math.max(0, requested), Math.max(0, options.slots.length - 1)) });
  }
  // Without an intent (a browser that does not send the pressed button) the form proposes; any other is not this form's.
  if (intent !== "propose" && intent !== "") return json<ActionData>({ formError: "errors.unknownIntent", values: formDataToObject(formData) }, { status: 400 });
  const form = parseForm(proposeTimesSchema(options.side, sessionId !== null), formData);
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
  const { matchId, sessionId, side, durationMinutes, formats, openProposal, slots: allSlots, viewerZone, otherZone, settings, current } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const locale = i18n.language === "en" ? "en" : "de";
  const from = actionData?.from ?? 0;
  const slots = allSlots.slice(from, from + slotsPerPage);
  const hasLater = allSlots.length > from + slotsPerPage;
  const chosenTimes = echoedList(actionData?.values, "times");
  // A reschedule starts from the session's own format and details.
  const echoed = (name: "format" | "joinDetails" | "reason") =>
    actionData?.values ? echoedText(actionData.values, name) : name === "reason" ? undefined : (current?.[name] ?? undefined);
  const form = useValidatedForm({
    schema: proposeTimesSchema(side, sessionId !== null),
    serverErrors: actionData?.errors,
    isUnvalidatedIntent: (value) => value.startsWith(pagePrefix),
    choiceGroups: { times: side === "coach" ? chosenTimes : (chosenTimes[0] ?? ""), format: echoed("format") ?? formats[0] ?? "" },
  });
  // Times the coach ticked on another page stay in the list, ticked, so an offer can combine times from several pages.
  const shownTimes = new Set(slots.map((slot) => String(slot.startsAt)));
  // Only times that could be real: a crafted value must not break the page.
  const plausible = (time: string) => {
    const instant = Number(time);
    return Number.isSafeInteger(instant) && allSlots.some((slot) => slot.startsAt === instant);
  };
  const keptChoices = side === "coach" ? chosenTimes : chosenTimes.slice(0, 1);
  const chosenElsewhere = keptChoices.filter((time) => !shownTimes.has(time) && plausible(time));
  const listed = [
    ...chosenElsewhere.map((time) => ({ startsAt: Number(time), endsAt: Number(time) + durationMinutes * 60_000 })),
    ...slots,
  ];
  const slotOptions = listed.map((slot) => {
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
            {/* Enter in a field offers the times, not the paging buttons that come first. */}
            <EnterSubmits intent="propose" />
            <ErrorSummary formId="propose" errors={form.errors} />
            {side === "coach" ? (
              <CheckboxGroup {...timesGroup} checkedValues={chosenTimes} />
            ) : (
              <RadioGroup {...timesGroup} checkedValue={chosenTimes[0] ?? ""} />
            )}
            {/* Only when there is somewhere to go. */}
            {from > 0 || hasLater ? (
              <div className="button-row">
                {from > 0 ? (
                  <button type="submit" formNoValidate name="intent" value={`${pagePrefix}${Math.max(0, from - slotsPerPage)}`} className="button button--secondary">
                    {t("sessions.earlierTimes")}
                  </button>
                ) : null}
                {hasLater ? (
                  <button type="submit" formNoValidate name="intent" value={`${pagePrefix}${from + slotsPerPage}`} className="button button--secondary">
                    {t("sessions.laterTimes")}
                  </button>
                ) : null}
              </div>
            ) : null}
            <SelectField
              formId="propose"
              label={t("sessions.format")}
              registration={form.register("format")}
              error={form.errors.format}
              defaultValue={echoed("format") ?? formats[0]}
              options={formats.map((format) => ({ value: format, label: t(`formats.${format}`) }))}
            />
            {side !== "requester" ? (
              <JoinDetailsField formId="propose" registration={form.register("joinDetails")} error={form.errors.joinDetails} defaultValue={echoed("joinDetails")} />
            ) : null}
            {sessionId ? (
              <TextAreaField
                formId="propose"
                label={t("sessions.rescheduleReason")}
                rows={2}
                registration={form.register("reason")}
                error={form.errors.reason}
                defaultValue={echoed("reason")}
              />
            ) : null}
            <button type="submit" name="intent" value="propose" className="button">
              {side === "coach" ? t("sessions.propose") : side === "requester" ? t("sessions.pick") : t("sessions.book_team")}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}

export const meta = pageTitle("sessions.newTitle");
