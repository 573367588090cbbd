/**
 * iCalendar (RFC 5545) for coaching sessions: invitations and cancellations sent by email (iTIP, RFC 5546) and
 * the personal feed a calendar app subscribes to. ical-generator escapes text, folds lines at 75 octets and
 * ends them with CRLF.
 *
 * All times are written in UTC ("DTSTART:20270329T160000Z", RFC 5545 3.3.5 form 2) rather than with a TZID:
 * a TZID obliges the file to carry a VTIMEZONE definition of the zone's rules, which clients then trust over
 * their own (often newer) data, while a UTC instant needs no definition and every client shows it in its
 * user's zone. Sessions do not repeat, so nothing depends on a local wall clock.
 */
import ical, {
  escape,
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
  ICalEventTransparency,
  type ICalCalendar,
} from "ical-generator";

export type IcsSession = {
  id: string;
  /** Raised by the caller on every change the participants should see; clients keep the highest. */
  sequence: number;
  status: "confirmed" | "cancelled";
  startsAt: number;
  endsAt: number;
  createdAt: number;
  updatedAt: number;
  summary: string;
  description: string;
  location: string | null;
  url: string;
  organizer: { name: string; email: string };
  attendees: Array<{ name: string; email: string }>;
};

const ONE_HOUR_IN_SECONDS = 3600;

/**
 * An iTIP message for one session: METHOD:REQUEST (STATUS:CONFIRMED) creates or updates the event in the
 * recipients' calendars, METHOD:CANCEL (STATUS:CANCELLED) removes it. Both carry the same UID, so the caller
 * only has to raise `sequence` for a cancellation or a move to replace what clients already have.
 *
 * Throws when the method contradicts the session's status, which would leave clients with the wrong state.
 */
export function sessionInvitation(
  session: IcsSession,
  options: { method: "REQUEST" | "CANCEL"; productName?: string; uidDomain: string },
): string {
  const expectedStatus = options.method === "REQUEST" ? "confirmed" : "cancelled";
  if (session.status !== expectedStatus) {
    throw new Error(`A ${session.status} session cannot be sent with METHOD:${options.method}`);
  }
  const calendar = ical({
    prodId: { company: options.productName ?? "Tandem", product: "Sessions", language: "EN" },
    method: options.method === "REQUEST" ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
  });
  const event = addSessionEvent(calendar, session, options.uidDomain);
  for (const attendee of session.attendees) {
    event.createAttendee({
      name: parameterSafe(attendee.name),
      email: attendee.email,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      // The session was already agreed in Tandem, and changes go through Tandem. RSVP=FALSE keeps clients from
      // asking people to accept again and from mailing iTIP replies to an organizer address nobody processes.
      rsvp: false,
    });
  }
  return calendar.toString();
}

/**
 * A subscription feed of sessions, refreshed hourly. Cancelled sessions stay in it with STATUS:CANCELLED
 * (and as free time) because a subscribing client only learns of a cancellation from the event it already
 * has; a vanished event is simply dropped by some clients and kept by others.
 *
 * METHOD:PUBLISH is RFC 5546's method for an unsolicited, read-only posting, and it is what the feeds Google
 * Calendar and Outlook publish themselves carry, so every client that subscribes accepts it; REQUEST would ask
 * each reader to answer an invitation. PUBLISH has an ORGANIZER but no ATTENDEE (RFC 5546 3.2.1), so the feed
 * leaves the attendees out.
 */
export function sessionFeed(sessions: IcsSession[], options: { calendarName: string; uidDomain: string }): string {
  const calendar = ical({
    prodId: { company: "Tandem", product: "Sessions", language: "EN" },
    method: ICalCalendarMethod.PUBLISH,
    // ical-generator writes NAME and X-WR-CALNAME without escaping, unlike every other text value.
    name: escape(options.calendarName, false),
    // Written as both REFRESH-INTERVAL (RFC 7986) and X-PUBLISHED-TTL (what Outlook and Apple read).
    ttl: ONE_HOUR_IN_SECONDS,
  });
  for (const session of sessions) {
    const event = addSessionEvent(calendar, session, options.uidDomain);
    if (session.status === "cancelled") event.transparency(ICalEventTransparency.TRANSPARENT);
  }
  return calendar.toString();
}

function addSessionEvent(calendar: ICalCalendar, session: IcsSession, uidDomain: string) {
  // Neither the event nor the calendar gets a time zone, so ical-generator writes every instant in UTC.
  return calendar.createEvent({
    id: `${session.id}@${uidDomain}`,
    sequence: session.sequence,
    // Every version of the session is generated anew, so the last change is when this copy was created.
    stamp: new Date(session.updatedAt),
    created: new Date(session.createdAt),
    lastModified: new Date(session.updatedAt),
    start: new Date(session.startsAt),
    end: new Date(session.endsAt),
    status: session.status === "confirmed" ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
    summary: session.summary,
    description: session.description,
    location: session.location,
    url: session.url,
    organizer: { name: parameterSafe(session.organizer.name), email: session.organizer.email },
  });
}

/**
 * Names go into a quoted CN parameter, where RFC 5545 allows neither a double quote nor a line break and has no
 * escape for them (ical-generator's backslash is not one), so they become a single quote and a space.
 */
function parameterSafe(name: string): string {
  return name.replaceAll('"', "'").replace(/[\r\n]+/g, " ");
}
