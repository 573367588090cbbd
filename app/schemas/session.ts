import { z } from "zod";
import { choice, isTypedText, optionalText } from "~/schemas/fields";
import { sessionFormats } from "~db/schema";

export type SchedulingSide = "coach" | "requester" | "team";

/** The team's scheduling settings' bounds, shared by the stored settings and the team's form. */
export const schedulingLimits = {
  bufferMinutes: { min: 0, max: 240 },
  noticeHours: { min: 0, max: 336 },
} as const;

/** A time is sent as its start instant in epoch milliseconds: unambiguous whatever zone the page shows. */
const instant = z
  .string({ required_error: "sessions.errors.timeRequired", invalid_type_error: "sessions.errors.timeRequired" })
  .regex(/^\d{1,15}$/, "sessions.errors.timeRequired")
  .transform(Number);

const joinDetails = (required: boolean) =>
  required
    ? z
        .string({ required_error: "sessions.errors.joinDetailsRequired", invalid_type_error: "sessions.errors.joinDetailsRequired" })
        .trim()
        .min(3, "sessions.errors.joinDetailsRequired")
        .max(300, "errors.tooLong:300")
        .refine(isTypedText, "errors.textInvalid")
    : optionalText(300).transform((value) => value ?? "");

/** The coach offers up to three times; the requester and the team pick one. */
export function maxProposedTimes(side: SchedulingSide) {
  return side === "coach" ? 3 : 1;
}

/**
 * The coach says how to join when offering times; the team may (it books directly), the requester does not. Only
 * new times for a session that has them give a reason: a new session's form has no such field, so it is not read.
 */
export function proposeTimesSchema(side: SchedulingSide, rescheduling: boolean) {
  const maxTimes = maxProposedTimes(side);
  return z.object({
    times: z.preprocess(
      (value) => (Array.isArray(value) ? value : typeof value === "string" ? [value] : []),
      z
        .array(z.unknown())
        .min(1, maxTimes === 1 ? "sessions.errors.timeRequired" : "sessions.errors.timesRequired")
        .max(maxTimes, "sessions.errors.tooManyTimes")
        // A malformed time is reported on the group, where the person sees it, not on an entry without a field.
        .refine((times) => times.every((time) => instant.safeParse(time).success), "sessions.errors.timeRequired")
        .transform((times) => times.map((time) => instant.parse(time))),
    ),
    format: choice(sessionFormats),
    joinDetails: joinDetails(side === "coach"),
    reason: rescheduling ? optionalText(500) : z.unknown().transform(() => null),
  });
}

/** Confirming one offered time; a coach who has not yet said how to join says it now. */
export function confirmTimeSchema(needsJoinDetails: boolean) {
  return z.object({ time: instant, joinDetails: joinDetails(needsJoinDetails) });
}

export const joinDetailsSchema = z.object({ joinDetails: joinDetails(true) });

export const cancelSessionSchema = z.object({
  reason: z
    .string({ required_error: "sessions.errors.reasonRequired", invalid_type_error: "sessions.errors.reasonRequired" })
    .trim()
    .min(3, "sessions.errors.reasonRequired")
    .max(500, "errors.tooLong:500")
    .refine(isTypedText, "errors.textInvalid"),
});

export const feedbackSchema = z.object({
  held: z.enum(["yes", "no"], { errorMap: () => ({ message: "sessions.errors.heldRequired" }) }),
  rating: z
    // One enum, not a union with "": a union reports zod's own "Invalid input" instead of this message.
    .enum(["", "1", "2", "3", "4", "5"], { errorMap: () => ({ message: "sessions.errors.ratingInvalid" }) })
    .optional()
    .transform((value) => (value ? Number(value) : null)),
  comment: optionalText(300),
});
