import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { getAuthentication } from "~/auth.server";
import { FlashNotice } from "~/components/flash-notice";
import { createI18n, defaultLocale } from "~/i18n/i18n";
import { getLocale } from "~/i18n/locale.server";
import stylesheet from "~/styles/app.css";
import { countUnreadNotifications } from "~/models/match.server";
import { readFlash } from "~/utils/flash.server";
import { useNonce } from "~/utils/nonce";
import type { LocaleCode } from "~db/schema";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const authentication = await getAuthentication(request);
  const { flash, setCookie } = await readFlash(request);
  const headers = new Headers();
  if (setCookie) headers.append("Set-Cookie", setCookie);
  if (authentication?.setCookie) headers.append("Set-Cookie", authentication.setCookie);
  const user = authentication?.user;
  return json(
    {
      locale: await getLocale(request),
      user: user ? { name: user.name, roles: user.roles, unreadNotifications: countUnreadNotifications(user.id) } : null,
      flash,
    },
    { headers },
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale = data?.locale ?? defaultLocale;
  const i18n = useMemo(() => createI18n(locale), [locale]);
  const nonce = useNonce();
  return (
    <I18nextProvider i18n={i18n}>
      <html lang={locale} dir="ltr">
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light" />
          <Meta />
          <Links />
        </head>
        <body>
          <SiteHeader user={data?.user ?? null} />
          <main id="main" tabIndex={-1}>
            {data?.flash ? <FlashNotice flash={data.flash} /> : null}
            {children}
          </main>
          <SiteFooter />
          <ScrollRestoration nonce={nonce} />
          <Scripts nonce={nonce} />
        </body>
      </html>
    </I18nextProvider>
  );
}

type HeaderUser = { name: string; roles: string[]; unreadNotifications: number } | null;

function SiteHeader({ user }: { user: HeaderUser }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const otherLocale = i18n.language === "de" ? "en" : "de";
  const otherLanguageName = otherLocale === "en" ? t("app.switchToEnglish") : t("app.switchToGerman");
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("app.skipLink")}
      </a>
      <div className="site-header__bar">
        <Link to="/" className="site-header__brand">
          {t("app.name")}
          <span className="site-header__tagline">{t("app.tagline")}</span>
        </Link>
        <Form method="post" action="/language" className="language-switch">
          <input type="hidden" name="locale" value={otherLocale} />
          <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
          <button
            type="submit"
            className="button button--quiet"
            lang={otherLocale}
            aria-label={t("app.switchLanguageLabel", { language: otherLanguageName })}
          >
            {otherLanguageName}
          </button>
        </Form>
      </div>
      <nav aria-label={t("app.mainNavigation")} className="site-nav">
        <ul>
          {user ? (
            <>
              <li>
                <NavLink to="/dashboard">{t("nav.dashboard")}</NavLink>
              </li>
              {user.roles.includes("requester") ? (
                <li>
                  <NavLink to="/requests">{t("nav.requests")}</NavLink>
                </li>
              ) : null}
              {user.roles.includes("requester") || user.roles.includes("team") ? (
                <li>
                  <NavLink to="/coaches">{t("nav.coaches")}</NavLink>
                </li>
              ) : null}
              {user.roles.includes("coach") ? (
                <li>
                  <NavLink to="/offer">{t("nav.offer")}</NavLink>
                </li>
              ) : null}
              {user.roles.includes("coach") || user.roles.includes("requester") ? (
                <li>
                  <NavLink to="/matches">{t("nav.myTandems")}</NavLink>
                </li>
              ) : null}
              <li>
                <NavLink
                  to="/notifications"
                  aria-label={
                    user.unreadNotifications > 0 ? `${t("matches.navNotifications")}: ${t("matches.navUnread", { count: user.unreadNotifications })}` : undefined
                  }
                >
                  {t("matches.navNotifications")}
                  {user.unreadNotifications > 0 ? <span className="badge nav-count"> {user.unreadNotifications}</span> : null}
                </NavLink>
              </li>
              <li>
                <NavLink to="/organisations">{t("nav.organisations")}</NavLink>
              </li>
              {user.roles.includes("team") ? (
                <>
                  <li>
                    <NavLink to="/team/members">{t("nav.teamMembers")}</NavLink>
                  </li>
                  <li>
                    <NavLink to="/team/topics">{t("nav.teamTopics")}</NavLink>
                  </li>
                  <li>
                    <NavLink to="/team/desk">{t("nav.teamDesk")}</NavLink>
                  </li>
                  <li>
                    <NavLink to="/team/matching">{t("nav.teamMatching")}</NavLink>
                  </li>
                  <li>
                    <NavLink to="/team/reports">{t("nav.teamReports")}</NavLink>
                  </li>
                  <li>
                    <NavLink to="/team/settings">{t("nav.teamSettings")}</NavLink>
                  </li>
                  <li>
                    <NavLink to="/team/humhub">{t("humhub.admin.nav")}</NavLink>
                  </li>
                </>
              ) : null}
              <li>
                <NavLink to="/settings">{t("nav.settings")}</NavLink>
              </li>
              <li>
                <Form method="post" action="/logout">
                  <button type="submit" className="site-nav__button">
                    {t("nav.logout")}
                  </button>
                </Form>
              </li>
            </>
          ) : (
            <>
              <li>
                <NavLink to="/" end>
                  {t("nav.home")}
                </NavLink>
              </li>
              <li>
                <NavLink to="/login">{t("nav.login")}</NavLink>
              </li>
              <li>
                <NavLink to="/signup">{t("nav.signup")}</NavLink>
              </li>
            </>
          )}
        </ul>
      </nav>
    </header>
  );
}

function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <nav aria-label={t("app.footerNavigation")}>
        <ul>
          <li>
            <Link to="/privacy">{t("nav.privacy")}</Link>
          </li>
          <li>
            <Link to="/imprint">{t("nav.imprint")}</Link>
          </li>
        </ul>
      </nav>
    </footer>
  );
}

/** Pages set their own titles; this one stands when a page failed to load. */
export const meta: MetaFunction = ({ data, error }) => {
  const { t } = createI18n((data as { locale?: LocaleCode } | undefined)?.locale ?? defaultLocale);
  return [{ title: error ? `${t("errorPage.title")} · ${t("app.name")}` : t("app.name") }];
};

/**
 * Every navigation, including a form's answer on the same page, mounts the page afresh: its
 * forms then show exactly what the server sent (a cleared field after success, the echoed input
 * after an error) instead of what react-hook-form or the browser kept from before.
 */
export default function App() {
  const location = useLocation();
  return <Outlet key={location.key} />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, text] =
    status === 404
      ? [t("errorPage.notFoundTitle"), t("errorPage.notFound")]
      : status === 403
        ? [t("errorPage.forbiddenTitle"), t("errorPage.forbidden")]
        : [t("errorPage.title"), t("errorPage.generic")];
  return (
    <div className="page page--narrow">
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <Link to="/">{t("errorPage.backHome")}</Link>
      </p>
    </div>
  );
}
