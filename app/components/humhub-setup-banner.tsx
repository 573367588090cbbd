import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * Tells the team that sessions are not reaching HumHub yet and what is missing: the connection (environment
 * variables, set by whoever runs Tandem) or the space (chosen on Team: HumHub). Shown wherever the team works, so
 * nobody learns it only from a session page; `linkToSetup` is off on the set-up page itself.
 */
export function HumhubSetupBanner({ missing, linkToSetup = true }: { missing: "connection" | "space" | null; linkToSetup?: boolean }) {
  const { t } = useTranslation();
  if (missing === null) return null;
  return (
    <section className="notice stack" aria-labelledby="humhub-setup-title">
      <h2 id="humhub-setup-title">{t("humhub.admin.bannerTitle")}</h2>
      <p>{missing === "connection" ? t("humhub.admin.bannerConnection") : t("humhub.admin.bannerSpace")}</p>
      {linkToSetup ? (
        <p>
          <Link to="/team/humhub">{t("humhub.admin.bannerLink")}</Link>
        </p>
      ) : null}
    </section>
  );
}
