import { z } from "zod";
import { requiredText } from "~/schemas/fields";

export const topicSchema = z.object({
  labelDe: requiredText(60),
  labelEn: requiredText(60),
  descriptionDe: requiredText(200),
  descriptionEn: requiredText(200),
});
