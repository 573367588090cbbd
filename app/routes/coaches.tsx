import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/auth.server";
import { FormError } from "~/components/form-fields";
import { OfferCard } from "~/components/offer-preview";
import { organisationChoices } from "~/components/organisation-choices";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { calendarToday } from "~/domain/requests";
import { directoryPageSize, isOfferAvailable, searchCoachOffers } from "~/models/directory.server";
import { proposeMatch } from "~/models/match.server";
import { getOwnRequest, listOwnRequests, setWishedCoach } from "~/models/request.server";
import { listTopics } from "~/models/topic.server";
import { checkboxGroup, choice } from "~/schemas/fields";
import { languageName } from "~/utils/display";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { accessOptions, languageCodes, regionCodes, sessionFormats } from "~db/schema";

const anyOr = <T extends readonly [string, ...string[]]>(values: T) =>
  z.union([z.literal("").transform(() => null), choice(values)]).optional().transform((value) => value ?? null);

const filtersSchema = z.object({
  topic: z.string().max(64).optional().transform((value) => value || null),
  language: anyOr(languageCodes),
  format: anyOr(sessionFormats),
  region: anyOr(regionCodes),
  access: checkboxGroup(accessOptions),
  page: z.coerce.number().int().min(1).max(1000).optional().default(1),
});

const wishSchema = z.object({ offerId: z.string().min(1).max(64), requestId: z.string().min(1).max(64) });

/** Requesters look for a coach; the team looks too. Coaches alone have no need to. */
async function requireDirectoryAccess(request: Request) {
  const user = await requireUser(request);
  if (!user.roles.includes("requester") && !user.roles.includes("team")) {
    throw new Response("Forbidden", { status: 403 });
  }
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireDirectoryAccess(request);
  const params = new URL(request.url).searchParams;
  const parsed = filtersSchema.safeParse({
    topic: params.get("topic") ?? undefined,
    language: params.get("language") ?? undefined,
    format: params.get("format") ?? undefined,
    region: params.get("region") ?? undefined,
    access: params.getAll("access"),
    page: params.get("page") ?? undefined,
  });
  const filters = parsed.success ? parsed.data : filtersSchema.parse({});
  const topicChoices = listTopics({ includeRetired: false });
  const topicId = topicChoices.some((topic) => topic.id === filters.topic) ? filters.topic : null;
  const result = searchCoachOffers({ ...filters, topicId }, filters.page, calendarToday(user.timeZone, new Date()));
  return json({
    filters: { ...filters, topic: topicId },
    invalidFilter: !parsed.success || topicId !== filters.topic,
    topics: topicChoices.map(({ id, labelDe, labelEn }) => ({ id, labelDe, labelEn })),
    total: result.total,
    pageCount: Math.max(1, Math.ceil(result.total / directoryPageSize)),
    offers: result.offers,
    openRequests: user.roles.includes("requester")
      ? listOwnRequests(user.id)
          .filter((ownRequest) => ownRequest.shownStatus === "open")
          .map(({ id, mainTopicDe, mainTopicEn, goal }) => ({ id, mainTopicDe, mainTopicEn, goal: goal.slice(0, 60) }))
      : [],
    isRequester: user.roles.includes("requester"),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireDirectoryAccess(request);
  if (!user.roles.includes("requester")) throw new Response("Forbidden", { status: 403 });
  const form = parseForm(wishSchema, await readFormData(request));
  if (!form.success) return json({ formError: "errors.unknownIntent" }, { status: 400 });
  const { offerId, requestId } = form.data;
  const ownRequest = getOwnRequest(user.id, requestId);
  const available = isOfferAvailable(offerId, calendarToday(user.timeZone, new Date()));
  if (!ownRequest || ownRequest.shownStatus !== "open" || !available) {
    return json({ formError: "directory.wishFailed" }, { status: 409 });
  }
  // Asking is proposing: the matching rules decide whether the pair can work at all.
  const proposed = proposeMatch({ requestId, offerId, source: "requester", actorUserId: user.id });
  if (!proposed.ok) return json({ formError: `matches.refusals.${proposed.refusal}` }, { status: 409 });
  setWishedCoach(user.id, requestId, offerId);
  return redirectWithFlash(request, `/matches/${proposed.matchId}`, {
    key: proposed.status === "awaitingReview" ? "matches.proposedForReview" : "matches.proposedToCoach",
  });
}

export default function CoachDirectoryPage() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const english = i18n.language === "en";
  const pages = data.pageCount;
  const pageLink = (page: number) => {
    const params = new URLSearchParams();
    for (const key of ["topic", "language", "format", "region"] as const) {
      const value = data.filters[key];
      if (value) params.set(key, value);
    }
    for (const option of data.filters.access) params.append("access", option);
    params.set("page", String(page));
    return `?${params}`;
  };
  return (
    <div className="page">
      <h1>{t("directory.title")}</h1>
      <p>{t("directory.intro")}</p>
      {data.invalidFilter ? <p className="notice">{t("directory.invalidFilter")}</p> : null}
      <FormError message={actionData?.formError} />
      <section aria-labelledby="filters-title" className="filters">
        <h2 id="filters-title">{t("directory.filtersTitle")}</h2>
        <Form method="get" className="filters__form">
          <FilterSelect name="topic" label={t("directory.topic")} value={data.filters.topic} options={data.topics.map((topic) => ({ value: topic.id, label: english ? topic.labelEn : topic.labelDe }))} />
          <FilterSelect name="language" label={t("directory.language")} value={data.filters.language} options={languageCodes.map((code) => ({ value: code, label: languageName(code, i18n.language) }))} />
          <FilterSelect name="format" label={t("directory.format")} value={data.filters.format} options={sessionFormats.map((format) => ({ value: format, label: t(`formats.${format}`) }))} />
          <FilterSelect name="region" label={t("directory.region")} value={data.filters.region} options={organisationChoices(t).regions} />
          <fieldset className="field">
            <legend className="field__label">{t("directory.access")}</legend>
            {accessOptions.map((option) => (
              <div className="choice" key={option}>
                <input type="checkbox" id={`filter-access-${option}`} name="access" value={option} defaultChecked={data.filters.access.includes(option)} />
                <label htmlFor={`filter-access-${option}`}>{t(`access.${option}`)}</label>
              </div>
            ))}
          </fieldset>
          <div className="actions">
            <button type="submit" className="button">
              {t("directory.apply")}
            </button>
            <Link to="/coaches">{t("directory.reset")}</Link>
          </div>
        </Form>
      </section>
      <p role="status">
        {t("directory.results", { count: data.total })}
        {data.filters.topic ? ` ${t("directory.sortedByFit")}` : ""}
      </p>
      {data.total === 0 ? <p>{t("directory.none")}</p> : null}
      <ul className="cards" role="list">
        {data.offers.map((offer) => (
          <li key={offer.id}>
            <OfferCard offer={offer} headingLevel={2} />
            {data.isRequester ? (
              data.openRequests.length > 0 ? (
                <Form method="post" className="wish-form">
                  <input type="hidden" name="offerId" value={offer.id} />
                  <label htmlFor={`wish-${offer.id}`}>{t("directory.forRequest")}</label>
                  <select id={`wish-${offer.id}`} name="requestId" className="field__input">
                    {data.openRequests.map((ownRequest) => (
                      <option key={ownRequest.id} value={ownRequest.id}>
                        {(english ? ownRequest.mainTopicEn : ownRequest.mainTopicDe) ?? ""}: {ownRequest.goal}
                      </option>
                    ))}
                  </select>
                  <button type="submit" className="button button--secondary">
                    {t("directory.ask")}
                    <span className="visually-hidden"> ({offer.organisation.name})</span>
                  </button>
                </Form>
              ) : (
                <p>
                  <Link to="/requests/new">{t("directory.needRequest")}</Link>
                </p>
              )
            ) : null}
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <nav aria-label={t("directory.pagination")} className="pagination">
          {data.filters.page > 1 ? <Link to={pageLink(data.filters.page - 1)}>{t("directory.previous")}</Link> : null}
          <span>{t("directory.pageOf", { page: data.filters.page, pages })}</span>
          {data.filters.page < pages ? <Link to={pageLink(data.filters.page + 1)}>{t("directory.next")}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

function FilterSelect({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string | null;
  options: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={`filter-${name}`} className="field__label">
        {label}
      </label>
      <select id={`filter-${name}`} name={name} className="field__input" defaultValue={value ?? ""}>
        <option value="">{t("directory.any")}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export const meta = pageTitle("directory.title");
