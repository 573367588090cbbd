import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { sessionFeed, sessionInvitation, type IcsSession } from "~/domain/ics";

const UID_DOMAIN = "tandem.example";

const session: IcsSession = {
  id: "c0ffee42",
  sequence: 0,
  status: "confirmed",
  startsAt: Date.parse("2027-03-29T16:00:00Z"),
  endsAt: Date.parse("2027-03-29T17:00:00Z"),
  createdAt: Date.parse("2027-03-01T09:15:00Z"),
  updatedAt: Date.parse("2027-03-02T10:30:00Z"),
  summary: "Coaching: Barrierefreiheit, Teil 1",
  description: "a, b; c\nd",
  location: "Gemeindehaus; Raum 2, Erdgeschoss",
  url: "https://tandem.example/sessions/c0ffee42",
  organizer: { name: "Tandem", email: "noreply@tandem.example" },
  attendees: [
    { name: "Müller, Anna", email: "anna@verein.example" },
    { name: "Jörg Überlänge-Schnittstellenverantwortlicher der Bürgerstiftung", email: "joerg@stiftung.example" },
  ],
};

function parse(text: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(text));
}

function onlyEvent(text: string): ICAL.Event {
  const events = parse(text).getAllSubcomponents("vevent");
  expect(events).toHaveLength(1);
  return new ICAL.Event(events[0]);
}

/** The property's value with the URI scheme lower-cased: ical-generator writes "MAILTO:" for attendees. */
function calendarAddress(property: ICAL.Property): string {
  return String(property.getFirstValue()).replace(/^mailto:/i, "mailto:");
}

function expectWellFormedLines(text: string): void {
  expect(text.endsWith("END:VCALENDAR")).toBe(true);
  // Every line ends in CRLF: no bare LF or CR anywhere.
  expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
  for (const line of text.split("\r\n")) {
    expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  }
}

describe("sessionInvitation", () => {
  const request = sessionInvitation(session, { method: "REQUEST", uidDomain: UID_DOMAIN });

  it("is an iTIP request for a confirmed session", () => {
    const calendar = parse(request);
    expect(calendar.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(calendar.getFirstPropertyValue("prodid")).toBe("-//Tandem//Sessions//EN");
    const event = onlyEvent(request);
    expect(event.uid).toBe("c0ffee42@tandem.example");
    expect(event.sequence).toBe(0);
    expect(event.component.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(event.summary).toBe("Coaching: Barrierefreiheit, Teil 1");
    expect(event.component.getFirstPropertyValue("url")).toBe("https://tandem.example/sessions/c0ffee42");
  });

  it("writes exact UTC instants without any VTIMEZONE", () => {
    const event = onlyEvent(request);
    expect(event.startDate.zone?.tzid).toBe("UTC");
    expect(event.startDate.toJSDate().toISOString()).toBe("2027-03-29T16:00:00.000Z");
    expect(event.endDate.toJSDate().toISOString()).toBe("2027-03-29T17:00:00.000Z");
    const dtstamp = event.component.getFirstPropertyValue("dtstamp") as ICAL.Time;
    expect(dtstamp.toJSDate().toISOString()).toBe("2027-03-02T10:30:00.000Z");
    expect(request).toContain("\r\nDTSTART:20270329T160000Z\r\n");
    expect(request).toContain("\r\nDTEND:20270329T170000Z\r\n");
    expect(request).not.toContain("TZID");
    expect(parse(request).getAllSubcomponents("vtimezone")).toEqual([]);
  });

  it("names the organizer and every attendee with mailto and CN", () => {
    const event = onlyEvent(request);
    const organizer = event.component.getFirstProperty("organizer")!;
    expect(calendarAddress(organizer)).toBe("mailto:noreply@tandem.example");
    expect(organizer.getParameter("cn")).toBe("Tandem");

    const attendees = event.attendees.map((attendee) => ({
      address: calendarAddress(attendee),
      name: attendee.getParameter("cn"),
      role: attendee.getParameter("role"),
      participation: attendee.getParameter("partstat"),
      rsvp: attendee.getParameter("rsvp"),
    }));
    expect(attendees).toEqual([
      {
        address: "mailto:anna@verein.example",
        name: "Müller, Anna",
        role: "REQ-PARTICIPANT",
        participation: "NEEDS-ACTION",
        rsvp: "FALSE",
      },
      {
        address: "mailto:joerg@stiftung.example",
        name: "Jörg Überlänge-Schnittstellenverantwortlicher der Bürgerstiftung",
        role: "REQ-PARTICIPANT",
        participation: "NEEDS-ACTION",
        rsvp: "FALSE",
      },
    ]);
  });

  it("round-trips commas, semicolons and line breaks in text", () => {
    const event = onlyEvent(request);
    expect(request).toContain("\r\nDESCRIPTION:a\\, b\\; c\\nd\r\n");
    expect(event.description).toBe("a, b; c\nd");
    expect(event.location).toBe("Gemeindehaus; Raum 2, Erdgeschoss");
  });

  it("keeps double quotes and line breaks in names from breaking the CN parameter", () => {
    const awkward = { ...session, attendees: [{ name: 'Anna "Ann"\nMüller', email: "anna@verein.example" }] };
    const event = onlyEvent(sessionInvitation(awkward, { method: "REQUEST", uidDomain: UID_DOMAIN }));
    expect(event.attendees[0]!.getParameter("cn")).toBe("Anna 'Ann' Müller");
  });

  it("leaves out LOCATION when there is none", () => {
    const online = sessionInvitation({ ...session, location: null }, { method: "REQUEST", uidDomain: UID_DOMAIN });
    expect(onlyEvent(online).component.hasProperty("location")).toBe(false);
  });

  it("folds long lines at 75 octets, never inside a multi-byte character, with CRLF endings", () => {
    expect(request).toContain("\r\n ");
    expectWellFormedLines(request);
  });

  it("cancels with the same UID and the sequence the caller raised", () => {
    const cancelled: IcsSession = {
      ...session,
      status: "cancelled",
      sequence: session.sequence + 1,
      updatedAt: Date.parse("2027-03-20T08:00:00Z"),
    };
    const cancel = sessionInvitation(cancelled, {
      method: "CANCEL",
      productName: "Tandem Test",
      uidDomain: UID_DOMAIN,
    });
    expect(parse(cancel).getFirstPropertyValue("method")).toBe("CANCEL");
    expect(parse(cancel).getFirstPropertyValue("prodid")).toBe("-//Tandem Test//Sessions//EN");
    const original = onlyEvent(request);
    const cancellation = onlyEvent(cancel);
    expect(cancellation.uid).toBe(original.uid);
    expect(cancellation.sequence).toBeGreaterThan(original.sequence);
    expect(cancellation.component.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(cancellation.attendees).toHaveLength(2);
    expectWellFormedLines(cancel);
  });

  it("refuses a method that contradicts the session's status", () => {
    expect(() => sessionInvitation(session, { method: "CANCEL", uidDomain: UID_DOMAIN })).toThrow(/METHOD:CANCEL/);
    const cancelled = { ...session, status: "cancelled" as const };
    expect(() => sessionInvitation(cancelled, { method: "REQUEST", uidDomain: UID_DOMAIN })).toThrow(/REQUEST/);
  });
});

describe("sessionFeed", () => {
  const sessions: IcsSession[] = [
    session,
    {
      ...session,
      id: "beef0001",
      sequence: 3,
      startsAt: Date.parse("2027-04-05T15:00:00Z"),
      endsAt: Date.parse("2027-04-05T16:30:00Z"),
    },
    { ...session, id: "beef0002", sequence: 1, status: "cancelled" },
  ];
  const feed = sessionFeed(sessions, { calendarName: "Tandem: Sitzungen, Anna; privat", uidDomain: UID_DOMAIN });
  const calendar = parse(feed);
  const events = calendar.getAllSubcomponents("vevent").map((component) => new ICAL.Event(component));

  it("is a published calendar refreshed hourly", () => {
    expect(calendar.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(feed).toContain("\r\nX-WR-CALNAME:Tandem: Sitzungen\\, Anna\\; privat\r\n");
    expect(feed).toContain("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n");
    expect(feed).toContain("\r\nX-PUBLISHED-TTL:PT1H\r\n");
    expectWellFormedLines(feed);
  });

  it("holds one event per session with distinct UIDs and their own sequence and times", () => {
    expect(events.map((event) => event.uid)).toEqual([
      "c0ffee42@tandem.example",
      "beef0001@tandem.example",
      "beef0002@tandem.example",
    ]);
    expect(events.map((event) => event.sequence)).toEqual([0, 3, 1]);
    expect(events[1]!.startDate.toJSDate().toISOString()).toBe("2027-04-05T15:00:00.000Z");
    expect(events[1]!.endDate.toJSDate().toISOString()).toBe("2027-04-05T16:30:00.000Z");
  });

  it("keeps cancelled sessions as cancelled free time", () => {
    const statuses = events.map((event) => event.component.getFirstPropertyValue("status"));
    expect(statuses).toEqual(["CONFIRMED", "CONFIRMED", "CANCELLED"]);
    expect(events[2]!.component.getFirstPropertyValue("transp")).toBe("TRANSPARENT");
    expect(events[0]!.component.hasProperty("transp")).toBe(false);
  });

  it("names the organizer but no attendees, as PUBLISH requires", () => {
    for (const event of events) {
      expect(calendarAddress(event.component.getFirstProperty("organizer")!)).toBe("mailto:noreply@tandem.example");
      expect(event.attendees).toEqual([]);
    }
  });

  it("round-trips escaped text", () => {
    expect(events.map((event) => event.description)).toEqual(["a, b; c\nd", "a, b; c\nd", "a, b; c\nd"]);
  });

  it("is a valid empty calendar without sessions", () => {
    const empty = parse(sessionFeed([], { calendarName: "Tandem", uidDomain: UID_DOMAIN }));
    expect(empty.getAllSubcomponents("vevent")).toEqual([]);
    expect(empty.getFirstPropertyValue("version")).toBe("2.0");
  });
});
