import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getImprint } from "~/models/settings.server";
import { pageTitle } from "~/utils/meta";

export async function loader() {
  return json({ text: getImprint().text });
}

export default function ImprintPage() {
  const { t } = useTranslation();
  const { text } = useLoaderData<typeof loader>();
  return (
    <div className="page page--narrow">
      <h1>{t("imprint.title")}</h1>
      {text ? <p className="preserve-lines">{text}</p> : <p>{t("imprint.placeholder")}</p>}
    </div>
  );
}

export const meta = pageTitle("imprint.title");
