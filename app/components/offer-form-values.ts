import { emptyWindowRow, windowRowsFromStored, windowRowsFromSubmission, type WindowRow } from "~/components/window-rows";

export type OfferFormValues = {
  organisationId: string;
  topics: Record<string, { level: string; note: string }>;
  languages: string[];
  formats: string[];
  inPersonRegion: string;
  travelKm: string;
  accessSupport: string[];
  windows: WindowRow[];
  capacityPerMonth: string;
  pausedUntil: string;
  bio: string;
};

const text = (value: unknown) => (typeof value === "string" ? value : "");
const list = (value: unknown) =>
  ([] as unknown[]).concat(value ?? []).filter((item): item is string => typeof item === "string");
const record = (value: unknown) =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Reads a submission echoed by the server (or nothing) into the shape the offer form renders. */
export function offerFormValuesFromSubmission(raw: unknown): OfferFormValues {
  const values = record(raw);
  return {
    organisationId: text(values.organisationId),
    topics: Object.fromEntries(
      Object.entries(record(values.topics)).map(([topicId, choice]) => {
        const fields = record(choice);
        return [topicId, { level: text(fields.level) || "0", note: text(fields.note) }];
      }),
    ),
    languages: list(values.languages),
    formats: list(values.formats),
    inPersonRegion: text(values.inPersonRegion),
    travelKm: text(values.travelKm),
    accessSupport: list(values.accessSupport),
    windows: windowRowsFromSubmission(values.windows),
    capacityPerMonth: text(values.capacityPerMonth),
    pausedUntil: text(values.pausedUntil),
    bio: text(values.bio),
  };
}

type StoredOffer = {
  organisationId: string;
  topics: { topicId: string; level: number; note: string }[];
  languages: string[];
  formats: string[];
  inPersonRegion: string | null;
  travelKm: number | null;
  accessSupport: string[];
  windows: { weekday: number; startMinute: number; endMinute: number }[];
  capacityPerMonth: number;
  pausedUntil: string | null;
  bio: string;
};

/** The saved offer in the form's shape; a new offer starts with German and one empty window. */
export function offerFormValuesFromOffer(offer: StoredOffer | null, defaultOrganisationId: string): OfferFormValues {
  if (!offer) {
    return {
      ...offerFormValuesFromSubmission({}),
      organisationId: defaultOrganisationId,
      languages: ["de"],
      formats: ["video"],
      windows: [emptyWindowRow],
      capacityPerMonth: "2",
    };
  }
  return {
    organisationId: offer.organisationId,
    topics: Object.fromEntries(offer.topics.map((topic) => [topic.topicId, { level: String(topic.level), note: topic.note }])),
    languages: offer.languages,
    formats: offer.formats,
    inPersonRegion: offer.inPersonRegion ?? "",
    travelKm: offer.travelKm === null ? "" : String(offer.travelKm),
    accessSupport: offer.accessSupport,
    windows: windowRowsFromStored(offer.windows),
    capacityPerMonth: String(offer.capacityPerMonth),
    pausedUntil: offer.pausedUntil ?? "",
    bio: offer.bio,
  };
}
