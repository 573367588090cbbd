import { useTranslation } from "react-i18next";
import { pageTitle } from "~/utils/meta";

const sections = ["what", "why", "sessions", "cookies", "security", "rights"] as const;

export default function PrivacyPage() {
  const { t } = useTranslation();
  return (
    <div className="page page--narrow">
      <h1>{t("privacy.title")}</h1>
      <p className="lead">{t("privacy.intro")}</p>
      {sections.map((section) => (
        <section key={section} aria-labelledby={`privacy-${section}`}>
          <h2 id={`privacy-${section}`}>{t(`privacy.${section}Title`)}</h2>
          <p>{t(`privacy.${section}`)}</p>
        </section>
      ))}
    </div>
  );
}

export const meta = pageTitle("privacy.title");
