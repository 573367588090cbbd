/**
 * Tandem's only HumHub client (REST module 0.11.5, calendar module 1.8.16), written against the
 * OpenAPI files in shared/humhub-api/ and HUMHUB-NOTES.md, which corrects them.
 *
 * No function throws: each answers `{ ok: true, value }` or `{ ok: false, failure }`, and
 * `failure.retryable` says whether trying again later can help. Nothing here retries by itself:
 * HumHub has no idempotency keys, so after a lost response to a create the caller must look
 * (e.g. `findCalendarEntry`) before creating again.
 */
import { DateTime, IANAZone } from "luxon";
import { z } from "zod";

export type HumhubConnection = {
  /** `https://host`, `https://host/sub/path` or the same ending in `/api/v1`. */
  baseUrl: string;
  token: string;
  timeoutMs?: number;
};

export type HumhubFailureKind =
  | "network"
  | "timeout"
  | "rateLimited"
  | "server"
  | "rejected"
  | "unauthorized"
  | "forbidden"
  | "notFound"
  | "invalidResponse";

export type HumhubFailure = { kind: HumhubFailureKind; status?: number; message: string; retryable: boolean };

export type HumhubResult<T> = { ok: true; value: T } | { ok: false; failure: HumhubFailure };

export type HumhubUser = { id: number; guid: string; displayName: string; url: string; username: string };

/** `containerId` (HumHub's `contentcontainer_id`) is what posts and calendar entries are addressed by. */
export type HumhubSpace = { id: number; containerId: number; name: string; url?: string };

export type HumhubCalendarEntryInput = {
  title: string;
  description: string;
  location: string;
  startsAt: Date | number;
  endsAt: Date | number;
  /** IANA zone the session is held in; HumHub shows and stores the times in it. */
  timeZone: string;
};

export type HumhubCreated = { id: number; url?: string };

export type HumhubCalendarEntry = { id: number; title: string; description: string; url?: string };

/** visibility: 0 = space members only, 1 = public. */
export type HumhubPostInput = { message: string; visibility: 0 | 1; topics?: string[] };

export type HumhubPost = { id: number; message: string; url?: string };

const defaultTimeoutMs = 10_000;
const maxTitleLength = 200;
// HumHub's page size is capped at 100 (HUMHUB-NOTES), so asking for more changes nothing.
const pageSize = 100;

// PHP may hand out integer columns as strings, depending on the database driver.
const integerId = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

const contentSchema = z.object({ metadata: z.object({ url: z.string().optional() }).passthrough().optional() }).passthrough();

const userSchema = z
  .object({
    id: integerId,
    guid: z.string(),
    display_name: z.string(),
    url: z.string(),
    account: z.object({ username: z.string() }).passthrough(),
  })
  .passthrough()
  .transform((user): HumhubUser => ({
    id: user.id,
    guid: user.guid,
    displayName: user.display_name,
    url: user.url,
    username: user.account.username,
  }));

const spaceSchema = z
  .object({ id: integerId, contentcontainer_id: integerId, name: z.string(), url: z.string().optional() })
  .passthrough()
  .transform((space): HumhubSpace => ({ id: space.id, containerId: space.contentcontainer_id, name: space.name, url: space.url }));

const calendarEntrySchema = z
  .object({ id: integerId, title: z.string(), description: z.string().nullish(), content: contentSchema.optional() })
  .passthrough()
  .transform((entry): HumhubCalendarEntry => ({
    id: entry.id,
    title: entry.title,
    description: entry.description ?? "",
    url: entry.content?.metadata?.url,
  }));

const postSchema = z
  .object({ id: integerId, message: z.string(), content: contentSchema.optional() })
  .passthrough()
  .transform((post): HumhubPost => ({ id: post.id, message: post.message, url: post.content?.metadata?.url }));

const successMessageSchema = z
  .object({ message: z.string() })
  .passthrough()
  .transform((answer) => ({ message: answer.message }));

const pageSchema = z.object({ page: z.number().int(), pages: z.number().int(), results: z.array(z.unknown()) }).passthrough();

type Method = "GET" | "POST" | "PUT" | "DELETE";

type HumhubRequest = { method: Method; path: string; query?: Record<string, string | number>; body?: unknown };

function fail(kind: HumhubFailureKind, message: string, retryable: boolean, status?: number): { ok: false; failure: HumhubFailure } {
  return { ok: false, failure: status === undefined ? { kind, message, retryable } : { kind, status, message, retryable } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The API root, ending in /api/v1, or null when `baseUrl` is not an http(s) URL. */
function apiRoot(baseUrl: string) {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.origin}${path.endsWith("/api/v1") ? path : `${path}/api/v1`}`;
}

/**
 * HumHub's own words for an error: `message`, followed by any field errors it sent, e.g.
 * "Validation failed: title: Title cannot be blank.". Null when the body is not HumHub's JSON
 * (a proxy's HTML page, say).
 */
function humhubErrorMessage(text: string) {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(body) || typeof body.message !== "string") return null;
  const fieldErrors: string[] = [];
  // Controllers put field errors under a model key: {"post": {...}}, {"entryForm": {...}, "calendarEntry": {...}}.
  for (const value of Object.values(body)) {
    if (!isRecord(value)) continue;
    for (const [field, messages] of Object.entries(value)) {
      for (const message of Array.isArray(messages) ? messages : [messages]) {
        if (typeof message === "string") fieldErrors.push(`${field}: ${message}`);
      }
    }
  }
  return fieldErrors.length > 0 ? `${body.message}: ${fieldErrors.join(" ")}` : body.message;
}

function failureForStatus(response: Response, text: string) {
  const { status } = response;
  const message = humhubErrorMessage(text) ?? `HumHub answered HTTP ${status} ${response.statusText}`.trim();
  if (status >= 300 && status < 400) {
    // Following it would turn a POST into a GET; the base URL is what needs fixing.
    return fail("rejected", `HumHub redirected to ${response.headers.get("location") ?? "another address"}; use that address as the base URL`, false, status);
  }
  if (status === 401) return fail("unauthorized", message, false, status);
  if (status === 403) return fail("forbidden", message, false, status);
  if (status === 404) return fail("notFound", message, false, status);
  if (status === 429) return fail("rateLimited", message, true, status);
  if (status >= 500) return fail("server", message, true, status);
  return fail("rejected", message, false, status);
}

function transportFailure(error: unknown, timeoutMs: number) {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return fail("timeout", `HumHub did not answer within ${timeoutMs} ms`, true);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  const detail = cause ?? (error instanceof Error ? error.message : String(error));
  return fail("network", `Could not reach HumHub: ${detail}`, true);
}

/** One HTTP exchange with HumHub; the answer is HumHub's parsed JSON on 2xx, else a failure. */
async function callHumhub(connection: HumhubConnection, request: HumhubRequest): Promise<HumhubResult<unknown>> {
  const root = apiRoot(connection.baseUrl);
  if (root === null) return fail("rejected", `The HumHub address "${connection.baseUrl}" is not an http(s) URL`, false);
  const url = new URL(`${root}${request.path}`);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, String(value));
  const timeoutMs = connection.timeoutMs ?? defaultTimeoutMs;
  const headers: Record<string, string> = { Accept: "application/json", Authorization: `Bearer ${connection.token}` };
  // HumHub reads only bodies sent as application/json; others count as empty.
  if (request.body !== undefined) headers["Content-Type"] = "application/json";

  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    return transportFailure(error, timeoutMs);
  }

  if (response.status < 200 || response.status >= 300) return failureForStatus(response, text);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return fail("invalidResponse", `HumHub answered HTTP ${response.status} with something other than JSON`, false, response.status);
  }
}

function parseAnswer<Output>(schema: z.ZodType<Output, z.ZodTypeDef, unknown>, answer: HumhubResult<unknown>): HumhubResult<Output> {
  if (!answer.ok) return answer;
  const parsed = schema.safeParse(answer.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(answer)"}: ${issue.message}`).join("; ");
  return fail("invalidResponse", `HumHub's answer did not have the expected shape: ${problems}`, false);
}

async function request<Output>(connection: HumhubConnection, schema: z.ZodType<Output, z.ZodTypeDef, unknown>, humhubRequest: HumhubRequest) {
  return parseAnswer(schema, await callHumhub(connection, humhubRequest));
}

/**
 * A paginated list, one page's items at a time; a failed page is the last thing yielded. Ends at the `pages` HumHub
 * reports, never at an empty page: HumHub answers a page past the end with the last page again.
 */
async function* eachPage<Item>(
  connection: HumhubConnection,
  itemSchema: z.ZodType<Item, z.ZodTypeDef, unknown>,
  path: string,
): AsyncGenerator<HumhubResult<Item[]>> {
  for (let page = 1; ; page++) {
    const answer = await request(connection, pageSchema.extend({ results: z.array(itemSchema) }), {
      method: "GET",
      path,
      query: { page, limit: pageSize },
    });
    if (!answer.ok) {
      yield answer;
      return;
    }
    yield { ok: true, value: answer.value.results };
    if (answer.value.page >= answer.value.pages || answer.value.page < page || answer.value.results.length === 0) return;
  }
}

/** Every item of a paginated list, keyed by id: an item created while paging shifts the newest-first list onto two pages. */
async function requestAllPages<Item extends { id: number }>(
  connection: HumhubConnection,
  itemSchema: z.ZodType<Item, z.ZodTypeDef, unknown>,
  path: string,
): Promise<HumhubResult<Item[]>> {
  const items = new Map<number, Item>();
  for await (const page of eachPage(connection, itemSchema, path)) {
    if (!page.ok) return page;
    for (const item of page.value) items.set(item.id, item);
  }
  return { ok: true, value: [...items.values()] };
}

/**
 * The first item `predicate` accepts, or null, asking for the next page only while none has matched: what Tandem looks
 * for is usually recent, so near the top of the newest-first list. An item created meanwhile only pushes others down.
 */
async function findInPages<Item>(
  connection: HumhubConnection,
  itemSchema: z.ZodType<Item, z.ZodTypeDef, unknown>,
  path: string,
  predicate: (item: Item) => boolean,
): Promise<HumhubResult<Item | null>> {
  for await (const page of eachPage(connection, itemSchema, path)) {
    if (!page.ok) return page;
    const found = page.value.find(predicate);
    if (found) return { ok: true, value: found };
  }
  return { ok: true, value: null };
}

/** The HumHub account the token belongs to; a cheap "test connection". */
export function getCurrentUser(connection: HumhubConnection): Promise<HumhubResult<HumhubUser>> {
  return request(connection, userSchema, { method: "GET", path: "/auth/current" });
}

/** The spaces the token's account can see. */
export function listSpaces(connection: HumhubConnection): Promise<HumhubResult<HumhubSpace[]>> {
  return requestAllPages(connection, spaceSchema, "/space");
}

/** Needs a token of an account with HumHub's "Manage users" permission, else `forbidden`. */
export function findUserByUsername(connection: HumhubConnection, username: string): Promise<HumhubResult<HumhubUser>> {
  return request(connection, userSchema, { method: "GET", path: "/user/get-by-username", query: { username } });
}

/** Fits HumHub's 200-character limit, counted in characters as HumHub counts them. */
function fitTitle(title: string) {
  const characters = Array.from(title);
  return characters.length <= maxTitleLength ? title : `${characters.slice(0, maxTitleLength - 1).join("")}…`;
}

const twoDigits = (value: number) => String(value).padStart(2, "0");

/**
 * HumHub's create/update body for a timed session. Per HUMHUB-NOTES: `all_day: 0` always (omitted
 * means all-day), dates `YYYY-MM-DD` and times `HH:mm` without seconds in the session's zone
 * (HumHub mis-parses anything else), and only a zone HumHub will know, since an unknown one makes
 * it answer 500. Times are sent to the minute.
 */
function calendarEntryBody(entry: HumhubCalendarEntryInput): HumhubResult<unknown> {
  if (!IANAZone.isValidZone(entry.timeZone)) return fail("rejected", `Unknown time zone "${entry.timeZone}"`, false);
  const start = DateTime.fromMillis(Number(entry.startsAt), { zone: entry.timeZone });
  const end = DateTime.fromMillis(Number(entry.endsAt), { zone: entry.timeZone });
  if (!start.isValid || !end.isValid) return fail("rejected", "The session's start or end is not a valid time", false);
  return {
    ok: true,
    value: {
      CalendarEntry: {
        title: fitTitle(entry.title),
        description: entry.description,
        location: entry.location,
        all_day: 0,
        participation_mode: 2,
        allow_decline: 1,
        allow_maybe: 1,
      },
      CalendarEntryForm: {
        is_public: 0,
        start_date: start.toISODate(),
        start_time: `${twoDigits(start.hour)}:${twoDigits(start.minute)}`,
        end_date: end.toISODate(),
        end_time: `${twoDigits(end.hour)}:${twoDigits(end.minute)}`,
        timeZone: entry.timeZone,
      },
    },
  };
}

const createdSchema = calendarEntrySchema.transform((entry): HumhubCreated => ({ id: entry.id, url: entry.url }));

/**
 * Creates a timed entry in a container (a space's `containerId`). An unknown zone is refused here,
 * before anything is sent. After a lost response the entry may exist: look before creating again.
 */
export async function createCalendarEntry(
  connection: HumhubConnection,
  containerId: number,
  entry: HumhubCalendarEntryInput,
): Promise<HumhubResult<HumhubCreated>> {
  const body = calendarEntryBody(entry);
  if (!body.ok) return body;
  return request(connection, createdSchema, { method: "POST", path: `/calendar/container/${containerId}`, body: body.value });
}

/** Replaces title, description, location and times of an entry; same rules as `createCalendarEntry`. */
export async function updateCalendarEntry(
  connection: HumhubConnection,
  entryId: number,
  entry: HumhubCalendarEntryInput,
): Promise<HumhubResult<HumhubCreated>> {
  const body = calendarEntryBody(entry);
  if (!body.ok) return body;
  return request(connection, createdSchema, { method: "PUT", path: `/calendar/entry/${entryId}`, body: body.value });
}

/** An entry that is already gone answers `notFound`; whether that counts as done is the caller's call. */
export function deleteCalendarEntry(connection: HumhubConnection, entryId: number): Promise<HumhubResult<{ message: string }>> {
  return request(connection, successMessageSchema, { method: "DELETE", path: `/calendar/entry/${entryId}` });
}

/** The newest entry of a container that `predicate` accepts, or null when none does. */
export function findCalendarEntry(
  connection: HumhubConnection,
  containerId: number,
  predicate: (entry: HumhubCalendarEntry) => boolean,
): Promise<HumhubResult<HumhubCalendarEntry | null>> {
  return findInPages(connection, calendarEntrySchema, `/calendar/container/${containerId}`, predicate);
}

/**
 * Posts `message` (HumHub Markdown: text from people through `escapeMarkdown`, people themselves through
 * `mentionMarkdown`) in a container as the token's account.
 * HumHub saves the post before checking visibility and topics, so a 400 here may still have
 * created it; the typed input keeps those values valid.
 */
export function createPost(connection: HumhubConnection, containerId: number, post: HumhubPostInput): Promise<HumhubResult<HumhubCreated>> {
  const content = {
    metadata: { visibility: post.visibility },
    ...(post.topics === undefined ? {} : { topics: post.topics.map((name) => ({ name })) }),
  };
  return request(
    connection,
    postSchema.transform((created): HumhubCreated => ({ id: created.id, url: created.url })),
    { method: "POST", path: `/post/container/${containerId}`, body: { data: { message: post.message, content } } },
  );
}

/** The newest post of a container that `predicate` accepts, or null when none does. */
export function findPost(connection: HumhubConnection, containerId: number, predicate: (post: HumhubPost) => boolean): Promise<HumhubResult<HumhubPost | null>> {
  return findInPages(connection, postSchema, `/post/container/${containerId}`, predicate);
}

/** A HumHub notification with a link; needs "Manage users" rights, else `forbidden`. An unknown user is `rejected` (422). */
export function sendCustomNotification(
  connection: HumhubConnection,
  notification: { userId: number; text: string; url: string },
): Promise<HumhubResult<{ message: string }>> {
  return request(connection, successMessageSchema, { method: "POST", path: "/notification/send-custom", body: notification });
}

/**
 * Text from people (a goal, an organisation's name) as literal HumHub Markdown, so it can neither format nor link, nor
 * mention and so notify anyone (`[x](mention:GUID "u")`). Every character Markdown gives a meaning is backslash-escaped,
 * as CommonMark allows for any ASCII punctuation; HumHub's own scan for mentions also skips a `\[`. Line starts are
 * escaped where a list item or heading underline could begin (`-`, `=`, `1.`), as a piece may span lines.
 */
export function escapeMarkdown(text: string) {
  return text
    .replace(/[\\`*_{}[\]()#+!|<>~]/g, "\\$&")
    .replace(/^(\s*)([-=])/gm, "$1\\$2")
    .replace(/^(\s*\d+)\.(?=\s|$)/gm, "$1\\.");
}

/**
 * HumHub's Markdown for mentioning a user, which notifies them: `[Name](mention:GUID "URL")`.
 * Format from humhub/humhub MentioningExtension.php ("[<name>](mention:<guid> \"<url>\")", built by
 * RichTextLinkExtension::buildLink). HumHub's pattern reads the name up to the first `]` and the
 * URL up to the first `"`, so those characters are replaced; the rest of the name is escaped like any text.
 */
export function mentionMarkdown(user: { guid: string; displayName: string; url: string }) {
  const name = user.displayName.replace(/\[/g, "(").replace(/\]/g, ")").replace(/\s+/g, " ").trim();
  return `[${escapeMarkdown(name)}](mention:${user.guid} "${user.url.replace(/"/g, "%22")}")`;
}
