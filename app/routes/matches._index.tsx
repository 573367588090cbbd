import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth.server";
import { expireOverdueMatches, listMatchesForUser } from "~/models/match.server";
import { pageTitle } from "~/utils/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  expireOverdueMatches();
  return json({ matches: listMatchesForUser(user.id), timeZone: user.timeZone });
}

export default function MatchesPage() {
  const { t, i18n } = useTranslation();
  const { matches, timeZone } = useLoaderData<typeof loader>();
  const english = i18n.language === "en";
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeZone });
  const sections = [
    { side: "coach", title: t("matches.asCoach") },
    { side: "requester", title: t("matches.asRequester") },
  ] as const;
  return (
    <div className="page">
      <h1>{t("matches.listTitle")}</h1>
      <p>{t("matches.listIntro")}</p>
      {sections.map(({ side, title }) => {
        const own = matches.filter((match) => match.side === side);
        return (
          <section key={side} aria-labelledby={`matches-${side}`}>
            <h2 id={`matches-${side}`}>{title}</h2>
            {own.length === 0 ? (
              <p>{t("matches.none")}</p>
            ) : (
              <ul className="link-list">
                {own.map((match) => (
                  <li key={match.id}>
                    <Link to={`/matches/${match.id}`}>
                      {(english ? match.topicEn : match.topicDe) ?? ""} · {side === "coach" ? match.requestOrganisation : match.coachOrganisation}
                    </Link>{" "}
                    <span className="badge">{t(`matches.status.${match.status}`)}</span> {date.format(new Date(match.createdAt))}
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}

export const meta = pageTitle("matches.listTitle");
