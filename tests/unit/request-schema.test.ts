import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { requestSchemaFor } from "~/schemas/request";
import { parseForm } from "~/utils/forms";

type Entries = [string, string][];

function formData(entries: Entries) {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

/**
 * The schema compares a deadline with "today", so the clock is fixed: 15 June 2026, midday UTC.
 * Only Date is faked; timers keep running normally.
 */
const fixedNow = new Date("2026-06-15T12:00:00Z");

/** A requester in Berlin; built per use, after the clock is fixed. */
const requestSchema = () => requestSchemaFor("Europe/Berlin");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(fixedNow);
});

afterEach(() => {
  vi.useRealTimers();
});

/** A complete request as the no-JS form posts it: dot-path names, repeated keys for checkbox groups. */
const validEntries: Entries = [
  ["intent", "save"],
  ["organisationId", "org-1"],
  ["topics", "topic-onboarding"],
  ["topics", "topic-mobile"],
  ["mainTopic", "topic-mobile"],
  ["goal", "  Wir möchten unsere Mitglieder in HumHub holen.  "],
  ["urgency", "flexible"],
  ["deadline", ""],
  ["languages", "de"],
  ["languages", "en"],
  ["formats", "video"],
  ["formats", "inPerson"],
  ["inPersonRegion", "DE-BE"],
  ["accessNeeds", "captions"],
  ["accessNeeds", "plainLanguage"],
  ["windows.0.weekday", "1"],
  ["windows.0.start", "18:00"],
  ["windows.0.end", "20:00"],
  ["windows.1.weekday", "3"],
  ["windows.1.start", "09:30"],
  ["windows.1.end", "11:00"],
  ["sessionMinutes", "45"],
];

/** The valid entries with some names replaced (all entries of a replaced name are dropped first). */
function withEntries(replacements: Entries, drop: string[] = []) {
  const replaced = new Set([...replacements.map(([key]) => key), ...drop]);
  const isDropped = (key: string) => [...replaced].some((name) => key === name || key.startsWith(`${name}.`));
  return formData([...validEntries.filter(([key]) => !isDropped(key)), ...replacements]);
}

function errorsOf(data: FormData) {
  const result = parseForm(requestSchema(), data);
  if (result.success) throw new Error(`expected the request to be rejected, got ${JSON.stringify(result.data)}`);
  return result.errors;
}

function dataOf(data: FormData) {
  const result = parseForm(requestSchema(), data);
  if (!result.success) throw new Error(`expected the request to be accepted, got ${JSON.stringify(result.errors)}`);
  return result.data;
}

describe("request schema: valid submissions", () => {
  it("parses a complete request into a topic list, minutes and a number for the session length", () => {
    expect(dataOf(formData(validEntries))).toEqual({
      organisationId: "org-1",
      topics: ["topic-onboarding", "topic-mobile"],
      mainTopic: "topic-mobile",
      goal: "Wir möchten unsere Mitglieder in HumHub holen.",
      urgency: "flexible",
      deadline: null,
      languages: ["de", "en"],
      formats: ["video", "inPerson"],
      inPersonRegion: "DE-BE",
      accessNeeds: ["captions", "plainLanguage"],
      windows: [
        { weekday: 1, startMinute: 18 * 60, endMinute: 20 * 60 },
        { weekday: 3, startMinute: 9 * 60 + 30, endMinute: 11 * 60 },
      ],
      sessionMinutes: 45,
    });
  });

  it("keeps a single ticked topic and language as lists, and drops repeated topic ids", () => {
    const data = dataOf(
      withEntries([
        ["topics", "topic-hosting"],
        ["topics", "topic-hosting"],
        ["mainTopic", "topic-hosting"],
        ["languages", "uk"],
      ]),
    );

    expect(data.topics).toEqual(["topic-hosting"]);
    expect(data.mainTopic).toBe("topic-hosting");
    expect(data.languages).toEqual(["uk"]);
  });

  it("drops a deadline sent with a flexible urgency", () => {
    const data = dataOf(withEntries([["urgency", "flexible"], ["deadline", "2026-07-01"]]));

    expect(data.urgency).toBe("flexible");
    expect(data.deadline).toBeNull();
  });

  it.each([["withinMonth"], ["withinWeek"]])("drops a deadline sent with the urgency %j", (urgency) => {
    const data = dataOf(withEntries([["urgency", urgency], ["deadline", "2026-07-01"]]));

    expect(data).toMatchObject({ urgency, deadline: null });
  });

  it("keeps a future deadline with the urgency 'deadline', and accepts today", () => {
    expect(dataOf(withEntries([["urgency", "deadline"], ["deadline", "2026-07-01"]]))).toMatchObject({
      urgency: "deadline",
      deadline: "2026-07-01",
    });
    expect(dataOf(withEntries([["urgency", "deadline"], ["deadline", "2026-06-15"]])).deadline).toBe("2026-06-15");
  });

  it("keeps the region only when meeting in person is ticked, even if it was sent", () => {
    const withoutInPerson = dataOf(withEntries([["formats", "video"], ["inPersonRegion", "DE-BE"]]));
    expect(withoutInPerson.formats).toEqual(["video"]);
    expect(withoutInPerson.inPersonRegion).toBeNull();

    const withInPerson = dataOf(withEntries([["formats", "inPerson"], ["inPersonRegion", "DE-HH"]]));
    expect(withInPerson).toMatchObject({ formats: ["inPerson"], inPersonRegion: "DE-HH" });
  });

  it("does not ask for a region without meeting in person", () => {
    const data = dataOf(withEntries([["formats", "phone"], ["inPersonRegion", ""]]));

    expect(data).toMatchObject({ formats: ["phone"], inPersonRegion: null });
  });

  it("needs no access needs, and ignores window rows left entirely blank", () => {
    const data = dataOf(
      withEntries(
        [
          ["windows.0.weekday", "1"],
          ["windows.0.start", ""],
          ["windows.0.end", ""],
          ["windows.1.weekday", "5"],
          ["windows.1.start", "10:00"],
          ["windows.1.end", "24:00"],
        ],
        ["accessNeeds"],
      ),
    );

    expect(data.accessNeeds).toEqual([]);
    expect(data.windows).toEqual([{ weekday: 5, startMinute: 600, endMinute: 1440 }]);
  });

  it.each([["30", 30], ["45", 45], ["60", 60], ["90", 90]])("accepts the session length %j", (minutes, expected) => {
    expect(dataOf(withEntries([["sessionMinutes", minutes]])).sessionMinutes).toBe(expected);
  });

  it("accepts a script tag in the goal verbatim: escaping is the renderer's job", () => {
    const goal = `<script>alert("x")</script> & <b>fett</b>`;

    expect(dataOf(withEntries([["goal", goal]])).goal).toBe(goal);
  });

  it("accepts a goal of exactly 2000 characters after trimming", () => {
    expect(dataOf(withEntries([["goal", ` ${"x".repeat(2000)} `]])).goal).toBe("x".repeat(2000));
  });

  it("echoes the submitted values in their nested form", () => {
    const result = parseForm(requestSchema(), formData(validEntries));

    expect(result.values.windows).toEqual([
      { weekday: "1", start: "18:00", end: "20:00" },
      { weekday: "3", start: "09:30", end: "11:00" },
    ]);
    expect(result.values.topics).toEqual(["topic-onboarding", "topic-mobile"]);
    expect(result.values.sessionMinutes).toBe("45");
  });

  it("accepts the plain object react-hook-form produces in the browser", () => {
    const browserValues = {
      organisationId: "org-1",
      topics: ["topic-accessibility", "topic-hosting"],
      mainTopic: "topic-accessibility",
      goal: "Barrierefreie Räume einrichten",
      urgency: "deadline",
      deadline: "2026-09-30",
      languages: ["de", "ar"],
      formats: ["video"],
      inPersonRegion: "",
      // react-hook-form reports an unticked checkbox group as false.
      accessNeeds: false,
      windows: [
        { weekday: "2", start: "17:00", end: "19:00" },
        { weekday: "1", start: "", end: "" },
      ],
      sessionMinutes: "90",
    };

    const result = requestSchema().safeParse(browserValues);

    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data).toEqual({
      organisationId: "org-1",
      topics: ["topic-accessibility", "topic-hosting"],
      mainTopic: "topic-accessibility",
      goal: "Barrierefreie Räume einrichten",
      urgency: "deadline",
      deadline: "2026-09-30",
      languages: ["de", "ar"],
      formats: ["video"],
      inPersonRegion: null,
      accessNeeds: [],
      windows: [{ weekday: 2, startMinute: 1020, endMinute: 1140 }],
      sessionMinutes: 90,
    });
  });

  it("reports the same problems for the browser's object as for the posted form", () => {
    const result = requestSchema().safeParse({
      organisationId: "org-1",
      topics: ["topic-mobile"],
      mainTopic: "topic-hosting",
      goal: "",
      urgency: "deadline",
      deadline: "2026-06-14",
      languages: false,
      formats: ["inPerson"],
      inPersonRegion: "",
      accessNeeds: false,
      windows: [{ weekday: "1", start: "", end: "" }],
      sessionMinutes: "50",
    });

    expect(result.success).toBe(false);
    if (result.success) return;
    const byPath = Object.fromEntries(result.error.issues.map((issue) => [issue.path.join("."), issue.message]));
    expect(byPath).toEqual({
      mainTopic: "errors.mainTopicNotChosen",
      goal: "errors.required",
      deadline: "errors.deadlinePast",
      languages: "errors.languagesRequired",
      inPersonRegion: "errors.regionRequired",
      windows: "errors.windowsRequired",
      sessionMinutes: "errors.choiceInvalid",
    });
  });
});

describe("request schema: problems are reported per field, all at once", () => {
  it("reports a missing main topic, a missing deadline, no languages or formats, an empty goal and bad windows together", () => {
    const errors = errorsOf(
      withEntries(
        [
          ["mainTopic", ""],
          ["goal", "   "],
          ["urgency", "deadline"],
          ["deadline", ""],
          // Row 0: ends before it starts.
          ["windows.0.weekday", "1"],
          ["windows.0.start", "20:00"],
          ["windows.0.end", "18:00"],
          // Rows 1 and 3 overlap on Wednesday; row 2 is blank and ignored.
          ["windows.1.weekday", "3"],
          ["windows.1.start", "09:00"],
          ["windows.1.end", "11:00"],
          ["windows.2.weekday", "1"],
          ["windows.2.start", ""],
          ["windows.2.end", ""],
          ["windows.3.weekday", "3"],
          ["windows.3.start", "10:30"],
          ["windows.3.end", "12:00"],
          ["sessionMinutes", "50"],
        ],
        ["languages", "formats", "inPersonRegion"],
      ),
    );

    expect(errors).toEqual({
      mainTopic: "errors.mainTopicRequired",
      goal: "errors.required",
      deadline: "errors.deadlineRequired",
      languages: "errors.languagesRequired",
      formats: "errors.formatsRequired",
      "windows.0.end": "errors.endBeforeStart",
      "windows.3.start": "errors.windowsOverlap",
      sessionMinutes: "errors.choiceInvalid",
    });
  });

  it("reports a main topic that was not chosen, a past deadline, a missing region and an overlong goal together", () => {
    const errors = errorsOf(
      withEntries([
        ["topics", "topic-onboarding"],
        ["mainTopic", "topic-hosting"],
        ["goal", "x".repeat(10_000)],
        ["urgency", "deadline"],
        ["deadline", "2026-06-14"],
        ["formats", "inPerson"],
        ["inPersonRegion", ""],
      ]),
    );

    expect(errors).toEqual({
      mainTopic: "errors.mainTopicNotChosen",
      goal: "errors.tooLong:2000",
      deadline: "errors.deadlinePast",
      inPersonRegion: "errors.regionRequired",
    });
  });

  it("requires at least one topic, and reports an unknown urgency in the same parse", () => {
    const errors = errorsOf(withEntries([["urgency", "someday"], ["mainTopic", ""]], ["topics"]));

    expect(errors.topics).toBe("errors.requestTopicsRequired");
    expect(errors.urgency).toBe("errors.choiceInvalid");
  });

  it("does not ask for a main topic while no topic is ticked", () => {
    const errors = errorsOf(withEntries([["mainTopic", ""]], ["topics"]));

    expect(errors).toEqual({ topics: "errors.requestTopicsRequired" });
  });

  it("requires a main topic when topics are ticked but none is marked as main", () => {
    expect(errorsOf(withEntries([], ["mainTopic"]))).toEqual({ mainTopic: "errors.mainTopicRequired" });
    expect(errorsOf(withEntries([["mainTopic", ""]]))).toEqual({ mainTopic: "errors.mainTopicRequired" });
  });

  it("refuses a main topic that is not among the chosen topics", () => {
    expect(errorsOf(withEntries([["mainTopic", "topic-hosting"]]))).toEqual({ mainTopic: "errors.mainTopicNotChosen" });
  });

  it("requires a deadline with the urgency 'deadline'", () => {
    expect(errorsOf(withEntries([["urgency", "deadline"], ["deadline", ""]]))).toEqual({ deadline: "errors.deadlineRequired" });
    expect(errorsOf(withEntries([["urgency", "deadline"]], ["deadline"]))).toEqual({ deadline: "errors.deadlineRequired" });
  });

  it.each([["2026-06-14"], ["2025-12-31"], ["2020-01-01"]])("refuses the past deadline %j", (deadline) => {
    expect(errorsOf(withEntries([["urgency", "deadline"], ["deadline", deadline]]))).toEqual({ deadline: "errors.deadlinePast" });
  });

  it.each([["2026-02-30"], ["2026-13-45"], ["30.06.2026"], ["tomorrow"]])("refuses the deadline %j as no date", (deadline) => {
    expect(errorsOf(withEntries([["urgency", "deadline"], ["deadline", deadline]])).deadline).toBe("errors.dateInvalid");
  });

  it("requires at least one language and one format", () => {
    expect(errorsOf(withEntries([], ["languages"]))).toEqual({ languages: "errors.languagesRequired" });
    expect(errorsOf(withEntries([], ["formats", "inPersonRegion"]))).toEqual({ formats: "errors.formatsRequired" });
  });

  it("asks for a region for meeting in person, and refuses one outside the list", () => {
    expect(errorsOf(withEntries([], ["inPersonRegion"]))).toEqual({ inPersonRegion: "errors.regionRequired" });
    expect(errorsOf(withEntries([["inPersonRegion", ""]]))).toEqual({ inPersonRegion: "errors.regionRequired" });
    expect(errorsOf(withEntries([["inPersonRegion", "FR-IDF"]]))).toEqual({ inPersonRegion: "errors.choiceInvalid" });
  });

  it("requires a goal and limits it to 2000 characters", () => {
    expect(errorsOf(withEntries([["goal", ""]]))).toEqual({ goal: "errors.required" });
    expect(errorsOf(withEntries([], ["goal"]))).toEqual({ goal: "errors.required" });
    expect(errorsOf(withEntries([["goal", "x".repeat(10_000)]]))).toEqual({ goal: "errors.tooLong:2000" });
    expect(errorsOf(withEntries([["goal", "x".repeat(2001)]]))).toEqual({ goal: "errors.tooLong:2000" });
  });

  it("points at the row of a window that ends before it starts, and at the later of two overlapping rows", () => {
    expect(
      errorsOf(withEntries([["windows.0.weekday", "2"], ["windows.0.start", "12:00"], ["windows.0.end", "10:00"]], ["windows.1"])),
    ).toEqual({ "windows.0.end": "errors.endBeforeStart" });
    expect(
      errorsOf(
        withEntries([
          ["windows.0.weekday", "4"],
          ["windows.0.start", "10:00"],
          ["windows.0.end", "12:00"],
          ["windows.1.weekday", "4"],
          ["windows.1.start", "11:00"],
          ["windows.1.end", "13:00"],
        ]),
      ),
    ).toEqual({ "windows.1.start": "errors.windowsOverlap" });
  });

  it("requires at least one window", () => {
    expect(errorsOf(withEntries([], ["windows"]))).toEqual({ windows: "errors.windowsRequired" });
  });

  it.each([["50"], ["0"], ["120"], [""], ["sixty"]])("refuses the session length %j", (minutes) => {
    expect(errorsOf(withEntries([["sessionMinutes", minutes]]))).toEqual({ sessionMinutes: "errors.choiceInvalid" });
  });

  it.each([["someday"], [""], ["Flexible"]])("refuses the urgency %j", (urgency) => {
    expect(errorsOf(withEntries([["urgency", urgency]]))).toEqual({ urgency: "errors.choiceInvalid" });
  });

  it("refuses unknown languages, formats and access needs on their group", () => {
    const errors = errorsOf(
      withEntries([
        ["languages", "de"],
        ["languages", "xx"],
        ["formats", "video"],
        ["formats", "telepathy"],
        ["accessNeeds", "jetpack"],
      ]),
    );

    expect(errors).toEqual({ languages: "errors.choiceInvalid", formats: "errors.choiceInvalid", accessNeeds: "errors.choiceInvalid" });
  });

  it("requires an organisation", () => {
    expect(errorsOf(withEntries([["organisationId", ""]]))).toEqual({ organisationId: "errors.organisationRequired" });
    expect(errorsOf(withEntries([], ["organisationId"]))).toEqual({ organisationId: "errors.organisationRequired" });
  });
});

describe("deadlines on the requester's own calendar", () => {
  it("judges 'today' in the requester's time zone, not the server's", () => {
    vi.setSystemTime(new Date("2026-06-15T23:30:00Z"));
    const deadline = (timeZone: string, date: string) =>
      requestSchemaFor(timeZone).safeParse({
        organisationId: "org",
        topics: ["topic-mobile"],
        mainTopic: "topic-mobile",
        goal: "Ziel",
        urgency: "deadline",
        deadline: date,
        languages: ["de"],
        formats: ["video"],
        accessNeeds: [],
        windows: [{ weekday: "1", start: "18:00", end: "19:00" }],
        sessionMinutes: "60",
      }).error?.issues.map((issue) => issue.message) ?? [];
    // Already 16 June in Berlin: the 15th is past there, but still today in Los Angeles.
    expect(deadline("Europe/Berlin", "2026-06-15")).toEqual(["errors.deadlinePast"]);
    expect(deadline("America/Los_Angeles", "2026-06-15")).toEqual([]);
  });
});

