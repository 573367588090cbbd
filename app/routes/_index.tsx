import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser } from "~/auth.server";
import { pageTitle } from "~/utils/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return json({ roles: user?.roles ?? null });
}

export default function HomePage() {
  const { t } = useTranslation();
  const { roles } = useLoaderData<typeof loader>();
  return (
    <div className="page page--narrow">
      <h1>{t("home.title")}</h1>
      <p className="lead">{t("home.lead")}</p>
      <h2>{t("home.nextStepsTitle")}</h2>
      {roles ? (
        <>
          <ul>
            {roles.includes("requester") ? <li>{t("home.requesterNext")}</li> : null}
            {roles.includes("coach") ? <li>{t("home.coachNext")}</li> : null}
            {roles.includes("team") ? <li>{t("home.teamNext")}</li> : null}
          </ul>
          <p>
            <Link className="button" to="/dashboard">
              {t("home.toDashboard")}
            </Link>
          </p>
        </>
      ) : (
        <>
          <p>{t("home.anonymousNext")}</p>
          <p className="actions">
            <Link className="button" to="/signup">
              {t("home.signupCta")}
            </Link>
            <Link className="button button--secondary" to="/login">
              {t("home.loginCta")}
            </Link>
          </p>
        </>
      )}
    </div>
  );
}

export const meta = pageTitle("app.tagline");
