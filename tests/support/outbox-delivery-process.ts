/**
 * A deliverer in its own process, as `npm start`'s timer is, for tests that kill it mid-delivery:
 *
 *   DATABASE_PATH=… HUMHUB_BASE_URL=… HUMHUB_API_TOKEN=… node --import tsx tests/support/outbox-delivery-process.ts
 *
 * Delivers until no row is pending, then exits 0; exits 2 after OUTBOX_DEADLINE_MS. Delivery options come from
 * OUTBOX_LEASE_MS, OUTBOX_BACKOFF_BASE_MS, OUTBOX_BACKOFF_MAX_MS, OUTBOX_MAX_ATTEMPTS, OUTBOX_PARALLEL,
 * OUTBOX_TIMEOUT_MS and OUTBOX_SETTLE_MS (each optional). Prints one JSON line per pass on stdout.
 */
import { setTimeout as delay } from "node:timers/promises";
import { countOutbox, deliverDueOutbox, type DeliveryOptions } from "~/models/humhub-outbox.server";

function numberFromEnv(name: string) {
  const value = process.env[name];
  if (value === undefined || value === "") return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`${name} must be a number, got "${value}"`);
  return parsed;
}

const candidates: Record<string, number | undefined> = {
  leaseMs: numberFromEnv("OUTBOX_LEASE_MS"),
  backoffBaseMs: numberFromEnv("OUTBOX_BACKOFF_BASE_MS"),
  backoffMaxMs: numberFromEnv("OUTBOX_BACKOFF_MAX_MS"),
  maxAttempts: numberFromEnv("OUTBOX_MAX_ATTEMPTS"),
  parallelSessions: numberFromEnv("OUTBOX_PARALLEL"),
  timeoutMs: numberFromEnv("OUTBOX_TIMEOUT_MS"),
  settleAfterTimeoutMs: numberFromEnv("OUTBOX_SETTLE_MS"),
};
const options = Object.fromEntries(Object.entries(candidates).filter(([, value]) => value !== undefined)) as Partial<DeliveryOptions>;
const deadline = Date.now() + (numberFromEnv("OUTBOX_DEADLINE_MS") ?? 120_000);

process.stdout.write(`${JSON.stringify({ started: process.pid, options })}\n`);
for (;;) {
  const left = countOutbox();
  if (left.pending === 0) {
    process.stdout.write(`${JSON.stringify({ done: left })}\n`);
    break;
  }
  if (Date.now() > deadline) {
    process.stdout.write(`${JSON.stringify({ deadline: left })}\n`);
    process.exit(2);
  }
  const report = await deliverDueOutbox(options);
  if (report.delivered + report.retrying + report.failed > 0) process.stdout.write(`${JSON.stringify(report)}\n`);
  // Rows waiting out a backoff or a lease are not due yet; look again shortly.
  await delay(5);
}
process.exit(0);
