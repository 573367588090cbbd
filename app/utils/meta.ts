import type { MetaFunction } from "@remix-run/node";
import type { ParseKeys } from "i18next";
import { createI18n, defaultLocale, isLocale } from "~/i18n/i18n";

/** Builds a route's meta export: the page title in the page's language, then the app name. */
export function pageTitle(key: ParseKeys): MetaFunction {
  return ({ matches }) => {
    const rootData = matches.find((match) => match.id === "root")?.data as { locale?: string } | undefined;
    const locale = isLocale(rootData?.locale) ? rootData.locale : defaultLocale;
    const { t } = createI18n(locale);
    return [{ title: `${t(key)} · ${t("app.name")}` }];
  };
}
