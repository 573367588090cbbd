import { setTimeout as delay } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createCalendarEntry,
  createPost,
  deleteCalendarEntry,
  escapeMarkdown,
  findCalendarEntry,
  findPost,
  findUserByUsername,
  getCurrentUser,
  listSpaces,
  mentionMarkdown,
  sendCustomNotification,
  updateCalendarEntry,
  type HumhubCalendarEntryInput,
  type HumhubConnection,
} from "~/humhub.server";
import { startFakeHumhub, type FakeHumhub, type FakeSpace } from "../support/fake-humhub";

let fake: FakeHumhub;
let connection: HumhubConnection;
let adminConnection: HumhubConnection;

beforeEach(async () => {
  fake = await startFakeHumhub();
  connection = { baseUrl: fake.url, token: fake.token };
  adminConnection = { baseUrl: fake.url, token: fake.adminToken };
});

afterEach(async () => {
  await fake.close();
});

// Europe/Berlin is on summer time from 2027-03-28, so 16:00Z is 18:00 there.
const session: HumhubCalendarEntryInput = {
  title: "Peer-Coaching: Barrierefreiheit",
  description: "Tandem session",
  location: "Video call",
  startsAt: new Date(Date.UTC(2027, 2, 29, 16, 0)),
  endsAt: Date.UTC(2027, 2, 29, 17, 0),
  timeZone: "Europe/Berlin",
};

const onlyEntry = () => [...fake.calendarEntries.values()][0];

describe("HumHub client: reading", () => {
  it("accepts the base URL with or without /api/v1", async () => {
    const hostOnly = fake.url.replace(/\/api\/v1$/, "");
    for (const baseUrl of [hostOnly, `${hostOnly}/`, fake.url, `${fake.url}/`]) {
      const answer = await getCurrentUser({ baseUrl, token: fake.token });
      expect(answer).toEqual({
        ok: true,
        value: { id: 2, guid: "3c1e9d70-5b2a-4f6e-8d4c-000000000002", displayName: "Tandem", url: `${hostOnly}/u/tandem/`, username: "tandem" },
      });
    }
  });

  it("lists spaces with their container ids, following every page", async () => {
    expect(await listSpaces(connection)).toEqual({
      ok: true,
      value: [
        { id: 1, containerId: 11, name: "Peer-Coaching", url: expect.stringContaining("/s/peer-coaching/") },
        { id: 2, containerId: 12, name: "Allgemein", url: expect.stringContaining("/s/allgemein/") },
      ],
    });

    const manySpaces: FakeSpace[] = Array.from({ length: 205 }, (_, index) => ({
      id: index + 1,
      contentcontainerId: 1000 + index,
      guid: `space-${index}`,
      name: `Space ${index + 1}`,
      description: "",
      slug: `space-${index + 1}`,
    }));
    const crowded = await startFakeHumhub({ spaces: manySpaces });
    try {
      const answer = await listSpaces({ baseUrl: crowded.url, token: crowded.token });
      expect(answer.ok && answer.value.map((space) => space.containerId)).toEqual(manySpaces.map((space) => space.contentcontainerId));
      expect(crowded.requestLog.map((entry) => entry.path)).toEqual([1, 2, 3].map((page) => `/api/v1/space?page=${page}&limit=100`));
    } finally {
      await crowded.close();
    }
  });

  it("finds a user by username with an admin token", async () => {
    expect(await findUserByUsername(adminConnection, "anna.schmidt")).toEqual({
      ok: true,
      value: { id: 3, guid: "3c1e9d70-5b2a-4f6e-8d4c-000000000003", displayName: "Anna Schmidt", url: expect.stringContaining("/u/anna.schmidt/"), username: "anna.schmidt" },
    });
    expect(await findUserByUsername(adminConnection, "nobody")).toEqual({
      ok: false,
      failure: { kind: "notFound", status: 404, message: "User not found!", retryable: false },
    });
  });
});

describe("HumHub client: calendar entries", () => {
  it("sends a timed entry in the session's own zone, as HumHub needs it", async () => {
    const answer = await createCalendarEntry(connection, 11, session);
    expect(answer).toEqual({ ok: true, value: { id: expect.any(Number), url: expect.stringContaining("/content/perma?id=") } });
    expect(onlyEntry()).toMatchObject({
      containerId: 11,
      title: session.title,
      description: "Tandem session",
      location: "Video call",
      all_day: 0,
      participation_mode: 2,
      allow_decline: 1,
      allow_maybe: 1,
      is_public: 0,
      start_date: "2027-03-29",
      start_time: "18:00",
      end_date: "2027-03-29",
      end_time: "19:00",
      timeZone: "Europe/Berlin",
    });
  });

  it("converts to other zones and across midnight, to the minute", async () => {
    await createCalendarEntry(connection, 11, { ...session, timeZone: "America/New_York" });
    expect(onlyEntry()).toMatchObject({ start_date: "2027-03-29", start_time: "12:00", end_time: "13:00", timeZone: "America/New_York" });

    fake.calendarEntries.clear();
    await createCalendarEntry(connection, 11, {
      ...session,
      startsAt: Date.UTC(2027, 2, 29, 21, 30, 45),
      endsAt: Date.UTC(2027, 2, 29, 23, 0),
    });
    expect(onlyEntry()).toMatchObject({ start_date: "2027-03-29", start_time: "23:30", end_date: "2027-03-30", end_time: "01:00" });
  });

  it("shortens a title over 200 characters with an ellipsis, counting characters as HumHub does", async () => {
    const title = "🙂".repeat(250);
    const answer = await createCalendarEntry(connection, 11, { ...session, title });
    expect(answer.ok).toBe(true);
    const stored = Array.from(onlyEntry()?.title ?? "");
    expect(stored).toHaveLength(200);
    expect(stored.at(-1)).toBe("…");
  });

  it("refuses an unknown zone without sending anything", async () => {
    const answer = await createCalendarEntry(connection, 11, { ...session, timeZone: "Europe/Atlantis" });
    expect(answer).toEqual({ ok: false, failure: { kind: "rejected", message: 'Unknown time zone "Europe/Atlantis"', retryable: false } });
    expect(await updateCalendarEntry(connection, 500, { ...session, timeZone: "" })).toMatchObject({ ok: false, failure: { kind: "rejected" } });
    expect(fake.requestLog).toEqual([]);
  });

  it("updates, finds and deletes entries", async () => {
    const created = await createCalendarEntry(connection, 11, session);
    if (!created.ok) throw new Error(created.failure.message);
    const moved = await updateCalendarEntry(connection, created.value.id, {
      ...session,
      title: "Moved",
      startsAt: Date.UTC(2027, 2, 30, 8, 0),
      endsAt: Date.UTC(2027, 2, 30, 9, 0),
    });
    expect(moved).toEqual({ ok: true, value: created.value });
    expect(onlyEntry()).toMatchObject({ title: "Moved", start_date: "2027-03-30", start_time: "10:00", all_day: 0 });

    const isMoved = (entry: { title: string }) => entry.title === "Moved";
    expect(await findCalendarEntry(connection, 11, isMoved)).toEqual({
      ok: true,
      value: { id: created.value.id, title: "Moved", description: "Tandem session", url: created.value.url },
    });
    expect(await deleteCalendarEntry(connection, created.value.id)).toEqual({ ok: true, value: { message: "Successfully deleted!" } });
    expect(await deleteCalendarEntry(connection, created.value.id)).toMatchObject({ ok: false, failure: { kind: "notFound", retryable: false } });
    expect(await findCalendarEntry(connection, 11, isMoved)).toEqual({ ok: true, value: null });
  });
});

describe("HumHub client: posts and notifications", () => {
  it("creates posts and finds one page by page, asking for no page after the one it is on", async () => {
    const first = await createPost(connection, 11, { message: "Hello", visibility: 1, topics: ["Peer-Coaching"] });
    expect(first).toEqual({ ok: true, value: { id: expect.any(Number), url: expect.stringContaining("/content/perma?id=") } });
    expect([...fake.posts.values()][0]).toMatchObject({ containerId: 11, message: "Hello", visibility: 1, topics: ["Peer-Coaching"] });

    for (let index = 1; index < 130; index++) {
      const answer = await createPost(connection, 11, { message: `Post ${index}`, visibility: 0 });
      expect(answer.ok).toBe(true);
    }
    const pagesAsked = async (message: string) => {
      fake.requestLog.length = 0;
      const found = await findPost(connection, 11, (post) => post.message === message);
      return { found: found.ok ? found.value?.message ?? null : found.failure.kind, pages: fake.requestLog.map((entry) => entry.path) };
    };
    // Newest first, 100 to a page: "Post 129" tops page 1, the first post ("Hello") is on page 2.
    expect(await pagesAsked("Post 129")).toEqual({ found: "Post 129", pages: ["/api/v1/post/container/11?page=1&limit=100"] });
    expect(await pagesAsked("Post 30")).toEqual({ found: "Post 30", pages: ["/api/v1/post/container/11?page=1&limit=100"] });
    expect(await pagesAsked("Hello")).toEqual({
      found: "Hello",
      pages: ["/api/v1/post/container/11?page=1&limit=100", "/api/v1/post/container/11?page=2&limit=100"],
    });
    // Not there: every page once, and no page past the end, which HumHub would answer with the last again.
    expect(await pagesAsked("Nowhere")).toEqual({ found: null, pages: ["/api/v1/post/container/11?page=1&limit=100", "/api/v1/post/container/11?page=2&limit=100"] });
    fake.setFaults({ rate: 1, kinds: ["500"] });
    expect(await pagesAsked("Hello")).toEqual({ found: "server", pages: ["/api/v1/post/container/11?page=1&limit=100"] });
  });

  it("sends a custom notification with an admin token", async () => {
    const notification = { userId: 3, text: "Your session is booked", url: "https://tandem.example/matches/7" };
    expect(await sendCustomNotification(adminConnection, notification)).toEqual({ ok: true, value: { message: "Notification successfully sent" } });
    expect(fake.customNotifications).toEqual([{ ...notification, sentByUserId: 1 }]);
  });
});

describe("HumHub client: failures", () => {
  it("maps HumHub's refusals to kinds that are not worth retrying, with HumHub's own message", async () => {
    expect(await getCurrentUser({ ...connection, token: "expired" })).toEqual({
      ok: false,
      failure: { kind: "unauthorized", status: 401, message: "Your request was made with invalid credentials.", retryable: false },
    });
    expect(await sendCustomNotification(connection, { userId: 3, text: "x", url: "/x" })).toMatchObject({
      ok: false,
      failure: { kind: "forbidden", status: 403, retryable: false },
    });
    expect(await createPost(connection, 1, { message: "Space id instead of container id", visibility: 0 })).toEqual({
      ok: false,
      failure: { kind: "notFound", status: 404, message: "Content container not found!", retryable: false },
    });
    expect(await createCalendarEntry(connection, 11, { ...session, title: "" })).toEqual({
      ok: false,
      failure: { kind: "rejected", status: 422, message: "Validation failed: title: Title cannot be blank.", retryable: false },
    });
    expect(await sendCustomNotification(adminConnection, { userId: 99, text: "x", url: "/x" })).toEqual({
      ok: false,
      failure: { kind: "rejected", status: 422, message: "User ID is invalid.", retryable: false },
    });
  });

  it("reports a queued HumHub validation answer with its field errors", async () => {
    fake.failNext(/calendar\/container/, 422, {
      code: 422,
      message: "Validation failed",
      entryForm: { start_date: ["Start Date cannot be blank."], end_date: ["End Date cannot be blank."] },
      calendarEntry: [],
    });
    expect(await createCalendarEntry(connection, 11, session)).toMatchObject({
      ok: false,
      failure: { message: "Validation failed: start_date: Start Date cannot be blank. end_date: End Date cannot be blank." },
    });
  });

  it("treats 429 and 5xx as retryable", async () => {
    fake.setFaults({ rate: 1, kinds: ["429"] });
    expect(await listSpaces(connection)).toEqual({
      ok: false,
      failure: { kind: "rateLimited", status: 429, message: "HumHub answered HTTP 429 Too Many Requests", retryable: true },
    });
    fake.setFaults({ rate: 1, kinds: ["500"] });
    expect(await createCalendarEntry(connection, 11, session)).toEqual({
      ok: false,
      failure: { kind: "server", status: 500, message: "An internal server error occurred.", retryable: true },
    });
  });

  it("times out on a slow answer, though HumHub may still act on it", async () => {
    fake.setFaults({ rate: 1, kinds: ["slow"], slowMs: 300 });
    expect(await createCalendarEntry({ ...connection, timeoutMs: 50 }, 11, session)).toEqual({
      ok: false,
      failure: { kind: "timeout", message: "HumHub did not answer within 50 ms", retryable: true },
    });
    await delay(400);
    expect(fake.calendarEntries.size).toBe(1);
  });

  it("reports a lost response as a retryable network failure, though the entry was created", async () => {
    fake.setFaults({ rate: 1, kinds: ["dropAfterActing"] });
    expect(await createCalendarEntry(connection, 11, session)).toMatchObject({ ok: false, failure: { kind: "network", retryable: true } });
    expect(fake.calendarEntries.size).toBe(1);
    fake.setFaults({ rate: 1, kinds: ["dropBeforeActing"] });
    expect(await createPost(connection, 11, { message: "x", visibility: 0 })).toMatchObject({ ok: false, failure: { kind: "network", retryable: true } });
    expect(fake.posts.size).toBe(0);
  });

  it("reports an unreachable HumHub and a bad base URL", async () => {
    const gone = await startFakeHumhub();
    await gone.close();
    expect(await getCurrentUser({ baseUrl: gone.url, token: "x" })).toMatchObject({ ok: false, failure: { kind: "network", retryable: true } });
    expect(await getCurrentUser({ baseUrl: "humhub.example", token: "x" })).toMatchObject({ ok: false, failure: { kind: "rejected", retryable: false } });
  });

  it("reports an answer of the wrong shape as invalidResponse", async () => {
    fake.failNext(/auth\/current/, 200, { unexpected: true });
    expect(await getCurrentUser(connection)).toMatchObject({ ok: false, failure: { kind: "invalidResponse", retryable: false } });
    fake.failNext(/auth\/current/, 200, "<html>Login</html>");
    expect(await getCurrentUser(connection)).toMatchObject({ ok: false, failure: { kind: "invalidResponse", status: 200, retryable: false } });
  });
});

describe("mentionMarkdown", () => {
  it("writes HumHub's mention link", () => {
    expect(mentionMarkdown({ guid: "3c1e9d70", displayName: "Anna Schmidt", url: "https://humhub.example/u/anna/" })).toBe(
      '[Anna Schmidt](mention:3c1e9d70 "https://humhub.example/u/anna/")',
    );
  });

  it("keeps brackets and quotes from breaking the link, and the name from formatting", () => {
    expect(mentionMarkdown({ guid: "g", displayName: "Ben [Team]\nOkafor", url: 'https://h.example/u/"b"/' })).toBe(
      '[Ben \\(Team\\) Okafor](mention:g "https://h.example/u/%22b%22/")',
    );
    expect(mentionMarkdown({ guid: "g", displayName: "*Ben*\\", url: "u" })).toBe('[\\*Ben\\*\\\\](mention:g "u")');
  });
});

describe("escapeMarkdown", () => {
  /** HumHub's own pattern for link extensions such as mentions (RichTextLinkExtension::getLinkExtensionPattern). */
  const humhubLinkExtension = /(?<!\\)!?\[([^\]]*)\]\(([a-zA-Z-_]+):{1}([^)\s]*)(?:\s)?(?:"([^"]*)")?[^)]*\)/is;
  const hostile = [
    '[x](mention:3c1e9d70-5b2a-4f6e-8d4c-000000000003 "https://humhub.example/u/anna/")',
    '![x](mention:guid "u")',
    "\\[x](mention:guid)",
    "[Klick](https://evil.example) <script>alert(1)</script> <https://evil.example>",
    "**fett** _kursiv_ `code` ~~weg~~ #Thema +1 {.class} | a | b |",
  ];

  it("leaves no mention or link HumHub would recognise, while the text reads the same", () => {
    for (const text of hostile) {
      const escaped = escapeMarkdown(text);
      expect(escaped, text).not.toMatch(humhubLinkExtension);
      expect(escaped, text).not.toMatch(/(?<!\\)(?:\\\\)*[[\]()<>*_`~#+!|{}]/);
      // Removing one backslash before each escaped character gives the text back: nothing is lost.
      expect(escaped.replace(/\\(.)/gs, "$1"), text).toBe(text);
    }
    expect(escapeMarkdown(hostile[0]!)).toBe('\\[x\\]\\(mention:3c1e9d70-5b2a-4f6e-8d4c-000000000003 "https://humhub.example/u/anna/"\\)');
  });

  it("escapes what would start a list, heading or quote on any line, and leaves the rest", () => {
    expect(escapeMarkdown("Ziel:\n- eins\n  2. zwei\n===\n> Zitat\n# Titel\n10.5 Prozent, Bindestrich-Wort")).toBe(
      "Ziel:\n\\- eins\n  2\\. zwei\n\\===\n\\> Zitat\n\\# Titel\n10.5 Prozent, Bindestrich-Wort",
    );
    expect(escapeMarkdown("Verein für Teilhabe e.V. – Köln")).toBe("Verein für Teilhabe e.V. – Köln");
    expect(escapeMarkdown("https://meet.example/tandem-room?id=1&x=2")).toBe("https://meet.example/tandem-room?id=1&x=2");
  });
});
