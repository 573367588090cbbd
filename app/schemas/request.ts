import { z } from "zod";
import { calendarToday } from "~/domain/requests";
import { availabilityRows } from "~/schemas/availability";
import {
  calendarDate,
  checkboxGroup,
  choice,
  requiredText,
  withCrossFieldChecks,
  type CrossFieldIssue,
} from "~/schemas/fields";
import { accessOptions, languageCodes, regionCodes, requestUrgencies, sessionFormats } from "~db/schema";

const topicIds = z.preprocess(
  (value) => (Array.isArray(value) ? value : typeof value === "string" ? [value] : []),
  z
    .array(z.string().max(64))
    .max(10, "errors.topicUnknown")
    .refine((ids) => ids.length > 0, "errors.requestTopicsRequired")
    .transform((ids) => [...new Set(ids)]),
);

const requestFields = z.object({
  organisationId: z.string({ required_error: "errors.organisationRequired" }).min(1, "errors.organisationRequired").max(64),
  topics: topicIds,
  mainTopic: z.string({ required_error: "errors.mainTopicRequired" }).max(64).optional().default(""),
  goal: requiredText(2000),
  urgency: choice(requestUrgencies),
  deadline: calendarDate,
  languages: checkboxGroup(languageCodes).refine((values) => values.length > 0, "errors.languagesRequired"),
  formats: checkboxGroup(sessionFormats).refine((values) => values.length > 0, "errors.formatsRequired"),
  inPersonRegion: choice(["", ...regionCodes] as const).optional(),
  accessNeeds: checkboxGroup(accessOptions),
  windows: availabilityRows,
  sessionMinutes: choice(["30", "45", "60", "90"]).transform(Number),
});

/**
 * Rules between fields: the main topic is one of the chosen, a deadline is not before today on
 * the requester's calendar, and meeting in person needs a region.
 */
function crossFieldProblems(raw: Record<string, unknown>, today: string): CrossFieldIssue[] {
  const problems: CrossFieldIssue[] = [];
  const topics = [raw.topics ?? []].flat().filter((topic) => typeof topic === "string");
  if (typeof raw.mainTopic !== "string" || raw.mainTopic === "") {
    if (topics.length > 0) problems.push({ path: ["mainTopic"], message: "errors.mainTopicRequired" });
  } else if (!topics.includes(raw.mainTopic)) {
    problems.push({ path: ["mainTopic"], message: "errors.mainTopicNotChosen" });
  }
  if (raw.urgency === "deadline") {
    if (typeof raw.deadline !== "string" || raw.deadline === "") {
      problems.push({ path: ["deadline"], message: "errors.deadlineRequired" });
    } else if (raw.deadline < today) {
      problems.push({ path: ["deadline"], message: "errors.deadlinePast" });
    }
  }
  if ([raw.formats].flat().includes("inPerson") && (typeof raw.inPersonRegion !== "string" || raw.inPersonRegion === "")) {
    problems.push({ path: ["inPersonRegion"], message: "errors.regionRequired" });
  }
  return problems;
}

const normalisedRequest = requestFields.transform(({ inPersonRegion, deadline, ...request }) => ({
  ...request,
  deadline: request.urgency === "deadline" ? deadline : null,
  inPersonRegion: request.formats.includes("inPerson") && inPersonRegion ? inPersonRegion : null,
}));

/** The request form's schema for a requester in `timeZone` (their "today" decides past deadlines). */
export function requestSchemaFor(timeZone: string, now = new Date()) {
  const today = calendarToday(timeZone, now);
  return withCrossFieldChecks(normalisedRequest, (raw) => crossFieldProblems(raw, today));
}

export type RequestInput = z.output<typeof normalisedRequest>;
