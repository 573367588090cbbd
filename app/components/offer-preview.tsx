import { useTranslation } from "react-i18next";
import { formatTimeOfDay, weeklyMinutes } from "~/domain/availability";
import { hoursText, languageName, weekdayName } from "~/utils/display";
import type { AccessOption, OrganisationKind, RegionCode, SessionFormat } from "~db/schema";

export type OfferCardData = {
  organisation: { name: string; kind: OrganisationKind; region: RegionCode };
  topics: { topicId: string; level: number; note: string; labelDe: string; labelEn: string }[];
  languages: string[];
  formats: SessionFormat[];
  inPersonRegion: RegionCode | null;
  travelKm: number | null;
  accessSupport: AccessOption[];
  windows: { weekday: number; startMinute: number; endMinute: number }[];
  capacityPerMonth: number;
  timeZone: string;
  bio: string;
};

/** An offer as requesters see it: no name, email or HumHub user name before a confirmed match. */
export function OfferCard({ offer, headingLevel = 2 }: { offer: OfferCardData; headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const formats = offer.formats.map((format) =>
    format === "inPerson" && offer.inPersonRegion
      ? t("offer.inPersonWithin", { region: t(`regions.${offer.inPersonRegion}`), km: offer.travelKm ?? 0 })
      : t(`formats.${format}`),
  );
  const hours = hoursText(weeklyMinutes(offer.windows), locale);
  return (
    <article className="card offer-card">
      <Heading>{offer.organisation.name}</Heading>
      <p className="offer-card__subtitle">
        {t(`organisationKinds.${offer.organisation.kind}`)} · {t(`regions.${offer.organisation.region}`)}
      </p>
      <ul className="offer-card__topics" aria-label={t("offer.topicsLegend")}>
        {offer.topics.map((topic) => (
          <li key={topic.topicId}>
            <strong>{locale === "en" ? topic.labelEn : topic.labelDe}</strong>: {t(`levels.${topic.level as 1 | 2 | 3}`)}
            {topic.note ? <span className="offer-card__note"> – {topic.note}</span> : null}
          </li>
        ))}
      </ul>
      <dl className="meta-list">
        <dt>{t("offer.languagesLabel")}</dt>
        <dd>{offer.languages.map((code) => languageName(code, locale)).join(", ")}</dd>
        <dt>{t("offer.formatsLabel")}</dt>
        <dd>{formats.join(", ")}</dd>
        {offer.accessSupport.length > 0 ? (
          <>
            <dt>{t("offer.accessLabel")}</dt>
            <dd>{offer.accessSupport.map((option) => t(`access.${option}`)).join(", ")}</dd>
          </>
        ) : null}
        <dt>{t("offer.availabilityLabel")}</dt>
        <dd>
          <ul className="plain-list">
            {offer.windows.map((window) => (
              <li key={`${window.weekday}-${window.startMinute}`}>
                {weekdayName(window.weekday, locale)} {formatTimeOfDay(window.startMinute)}–{formatTimeOfDay(window.endMinute)}
              </li>
            ))}
          </ul>
          {t("offer.weeklyHours", { hours })} · {t("offer.timeZoneNote", { timeZone: offer.timeZone.replaceAll("_", " ") })}
        </dd>
        <dt>{t("offer.capacityLabel")}</dt>
        <dd>{t("offer.capacityValue", { count: offer.capacityPerMonth })}</dd>
      </dl>
      <p className="preserve-lines">{offer.bio}</p>
    </article>
  );
}
