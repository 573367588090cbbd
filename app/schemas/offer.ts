import { z } from "zod";
import { findWindowProblems, parseTimeOfDay } from "~/domain/availability";
import { checkboxGroup, choice, optionalText, requiredText, withCrossFieldChecks, type CrossFieldIssue } from "~/schemas/fields";
import { accessOptions, languageCodes, regionCodes, sessionFormats } from "~db/schema";

export const maxWindows = 21;

const windowRow = z.object({
  weekday: z.string().max(2).optional().default(""),
  start: z.string().max(5).optional().default(""),
  end: z.string().max(5).optional().default(""),
});

/**
 * Weekly windows as the form sends them ("HH:MM" strings per row). Rows left entirely blank are
 * ignored; problems are reported on the row and field they belong to.
 */
export const availabilityRows = z.preprocess(
  // Nothing sent means no rows; a hand-made request may skip row numbers, and the gaps are not rows.
  (rows) => (Array.isArray(rows) ? rows.filter((row) => row !== undefined) : (rows ?? [])),
  z
    .array(windowRow)
    .max(maxWindows, "errors.tooManyWindows")
    .superRefine((rows, context) => {
      const filled = rows
        .map((row, index) => ({ row, index }))
        .filter(({ row }) => row.start !== "" || row.end !== "");
      if (filled.length === 0) {
        context.addIssue({ code: "custom", path: [], message: "errors.windowsRequired" });
        return;
      }
      const windows = filled.map(({ row }) => ({
        weekday: Number(row.weekday),
        startMinute: parseTimeOfDay(row.start) ?? -1,
        endMinute: parseTimeOfDay(row.end) ?? -1,
      }));
      for (const problem of findWindowProblems(windows)) {
        const index = filled[problem.index]?.index ?? problem.index;
        context.addIssue({ code: "custom", path: [index, problem.field], message: problem.message });
      }
    })
    .transform((rows) =>
      rows
        .filter((row) => row.start !== "" || row.end !== "")
        .map((row) => ({
          weekday: Number(row.weekday),
          startMinute: parseTimeOfDay(row.start) ?? 0,
          endMinute: parseTimeOfDay(row.end) ?? 0,
        })),
    ),
);

const topicChoice = z.object({
  level: z.enum(["0", "1", "2", "3"], { errorMap: () => ({ message: "errors.choiceInvalid" }) }).default("0"),
  note: optionalText(300),
});

const offeredTopics = z
  .record(z.string().max(64), topicChoice)
  .default({})
  .refine((choices) => Object.keys(choices).length <= 50, "errors.topicUnknown")
  .transform((choices) =>
    Object.entries(choices)
      .filter(([, choice]) => choice.level !== "0")
      .map(([topicId, choice]) => ({ topicId, level: Number(choice.level), note: choice.note ?? "" })),
  )
  .refine((topics) => topics.length > 0, "errors.topicsRequired");

/** A real calendar day as YYYY-MM-DD; 2026-02-30 is refused rather than rolled into March. */
export const calendarDate = optionalText(10).refine((value) => {
  if (value === null) return true;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}, "errors.dateInvalid");

const offerFields = z
  .object({
    organisationId: z.string({ required_error: "errors.organisationRequired" }).min(1, "errors.organisationRequired").max(64),
    topics: offeredTopics,
    languages: checkboxGroup(languageCodes).refine((values) => values.length > 0, "errors.languagesRequired"),
    formats: checkboxGroup(sessionFormats).refine((values) => values.length > 0, "errors.formatsRequired"),
    inPersonRegion: choice(["", ...regionCodes] as const).optional(),
    travelKm: z.string().max(5).optional(),
    accessSupport: checkboxGroup(accessOptions),
    windows: availabilityRows,
    capacityPerMonth: z.coerce
      .number({ invalid_type_error: "errors.capacityInvalid" })
      .int("errors.capacityInvalid")
      .min(1, "errors.capacityInvalid")
      .max(60, "errors.capacityInvalid"),
    pausedUntil: calendarDate,
    bio: requiredText(1000),
  })
  .transform(({ inPersonRegion, travelKm, ...offer }) => {
    const inPerson = offer.formats.includes("inPerson");
    return {
      ...offer,
      inPersonRegion: inPerson && inPersonRegion ? inPersonRegion : null,
      travelKm: inPerson ? Number(travelKm) : null,
    };
  });

/** Meeting in person needs a region and a travel distance; other formats need neither. */
function inPersonDetailsProblems(raw: Record<string, unknown>): CrossFieldIssue[] {
  if (![raw.formats].flat().includes("inPerson")) return [];
  const problems: CrossFieldIssue[] = [];
  if (typeof raw.inPersonRegion !== "string" || raw.inPersonRegion === "") {
    problems.push({ path: ["inPersonRegion"], message: "errors.regionRequired" });
  }
  const km = Number(raw.travelKm);
  if (typeof raw.travelKm !== "string" || raw.travelKm === "" || !Number.isInteger(km) || km < 0 || km > 1000) {
    problems.push({ path: ["travelKm"], message: "errors.travelInvalid" });
  }
  return problems;
}

export const offerSchema = withCrossFieldChecks(offerFields, inPersonDetailsProblems);

export type OfferInput = z.output<typeof offerSchema>;
