import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth.server";
import { ErrorSummary, FormError, RadioGroup, SelectField, TextAreaField, TextField } from "~/components/form-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { JoinDetailsField } from "~/components/join-details-field";
import { useValidatedForm } from "~/components/use-validated-form";
import { describeForViewer } from "~/domain/session-times";
import { getHumhubStateForSession } from "~/models/humhub-outbox.server";
import {
  cancelSession,
  confirmSessionTime,
  getSessionForViewer,
  joinDetailsAfterConfirm,
  keepConfirmedTime,
  recordSessionFeedback,
  updateJoinDetails,
  type SessionResult,
} from "~/models/session.server";
import { cancelSessionSchema, confirmTimeSchema, feedbackSchema, joinDetailsSchema } from "~/schemas/session";
import { redirectWithFlash } from "~/utils/flash.server";
import { echoedText, parseForm, readFormData, type FieldErrors, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

async function requireVisibleSession(request: Request, sessionId: string | undefined) {
  const user = await requireUser(request);
  const session = sessionId ? getSessionForViewer(sessionId, user) : null;
  if (!session) throw new Response("Not found", { status: 404 });
  return { user, session };
}

/** Whose turn it is to answer offered times: the side that did not offer them (never the team). */
function mayAnswerOffer(session: NonNullable<ReturnType<typeof getSessionForViewer>>, userId: string) {
  return Boolean(session.proposedTimes) && session.side !== "team" && session.proposedByUserId !== userId;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, session } = await requireVisibleSession(request, params.sessionId);
  const now = Date.now();
  const otherZone = session.side === "coach" ? session.requester.timeZone : session.side === "requester" ? session.coach.timeZone : null;
  const isParticipant = session.side !== "team";
  const over = session.status === "confirmed" && session.endsAt !== null && session.endsAt.getTime() <= now;
  const ownFeedback = session.feedback.find((entry) => entry.userId === user.id) ?? null;
  const upcoming = session.status !== "cancelled" && (session.startsAt === null || session.startsAt.getTime() > now);
  // The team arranges, it does not attend: how to join (perhaps a phone number) stays between the two people.
  const seesJoinDetails = session.side !== "team";
  return json({
    session: {
      id: session.id,
      matchId: session.matchId,
      status: session.status,
      side: session.side,
      format: session.format,
      joinDetails: seesJoinDetails ? session.joinDetails : null,
      proposedFormat: session.proposedFormat,
      proposedJoinDetails: seesJoinDetails ? session.proposedJoinDetails : null,
      startsAt: session.startsAt?.getTime() ?? null,
      endsAt: session.endsAt?.getTime() ?? null,
      proposedTimes: session.proposedTimes,
      proposedByName: session.proposedByUserId === session.coach.id ? session.coach.name : session.proposedByUserId === session.requester.id ? session.requester.name : null,
      cancelReason: session.cancelReason,
      coachName: session.coach.name,
      requesterName: session.requester.name,
    },
    mayAnswer: mayAnswerOffer(session, user.id),
    needsJoinDetails: session.side === "coach" && !joinDetailsAfterConfirm(session),
    mayGiveFeedback: isParticipant && over,
    // Decided here, not in the component: the server's clock is the one the rules use.
    upcoming,
    mayReschedule: upcoming && session.status === "confirmed" && session.matchStatus === "accepted",
    mayEditJoinDetails: upcoming && session.status === "confirmed" && session.side === "coach",
    ownFeedback: ownFeedback ? { held: ownFeedback.held, rating: ownFeedback.rating, comment: ownFeedback.comment } : null,
    feedback: session.feedback.map((entry) => ({
      userId: entry.userId,
      name: entry.userId === session.coach.id ? session.coach.name : session.requester.name,
      held: entry.held,
      rating: entry.rating,
      comment: entry.comment,
    })),
    events: session.events.map(({ at, ...event }) => ({ ...event, at: at.getTime() })),
    humhub: getHumhubStateForSession(session.id),
    viewerZone: user.timeZone,
    otherZone,
  });
}

type ActionData = { intent?: string; errors?: FieldErrors; values?: FormValues; formError?: string };

const successMessage = {
  confirm: "sessions.confirmed",
  keepTime: "sessions.keptTime",
  joinDetails: "sessions.joinDetailsSaved",
  cancel: "sessions.cancelled",
  feedback: "sessions.feedbackSaved",
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, session } = await requireVisibleSession(request, params.sessionId);
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");
  let result: SessionResult;
  switch (intent) {
    case "confirm": {
      if (!mayAnswerOffer(session, user.id)) return json<ActionData>({ intent, formError: "sessions.refusals.notYourTurn" }, { status: 403 });
      const form = parseForm(confirmTimeSchema(session.side === "coach" && !joinDetailsAfterConfirm(session)), formData);
      if (!form.success) return json<ActionData>({ intent, errors: form.errors, values: form.values }, { status: 400 });
      result = confirmSessionTime({ sessionId: session.id, viewer: user, startsAt: form.data.time, joinDetails: form.data.joinDetails });
      break;
    }
    case "keepTime":
      if (!mayAnswerOffer(session, user.id)) return json<ActionData>({ intent, formError: "sessions.refusals.notYourTurn" }, { status: 403 });
      result = keepConfirmedTime(session.id, user);
      break;
    case "joinDetails": {
      if (session.side !== "coach") return json<ActionData>({ intent, formError: "sessions.refusals.notYourTurn" }, { status: 403 });
      const form = parseForm(joinDetailsSchema, formData);
      if (!form.success) return json<ActionData>({ intent, errors: form.errors, values: form.values }, { status: 400 });
      result = updateJoinDetails({ sessionId: session.id, viewer: user, joinDetails: form.data.joinDetails });
      break;
    }
    case "cancel": {
      const form = parseForm(cancelSessionSchema, formData);
      if (!form.success) return json<ActionData>({ intent, errors: form.errors, values: form.values }, { status: 400 });
      result = cancelSession({ sessionId: session.id, viewer: user, reason: form.data.reason });
      break;
    }
    case "feedback": {
      if (session.side === "team") return json<ActionData>({ intent, formError: "sessions.refusals.notFound" }, { status: 403 });
      const form = parseForm(feedbackSchema, formData);
      if (!form.success) return json<ActionData>({ intent, errors: form.errors, values: form.values }, { status: 400 });
      result = recordSessionFeedback({ sessionId: session.id, viewer: user, held: form.data.held === "yes", rating: form.data.rating, comment: form.data.comment });
      break;
    }
    default:
      return json<ActionData>({ formError: "errors.unknownIntent" }, { status: 400 });
  }
  if (!result.ok) return json<ActionData>({ intent, formError: `sessions.refusals.${result.refusal}` }, { status: 409 });
  return redirectWithFlash(request, `/sessions/${session.id}`, { key: successMessage[intent] });
}

export default function SessionPage() {
  const { t, i18n } = useTranslation();
  const { session, mayAnswer, needsJoinDetails, mayGiveFeedback, upcoming, mayReschedule, mayEditJoinDetails, ownFeedback, feedback, events, humhub, viewerZone, otherZone } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const locale = i18n.language === "en" ? "en" : "de";
  // en-GB: the 24-hour clock and day-month order that session times use too.
  const dateLocale = locale === "en" ? "en-GB" : "de-DE";
  const serverErrors = (intent: string) => (actionData?.intent === intent ? actionData.errors : undefined);
  const echoed = (intent: string, name: string) => (actionData?.intent === intent ? echoedText(actionData.values, name) : undefined);
  const confirm = useValidatedForm({ schema: confirmTimeSchema(needsJoinDetails), serverErrors: serverErrors("confirm"), choiceGroups: { time: echoed("confirm", "time") ?? "" } });
  const cancel = useValidatedForm({ schema: cancelSessionSchema, serverErrors: serverErrors("cancel") });
  const joinDetailsForm = useValidatedForm({ schema: joinDetailsSchema, serverErrors: serverErrors("joinDetails") });
  const feedbackForm = useValidatedForm({
    schema: feedbackSchema,
    serverErrors: serverErrors("feedback"),
    choiceGroups: { held: echoed("feedback", "held") ?? (ownFeedback ? (ownFeedback.held ? "yes" : "no") : "") },
  });
  const dateTime = new Intl.DateTimeFormat(dateLocale, { dateStyle: "medium", timeStyle: "short", timeZone: viewerZone });
  const describe = (range: { startsAt: number; endsAt: number }) => {
    const described = describeForViewer(range, viewerZone, otherZone ?? viewerZone, locale);
    return otherZone && described.other ? `${described.primary} (${t("sessions.otherZone", { time: described.other })})` : described.primary;
  };
  const confirmed = session.status === "confirmed" && session.startsAt !== null && session.endsAt !== null;
  const timeOptions = (session.proposedTimes ?? []).map((time) => ({ value: String(time.startsAt), label: describe(time) }));
  return (
    <div className="page page--narrow">
      <p>
        <Link to={`/matches/${session.matchId}`}>{t("sessions.backToMatch")}</Link>
      </p>
      <h1>{t("sessions.detailTitle")}</h1>
      <FormError message={actionData?.formError} />
      <dl className="meta-list">
        <div>
          <dt>{t("sessions.statusLabel")}</dt>
          <dd>
            <span className="badge">{t(`sessions.status.${session.status}`)}</span>
            {session.cancelReason ? ` · ${session.cancelReason}` : null}
          </dd>
        </div>
        {session.startsAt !== null && session.endsAt !== null ? (
          <div>
            <dt>{t("sessions.whenLabel")}</dt>
            <dd>{describe({ startsAt: session.startsAt, endsAt: session.endsAt })}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("sessions.formatLabel")}</dt>
          <dd>{t(`formats.${session.format}`)}</dd>
        </div>
        {session.joinDetails !== null ? (
          <div>
            <dt>{t("sessions.joinLabel")}</dt>
            <dd className="preserve-lines">{session.joinDetails || t("sessions.joinMissing")}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("sessions.peopleLabel")}</dt>
          <dd>
            {session.requesterName}, {session.coachName}
          </dd>
        </div>
      </dl>

      {session.proposedTimes ? (
        <section aria-labelledby="offer-title">
          <h2 id="offer-title">{session.status === "confirmed" ? t("sessions.rescheduleProposedTitle") : t("sessions.proposedTimesTitle")}</h2>
          {session.proposedByName ? <p>{t("sessions.proposedBy", { name: session.proposedByName })}</p> : null}
          {session.status === "confirmed" ? <p>{t("sessions.rescheduleProposedHint")}</p> : null}
          {session.proposedFormat ? <p>{t("sessions.proposedFormat", { format: t(`formats.${session.proposedFormat}`) })}</p> : null}
          {session.proposedJoinDetails ? <p className="preserve-lines">{t("sessions.proposedJoinDetails", { details: session.proposedJoinDetails })}</p> : null}
          {mayAnswer ? (
            <>
              <Form method="post" noValidate onSubmit={confirm.onSubmit} className="stack">
                <ErrorSummary formId="confirm" errors={confirm.errors} />
                <RadioGroup
                  formId="confirm"
                  legend={t("sessions.confirmLegend")}
                  registration={confirm.register("time")}
                  error={confirm.errors.time}
                  options={timeOptions}
                  checkedValue={echoed("confirm", "time") ?? ""}
                />
                {needsJoinDetails ? (
                  <JoinDetailsField formId="confirm" registration={confirm.register("joinDetails")} error={confirm.errors.joinDetails} defaultValue={echoed("confirm", "joinDetails")} />
                ) : null}
                <button type="submit" name="intent" value="confirm" className="button">
                  {t("sessions.confirm")}
                </button>
              </Form>
              {session.status === "confirmed" ? (
                <Form method="post">
                  <button type="submit" name="intent" value="keepTime" className="button button--secondary">
                    {t("sessions.keepTime")}
                  </button>
                </Form>
              ) : null}
            </>
          ) : (
            <>
              <ul className="plain-list">
                {timeOptions.map((option) => (
                  <li key={option.value}>{option.label}</li>
                ))}
              </ul>
              <p>{t("sessions.waitingForOther")}</p>
            </>
          )}
        </section>
      ) : null}

      {confirmed && session.side !== "team" ? (
        <section aria-labelledby="calendar-title">
          <h2 id="calendar-title">{t("sessions.calendarTitle")}</h2>
          <p>
            <a href={`/sessions/${session.id}/calendar.ics`} download>
              {t("sessions.downloadIcs")}
            </a>
          </p>
        </section>
      ) : null}

      <section aria-labelledby="humhub-title">
        <h2 id="humhub-title">{t("sessions.humhubTitle")}</h2>
        {humhub.state === "none" ? (
          <p>{t("sessions.humhubNone")}</p>
        ) : humhub.state === "pending" ? (
          <p>{humhub.waitingForSetup ? t("sessions.humhubWaitingForSetup") : t("sessions.humhubPending")}</p>
        ) : humhub.state === "failed" ? (
          <p>{t("sessions.humhubFailed", { reason: humhub.reason })}</p>
        ) : (
          <p>
            {t("sessions.humhubPosted")}{" "}
            {humhub.entryUrl ? <a href={humhub.entryUrl}>{t("sessions.humhubEntryLink")}</a> : null}
            {humhub.entryUrl && humhub.postUrl ? " · " : null}
            {humhub.postUrl ? <a href={humhub.postUrl}>{t("sessions.humhubPostLink")}</a> : null}
          </p>
        )}
      </section>

      {mayEditJoinDetails ? (
        <section aria-labelledby="join-title">
          <h2 id="join-title">{t("sessions.editJoinTitle")}</h2>
          <Form method="post" noValidate onSubmit={joinDetailsForm.onSubmit} className="stack">
            <JoinDetailsField formId="join" registration={joinDetailsForm.register("joinDetails")} error={joinDetailsForm.errors.joinDetails} defaultValue={echoed("joinDetails", "joinDetails") ?? session.joinDetails ?? ""} />
            <button type="submit" name="intent" value="joinDetails" className="button button--secondary">
              {t("sessions.saveJoinDetails")}
            </button>
          </Form>
        </section>
      ) : null}

      {upcoming ? (
        <section aria-labelledby="change-title" className="stack">
          <h2 id="change-title">{t("sessions.cancelTitle")}</h2>
          {mayReschedule ? (
            <p>
              <Link to={`/matches/${session.matchId}/sessions/new?session=${session.id}`}>{t("sessions.reschedule")}</Link>
            </p>
          ) : null}
          <Form method="post" noValidate onSubmit={cancel.onSubmit} className="stack">
            <ErrorSummary formId="cancel" errors={cancel.errors} />
            <TextAreaField
              formId="cancel"
              label={t("sessions.cancelReason")}
              rows={2}
              registration={cancel.register("reason")}
              error={cancel.errors.reason}
              defaultValue={echoed("cancel", "reason")}
            />
            <button type="submit" name="intent" value="cancel" className="button button--secondary">
              {t("sessions.cancel")}
            </button>
          </Form>
        </section>
      ) : null}

      {mayGiveFeedback ? (
        <section aria-labelledby="feedback-title">
          <h2 id="feedback-title">{t("sessions.feedbackTitle")}</h2>
          <Form method="post" noValidate onSubmit={feedbackForm.onSubmit} className="stack">
            <ErrorSummary formId="feedback" errors={feedbackForm.errors} />
            <RadioGroup
              formId="feedback"
              legend={t("sessions.heldLegend")}
              registration={feedbackForm.register("held")}
              error={feedbackForm.errors.held}
              options={[
                { value: "yes", label: t("sessions.held") },
                { value: "no", label: t("sessions.notHeld") },
              ]}
              checkedValue={echoed("feedback", "held") ?? (ownFeedback ? (ownFeedback.held ? "yes" : "no") : "")}
            />
            <SelectField
              formId="feedback"
              label={t("sessions.rating")}
              registration={feedbackForm.register("rating")}
              error={feedbackForm.errors.rating}
              placeholder={t("sessions.ratingNone")}
              options={["1", "2", "3", "4", "5"].map((value) => ({ value, label: value }))}
              defaultValue={echoed("feedback", "rating") ?? (ownFeedback?.rating ? String(ownFeedback.rating) : "")}
            />
            <TextField
              formId="feedback"
              label={t("sessions.comment")}
              registration={feedbackForm.register("comment")}
              error={feedbackForm.errors.comment}
              defaultValue={echoed("feedback", "comment") ?? ownFeedback?.comment ?? ""}
            />
            <button type="submit" name="intent" value="feedback" className="button">
              {t("sessions.saveFeedback")}
            </button>
          </Form>
        </section>
      ) : null}

      {feedback.length > 0 ? (
        <section aria-labelledby="feedback-given-title">
          <h2 id="feedback-given-title">{t("sessions.feedbackGivenTitle")}</h2>
          <ul className="plain-list">
            {feedback.map((entry) => (
              <li key={entry.userId}>
                {t("sessions.feedbackSummary", { name: entry.name, held: entry.held ? t("sessions.heldYes") : t("sessions.heldNo") })}
                {entry.rating ? ` · ${t("sessions.feedbackRating", { rating: entry.rating })}` : null}
                {entry.comment ? ` · ${t("sessions.feedbackComment", { comment: entry.comment })}` : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t("sessions.historyTitle")}</h2>
        <ol className="history">
          {events.map((event) => (
            <li key={event.id}>
              {t(`sessions.event.${event.kind}`, { date: dateTime.format(new Date(event.at)), name: event.actorName ?? "–" })}
              {event.reason && event.reason !== "keptTime" ? ` ${event.reason}` : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

export const meta = pageTitle("sessions.detailTitle");
