/**
 * How Tandem reaches HumHub: address and token from the environment (an operator's secret, never stored or shown in
 * full), the coaching space and post settings from the team's settings page.
 */
import { z } from "zod";
import { getEnv } from "~/env.server";
import type { HumhubConnection } from "~/humhub.server";
import { readSettingsGroup, saveSettingsGroup } from "~/models/settings.server";
import { localeCodes } from "~db/schema";

const settingsKey = "humhub_settings";

export const humhubSettingsSchema = z.object({
  /** The space's contentcontainer_id: posts and calendar entries are addressed by it, not by the space id. */
  spaceContainerId: z.number().int().positive().nullable(),
  spaceName: z.string().nullable(),
  /** 0: space members only, 1: public. */
  visibility: z.union([z.literal(0), z.literal(1)]),
  /** Posts and entries are written in the space's language. */
  language: z.enum(localeCodes),
});
export type HumhubSettings = z.infer<typeof humhubSettingsSchema>;

export const defaultHumhubSettings: HumhubSettings = { spaceContainerId: null, spaceName: null, visibility: 0, language: "de" };

export function getHumhubSettings(): HumhubSettings {
  return readSettingsGroup(settingsKey, humhubSettingsSchema, defaultHumhubSettings);
}

export function saveHumhubSettings(actorUserId: string, settings: HumhubSettings) {
  saveSettingsGroup(settingsKey, { actorUserId, action: "humhub.settingsChanged", before: getHumhubSettings(), after: settings });
}

/** The connection from the environment, or null when HumHub is not configured. */
export function getHumhubConnection(): HumhubConnection | null {
  const { HUMHUB_BASE_URL, HUMHUB_API_TOKEN } = getEnv();
  return HUMHUB_BASE_URL && HUMHUB_API_TOKEN ? { baseUrl: HUMHUB_BASE_URL, token: HUMHUB_API_TOKEN } : null;
}

export type HumhubReadiness =
  | { ready: true; connection: HumhubConnection; settings: HumhubSettings & { spaceContainerId: number } }
  | { ready: false; missing: "connection" | "space" };

export function getHumhubReadiness(): HumhubReadiness {
  const connection = getHumhubConnection();
  if (!connection) return { ready: false, missing: "connection" };
  const settings = getHumhubSettings();
  if (settings.spaceContainerId === null) return { ready: false, missing: "space" };
  return { ready: true, connection, settings: { ...settings, spaceContainerId: settings.spaceContainerId } };
}

/** What the team page may show of the token: enough to recognise it, never enough to use it. */
export function maskedToken(token: string) {
  return `…${token.slice(-4)}`;
}
