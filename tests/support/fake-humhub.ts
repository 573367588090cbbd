/**
 * A fake HumHub REST API (REST module 0.11.5, calendar module 1.8.16) for tests and local use.
 *
 * Built from the OpenAPI files in shared/humhub-api/ and from HUMHUB-NOTES.md, which wins where the
 * two disagree. It copies HumHub's awkward behaviour on purpose (the `data` wrapper, all-day by
 * default, saving before answering 400, a 500 for an unknown zone, clamped pages), because the
 * client is only proven against it if the fake is as unforgiving as the real thing. Where real
 * HumHub is lenient in a harmful way (times with seconds, impossible dates), the fake is stricter,
 * so a test shows Tandem never sends such values.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { DateTime, IANAZone } from "luxon";

export type FakeSpace = {
  id: number;
  /** Posts and calendar entries address the space by this id, never by `id`. */
  contentcontainerId: number;
  guid: string;
  name: string;
  description: string;
  slug: string;
};

export type FakeUser = {
  id: number;
  contentcontainerId: number;
  guid: string;
  username: string;
  email: string;
  displayName: string;
  timeZone: string;
};

/** Received fields keep HumHub's wire names and the values exactly as sent, so tests can assert what the client sent. */
export type FakeCalendarEntry = {
  id: number;
  contentId: number;
  containerId: number;
  title: string;
  description: string;
  location: string;
  all_day: 0 | 1;
  participation_mode: number;
  allow_decline: number;
  allow_maybe: number;
  is_public: number;
  start_date: string;
  start_time: string | null;
  end_date: string;
  end_time: string | null;
  timeZone: string | null;
  createdAt: string;
  createdByUserId: number;
  deleted: boolean;
};

export type FakePost = {
  id: number;
  contentId: number;
  containerId: number;
  message: string;
  visibility: number;
  topics: string[];
  createdAt: string;
  createdByUserId: number;
};

export type FakeCustomNotification = { userId: number; text: string; url: string; sentByUserId: number };

export type FaultKind = "500" | "429" | "slow" | "dropAfterActing" | "dropBeforeActing";

export type FaultSettings = { rate: number; kinds: FaultKind[]; slowMs?: number; seed?: number };

/** `status` is null when no response was sent (a dropped connection). */
export type FakeRequestLogEntry = { method: string; path: string; status: number | null; fault?: FaultKind | "failNext" };

export type FakeHumhubOptions = {
  token?: string;
  adminToken?: string;
  port?: number;
  /** HumHub's own zone: `start_datetime`/`end_datetime` are given in it, without an offset. */
  serverTimeZone?: string;
  spaces?: FakeSpace[];
  users?: FakeUser[];
  /** The user `token` belongs to (Tandem's own HumHub account, not an admin). */
  apiUserId?: number;
  /** The user `adminToken` belongs to; only this one may use admin routes. */
  adminUserId?: number;
};

export type FakeHumhub = {
  /** Base URL of the API, ending in /api/v1. */
  url: string;
  token: string;
  adminToken: string;
  spaces: FakeSpace[];
  users: FakeUser[];
  calendarEntries: Map<number, FakeCalendarEntry>;
  posts: Map<number, FakePost>;
  customNotifications: FakeCustomNotification[];
  requestLog: FakeRequestLogEntry[];
  setFaults(settings: FaultSettings): void;
  clearFaults(): void;
  /** The next request whose path (with query) matches gets this answer instead, and nothing is done. */
  failNext(pathPattern: RegExp, status: number, body: unknown, options?: { method?: string }): void;
  close(): Promise<void>;
};

const apiPrefix = "/api/v1";

const defaultSpaces: FakeSpace[] = [
  {
    id: 1,
    contentcontainerId: 11,
    guid: "8b7f4a2e-1c3d-4e5f-9a0b-000000000001",
    name: "Peer-Coaching",
    description: "Sessions arranged by Tandem",
    slug: "peer-coaching",
  },
  {
    id: 2,
    contentcontainerId: 12,
    guid: "8b7f4a2e-1c3d-4e5f-9a0b-000000000002",
    name: "Allgemein",
    description: "Everything else",
    slug: "allgemein",
  },
];

const defaultUsers: FakeUser[] = [
  {
    id: 1,
    contentcontainerId: 21,
    guid: "3c1e9d70-5b2a-4f6e-8d4c-000000000001",
    username: "admin",
    email: "admin@humhub.example",
    displayName: "HumHub Admin",
    timeZone: "Europe/Berlin",
  },
  {
    id: 2,
    contentcontainerId: 22,
    guid: "3c1e9d70-5b2a-4f6e-8d4c-000000000002",
    username: "tandem",
    email: "tandem@humhub.example",
    displayName: "Tandem",
    timeZone: "Europe/Berlin",
  },
  {
    id: 3,
    contentcontainerId: 23,
    guid: "3c1e9d70-5b2a-4f6e-8d4c-000000000003",
    username: "anna.schmidt",
    email: "anna@humhub.example",
    displayName: "Anna Schmidt",
    timeZone: "Europe/Berlin",
  },
  {
    id: 4,
    contentcontainerId: 24,
    guid: "3c1e9d70-5b2a-4f6e-8d4c-000000000004",
    username: "ben.okafor",
    email: "ben@humhub.example",
    displayName: "Ben Okafor",
    timeZone: "America/New_York",
  },
];

type Answer = { status: number; json: unknown };

type RouteContext = { url: URL; body: unknown; caller: FakeUser };

type Route = {
  method: string;
  pattern: RegExp;
  adminOnly?: boolean;
  readsBody?: boolean;
  handle: (context: RouteContext, params: string[]) => Answer;
};

type QueuedFailure = { pathPattern: RegExp; method?: string; status: number; body: unknown };

const ok = (json: unknown): Answer => ({ status: 200, json });

/** HumHub's controllers answer `{code, message, …field errors}` with the HTTP status equal to `code`. */
function controllerError(status: number, message: string, extra: Record<string, unknown> = {}): Answer {
  return { status, json: { code: status, message, ...extra } };
}

/** Yii's own exceptions (credentials, routing, body parsing) have a different shape with `code: 0`. */
function frameworkError(status: number, name: string, message: string, exceptionClass: string): Answer {
  return { status, json: { name, message, code: 0, status, type: `yii\\web\\${exceptionClass}` } };
}

const unauthorized = () =>
  frameworkError(401, "Unauthorized", "Your request was made with invalid credentials.", "UnauthorizedHttpException");
const routeNotFound = () => frameworkError(404, "Not Found", "Page not found.", "NotFoundHttpException");

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isBlank(value: unknown) {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "") || (Array.isArray(value) && value.length === 0);
}

/** PHP's loose `in_array`: "1" and true count as 1. Returns the integer, or null when not allowed. */
function looseIntegerIn(value: unknown, allowed: number[]): number | null {
  const number =
    typeof value === "number" ? value : typeof value === "boolean" ? Number(value) : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  return allowed.includes(number) ? number : null;
}

/** Deterministic when seeded, so a failing fault test can be replayed. */
function mulberry32(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const timePattern = /^([01]\d|2[0-3]):[0-5]\d$/;

/** HumHub rolls 2026-02-30 over into March; the fake refuses it so Tandem is proven to send real dates. */
function isRealDate(value: string) {
  return datePattern.test(value) && DateTime.fromFormat(value, "yyyy-MM-dd", { zone: "UTC" }).isValid;
}

/** Integers from the query string as PHP's `(int)` cast reads them; out-of-range values fall back. */
function queryInteger(value: string | null, fallback: number) {
  const number = value === null ? NaN : Number.parseInt(value, 10);
  return Number.isNaN(number) ? fallback : number;
}

/**
 * The REST module's pagination: page from 1, limit defaults to and is capped at 100. Yii clamps a
 * page past the end to the last page, so a client that pages until it sees an empty page loops.
 */
function paginate(items: unknown[], url: URL) {
  const limitParam = queryInteger(url.searchParams.get("limit"), 100);
  const limit = limitParam < 1 ? 100 : Math.min(limitParam, 100);
  const pages = Math.ceil(items.length / limit);
  const page = Math.min(Math.max(queryInteger(url.searchParams.get("page"), 1), 1), Math.max(pages, 1));
  const link = (target: number) => `${url.pathname}?page=${target}&per-page=${limit}`;
  const links: Record<string, string> = { self: link(page) };
  if (pages > 0) {
    links.first = link(1);
    links.last = link(pages);
    if (page > 1) links.prev = link(page - 1);
    if (page < pages) links.next = link(page + 1);
  }
  return { total: items.length, page, pages, links, results: items.slice((page - 1) * limit, page * limit) };
}

type FieldErrors = Record<string, string[]>;

/** PHP encodes an empty error array as `[]`, not `{}`. */
const phpFieldErrors = (errors: FieldErrors) => (Object.keys(errors).length > 0 ? errors : []);

type CalendarValidation =
  | { outcome: "missingEntry" }
  | { outcome: "invalid"; entryForm: FieldErrors; calendarEntry: FieldErrors }
  | { outcome: "unknownZone" }
  | { outcome: "valid"; values: Omit<FakeCalendarEntry, "id" | "contentId" | "containerId" | "createdAt" | "createdByUserId" | "deleted"> };

/** Applies a create or update body the way CalendarEntryForm does; `previous` holds the stored entry on update. */
function validateCalendarBody(body: unknown, previous: FakeCalendarEntry | undefined, callerTimeZone: string): CalendarValidation {
  if (!isRecord(body) || !isRecord(body.CalendarEntry)) return { outcome: "missingEntry" };
  const entry = body.CalendarEntry;
  // On update the form starts from the stored entry; on create from nothing.
  const form = isRecord(body.CalendarEntryForm) ? body.CalendarEntryForm : {};
  const pick = (source: Record<string, unknown>, key: string, fallback: unknown) => (key in source ? source[key] : fallback);

  const startDate = pick(form, "start_date", previous?.start_date);
  const endDate = pick(form, "end_date", previous?.end_date);
  const startTime = pick(form, "start_time", previous?.start_time ?? undefined);
  const endTime = pick(form, "end_time", previous?.end_time ?? undefined);
  const timeZone = pick(form, "timeZone", previous?.timeZone ?? undefined);
  // HUMHUB-NOTES: an omitted all_day makes HumHub create an all-day entry and ignore the times.
  const allDayInput = pick(entry, "all_day", previous?.all_day ?? 1);
  const allDay = looseIntegerIn(allDayInput, [0, 1]);

  const entryForm: FieldErrors = {};
  const checkDate = (field: string, label: string, value: unknown) => {
    if (isBlank(value)) entryForm[field] = [`${label} cannot be blank.`];
    else if (typeof value !== "string" || !isRealDate(value)) entryForm[field] = [`The format of ${label} is invalid.`];
  };
  const checkTime = (field: string, label: string, value: unknown) => {
    if (isBlank(value)) entryForm[field] = [`${label} cannot be blank.`];
    else if (typeof value !== "string" || !timePattern.test(value)) entryForm[field] = [`The format of ${label} is invalid.`];
  };
  checkDate("start_date", "Start Date", startDate);
  checkDate("end_date", "End Date", endDate);
  if (allDay === 0) {
    checkTime("start_time", "Start Time", startTime);
    checkTime("end_time", "End Time", endTime);
  }
  // Form errors are reported first; entry errors only once the form is valid.
  if (Object.keys(entryForm).length > 0) return { outcome: "invalid", entryForm, calendarEntry: {} };

  const zone = typeof timeZone === "string" && timeZone !== "" ? timeZone : null;
  if (allDay === 0 && zone !== null && !IANAZone.isValidZone(zone)) return { outcome: "unknownZone" };

  const start = `${startDate as string} ${allDay === 0 ? (startTime as string) : "00:00"}`;
  const end = `${endDate as string} ${allDay === 0 ? (endTime as string) : "00:00"}`;
  if (end < start) return { outcome: "invalid", entryForm: { end_date: ["End time must be after start time!"] }, calendarEntry: {} };

  const calendarEntry: FieldErrors = {};
  const title = pick(entry, "title", previous?.title);
  if (isBlank(title)) calendarEntry.title = ["Title cannot be blank."];
  else if (typeof title !== "string") calendarEntry.title = ["Title must be a string."];
  // Yii counts characters (mb_strlen), i.e. code points, not UTF-16 units.
  else if (Array.from(title).length > 200) calendarEntry.title = ["Title should contain at most 200 characters."];
  if (allDay === null) calendarEntry.all_day = ['All Day must be either "1" or "0".'];
  if (Object.keys(calendarEntry).length > 0) return { outcome: "invalid", entryForm: {}, calendarEntry };

  const text = (key: string, fallback: string | undefined) => {
    const value = pick(entry, key, fallback);
    return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
  };
  const integer = (source: Record<string, unknown>, key: string, fallback: number) => {
    const value = Number(pick(source, key, fallback));
    return Number.isFinite(value) ? value : fallback;
  };
  return {
    outcome: "valid",
    values: {
      title: title as string,
      description: text("description", previous?.description),
      location: text("location", previous?.location),
      all_day: allDay as 0 | 1,
      participation_mode: integer(entry, "participation_mode", previous?.participation_mode ?? 2),
      allow_decline: integer(entry, "allow_decline", previous?.allow_decline ?? 1),
      allow_maybe: integer(entry, "allow_maybe", previous?.allow_maybe ?? 1),
      is_public: integer(form, "is_public", previous?.is_public ?? 0),
      start_date: startDate as string,
      start_time: typeof startTime === "string" ? startTime : null,
      end_date: endDate as string,
      end_time: typeof endTime === "string" ? endTime : null,
      // HumHub falls back to the author's own zone when none is sent.
      timeZone: zone ?? callerTimeZone,
    },
  };
}

export async function startFakeHumhub(options: FakeHumhubOptions = {}): Promise<FakeHumhub> {
  const token = options.token ?? "tandem-test-token";
  const adminToken = options.adminToken ?? "tandem-admin-token";
  const serverTimeZone = options.serverTimeZone ?? "Europe/Berlin";
  if (!IANAZone.isValidZone(serverTimeZone)) throw new Error(`Unknown serverTimeZone ${serverTimeZone}`);
  const spaces = structuredClone(options.spaces ?? defaultSpaces);
  const users = structuredClone(options.users ?? defaultUsers);
  const apiUser = users.find((user) => user.id === (options.apiUserId ?? 2));
  const adminUser = users.find((user) => user.id === (options.adminUserId ?? 1));
  if (!apiUser || !adminUser) throw new Error("The users must include the API user and the admin user");

  const calendarEntries = new Map<number, FakeCalendarEntry>();
  const posts = new Map<number, FakePost>();
  const customNotifications: FakeCustomNotification[] = [];
  const requestLog: FakeRequestLogEntry[] = [];
  const queuedFailures: QueuedFailure[] = [];
  let faults: (FaultSettings & { random: () => number }) | null = null;
  // Separate sequences, started apart, so a test mixing up post, entry and content ids fails.
  let nextPostId = 100;
  let nextCalendarEntryId = 500;
  let nextContentId = 1000;
  let origin = "";

  const now = () => DateTime.now().setZone(serverTimeZone).toFormat("yyyy-MM-dd HH:mm:ss");
  const findContainer = (containerId: number) =>
    spaces.some((space) => space.contentcontainerId === containerId) || users.some((user) => user.contentcontainerId === containerId);
  const userUrl = (user: FakeUser) => `${origin}/u/${user.username}/`;
  const userShortJson = (user: FakeUser) => ({ id: user.id, guid: user.guid, display_name: user.displayName, url: userUrl(user) });
  const userJson = (user: FakeUser) => ({
    ...userShortJson(user),
    account: {
      id: user.id,
      guid: user.guid,
      username: user.username,
      email: user.email,
      visibility: 1,
      status: 1,
      tags: [],
      language: "de",
      time_zone: user.timeZone,
      contentcontainer_id: user.contentcontainerId,
      authclient: "local",
      authclient_id: null,
      last_login: null,
    },
    profile: { firstname: user.displayName.split(" ")[0] ?? "", lastname: user.displayName.split(" ").slice(1).join(" ") },
  });
  const spaceJson = (space: FakeSpace) => ({
    id: space.id,
    guid: space.guid,
    name: space.name,
    description: space.description,
    url: `${origin}/s/${space.slug}/`,
    contentcontainer_id: space.contentcontainerId,
    visibility: 1,
    join_policy: 1,
    status: 1,
    tags: [],
    owner: userShortJson(adminUser),
    hideMembers: 0,
    hideAbout: 0,
    hideActivities: 0,
    hideFollowers: 0,
    indexUrl: `/s/${space.slug}/space/space/home`,
    indexGuestUrl: `/s/${space.slug}/space/space/home`,
  });
  const contentJson = (record: { contentId: number; containerId: number; createdAt: string; visibility: number; topics: string[] }, objectModel: string, objectId: number, author: FakeUser) => ({
    id: record.contentId,
    metadata: {
      id: record.contentId,
      guid: `c0a1e2b3-0000-4000-8000-${String(record.contentId).padStart(12, "0")}`,
      object_model: objectModel,
      object_id: objectId,
      visibility: record.visibility,
      state: 1,
      archived: false,
      hidden: false,
      pinned: false,
      locked_comments: false,
      scheduled_at: null,
      created_by: userShortJson(author),
      created_at: record.createdAt,
      updated_by: userShortJson(author),
      updated_at: record.createdAt,
      url: `${origin}/content/perma?id=${record.contentId}`,
      contentcontainer_id: record.containerId,
      stream_channel: "default",
    },
    comments: { total: 0, latest: [] },
    likes: { total: 0 },
    topics: record.topics.map((name, index) => ({ id: index + 1, name })),
    files: [],
  });
  const author = (userId: number) => users.find((user) => user.id === userId) ?? apiUser;
  const postJson = (post: FakePost) => ({
    id: post.id,
    message: post.message,
    content: contentJson(post, "humhub\\modules\\post\\models\\Post", post.id, author(post.createdByUserId)),
  });
  const serverDateTime = (entry: FakeCalendarEntry, which: "start" | "end") => {
    const date = which === "start" ? entry.start_date : entry.end_date;
    if (entry.all_day === 1) return `${date} ${which === "start" ? "00:00:00" : "23:59:59"}`;
    const time = which === "start" ? entry.start_time : entry.end_time;
    return DateTime.fromFormat(`${date} ${time}`, "yyyy-MM-dd HH:mm", { zone: entry.timeZone ?? serverTimeZone })
      .setZone(serverTimeZone)
      .toFormat("yyyy-MM-dd HH:mm:ss");
  };
  const calendarEntryJson = (entry: FakeCalendarEntry) => ({
    id: entry.id,
    title: entry.title,
    description: entry.description,
    start_datetime: serverDateTime(entry, "start"),
    end_datetime: serverDateTime(entry, "end"),
    all_day: entry.all_day,
    participation_mode: entry.participation_mode,
    color: "#6fdbe8",
    allow_decline: entry.allow_decline,
    allow_maybe: entry.allow_maybe,
    time_zone: entry.timeZone,
    participant_info: "",
    closed: 0,
    max_participants: null,
    location: entry.location,
    participants: { attending: [], maybe: [], declined: [] },
    content: contentJson(
      { ...entry, visibility: entry.is_public, topics: [] },
      "humhub\\modules\\calendar\\models\\CalendarEntry",
      entry.id,
      author(entry.createdByUserId),
    ),
  });
  const newestFirst = <T extends { createdAt: string; id: number }>(items: Iterable<T>) =>
    [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);

  const routes: Route[] = [
    { method: "GET", pattern: /^\/auth\/current$/, handle: ({ caller }) => ok(userJson(caller)) },
    { method: "GET", pattern: /^\/space$/, handle: ({ url }) => ok(paginate(spaces.map(spaceJson), url)) },
    {
      method: "GET",
      pattern: /^\/space\/(\d+)$/,
      handle: (_context, [id]) => {
        const space = spaces.find((candidate) => candidate.id === Number(id));
        return space ? ok(spaceJson(space)) : controllerError(404, "Space not found!");
      },
    },
    {
      method: "GET",
      pattern: /^\/user\/get-by-username$/,
      adminOnly: true,
      handle: ({ url }) => {
        const username = url.searchParams.get("username");
        if (username === null) return frameworkError(400, "Bad Request", "Missing required parameters: username", "BadRequestHttpException");
        const user = users.find((candidate) => candidate.username === username);
        return user ? ok(userJson(user)) : controllerError(404, "User not found!");
      },
    },
    {
      method: "POST",
      pattern: /^\/post\/container\/(\d+)$/,
      readsBody: true,
      handle: ({ body, caller }, [containerId]) => {
        if (!findContainer(Number(containerId))) return controllerError(404, "Content container not found!");
        const data = isRecord(body) ? body.data : undefined;
        // Yii's load() refuses an empty or missing `data` without validating: errors stay empty.
        if (!isRecord(data) || Object.keys(data).length === 0) return controllerError(400, "Validation failed", { post: [] });
        if (isBlank(data.message)) return controllerError(400, "Validation failed", { post: { message: ["Message cannot be blank."] } });
        if (typeof data.message !== "string") return controllerError(400, "Validation failed", { post: { message: ["Message must be a string."] } });

        const post: FakePost = {
          id: nextPostId++,
          contentId: nextContentId++,
          containerId: Number(containerId),
          message: data.message,
          visibility: 0,
          topics: [],
          createdAt: now(),
          createdByUserId: caller.id,
        };
        posts.set(post.id, post);
        // HUMHUB-NOTES: topics and metadata are applied AFTER the post is saved; a bad value
        // answers 400 but the post stays, so retrying such a request creates a duplicate.
        const content = data.content;
        if (!isRecord(content)) return ok(postJson(post));
        if ("topics" in content && content.topics !== null) {
          if (!Array.isArray(content.topics)) return controllerError(400, "Validation failed", { post: { topics: ['Wrong field "topics" format!'] } });
          const badIndex = content.topics.findIndex((topic) => !isRecord(topic) || topic.name === undefined || topic.name === null);
          if (badIndex >= 0) return controllerError(400, "Validation failed", { post: { topics: [`Wrong topic #${badIndex + 1} format!`] } });
          post.topics = content.topics.map((topic) => String((topic as Record<string, unknown>).name));
        }
        if (isRecord(content.metadata) && content.metadata.visibility !== undefined && content.metadata.visibility !== null) {
          const visibility = looseIntegerIn(content.metadata.visibility, [0, 1, 2]);
          // HumHub files this error under "archived" (sic).
          if (visibility === null) return controllerError(400, "Validation failed", { post: { archived: ['Wrong field "visibility" value!'] } });
          post.visibility = visibility;
        }
        return ok(postJson(post));
      },
    },
    {
      method: "GET",
      pattern: /^\/post\/container\/(\d+)$/,
      handle: ({ url }, [containerId]) => {
        if (!findContainer(Number(containerId))) return controllerError(404, "Content container not found!");
        const inContainer = [...posts.values()].filter((post) => post.containerId === Number(containerId));
        return ok(paginate(newestFirst(inContainer).map(postJson), url));
      },
    },
    {
      method: "GET",
      pattern: /^\/post\/(\d+)$/,
      handle: (_context, [id]) => {
        const post = posts.get(Number(id));
        return post ? ok(postJson(post)) : controllerError(404, "Post not found!");
      },
    },
    {
      method: "POST",
      pattern: /^\/calendar\/container\/(\d+)$/,
      readsBody: true,
      handle: ({ body, caller }, [containerId]) => {
        if (!findContainer(Number(containerId))) return controllerError(404, "Content container not found!");
        const validation = validateCalendarBody(body, undefined, caller.timeZone);
        if (validation.outcome === "missingEntry") return controllerError(500, "Internal error while save calendar entry!");
        if (validation.outcome === "unknownZone") return controllerError(500, "An internal server error occurred.");
        if (validation.outcome === "invalid") {
          return controllerError(422, "Validation failed", {
            entryForm: phpFieldErrors(validation.entryForm),
            calendarEntry: phpFieldErrors(validation.calendarEntry),
          });
        }
        const entry: FakeCalendarEntry = {
          id: nextCalendarEntryId++,
          contentId: nextContentId++,
          containerId: Number(containerId),
          createdAt: now(),
          createdByUserId: caller.id,
          deleted: false,
          ...validation.values,
        };
        calendarEntries.set(entry.id, entry);
        return ok(calendarEntryJson(entry));
      },
    },
    {
      method: "GET",
      pattern: /^\/calendar\/container\/(\d+)$/,
      handle: ({ url }, [containerId]) => {
        if (!findContainer(Number(containerId))) return controllerError(404, "Content container not found!");
        const inContainer = [...calendarEntries.values()].filter((entry) => entry.containerId === Number(containerId) && !entry.deleted);
        return ok(paginate(newestFirst(inContainer).map(calendarEntryJson), url));
      },
    },
    {
      method: "GET",
      pattern: /^\/calendar\/entry\/(\d+)$/,
      handle: (_context, [id]) => {
        const entry = calendarEntries.get(Number(id));
        return entry && !entry.deleted ? ok(calendarEntryJson(entry)) : controllerError(404, "Requested content not found!");
      },
    },
    {
      method: "PUT",
      pattern: /^\/calendar\/entry\/(\d+)$/,
      readsBody: true,
      handle: ({ body, caller }, [id]) => {
        const entry = calendarEntries.get(Number(id));
        if (!entry || entry.deleted) return controllerError(404, "Calendar entry not found!");
        const validation = validateCalendarBody(body, entry, caller.timeZone);
        if (validation.outcome === "missingEntry") return controllerError(500, "Internal error while update calendar entry!");
        if (validation.outcome === "unknownZone") return controllerError(500, "An internal server error occurred.");
        if (validation.outcome === "invalid") {
          return controllerError(422, "Validation failed", {
            entryForm: phpFieldErrors(validation.entryForm),
            calendarEntry: phpFieldErrors(validation.calendarEntry),
          });
        }
        Object.assign(entry, validation.values);
        return ok(calendarEntryJson(entry));
      },
    },
    {
      method: "DELETE",
      pattern: /^\/calendar\/entry\/(\d+)$/,
      handle: (_context, [id]) => {
        const entry = calendarEntries.get(Number(id));
        if (!entry || entry.deleted) return controllerError(404, "Content record not found!");
        entry.deleted = true;
        return controllerError(200, "Successfully deleted!");
      },
    },
    {
      method: "POST",
      pattern: /^\/notification\/send-custom$/,
      adminOnly: true,
      readsBody: true,
      handle: ({ body, caller }) => {
        const fields = isRecord(body) ? body : {};
        const text = typeof fields.text === "string" ? fields.text.trim() : fields.text;
        const url = typeof fields.url === "string" ? fields.url.trim() : fields.url;
        // DynamicModel reports only the first error, in the order of its `required` rule.
        if (isBlank(text)) return controllerError(422, "Text cannot be blank.");
        if (isBlank(fields.userId)) return controllerError(422, "User ID cannot be blank.");
        if (isBlank(url)) return controllerError(422, "Url cannot be blank.");
        const receiver = users.find((user) => String(user.id) === String(fields.userId));
        if (!receiver) return controllerError(422, "User ID is invalid.");
        customNotifications.push({ userId: receiver.id, text: String(text), url: String(url), sentByUserId: caller.id });
        return controllerError(200, "Notification successfully sent");
      },
    },
  ];

  const drawFault = (): FaultKind | null => {
    if (!faults || faults.kinds.length === 0 || faults.random() >= faults.rate) return null;
    return faults.kinds[Math.floor(faults.random() * faults.kinds.length)] ?? null;
  };

  const callerFor = (authorization: string | undefined) => {
    const presented = /^Bearer\s+(.+)$/.exec(authorization ?? "")?.[1];
    if (presented === token) return apiUser;
    if (presented === adminToken) return adminUser;
    return null;
  };

  /** Runs the route as HumHub would: match the route, then authenticate, then read the body. */
  const answer = (request: IncomingMessage, url: URL, rawBody: string): Answer => {
    const path = url.pathname.slice(apiPrefix.length);
    for (const route of routes) {
      const match = route.method === request.method ? route.pattern.exec(path) : null;
      if (!match) continue;
      const caller = callerFor(request.headers.authorization);
      if (!caller) return unauthorized();
      if (route.adminOnly && caller !== adminUser) return controllerError(403, "You are not allowed to perform this action.");
      let body: unknown;
      // HUMHUB-NOTES: only application/json bodies are read; anything else counts as empty.
      const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
      if (route.readsBody && contentType === "application/json" && rawBody.trim() !== "") {
        try {
          body = JSON.parse(rawBody);
        } catch {
          return frameworkError(400, "Bad Request", "Invalid JSON data in request body: Syntax error.", "BadRequestHttpException");
        }
      }
      return route.handle({ url, body, caller }, match.slice(1));
    }
    return routeNotFound();
  };

  const send = (response: ServerResponse, { status, json }: Answer) => {
    response.writeHead(status, { "Content-Type": "application/json; charset=UTF-8" });
    response.end(JSON.stringify(json));
  };

  const handleRequest = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", origin);
    const method = request.method ?? "GET";
    const logEntry: FakeRequestLogEntry = { method, path: url.pathname + url.search, status: null };
    requestLog.push(logEntry);

    if (!url.pathname.startsWith(`${apiPrefix}/`)) {
      const notFound = routeNotFound();
      logEntry.status = notFound.status;
      return send(response, notFound);
    }

    const queuedIndex = queuedFailures.findIndex(
      (queued) => queued.pathPattern.test(logEntry.path) && (queued.method === undefined || queued.method === method),
    );
    if (queuedIndex >= 0) {
      const [queued] = queuedFailures.splice(queuedIndex, 1);
      if (queued) {
        logEntry.status = queued.status;
        logEntry.fault = "failNext";
        if (typeof queued.body === "string") {
          response.writeHead(queued.status, { "Content-Type": "text/html; charset=UTF-8" });
          return response.end(queued.body);
        }
        return send(response, { status: queued.status, json: queued.body });
      }
    }

    const fault = drawFault();
    if (fault) logEntry.fault = fault;
    if (fault === "dropBeforeActing") return request.socket.destroy();
    if (fault === "500") {
      logEntry.status = 500;
      return send(response, controllerError(500, "An internal server error occurred."));
    }
    if (fault === "429") {
      // HumHub has no rate limit of its own; a 429 comes from a proxy in front, as HTML.
      logEntry.status = 429;
      response.writeHead(429, { "Content-Type": "text/html", "Retry-After": "1" });
      return response.end("<html><body><h1>429 Too Many Requests</h1></body></html>");
    }
    // The timer must not keep a closed fake (or the test run) alive.
    if (fault === "slow") await delay(faults?.slowMs ?? 2_000, undefined, { ref: false });

    const result = answer(request, url, rawBody);
    logEntry.status = result.status;
    if (fault === "dropAfterActing") return request.socket.destroy();
    send(response, result);
  };

  const server = createServer((request, response) => {
    // A client that gave up (timeout) may have closed the socket before a slow answer is written.
    response.on("error", () => {});
    handleRequest(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, controllerError(500, `Fake HumHub failed: ${String(error)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}${apiPrefix}`,
    token,
    adminToken,
    spaces,
    users,
    calendarEntries,
    posts,
    customNotifications,
    requestLog,
    setFaults(settings) {
      if (!(settings.rate >= 0 && settings.rate <= 1)) throw new Error("Fault rate must be between 0 and 1");
      faults = { ...settings, random: settings.seed === undefined ? Math.random : mulberry32(settings.seed) };
    },
    clearFaults() {
      faults = null;
    },
    failNext(pathPattern, status, body, failOptions = {}) {
      queuedFailures.push({ pathPattern, status, body, method: failOptions.method });
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
