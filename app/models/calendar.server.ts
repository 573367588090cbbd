/**
 * Sessions as calendar data: the .ics invitation of one session, and each person's private subscription feed. The
 * feed's secret is shown once when created; only its SHA-256 is stored, so the database alone cannot read a feed.
 */
import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { sessionFeed, sessionInvitation, type IcsSession } from "~/domain/ics";
import { createI18n } from "~/i18n/i18n";
import { getSessionDetails, type SessionDetails } from "~/models/session-details.server";
import { listCalendarSessionsForUser } from "~/models/session.server";
import { calendarFeeds, users, type LocaleCode } from "~db/schema";

function hashToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}

export function getCalendarFeed(userId: string) {
  return getDb().select({ createdAt: calendarFeeds.createdAt, lastReadAt: calendarFeeds.lastReadAt }).from(calendarFeeds).where(eq(calendarFeeds.userId, userId)).get() ?? null;
}

/** A new secret address for the user's feed; any earlier one stops working. Returns the token to show once. */
export function createCalendarFeed(userId: string, now = new Date()) {
  const token = randomBytes(32).toString("base64url");
  const tokenHash = hashToken(token);
  getDb()
    .insert(calendarFeeds)
    .values({ userId, tokenHash, createdAt: now })
    .onConflictDoUpdate({ target: calendarFeeds.userId, set: { tokenHash, createdAt: now, lastReadAt: null } })
    .run();
  return token;
}

export function revokeCalendarFeed(userId: string) {
  return getDb().delete(calendarFeeds).where(eq(calendarFeeds.userId, userId)).run().changes > 0;
}

/** The feed's owner for a token, or null for an unknown or revoked one. */
export function findFeedOwner(token: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const tokenHash = hashToken(token);
  const owner = getDb()
    .select({ userId: users.id, locale: users.locale })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.userId))
    .where(eq(calendarFeeds.tokenHash, tokenHash))
    .get();
  if (!owner) return null;
  getDb().update(calendarFeeds).set({ lastReadAt: now }).where(eq(calendarFeeds.tokenHash, tokenHash)).run();
  return owner;
}

function toIcsSession(details: SessionDetails, locale: LocaleCode, origin: string): IcsSession | null {
  if (details.startsAt === null || details.endsAt === null) return null;
  const { t } = createI18n(locale);
  const topic = (locale === "en" ? details.topicEn : details.topicDe) ?? t("humhub.genericTopic");
  const url = `${origin}/sessions/${details.id}`;
  return {
    id: details.id,
    sequence: details.sequence,
    status: details.status === "cancelled" ? "cancelled" : "confirmed",
    startsAt: details.startsAt,
    endsAt: details.endsAt,
    createdAt: details.createdAt,
    updatedAt: details.updatedAt,
    summary: t("humhub.entryTitle", { topic, requester: details.requester.organisation, coach: details.coach.organisation }),
    description: [
      `${t("humhub.goal")}: ${details.goal}`,
      `${t("humhub.howToJoin")}: ${t(`formats.${details.format}`)}${details.joinDetails ? ` – ${details.joinDetails}` : ""}`,
      url,
    ].join("\n\n"),
    location: details.joinDetails || null,
    url,
    organizer: { name: details.coach.name, email: details.coach.email },
    attendees: [
      { name: details.coach.name, email: details.coach.email },
      { name: details.requester.name, email: details.requester.email },
    ],
  };
}

/** The .ics file for one session: a REQUEST while it stands, a CANCEL (higher SEQUENCE, same UID) once cancelled. */
export function sessionInvitationFile(sessionId: string, locale: LocaleCode, origin: string) {
  const details = getSessionDetails(sessionId);
  const session = details ? toIcsSession(details, locale, origin) : null;
  if (!session) return null;
  return sessionInvitation(session, { method: session.status === "cancelled" ? "CANCEL" : "REQUEST", uidDomain: new URL(origin).hostname });
}

export function calendarFeedFile(userId: string, locale: LocaleCode, origin: string) {
  const sessions = listCalendarSessionsForUser(userId)
    .map((session) => getSessionDetails(session.id))
    .flatMap((details) => {
      const session = details ? toIcsSession(details, locale, origin) : null;
      return session ? [session] : [];
    });
  return sessionFeed(sessions, { calendarName: createI18n(locale).t("sessions.feed.calendarName"), uidDomain: new URL(origin).hostname });
}
