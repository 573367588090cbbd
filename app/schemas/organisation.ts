import { z } from "zod";
import { choice, email, optionalText, requiredText } from "~/schemas/fields";
import { organisationKinds, organisationSizeBands, regionCodes } from "~db/schema";

const website = optionalText(200).refine((value) => {
  if (value === null) return true;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".");
  } catch {
    return false;
  }
}, "errors.urlInvalid");

export const organisationSchema = z.object({
  name: requiredText(120),
  kind: choice(organisationKinds),
  sizeBand: choice(organisationSizeBands),
  region: choice(regionCodes),
  website,
});

export const inviteSchema = z.object({ email });
