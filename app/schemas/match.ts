import { z } from "zod";
import { choice, optionalText, requiredText } from "~/schemas/fields";
import { declineReasons } from "~db/schema";

export const declineSchema = z.object({ declineReason: choice(declineReasons), note: optionalText(500) });
export const rejectSchema = z.object({ reason: requiredText(500) });
export const overrideSchema = z.object({ offerId: requiredText(64), reason: requiredText(500) });
