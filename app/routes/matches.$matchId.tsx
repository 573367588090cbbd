import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth.server";
import { FormError, SelectField, TextAreaField } from "~/components/form-fields";
import { formatPoints } from "~/components/match-explanation";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { useReadableReason } from "~/components/match-reason";
import { softCriteria } from "~/domain/matching/criteria";
import { actOnMatch, expireOverdueMatches, getMatchForViewer, listMatchEvents, overrideMatch, type ActResult } from "~/models/match.server";
import { describeOffers, getMatchingWeights, suggestCoaches } from "~/models/matching.server";
import { listSessionsForMatch } from "~/models/session.server";
import { describeForViewer } from "~/domain/session-times";
import { declineSchema, overrideSchema, rejectSchema } from "~/schemas/match";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData, type FieldErrors } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { declineReasons } from "~db/schema";

async function requireVisibleMatch(request: Request, matchId: string | undefined) {
  const user = await requireUser(request);
  expireOverdueMatches();
  const match = matchId ? getMatchForViewer(matchId, user) : null;
  if (!match) throw new Response("Not found", { status: 404 });
  return { user, match };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { match, user } = await requireVisibleMatch(request, params.matchId);
  const alternatives =
    match.viewerRole === "team" && match.status === "awaitingReview"
      ? (suggestCoaches(match.requestId, getMatchingWeights())?.suggestions ?? [])
          .filter((suggestion) => suggestion.offerId !== match.offerId)
          .slice(0, 5)
      : [];
  const names = describeOffers(alternatives.map((alternative) => alternative.offerId));
  const sideNames = { requester: match.requesterName ?? match.requestOrganisation, coach: match.coachName ?? match.coachOrganisation };
  return json({
    match,
    timeZone: user.timeZone,
    sessions: match.status === "accepted" || match.status === "closed" ? listSessionsForMatch(match.id).map(({ startsAt, endsAt, ...session }) => ({
      ...session,
      startsAt: startsAt?.getTime() ?? null,
      endsAt: endsAt?.getTime() ?? null,
    })) : [],
    // The team's reasons for rejecting or replacing a proposal are internal notes. Until the coach accepts, the other
    // side's acts carry its organisation, like everything else on the page.
    events: listMatchEvents([match.id]).map(({ at, reason, actorName, actorSide, ...event }) => ({
      ...event,
      actorName: actorSide && actorSide !== match.viewerRole ? sideNames[actorSide] : actorName,
      reason: match.viewerRole !== "team" && (event.to === "rejected" || event.to === "overridden") ? null : reason,
      at: at.toISOString(),
    })),
    alternatives: alternatives.map((alternative) => ({
      offerId: alternative.offerId,
      total: alternative.total,
      label: `${names.get(alternative.offerId)?.coachName ?? ""} (${names.get(alternative.offerId)?.organisationName ?? ""})`,
    })),
  });
}

type ActionData = { formError?: string; errors?: FieldErrors; intent?: string };

const successMessage = {
  accept: "matches.accepted",
  decline: "matches.declined",
  approve: "matches.approved",
  reject: "matches.rejected",
  override: "matches.overridden",
  close: "matches.closed",
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, match } = await requireVisibleMatch(request, params.matchId);
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");
  const role = match.viewerRole;
  const forbidden = () => json<ActionData>({ formError: "matches.refusals.wrongActor", intent }, { status: 403 });
  let result: ActResult;
  switch (intent) {
    case "accept":
      if (role !== "coach") return forbidden();
      result = actOnMatch({ matchId: match.id, action: "accept", actorUserId: user.id, actorRole: "coach" });
      break;
    case "decline": {
      if (role !== "coach") return forbidden();
      const form = parseForm(declineSchema, formData);
      if (!form.success) return json<ActionData>({ errors: form.errors, intent }, { status: 400 });
      result = actOnMatch({
        matchId: match.id,
        action: "decline",
        actorUserId: user.id,
        actorRole: "coach",
        declineReason: form.data.declineReason,
        reason: form.data.note,
      });
      break;
    }
    case "approve":
    case "close":
      if (role !== "team") return forbidden();
      result = actOnMatch({ matchId: match.id, action: intent, actorUserId: user.id, actorRole: "team" });
      break;
    case "reject": {
      if (role !== "team") return forbidden();
      const form = parseForm(rejectSchema, formData);
      if (!form.success) return json<ActionData>({ errors: form.errors, intent }, { status: 400 });
      result = actOnMatch({ matchId: match.id, action: "reject", actorUserId: user.id, actorRole: "team", reason: form.data.reason });
      break;
    }
    case "override": {
      if (role !== "team") return forbidden();
      const form = parseForm(overrideSchema, formData);
      if (!form.success) return json<ActionData>({ errors: form.errors, intent }, { status: 400 });
      result = overrideMatch({ matchId: match.id, offerId: form.data.offerId, actorUserId: user.id, reason: form.data.reason });
      break;
    }
    default:
      return json<ActionData>({ formError: "errors.unknownIntent" }, { status: 400 });
  }
  if (!result.ok) return json<ActionData>({ formError: `matches.refusals.${result.refusal}`, intent }, { status: 409 });
  return redirectWithFlash(request, `/matches/${match.id}`, { key: successMessage[intent] });
}

export default function MatchPage() {
  const { t, i18n } = useTranslation();
  const { match, events, alternatives, timeZone, sessions } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const locale = i18n.language;
  const english = locale === "en";
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
  const serverErrors = (intent: string) => (actionData?.intent === intent ? actionData.errors : undefined);
  const decline = useValidatedForm({ schema: declineSchema, serverErrors: serverErrors("decline") });
  const reject = useValidatedForm({ schema: rejectSchema, serverErrors: serverErrors("reject") });
  const override = useValidatedForm({ schema: overrideSchema, serverErrors: serverErrors("override") });
  const topic = (english ? match.topicEn : match.topicDe) ?? "";
  const readableReason = useReadableReason();
  return (
    <div className="page">
      <p>
        <Link to={match.viewerRole === "team" ? "/team/desk" : "/matches"}>
          {match.viewerRole === "team" ? t("matches.deskTitle") : t("matches.listTitle")}
        </Link>
      </p>
      <h1>{t("matches.detailTitle")}</h1>
      <FormError message={actionData?.formError} />
      <dl className="meta-list">
        <div>
          <dt>{t("matches.statusLabel")}</dt>
          <dd>
            <span className="badge">{t(`matches.status.${match.status}`)}</span>
            {match.status === "awaitingCoach" && match.respondBy ? ` · ${t("matches.respondBy", { date: dateTime.format(new Date(match.respondBy)) })}` : null}
          </dd>
        </div>
        <div>
          <dt>{t("matches.requestLabel")}</dt>
          <dd>
            {topic} · {match.requestOrganisation}
            {match.requesterName ? ` · ${match.requesterName}` : null}
            <p className="preserve-lines">{match.goal || t("privacy.redactedGoal")}</p>
          </dd>
        </div>
        <div>
          <dt>{t("matches.coachLabel")}</dt>
          <dd>
            {match.coachOrganisation}
            {match.coachName ? ` · ${match.coachName}` : null}
          </dd>
        </div>
        <div>
          <dt>{t("matches.sourceLabel")}</dt>
          <dd>
            {t(`matches.source.${match.source}`)}, {dateTime.format(new Date(match.createdAt))}
          </dd>
        </div>
        <div>
          <dt>{t("matches.scoreLabel")}</dt>
          <dd>
            {t("matching.score", { points: formatPoints(match.score, locale) })}
            <ul className="plain-list">
              {softCriteria
                .filter((criterion) => match.breakdown[criterion] !== undefined)
                .map((criterion) => (
                  <li key={criterion}>
                    {t(`matching.criteria.${criterion}`)}: {formatPoints(match.breakdown[criterion] ?? 0, locale)}
                  </li>
                ))}
            </ul>
          </dd>
        </div>
      </dl>

      {match.viewerRole !== "team" ? (
        <section aria-labelledby="contact-title">
          <h2 id="contact-title">{t("matches.contactTitle")}</h2>
          {match.contact ? (
            <dl className="meta-list">
              <div>
                <dt>{t("matches.contactName")}</dt>
                <dd>{match.contact.name}</dd>
              </div>
              <div>
                <dt>{t("matches.contactEmail")}</dt>
                <dd>
                  <a href={`mailto:${match.contact.email}`}>{match.contact.email}</a>
                </dd>
              </div>
              <div>
                <dt>{t("matches.contactHumhub")}</dt>
                <dd>{match.contact.humhub ?? t("matches.notSet")}</dd>
              </div>
            </dl>
          ) : (
            <p>{t("matches.contactHidden")}</p>
          )}
        </section>
      ) : null}

      {match.viewerRole === "coach" && match.status === "awaitingCoach" ? (
        <section aria-labelledby="answer-title" className="page--narrow">
          <h2 id="answer-title">{t("matches.accept")} / {t("matches.decline")}</h2>
          <Form method="post" className="stack">
            <button type="submit" name="intent" value="accept" className="button">
              {t("matches.accept")}
            </button>
          </Form>
          <Form method="post" noValidate onSubmit={decline.onSubmit} className="stack">
            <SelectField
              formId="decline"
              label={t("matches.declineReason")}
              registration={decline.register("declineReason")}
              error={decline.errors.declineReason}
              placeholder="–"
              options={declineReasons.map((reason) => ({ value: reason, label: t(`matches.declineReasons.${reason}`) }))}
            />
            <TextAreaField formId="decline" label={t("matches.declineText")} rows={3} registration={decline.register("note")} error={decline.errors.note} />
            <button type="submit" name="intent" value="decline" className="button button--secondary">
              {t("matches.decline")}
            </button>
          </Form>
        </section>
      ) : null}

      {match.viewerRole === "team" && match.status === "awaitingReview" ? (
        <section aria-labelledby="review-title" className="page--narrow">
          <h2 id="review-title">{t("matches.deskTitle")}</h2>
          <Form method="post" className="stack">
            <button type="submit" name="intent" value="approve" className="button">
              {t("matches.approve")}
            </button>
          </Form>
          <Form method="post" noValidate onSubmit={reject.onSubmit} className="stack">
            <TextAreaField formId="reject" label={t("matches.rejectReason")} rows={2} registration={reject.register("reason")} error={reject.errors.reason} />
            <button type="submit" name="intent" value="reject" className="button button--secondary">
              {t("matches.reject")}
            </button>
          </Form>
          {alternatives.length > 0 ? (
            <Form method="post" noValidate onSubmit={override.onSubmit} className="stack">
              <SelectField
                formId="override"
                label={t("matches.overrideCoach")}
                registration={override.register("offerId")}
                error={override.errors.offerId}
                options={alternatives.map((alternative) => ({
                  value: alternative.offerId,
                  label: `${alternative.label}: ${t("matching.score", { points: formatPoints(alternative.total, locale) })}`,
                }))}
              />
              <TextAreaField formId="override" label={t("matches.overrideReason")} rows={2} registration={override.register("reason")} error={override.errors.reason} />
              <button type="submit" name="intent" value="override" className="button button--secondary">
                {t("matches.override")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {match.status === "accepted" || sessions.length > 0 ? (
        <section aria-labelledby="sessions-title">
          <h2 id="sessions-title">{t("sessions.sectionTitle")}</h2>
          {sessions.length === 0 ? <p>{t("sessions.none")}</p> : (
            <ul className="link-list">
              {sessions.map((session) => {
                const first = session.startsAt !== null && session.endsAt !== null ? { startsAt: session.startsAt, endsAt: session.endsAt } : session.proposedTimes?.[0];
                return (
                  <li key={session.id}>
                    <Link to={`/sessions/${session.id}`}>
                      {first ? describeForViewer(first, timeZone, timeZone, english ? "en" : "de").primary : t("sessions.detailTitle")}
                    </Link>{" "}
                    <span className="badge">{t(`sessions.status.${session.status}`)}</span>
                  </li>
                );
              })}
            </ul>
          )}
          {match.status === "accepted" ? (
            sessions.some((session) => session.status === "proposed") ? (
              <p>{t("sessions.openProposalHint")}</p>
            ) : (
              <p>
                <Link to={`/matches/${match.id}/sessions/new`} className="button">
                  {sessions.some((session) => session.status !== "cancelled") ? t("sessions.bookFollowUp") : t("sessions.book")}
                </Link>
              </p>
            )
          ) : null}
        </section>
      ) : null}

      {match.viewerRole === "team" && match.status === "accepted" ? (
        <Form method="post">
          <button type="submit" name="intent" value="close" className="button button--secondary">
            {t("matches.close")}
          </button>
        </Form>
      ) : null}

      <section aria-labelledby="log-title">
        <h2 id="log-title">{t("matches.logTitle")}</h2>
        <ol className="history">
          {events.map((event) => {
            const values = {
              date: dateTime.format(new Date(event.at)),
              to: t(`matches.status.${event.to}`),
              name: event.actorName ?? t("matches.system"),
            };
            return (
              <li key={event.id}>
                {event.from ? t("matches.logEntry", { ...values, from: t(`matches.status.${event.from}`) }) : t("matches.logCreated", values)}
                {event.reason ? (
                  <>
                    <br />
                    {t("matches.logReason", { reason: readableReason(event.to, event.reason) })}
                  </>
                ) : null}
              </li>
            );
          })}
        </ol>
      </section>
    </div>
  );
}

export const meta = pageTitle("matches.detailTitle");
