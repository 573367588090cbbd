import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeHumhub, type FakeHumhub } from "../support/fake-humhub";

let fake: FakeHumhub;

beforeEach(async () => {
  fake = await startFakeHumhub({ serverTimeZone: "UTC" });
});

afterEach(async () => {
  await fake.close();
});

type CallOptions = { token?: string | null; body?: unknown; rawBody?: string; contentType?: string | null };

/** Raw HTTP against the fake, as a HumHub client would send it. */
async function call(method: string, path: string, { token, body, rawBody, contentType = "application/json" }: CallOptions = {}) {
  const headers: Record<string, string> = {};
  const bearer = token === undefined ? fake.token : token;
  if (bearer !== null) headers.Authorization = `Bearer ${bearer}`;
  if (contentType !== null && (body !== undefined || rawBody !== undefined)) headers["Content-Type"] = contentType;
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers,
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Faults answer HTML, as a proxy would.
  }
  return { status: response.status, json: json as Record<string, unknown>, text };
}

function calendarBody({ entry = {}, form = {} }: { entry?: Record<string, unknown>; form?: Record<string, unknown> } = {}) {
  return {
    CalendarEntry: { title: "Session", description: "", all_day: 0, ...entry },
    CalendarEntryForm: {
      start_date: "2027-03-29",
      start_time: "18:00",
      end_date: "2027-03-29",
      end_time: "19:00",
      timeZone: "Europe/Berlin",
      ...form,
    },
  };
}

describe("fake HumHub: authentication and routing", () => {
  it("refuses a missing or wrong token with Yii's 401", async () => {
    const expected = {
      name: "Unauthorized",
      message: "Your request was made with invalid credentials.",
      code: 0,
      status: 401,
      type: "yii\\web\\UnauthorizedHttpException",
    };
    for (const token of [null, "wrong"]) {
      const answer = await call("GET", "/auth/current", { token });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual(expected);
    }
  });

  it("answers an unknown route with Yii's 404", async () => {
    const answer = await call("GET", "/no/such/route");
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ name: "Not Found", code: 0, status: 404 });
  });

  it("names the token's user at /auth/current", async () => {
    const answer = await call("GET", "/auth/current");
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id: 2, display_name: "Tandem", account: { username: "tandem" } });
  });

  it("keeps user lookups to the admin token", async () => {
    expect((await call("GET", "/user/get-by-username?username=anna.schmidt")).status).toBe(403);
    const found = await call("GET", "/user/get-by-username?username=anna.schmidt", { token: fake.adminToken });
    expect(found.json).toMatchObject({ id: 3, display_name: "Anna Schmidt", guid: expect.any(String) });
    const missing = await call("GET", "/user/get-by-username?username=nobody", { token: fake.adminToken });
    expect(missing).toMatchObject({ status: 404, json: { code: 404, message: "User not found!" } });
  });
});

describe("fake HumHub: pagination", () => {
  it("pages from 1 with a capped limit and clamps a page past the end to the last one", async () => {
    const first = await call("GET", "/space?page=1&limit=1");
    expect(first.json).toMatchObject({ total: 2, page: 1, pages: 2, links: { next: "/api/v1/space?page=2&per-page=1" } });
    expect((first.json.results as unknown[]).length).toBe(1);

    const beyond = await call("GET", "/space?page=9&limit=1");
    expect(beyond.json).toMatchObject({ page: 2, pages: 2 });
    expect(beyond.json.results).toEqual([expect.objectContaining({ id: 2, contentcontainer_id: 12 })]);

    const capped = await call("GET", "/space?limit=500");
    expect(capped.json.links).toMatchObject({ self: "/api/v1/space?page=1&per-page=100" });
  });
});

describe("fake HumHub: posts", () => {
  it("refuses a body without the data wrapper, or sent without the JSON content type", async () => {
    const unwrapped = await call("POST", "/post/container/11", { body: { message: "Hello" } });
    expect(unwrapped).toMatchObject({ status: 400, json: { code: 400, message: "Validation failed", post: [] } });

    const untyped = await call("POST", "/post/container/11", { body: { data: { message: "Hello" } }, contentType: null });
    expect(untyped).toMatchObject({ status: 400, json: { post: [] } });
    expect(fake.posts.size).toBe(0);
  });

  it("refuses an empty message with HumHub's field errors", async () => {
    const answer = await call("POST", "/post/container/11", { body: { data: { message: "  " } } });
    expect(answer).toMatchObject({ status: 400, json: { post: { message: ["Message cannot be blank."] } } });
  });

  it("answers 404 for an unknown container, including a space's id used as its container id", async () => {
    const answer = await call("POST", "/post/container/1", { body: { data: { message: "Hello" } } });
    expect(answer).toMatchObject({ status: 404, json: { message: "Content container not found!" } });
  });

  it("saves the post and THEN answers 400 for a bad visibility or bad topics", async () => {
    const badVisibility = await call("POST", "/post/container/11", {
      body: { data: { message: "One", content: { metadata: { visibility: 7 } } } },
    });
    expect(badVisibility.status).toBe(400);
    const badTopics = await call("POST", "/post/container/11", { body: { data: { message: "Two", content: { topics: ["x"] } } } });
    expect(badTopics).toMatchObject({ status: 400, json: { post: { topics: ["Wrong topic #1 format!"] } } });
    expect([...fake.posts.values()].map((post) => post.message)).toEqual(["One", "Two"]);
  });

  it("stores visibility and topics and lists newest first", async () => {
    for (const message of ["first", "second"]) {
      const answer = await call("POST", "/post/container/11", {
        body: { data: { message, content: { metadata: { visibility: 1 }, topics: [{ name: "Peer-Coaching" }] } } },
      });
      expect(answer.status).toBe(200);
    }
    expect([...fake.posts.values()][0]).toMatchObject({ containerId: 11, visibility: 1, topics: ["Peer-Coaching"] });
    const list = await call("GET", "/post/container/11");
    expect((list.json.results as Array<{ message: string }>).map((post) => post.message)).toEqual(["second", "first"]);
  });
});

describe("fake HumHub: calendar entries", () => {
  it("stores a timed entry as sent and reports times in the server's zone", async () => {
    const answer = await call("POST", "/calendar/container/11", { body: calendarBody() });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      title: "Session",
      all_day: 0,
      start_datetime: "2027-03-29 16:00:00",
      end_datetime: "2027-03-29 17:00:00",
      time_zone: "Europe/Berlin",
      participants: { attending: [], maybe: [], declined: [] },
      content: { metadata: { url: expect.stringContaining("/content/perma?id=") } },
    });
    const stored = fake.calendarEntries.get(answer.json.id as number);
    expect(stored).toMatchObject({ containerId: 11, start_date: "2027-03-29", start_time: "18:00", timeZone: "Europe/Berlin" });
  });

  it("rejects times with seconds (HumHub would mis-parse them) and stores nothing", async () => {
    const answer = await call("POST", "/calendar/container/11", { body: calendarBody({ form: { start_time: "18:00:00" } }) });
    expect(answer).toMatchObject({
      status: 422,
      json: { message: "Validation failed", entryForm: { start_time: ["The format of Start Time is invalid."] }, calendarEntry: [] },
    });
    expect(fake.calendarEntries.size).toBe(0);
  });

  it("rejects impossible dates and an end before the start", async () => {
    expect((await call("POST", "/calendar/container/11", { body: calendarBody({ form: { start_date: "2026-02-30" } }) })).status).toBe(422);
    const backwards = await call("POST", "/calendar/container/11", { body: calendarBody({ form: { end_time: "17:00" } }) });
    expect(backwards).toMatchObject({ status: 422, json: { entryForm: { end_date: [expect.any(String)] } } });
  });

  it("makes an entry all-day when all_day is left out", async () => {
    const body = calendarBody();
    delete (body.CalendarEntry as Record<string, unknown>).all_day;
    const answer = await call("POST", "/calendar/container/11", { body });
    expect(answer.json).toMatchObject({ all_day: 1, start_datetime: "2027-03-29 00:00:00", end_datetime: "2027-03-29 23:59:59" });
  });

  it("fails with a 500 for an unknown zone on a timed entry", async () => {
    const answer = await call("POST", "/calendar/container/11", { body: calendarBody({ form: { timeZone: "Mars/Olympus_Mons" } }) });
    expect(answer).toMatchObject({ status: 500, json: { code: 500, message: "An internal server error occurred." } });
    expect(fake.calendarEntries.size).toBe(0);
  });

  it("copies HumHub's answers to missing parts and to a too long or empty title", async () => {
    const withoutEntry = await call("POST", "/calendar/container/11", { body: { CalendarEntryForm: calendarBody().CalendarEntryForm } });
    expect(withoutEntry).toMatchObject({ status: 500, json: { message: "Internal error while save calendar entry!" } });
    const withoutForm = await call("POST", "/calendar/container/11", { body: { CalendarEntry: { title: "x", all_day: 0 } } });
    expect(withoutForm).toMatchObject({ status: 422, json: { entryForm: { start_date: ["Start Date cannot be blank."] } } });
    const longTitle = await call("POST", "/calendar/container/11", { body: calendarBody({ entry: { title: "x".repeat(201) } }) });
    expect(longTitle).toMatchObject({ status: 422, json: { entryForm: [], calendarEntry: { title: [expect.stringContaining("200")] } } });
    const noContainer = await call("POST", "/calendar/container/999", { body: calendarBody() });
    expect(noContainer.status).toBe(404);
  });

  it("updates, lists and deletes", async () => {
    const created = await call("POST", "/calendar/container/11", { body: calendarBody() });
    const id = created.json.id as number;
    const updated = await call("PUT", `/calendar/entry/${id}`, { body: calendarBody({ entry: { title: "Moved" }, form: { start_time: "19:00", end_time: "20:00" } }) });
    expect(updated.json).toMatchObject({ title: "Moved", start_datetime: "2027-03-29 17:00:00" });
    expect((await call("GET", "/calendar/container/11")).json).toMatchObject({ total: 1 });

    const deleted = await call("DELETE", `/calendar/entry/${id}`);
    expect(deleted).toMatchObject({ status: 200, json: { code: 200, message: "Successfully deleted!" } });
    expect(fake.calendarEntries.get(id)?.deleted).toBe(true);
    expect((await call("GET", `/calendar/entry/${id}`)).status).toBe(404);
    expect((await call("GET", "/calendar/container/11")).json).toMatchObject({ total: 0 });
  });
});

describe("fake HumHub: custom notifications", () => {
  it("sends only with the admin token and only to a known user", async () => {
    const body = { userId: 3, text: "Your session is booked", url: "https://tandem.example/matches/1" };
    expect((await call("POST", "/notification/send-custom", { body })).status).toBe(403);
    const unknown = await call("POST", "/notification/send-custom", { body: { ...body, userId: 99 }, token: fake.adminToken });
    expect(unknown).toMatchObject({ status: 422, json: { message: "User ID is invalid." } });
    const sent = await call("POST", "/notification/send-custom", { body, token: fake.adminToken });
    expect(sent).toMatchObject({ status: 200, json: { message: "Notification successfully sent" } });
    expect(fake.customNotifications).toEqual([{ ...body, sentByUserId: 1 }]);
  });
});

describe("fake HumHub: faults", () => {
  it("answers 500 and 429 without acting", async () => {
    fake.setFaults({ rate: 1, kinds: ["500"] });
    expect((await call("POST", "/calendar/container/11", { body: calendarBody() })).status).toBe(500);
    fake.setFaults({ rate: 1, kinds: ["429"] });
    const limited = await call("POST", "/calendar/container/11", { body: calendarBody() });
    expect(limited.status).toBe(429);
    expect(limited.text).toContain("Too Many Requests");
    expect(fake.calendarEntries.size).toBe(0);
    fake.clearFaults();
    expect((await call("GET", "/auth/current")).status).toBe(200);
  });

  it("acts and then drops the connection for dropAfterActing", async () => {
    fake.setFaults({ rate: 1, kinds: ["dropAfterActing"] });
    await expect(call("POST", "/calendar/container/11", { body: calendarBody() })).rejects.toThrow();
    expect(fake.calendarEntries.size).toBe(1);
    expect(fake.requestLog.at(-1)).toMatchObject({ method: "POST", status: 200, fault: "dropAfterActing" });
  });

  it("drops the connection without acting for dropBeforeActing", async () => {
    fake.setFaults({ rate: 1, kinds: ["dropBeforeActing"] });
    await expect(call("POST", "/calendar/container/11", { body: calendarBody() })).rejects.toThrow();
    expect(fake.calendarEntries.size).toBe(0);
    expect(fake.requestLog.at(-1)).toMatchObject({ status: null, fault: "dropBeforeActing" });
  });

  it("repeats the same faults for the same seed", async () => {
    const statusesFor = async (seed: number) => {
      fake.setFaults({ rate: 0.5, kinds: ["500", "429"], seed });
      const statuses: number[] = [];
      for (let index = 0; index < 20; index++) statuses.push((await call("GET", "/auth/current")).status);
      return statuses;
    };
    const first = await statusesFor(42);
    expect(await statusesFor(42)).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500, 429]));
  });

  it("delays answers for slow", async () => {
    fake.setFaults({ rate: 1, kinds: ["slow"], slowMs: 150 });
    const started = Date.now();
    expect((await call("GET", "/auth/current")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("answers a queued failure once, for the matching method and path only", async () => {
    const validation = { code: 422, message: "Validation failed", entryForm: [], calendarEntry: { title: ["Title cannot be blank."] } };
    fake.failNext(/^\/api\/v1\/calendar\/container\/11$/, 422, validation, { method: "POST" });
    expect((await call("GET", "/calendar/container/11")).status).toBe(200);
    expect(await call("POST", "/calendar/container/11", { body: calendarBody() })).toMatchObject({ status: 422, json: validation });
    expect(fake.calendarEntries.size).toBe(0);
    expect((await call("POST", "/calendar/container/11", { body: calendarBody() })).status).toBe(200);
  });
});
