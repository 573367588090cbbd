import type { TFunction } from "i18next";
import { organisationKinds, organisationSizeBands, regionCodes } from "~db/schema";

/** Options for the organisation form's selects, labelled in the reader's language. */
export function organisationChoices(t: TFunction) {
  return {
    kinds: organisationKinds.map((value) => ({ value, label: t(`organisationKinds.${value}`) })),
    sizeBands: organisationSizeBands.map((value) => ({ value, label: t(`sizeBands.${value}`) })),
    regions: regionCodes.map((value) => ({ value, label: t(`regions.${value}`) })),
  };
}
