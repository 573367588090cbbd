import { createInstance, type i18n as I18n } from "i18next";
import { initReactI18next } from "react-i18next";
import de, { type Catalogue } from "./de";
import en from "./en";
import { localeCodes, type LocaleCode } from "~db/schema";

export const defaultLocale: LocaleCode = "de";

export const resources = { de: { translation: de }, en: { translation: en } } as const;

declare module "i18next" {
  interface CustomTypeOptions {
    resources: { translation: Catalogue };
  }
}

export function isLocale(value: unknown): value is LocaleCode {
  return typeof value === "string" && (localeCodes as readonly string[]).includes(value);
}

/** A fresh instance per request on the server; one per page load in the browser. */
export function createI18n(locale: LocaleCode): I18n {
  const instance = createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: locale,
    fallbackLng: defaultLocale,
    supportedLngs: [...localeCodes],
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
    showSupportNotice: false,
  });
  return instance;
}
