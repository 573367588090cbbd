import { beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "~/auth.server";
import { getDb } from "~/db.server";
import { findWindowProblems } from "~/domain/availability";
import { addCalendarDays, calendarToday, requestLifetimeDays } from "~/domain/requests";
import { getOwnOffer } from "~/models/offer.server";
import { getOwnRequest, listOwnRequests } from "~/models/request.server";
import { getUserByEmail, getUserRoles } from "~/models/user.server";
import {
  accessOptions,
  coachingRequests,
  languageCodes,
  offerAvailability,
  requestAvailability,
  requestUrgencies,
  sessionFormats,
  sessionLengths,
  topicLevels,
} from "~db/schema";
import { demoLogins, demoPassword, seedDemoData } from "~db/seed";

function count(sql: string) {
  return (getDb().$client.prepare(sql).get() as { n: number }).n;
}

/** The first column of every row, as sorted text. */
function column(sql: string) {
  return (getDb().$client.prepare(sql).pluck().all() as string[]).sort();
}

function countWithRole(role: string) {
  return (getDb().$client.prepare("SELECT count(*) AS n FROM user_roles WHERE role = ?").get(role) as { n: number }).n;
}

function tableCounts() {
  return Object.fromEntries(
    [
      "users",
      "user_roles",
      "organisations",
      "memberships",
      "organisation_invites",
      "sessions",
      "coach_offers",
      "coaching_requests",
      "request_topics",
      "request_languages",
      "request_availability",
      "request_history",
    ].map((table) => [
      table,
      count(`SELECT count(*) AS n FROM ${table}`),
    ]),
  );
}

describe("seedDemoData", () => {
  let firstResult: Awaited<ReturnType<typeof seedDemoData>>;

  beforeAll(async () => {
    expect(count("SELECT count(*) AS n FROM users")).toBe(0);
    firstResult = await seedDemoData(getDb());
  });

  it("reports what it seeded, matching the rows written", () => {
    expect(firstResult.seeded).toBe(true);
    expect(firstResult.users).toBe(count("SELECT count(*) AS n FROM users"));
    expect(firstResult.organisations).toBe(count("SELECT count(*) AS n FROM organisations"));
    expect(firstResult.requests).toBe(count("SELECT count(*) AS n FROM coaching_requests"));
  });

  it("seeds at least 20 coaches, 30 requesters and exactly 2 team members", () => {
    expect(countWithRole("coach")).toBeGreaterThanOrEqual(20);
    expect(countWithRole("requester")).toBeGreaterThanOrEqual(30);
    expect(countWithRole("team")).toBe(2);
  });

  it("puts every user in at least one organisation and leaves no organisation empty", () => {
    expect(count("SELECT count(*) AS n FROM users WHERE id NOT IN (SELECT user_id FROM memberships)")).toBe(0);
    expect(count("SELECT count(*) AS n FROM organisations WHERE id NOT IN (SELECT organisation_id FROM memberships)")).toBe(0);
  });

  it("stores demo emails normalised, so they can be found at login", () => {
    expect(count("SELECT count(*) AS n FROM users WHERE email <> lower(trim(email))")).toBe(0);
  });

  it("lets every demo login sign in with the demo password", async () => {
    for (const { email } of demoLogins) {
      const user = getUserByEmail(email);
      expect(user, email).not.toBeNull();
      expect(await verifyPassword(user!.passwordHash, demoPassword), email).toBe(true);
      expect(await verifyPassword(user!.passwordHash, `${demoPassword}x`), email).toBe(false);
    }
    expect(getUserRoles(getUserByEmail("team@tandem.example")!.id)).toContain("team");
    expect(getUserRoles(getUserByEmail("requester@tandem.example")!.id)).toEqual(["requester"]);
  });

  it("gives every coach exactly one offer, and nobody else any", () => {
    expect(count("SELECT count(*) AS n FROM coach_offers")).toBe(countWithRole("coach"));
    expect(
      count("SELECT count(*) AS n FROM user_roles WHERE role = 'coach' AND user_id NOT IN (SELECT user_id FROM coach_offers)"),
    ).toBe(0);
  });

  it("fills each offer plausibly: 1–3 topics, German among its languages, the coach's time zone, 1–8 a month", () => {
    expect(
      count(
        "SELECT count(*) AS n FROM coach_offers o WHERE (SELECT count(*) FROM offer_topics t WHERE t.offer_id = o.id) NOT BETWEEN 1 AND 3",
      ),
    ).toBe(0);
    expect(
      count("SELECT count(*) AS n FROM coach_offers WHERE id NOT IN (SELECT offer_id FROM offer_languages WHERE language = 'de')"),
    ).toBe(0);
    expect(
      count("SELECT count(*) AS n FROM coach_offers o JOIN users u ON u.id = o.user_id WHERE o.time_zone <> u.time_zone"),
    ).toBe(0);
    expect(count("SELECT count(*) AS n FROM coach_offers WHERE capacity_per_month NOT BETWEEN 1 AND 8")).toBe(0);
    expect(count("SELECT count(*) AS n FROM coach_offers WHERE trim(bio) = ''")).toBe(0);
  });

  it("covers every topic at every level, every language, format and access option", () => {
    const topicIds = column("SELECT id FROM topics");
    expect(topicIds).toHaveLength(4);
    expect(column("SELECT DISTINCT topic_id || ':' || level FROM offer_topics")).toEqual(
      topicIds.flatMap((topicId) => topicLevels.map((level) => `${topicId}:${level}`)).sort(),
    );
    expect(column("SELECT DISTINCT language FROM offer_languages")).toEqual([...languageCodes].sort());
    expect(column("SELECT DISTINCT f.value FROM coach_offers, json_each(coach_offers.formats) f")).toEqual(
      [...sessionFormats].sort(),
    );
    expect(column("SELECT DISTINCT a.value FROM coach_offers, json_each(coach_offers.access_support) a")).toEqual(
      [...accessOptions].sort(),
    );
    expect(count("SELECT count(*) AS n FROM coach_offers WHERE access_support = '[]'")).toBeGreaterThan(0);
  });

  it("gives every offer 1–4 valid, non-overlapping weekly windows", () => {
    const windows = getDb().select().from(offerAvailability).all();
    for (const offerId of column("SELECT id FROM coach_offers")) {
      const own = windows.filter((window) => window.offerId === offerId);
      expect(own.length, offerId).toBeGreaterThanOrEqual(1);
      expect(own.length, offerId).toBeLessThanOrEqual(4);
      expect(findWindowProblems(own), offerId).toEqual([]);
    }
  });

  it("gives in-person offers a region and a travel distance, and other offers neither", () => {
    const inPerson = "EXISTS (SELECT 1 FROM json_each(formats) WHERE value = 'inPerson')";
    expect(count(`SELECT count(*) AS n FROM coach_offers WHERE ${inPerson}`)).toBeGreaterThan(0);
    expect(
      count(
        `SELECT count(*) AS n FROM coach_offers WHERE ${inPerson} AND (in_person_region IS NULL OR travel_km NOT BETWEEN 10 AND 150)`,
      ),
    ).toBe(0);
    expect(
      count(
        `SELECT count(*) AS n FROM coach_offers WHERE NOT ${inPerson} AND (in_person_region IS NOT NULL OR travel_km IS NOT NULL)`,
      ),
    ).toBe(0);
  });

  it("offers coaching on behalf of an organisation the coach belongs to", () => {
    expect(
      count(
        "SELECT count(*) AS n FROM coach_offers o WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = o.user_id AND m.organisation_id = o.organisation_id)",
      ),
    ).toBe(0);
  });

  it("pauses exactly two offers until a date in 2027, never the demo coach's", () => {
    expect(column("SELECT paused_until FROM coach_offers WHERE paused_until IS NOT NULL")).toEqual([
      expect.stringMatching(/^2027-\d{2}-\d{2}$/),
      expect.stringMatching(/^2027-\d{2}-\d{2}$/),
    ]);
    const demoCoachOffer = getOwnOffer(getUserByEmail("coach@tandem.example")!.id);
    expect(demoCoachOffer).not.toBeNull();
    expect(demoCoachOffer!.pausedUntil).toBeNull();
  });

  describe("coaching requests", () => {
    const perRequest = (condition: string) => count(`SELECT count(*) AS n FROM coaching_requests r WHERE ${condition}`);

    it("gives about 40 requests to requesters, each on behalf of one of their organisations, in their time zone", () => {
      expect(count("SELECT count(*) AS n FROM coaching_requests")).toBeGreaterThanOrEqual(35);
      expect(count("SELECT count(*) AS n FROM coaching_requests")).toBeLessThanOrEqual(45);
      expect(
        perRequest("NOT EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = r.user_id AND ur.role = 'requester')"),
      ).toBe(0);
      expect(
        perRequest(
          "NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = r.user_id AND m.organisation_id = r.organisation_id)",
        ),
      ).toBe(0);
      expect(perRequest("time_zone <> (SELECT u.time_zone FROM users u WHERE u.id = r.user_id)")).toBe(0);
      expect(perRequest("trim(goal) = '' OR goal LIKE '%@%' OR goal LIKE '%http%'")).toBe(0);
      // Most requesters have one request, a few have two or three.
      const perRequester = column("SELECT count(*) FROM coaching_requests GROUP BY user_id").map(Number);
      expect(perRequester.every((n) => n >= 1 && n <= 3)).toBe(true);
      expect(perRequester.filter((n) => n === 1).length).toBeGreaterThan(perRequester.length / 2);
    });

    it("records each request's creation by its requester, and expiry 60 days on in its time zone", () => {
      expect(
        perRequest(
          "(SELECT count(*) FROM request_history h WHERE h.request_id = r.id AND h.action = 'created' AND h.actor_user_id = r.user_id AND h.created_at = r.created_at AND h.changes = '{}') <> 1",
        ),
      ).toBe(0);
      const now = new Date();
      for (const request of getDb().select().from(coachingRequests).all()) {
        expect(request.expiresOn, request.id).toBe(
          addCalendarDays(calendarToday(request.timeZone, request.createdAt), requestLifetimeDays),
        );
        expect(request.createdAt.getTime(), request.id).toBeLessThanOrEqual(now.getTime());
        expect(request.updatedAt.getTime(), request.id).toBeGreaterThanOrEqual(request.createdAt.getTime());
      }
    });

    it("withdraws exactly 3 requests, with history, and lets exactly 2 open ones expire; none is matched", () => {
      expect(perRequest("status = 'matched'")).toBe(0);
      expect(perRequest("status = 'withdrawn'")).toBe(3);
      expect(
        perRequest(
          "status = 'withdrawn' AND EXISTS (SELECT 1 FROM request_history h WHERE h.request_id = r.id AND h.action = 'withdrawn' AND h.actor_user_id = r.user_id AND h.created_at = r.updated_at)",
        ),
      ).toBe(3);
      expect(
        perRequest(
          "status <> 'withdrawn' AND EXISTS (SELECT 1 FROM request_history h WHERE h.request_id = r.id AND h.action = 'withdrawn')",
        ),
      ).toBe(0);
      const now = new Date();
      const expired = getDb()
        .select()
        .from(coachingRequests)
        .all()
        .filter((request) => request.status === "open" && request.expiresOn < calendarToday(request.timeZone, now));
      expect(expired).toHaveLength(2);
      for (const request of expired) {
        expect(now.getTime() - request.createdAt.getTime(), request.id).toBeGreaterThanOrEqual(70 * 86_400_000);
      }
    });

    it("gives every request 1–3 topics with exactly one main topic, and makes every topic main at least twice", () => {
      expect(perRequest("(SELECT count(*) FROM request_topics t WHERE t.request_id = r.id) NOT BETWEEN 1 AND 3")).toBe(
        0,
      );
      expect(
        perRequest("(SELECT count(*) FROM request_topics t WHERE t.request_id = r.id AND t.is_main = 1) <> 1"),
      ).toBe(0);
      const topicIds = column("SELECT id FROM topics");
      const mainCounts = Object.fromEntries(
        (
          getDb()
            .$client.prepare(
              "SELECT topic_id AS topicId, count(*) AS n FROM request_topics WHERE is_main = 1 GROUP BY topic_id",
            )
            .all() as { topicId: string; n: number }[]
        ).map(({ topicId, n }) => [topicId, n]),
      );
      for (const topicId of topicIds) expect(mainCounts[topicId] ?? 0, topicId).toBeGreaterThanOrEqual(2);
    });

    it("uses every urgency, format, access need, session length and language, German everywhere", () => {
      expect(column("SELECT DISTINCT urgency FROM coaching_requests")).toEqual([...requestUrgencies].sort());
      expect(column("SELECT DISTINCT f.value FROM coaching_requests, json_each(coaching_requests.formats) f")).toEqual(
        [...sessionFormats].sort(),
      );
      expect(
        column("SELECT DISTINCT a.value FROM coaching_requests, json_each(coaching_requests.access_needs) a"),
      ).toEqual([...accessOptions].sort());
      expect(perRequest("access_needs = '[]'")).toBeGreaterThan(
        count("SELECT count(*) AS n FROM coaching_requests") / 2,
      );
      expect(
        column("SELECT DISTINCT session_minutes FROM coaching_requests")
          .map(Number)
          .sort((a, b) => a - b),
      ).toEqual([...sessionLengths]);
      expect(column("SELECT DISTINCT language FROM request_languages")).toEqual([...languageCodes].sort());
      expect(
        perRequest("NOT EXISTS (SELECT 1 FROM request_languages l WHERE l.request_id = r.id AND l.language = 'de')"),
      ).toBe(0);
      expect(
        perRequest("EXISTS (SELECT 1 FROM request_languages l WHERE l.request_id = r.id AND l.language = 'en')"),
      ).toBeGreaterThan(1);
    });

    it("sets a deadline 2–6 weeks after creation exactly for deadline requests", () => {
      expect(perRequest("(urgency = 'deadline') <> (deadline IS NOT NULL)")).toBe(0);
      for (const request of getDb().select().from(coachingRequests).all()) {
        if (request.urgency !== "deadline") continue;
        const createdOn = calendarToday(request.timeZone, request.createdAt);
        expect(request.deadline! >= addCalendarDays(createdOn, 14), request.id).toBe(true);
        expect(request.deadline! <= addCalendarDays(createdOn, 42), request.id).toBe(true);
      }
    });

    it("gives in-person requests a region, mostly their organisation's, and other requests none", () => {
      const inPerson = "EXISTS (SELECT 1 FROM json_each(r.formats) WHERE value = 'inPerson')";
      expect(perRequest(inPerson)).toBeGreaterThan(0);
      expect(perRequest(`${inPerson} AND in_person_region IS NULL`)).toBe(0);
      expect(perRequest(`NOT ${inPerson} AND in_person_region IS NOT NULL`)).toBe(0);
      const atHome = perRequest(
        `${inPerson} AND in_person_region = (SELECT o.region FROM organisations o WHERE o.id = r.organisation_id)`,
      );
      expect(atHome).toBeGreaterThan(perRequest(inPerson) / 2);
    });

    it("gives every request 1–3 valid, non-overlapping weekly windows that meet some coach's", () => {
      const windows = getDb().select().from(requestAvailability).all();
      const coachWindows = getDb().select().from(offerAvailability).all();
      for (const requestId of column("SELECT id FROM coaching_requests")) {
        const own = windows.filter((window) => window.requestId === requestId);
        expect(own.length, requestId).toBeGreaterThanOrEqual(1);
        expect(own.length, requestId).toBeLessThanOrEqual(3);
        expect(findWindowProblems(own), requestId).toEqual([]);
        const meetsACoach = own.some((window) =>
          coachWindows.some(
            (coach) =>
              coach.weekday === window.weekday &&
              coach.startMinute < window.endMinute &&
              window.startMinute < coach.endMinute,
          ),
        );
        expect(meetsACoach, requestId).toBe(true);
      }
    });

    it("gives the demo requester two open requests, one with a deadline, and both@ one open request", () => {
      const ownRequests = (email: string) => {
        const userId = getUserByEmail(email)!.id;
        return listOwnRequests(userId).map((request) => ({ ...request, details: getOwnRequest(userId, request.id)! }));
      };
      const requesterOwn = ownRequests("requester@tandem.example");
      const bothOwn = ownRequests("both@tandem.example");
      expect(requesterOwn.map((request) => request.shownStatus)).toEqual(["open", "open"]);
      expect(requesterOwn.map((request) => request.details.urgency)).toContain("deadline");
      expect(bothOwn.map((request) => request.shownStatus)).toEqual(["open"]);
      for (const request of [...requesterOwn, ...bothOwn]) {
        expect(request.mainTopicDe, request.id).toBeTruthy();
        expect(
          request.details.history.map((entry) => entry.action),
          request.id,
        ).toEqual(["created"]);
      }
    });
  });

  it("leaves a database that already has users alone", async () => {
    const before = tableCounts();
    const second = await seedDemoData(getDb());

    expect(second).toEqual({ seeded: false, users: 0, organisations: 0, requests: 0 });
    expect(tableCounts()).toEqual(before);
  });

  it("leaves no dangling foreign keys", () => {
    expect(getDb().$client.pragma("foreign_key_check")).toEqual([]);
  });

  it("opens the connection with foreign keys enforced and WAL journaling", () => {
    expect(getDb().$client.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(getDb().$client.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(() =>
      getDb().$client.prepare("INSERT INTO memberships (organisation_id, user_id) VALUES ('nope', 'nope')").run(),
    ).toThrow(/FOREIGN KEY/);
  });
});
