import { z } from "zod";

const booleanFlag = z
  .enum(["true", "false", "1", "0"], {
    errorMap: () => ({ message: "must be true or false" }),
  })
  .transform((value) => value === "true" || value === "1");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  DATABASE_PATH: z.string().min(1).default("./data/tandem.db"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  SESSION_SECRET: z
    .string()
    .min(32, "must be at least 32 characters; leave it unset to have one generated")
    .optional(),
  PUBLIC_URL: z
    .string()
    .url("must be an absolute URL such as https://tandem.example.org")
    .transform((value) => new URL(value).origin)
    .optional(),
  COOKIE_SECURE: booleanFlag.optional(),
  TRUST_PROXY: booleanFlag.default("false"),
  IMPRINT_TEXT: z.string().optional(),
  /** HumHub's address (https://community.example.org); with the token below, sessions are posted there. */
  HUMHUB_BASE_URL: z.string().url("must be an absolute URL such as https://community.example.org").optional(),
  /** A REST API bearer token of a dedicated "Tandem" HumHub account (Administration → Modules → REST API). */
  HUMHUB_API_TOKEN: z.string().min(16, "must be the whole token (HumHub's are far longer than 16 characters)").optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Parses the environment and explains every bad variable at once, by name. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
    .join("\n");
  throw new Error(`Tandem cannot start: invalid configuration\n${problems}\nSee .env.example.`);
}

/**
 * Parsed on every call (microseconds): start-up fails early through the first call, and a changed process.env — a
 * test pointing Tandem at its fake HumHub, say — applies without a restart.
 */
export function getEnv(): Env {
  return parseEnv(process.env);
}
