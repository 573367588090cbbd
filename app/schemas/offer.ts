import { z } from "zod";
import { availabilityRows } from "~/schemas/availability";
import {
  calendarDate,
  checkboxGroup,
  choice,
  optionalText,
  requiredText,
  withCrossFieldChecks,
  type CrossFieldIssue,
} from "~/schemas/fields";
import { accessOptions, languageCodes, regionCodes, sessionFormats } from "~db/schema";

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
  // Number(" ") is 0: a blank field is no distance.
  if (typeof raw.travelKm !== "string" || raw.travelKm.trim() === "" || !Number.isInteger(km) || km < 0 || km > 1000) {
    problems.push({ path: ["travelKm"], message: "errors.travelInvalid" });
  }
  return problems;
}

export const offerSchema = withCrossFieldChecks(offerFields, inPersonDetailsProblems);

export type OfferInput = z.output<typeof offerSchema>;
