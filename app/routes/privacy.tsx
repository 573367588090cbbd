import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getPrivacySettings } from "~/models/privacy.server";
import { pageTitle } from "~/utils/meta";

const sections = ["what", "why", "sessions", "team", "cookies", "security", "retention", "rights"] as const;

/** Public: the notice must be readable before signing up. It states the retention period the team has set. */
export async function loader() {
  return json({ retentionMonths: getPrivacySettings().retentionMonths });
}

export default function PrivacyPage() {
  const { t } = useTranslation();
  const { retentionMonths } = useLoaderData<typeof loader>();
  return (
    <div className="page page--narrow">
      <h1>{t("privacy.title")}</h1>
      <p className="lead">{t("privacy.intro")}</p>
      {sections.map((section) => (
        <section key={section} aria-labelledby={`privacy-${section}`}>
          <h2 id={`privacy-${section}`}>{t(`privacy.${section}Title`)}</h2>
          <p>{t(`privacy.${section}`, { count: retentionMonths })}</p>
        </section>
      ))}
    </div>
  );
}

export const meta = pageTitle("privacy.title");
