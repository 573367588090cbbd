import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/auth.server";
import { FormError } from "~/components/form-fields";
import { ExclusionCounts, MatchCard } from "~/components/match-explanation";
import { useReadableReason } from "~/components/match-reason";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { getActiveMatchForRequest, listMatchHistoryForRequest, proposeMatch } from "~/models/match.server";
import { describeOffers, getMatchingWeights, getRequestForSuggestions, suggestCoaches } from "~/models/matching.server";
import { listTopics } from "~/models/topic.server";
import { setWishedCoach } from "~/models/request.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

const proposeSchema = z.object({ intent: z.enum(["ask", "propose"]), offerId: z.string().min(1).max(64) });

/** The author sees suggestions for their own request, the team for every request; others get 404. */
async function requireVisibleRequest(request: Request, requestId: string | undefined) {
  const user = await requireUser(request);
  const target = requestId ? getRequestForSuggestions(requestId) : null;
  const isTeam = user.roles.includes("team");
  if (!target || (target.userId !== user.id && !isTeam)) throw new Response("Not found", { status: 404 });
  return { user, target, isTeam, isOwner: target.userId === user.id };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, target, isTeam, isOwner } = await requireVisibleRequest(request, params.requestId);
  const topics = listTopics({ includeRetired: true }).map(({ id, labelDe, labelEn }) => ({ id, labelDe, labelEn }));
  const heading = { id: target.id, organisationName: target.organisationName, topicDe: target.topicDe, topicEn: target.topicEn };
  const suggestions = target.shownStatus === "open" ? suggestCoaches(target.id, getMatchingWeights()) : null;
  const offerIds = suggestions
    ? [...suggestions.suggestions, ...suggestions.nearMisses, ...(suggestions.wished ? [suggestions.wished] : [])].map(
        (explanation) => explanation.offerId,
      )
    : [];
  const names = describeOffers(offerIds);
  const coaches = Object.fromEntries(
    offerIds.map((offerId) => [
      offerId,
      // Requesters see the organisation only; names and contacts wait for an accepted match.
      { organisationName: names.get(offerId)?.organisationName ?? "", coachName: isTeam ? (names.get(offerId)?.coachName ?? null) : null },
    ]),
  );
  const activeMatch = getActiveMatchForRequest(target.id);
  // The team reads every proposal this request has had, with who decided what and why.
  const matchHistory = isTeam
    ? listMatchHistoryForRequest(target.id).map((match) => ({
        ...match,
        events: match.events.map(({ at, ...event }) => ({ ...event, at: at.toISOString() })),
      }))
    : [];
  return json({
    request: heading,
    wishedOfferId: target.wishedOfferId,
    activeMatch,
    matchHistory,
    timeZone: user.timeZone,
    isOwner,
    isTeam,
    suggestions,
    coaches,
    topics,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, target, isOwner, isTeam } = await requireVisibleRequest(request, params.requestId);
  const form = parseForm(proposeSchema, await readFormData(request));
  if (!form.success) return json({ formError: "errors.unknownIntent" }, { status: 400 });
  const { intent, offerId } = form.data;
  // The author asks for a coach themselves; the team proposes one by hand.
  const allowed = intent === "ask" ? isOwner && user.roles.includes("requester") : isTeam;
  if (!allowed) throw new Response("Forbidden", { status: 403 });
  const proposed = proposeMatch({ requestId: target.id, offerId, source: intent === "ask" ? "requester" : "team", actorUserId: user.id });
  if (!proposed.ok) return json({ formError: `matches.refusals.${proposed.refusal}` }, { status: 409 });
  if (intent === "ask") setWishedCoach(user.id, target.id, offerId);
  return redirectWithFlash(request, `/matches/${proposed.matchId}`, {
    key: proposed.status === "awaitingReview" ? "matches.proposedForReview" : "matches.proposedToCoach",
  });
}

export default function SuggestionsPage() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const english = i18n.language === "en";
  const dateTime = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short", timeZone: data.timeZone });
  const readableReason = useReadableReason();
  const topic = (english ? data.request.topicEn : data.request.topicDe) ?? "";
  const coachHeading = (offerId: string) => {
    const coach = data.coaches[offerId];
    return coach?.coachName ? `${coach.organisationName} – ${t("matching.coachName", { name: coach.coachName })}` : (coach?.organisationName ?? "");
  };
  const { suggestions } = data;
  const wishedElsewhere =
    suggestions?.wished && !suggestions.suggestions.some((suggestion) => suggestion.offerId === suggestions.wished?.offerId)
      ? suggestions.wished
      : null;
  return (
    <div className="page">
      <p>
        <Link to={data.isOwner ? `/requests/${data.request.id}` : "/team/matching"}>
          {data.isOwner ? t("matching.backToRequest") : t("matching.hubTitle")}
        </Link>
      </p>
      <h1>{t("matching.suggestionsTitle")}</h1>
      <p className="lead">
        {t("matching.forRequest", { topic })} · {data.request.organisationName}
      </p>
      <p>{data.isOwner ? t("matching.suggestionsIntro") : t("matching.teamSuggestionsIntro")}</p>
      <FormError message={actionData?.formError} />
      {data.activeMatch ? (
        <p className="notice">
          {t("matches.activeMatch", { status: t(`matches.status.${data.activeMatch.status}`) })}{" "}
          <Link to={`/matches/${data.activeMatch.id}`}>{t("matches.toMatch")}</Link>
        </p>
      ) : null}
      {!suggestions ? (
        <p>{t("matching.onlyOpen")}</p>
      ) : (
        <>
          <section aria-labelledby="suggestions-title">
            <h2 id="suggestions-title">{t("matching.suggestionsTitle")}</h2>
            {suggestions.suggestions.length === 0 ? <p>{t("matching.noSuggestions")}</p> : null}
            <ol className="suggestions">
              {suggestions.suggestions.map((explanation, index) => (
                <li key={explanation.offerId}>
                  <MatchCard
                    explanation={explanation}
                    topics={data.topics}
                    headingId={`suggestion-${index + 1}`}
                    heading={`${t("matching.rank", { rank: index + 1 })}: ${coachHeading(explanation.offerId)}`}
                  >
                    {data.wishedOfferId === explanation.offerId ? (
                      <p>
                        <strong>{t("matching.askedCoach")}</strong>
                      </p>
                    ) : !data.activeMatch ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="offerId" value={explanation.offerId} />
                        <button
                          type="submit"
                          name="intent"
                          value={data.isOwner ? "ask" : "propose"}
                          className="button button--secondary"
                          aria-describedby={`suggestion-${index + 1}`}
                        >
                          {data.isOwner ? t("matching.askCoach") : t("matches.proposeCoach")}
                        </button>
                      </Form>
                    ) : null}
                  </MatchCard>
                </li>
              ))}
            </ol>
          </section>
          {wishedElsewhere ? (
            <section aria-labelledby="wished-title">
              <h2 id="wished-title">{t("matching.wishedTitle")}</h2>
              <MatchCard explanation={wishedElsewhere} topics={data.topics} headingId="wished-coach" heading={coachHeading(wishedElsewhere.offerId)} />
            </section>
          ) : null}
          <section aria-labelledby="why-not-title">
            <h2 id="why-not-title">{t("matching.whyNotTitle")}</h2>
            <p>{t("matching.whyNotIntro")}</p>
            <ExclusionCounts counts={suggestions.excludedCounts} />
            {suggestions.nearMisses.length > 0 ? (
              <>
                <h3>{t("matching.nearMissesTitle")}</h3>
                <p>{t("matching.nearMissesIntro")}</p>
                <ul className="suggestions">
                  {suggestions.nearMisses.map((explanation, index) => (
                    <li key={explanation.offerId}>
                      <MatchCard
                        explanation={explanation}
                        topics={data.topics}
                        headingId={`near-miss-${index + 1}`}
                        heading={coachHeading(explanation.offerId)}
                      />
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        </>
      )}
      {data.matchHistory.length > 0 ? (
        <section aria-labelledby="match-history-title">
          <h2 id="match-history-title">{t("matches.requestHistoryTitle")}</h2>
          <ul className="history">
            {data.matchHistory.map((match) => (
              <li key={match.id}>
                <Link to={`/matches/${match.id}`}>
                  {match.coachName} ({match.coachOrganisation})
                </Link>{" "}
                <span className="badge">{t(`matches.status.${match.status}`)}</span>
                <ol>
                  {match.events.map((event) => (
                    <li key={event.id}>
                      {dateTime.format(new Date(event.at))}: {event.from ? `${t(`matches.status.${event.from}`)} → ` : ""}
                      {t(`matches.status.${event.to}`)} ({event.actorName ?? t("matches.system")})
                      {event.reason ? ` – ${readableReason(event.to, event.reason)}` : null}
                    </li>
                  ))}
                </ol>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export const meta = pageTitle("matching.suggestionsTitle");
