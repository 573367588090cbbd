import { z } from "zod";
import { maxCriterionWeight, softCriteria, type SoftCriterion } from "~/domain/matching/criteria";
import { choice, optionalText, withCrossFieldChecks } from "~/schemas/fields";
import { assignmentModes } from "~db/schema";

/** A whole number 0–100; an empty field is an error, not a silent 0. */
const weight = z
  .string({ required_error: "errors.weightInvalid", invalid_type_error: "errors.weightInvalid" })
  .trim()
  .regex(/^\d{1,3}$/, "errors.weightInvalid")
  .transform(Number)
  .pipe(z.number().max(maxCriterionWeight, "errors.weightInvalid"));

const weightFields = Object.fromEntries(softCriteria.map((criterion) => [criterion, weight])) as Record<
  SoftCriterion,
  typeof weight
>;

/** The weights form; `previewRequestId` picks the request whose top 5 the preview shows. */
export const matchingWeightsSchema = withCrossFieldChecks(
  z.object({ ...weightFields, previewRequestId: optionalText(64) }),
  (raw) =>
    softCriteria.every((criterion) => /^0{1,3}$/.test(String(raw[criterion] ?? "").trim()))
      ? [{ path: ["topicFit"], message: "errors.weightsAllZero" }]
      : [],
);

export type MatchingWeightsInput = z.infer<typeof matchingWeightsSchema>;

export const matchingRunSchema = z.object({ mode: choice(assignmentModes) });
