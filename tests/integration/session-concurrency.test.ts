/**
 * Fifty people confirming overlapping times with one coach at the same moment, each in its own worker thread on
 * its own SQLite connection: exactly one confirmation wins, every other one is told the time is taken
 * (doubleBooked, the page's 409 "Diese Zeit ist inzwischen vergeben…"), no SQLITE_BUSY escapes, and the database
 * holds one confirmed session for the coach with one group of HumHub outbox rows. And lapsing stale offers on one
 * connection while another renews an offer: the renewed offer survives.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type TandemDatabase } from "~/db.server";
import { createI18n } from "~/i18n/i18n";
import { proposeSessionTimes, type SessionResult } from "~/models/session.server";
import * as sessionRoute from "~/routes/sessions.$sessionId";
import { coachingSessions, humhubOutbox, notifications, sessionEvents } from "~db/schema";
import { call, post, sessionFor } from "../support/route-calls";
import { asViewer, HOUR, NOW, sessionFixtures, utc } from "../support/session-fixtures";

type Row = typeof coachingSessions.$inferSelect;

const WORKERS = 50;
const { makeCoach, makeAcceptedMatch } = sessionFixtures({ person: "Concurrency Person", emailPrefix: "session-race" });

/**
 * One coach with fifty accepted tandems, each holding the coach's offer of one time: every other one Tuesday 16 March
 * 14:00 UTC, the rest 14:30, so every two offered times overlap. Offers are not bookings, so all fifty can exist.
 */
function coachWithFiftyOffers() {
  const coach = makeCoach();
  const times = [utc("2027-03-16T14:00"), utc("2027-03-16T14:30")];
  const tandems = Array.from({ length: WORKERS }, (_, index) => {
    const match = makeAcceptedMatch({ coach });
    const time = times[index % 2]!;
    const proposed = proposeSessionTimes(
      { matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [time], format: "video", joinDetails: "https://meet.example/race" },
      NOW,
    );
    if (!proposed.ok) throw new Error(`offer ${index} refused: ${proposed.refusal}`);
    return { ...match, sessionId: proposed.sessionId, time };
  });
  return { coach: coach.coach, tandems };
}

describe("fifty confirmations of overlapping times with one coach at once", () => {
  const workerEntry = path.resolve("tests/support/session-confirm-worker.mjs");
  const gate = new Int32Array(new SharedArrayBuffer(8));
  let workers: Worker[] = [];
  let round = 0;
  let second: TandemDatabase;

  beforeAll(async () => {
    second = openDatabase(process.env.DATABASE_PATH!);
    const started = () =>
      new Promise<Worker>((resolve, reject) => {
        const worker = new Worker(workerEntry, { workerData: { gate: gate.buffer } });
        const onError = (error: Error) => reject(error);
        worker.once("error", onError);
        worker.once("message", () => {
          worker.off("error", onError);
          resolve(worker);
        });
      });
    // Two at a time: loading the model through tsx takes about half a second of CPU per thread, and fifty threads
    // loading at once take three times as long in all as starting them in pairs.
    while (workers.length < WORKERS) workers.push(...(await Promise.all([started(), started()])));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.terminate()));
    second?.$client.close();
  });

  type Outcome = { result?: SessionResult; error?: { code: string | null; message: string } };

  /** Hands each worker its requester's confirmation and releases all of them at once; `whileWaiting` runs after the release. */
  async function together(tandems: ReturnType<typeof coachWithFiftyOffers>["tandems"], whileWaiting?: () => Promise<void>): Promise<Outcome[]> {
    round += 1;
    const current = round;
    const outcomes = workers.map(
      (worker, index) =>
        new Promise<Outcome>((resolve, reject) => {
          const tandem = tandems[index]!;
          // Each round's listeners go once it is answered, so rounds do not pile them up on the long-lived workers.
          const onError = (error: Error) => {
            worker.off("message", onMessage);
            reject(error);
          };
          const onMessage = (message: Outcome & { round: number }) => {
            worker.off("error", onError);
            resolve(message);
          };
          worker.once("error", onError);
          worker.once("message", onMessage);
          worker.postMessage({
            round: current,
            now: NOW.getTime(),
            input: { sessionId: tandem.sessionId, viewer: asViewer(tandem.requester), startsAt: tandem.time, joinDetails: "" },
          });
        }),
    );
    while (Atomics.load(gate, 1) < current * WORKERS) await new Promise((resolve) => setTimeout(resolve, 1));
    Atomics.store(gate, 0, current);
    Atomics.notify(gate, 0);
    await whileWaiting?.();
    return Promise.all(outcomes);
  }

  /** Exactly one winner, 49 clear refusals, and the database as any other process sees it. */
  function expectOneWinner(outcomes: Outcome[], { coach, tandems }: ReturnType<typeof coachWithFiftyOffers>) {
    // No SQLITE_BUSY (or anything else) escaped from any worker.
    expect(outcomes.map((outcome) => outcome.error ?? null)).toEqual(outcomes.map(() => null));
    const results = outcomes.map((outcome) => outcome.result!);
    const winners = results.filter((result) => result.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual(Array.from({ length: WORKERS - 1 }, () => ({ ok: false, refusal: "doubleBooked" })));
    const winnerIndex = results.findIndex((result) => result.ok);
    const winner = tandems[winnerIndex]!;
    expect(winners[0]).toEqual({ ok: true, sessionId: winner.sessionId });

    const sessionIds = tandems.map((tandem) => tandem.sessionId);
    const rows = second.select().from(coachingSessions).where(eq(coachingSessions.coachUserId, coach.id)).all();
    expect(rows).toHaveLength(WORKERS);
    const confirmed = rows.filter((row) => row.status === "confirmed");
    expect(confirmed.map((row) => row.id)).toEqual([winner.sessionId]);
    expect(confirmed[0]!.startsAt?.getTime()).toBe(winner.time);
    expect(confirmed[0]!.endsAt?.getTime()).toBe(winner.time + HOUR);
    // Every loser's offer is untouched, ready for the coach to offer another time.
    for (const row of rows.filter((candidate) => candidate.id !== winner.sessionId)) {
      expect(row).toMatchObject({ status: "proposed", startsAt: null, sequence: 0, proposedByUserId: coach.id });
      expect(row.proposedTimes).toHaveLength(1);
    }

    const outbox = second.select().from(humhubOutbox).where(inArray(humhubOutbox.sessionId, sessionIds)).orderBy(asc(humhubOutbox.id)).all();
    expect(outbox.map((entry) => [entry.sessionId, entry.kind])).toEqual([
      [winner.sessionId, "createEntry"],
      [winner.sessionId, "announceSession"],
      [winner.sessionId, "notifyCoach"],
      [winner.sessionId, "notifyRequester"],
    ]);
    const confirmations = second
      .select()
      .from(sessionEvents)
      .where(and(inArray(sessionEvents.sessionId, sessionIds), eq(sessionEvents.kind, "confirmed")))
      .all();
    expect(confirmations.map((event) => event.sessionId)).toEqual([winner.sessionId]);
    const coachNotices = second
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, coach.id), eq(notifications.kind, "sessionConfirmed")))
      .all();
    expect(coachNotices.map((notice) => notice.matchId)).toEqual([winner.matchId]);
    return { winner, losers: tandems.filter((tandem) => tandem !== winner) };
  }

  it("on free connections: exactly one confirmation wins; the others get doubleBooked, and the page says so with a 409", async () => {
    const race = coachWithFiftyOffers();
    const { losers } = expectOneWinner(await together(race.tandems), race);

    // A loser who tries again through the page is told, in German, that the time is taken.
    const loser = losers[0]!;
    const { response } = await call(
      sessionRoute.action,
      post(`/sessions/${loser.sessionId}`, [["intent", "confirm"], ["time", String(loser.time)]], await sessionFor(loser.requester.id)),
      { sessionId: loser.sessionId },
    );
    expect(response.status).toBe(409);
    const { formError } = (await response.json()) as { formError: string };
    expect(formError).toBe("sessions.refusals.doubleBooked");
    expect(createI18n("de").t(formError as "sessions.refusals.doubleBooked")).toMatch(/^Diese Zeit ist inzwischen vergeben/);
    expect(second.select().from(coachingSessions).where(eq(coachingSessions.id, loser.sessionId)).get()?.status).toBe("proposed");
  }, 120_000);

  it("while a third connection holds the write lock, all fifty wait for it (busy_timeout) and still exactly one wins", async () => {
    // The app's connections wait for a lock instead of failing with SQLITE_BUSY at once.
    expect(second.$client.pragma("busy_timeout", { simple: true })).toBeGreaterThanOrEqual(1000);
    const race = coachWithFiftyOffers();
    second.$client.exec("BEGIN IMMEDIATE");
    let committed = false;
    try {
      const outcomes = await together(race.tandems, async () => {
        // Give every worker time to start its IMMEDIATE transaction and run into the lock.
        await new Promise((resolve) => setTimeout(resolve, 500));
        second.$client.exec("COMMIT");
        committed = true;
      });
      expectOneWinner(outcomes, race);
    } finally {
      if (!committed) second.$client.exec("ROLLBACK");
    }
  }, 120_000);
});

describe("lapsing stale offers while another connection renews one", () => {
  let lapser: Worker;
  let other: TandemDatabase;

  beforeAll(async () => {
    other = openDatabase(process.env.DATABASE_PATH!);
    lapser = new Worker(path.resolve("tests/support/session-lapse-worker.mjs"));
    await new Promise((resolve, reject) => {
      lapser.once("error", reject);
      lapser.once("message", resolve);
    });
  }, 60_000);

  afterAll(async () => {
    await lapser?.terminate();
    other?.$client.close();
  });

  it("drops only what is still stale once it holds the write lock: an offer renewed after it looked stays", async () => {
    const match = makeAcceptedMatch();
    const proposed = proposeSessionTimes(
      { matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-16T14:00")], format: "video", joinDetails: "https://meet.example/lapse" },
      NOW,
    );
    if (!proposed.ok) throw new Error(proposed.refusal);
    const id = proposed.sessionId;
    // On 16 March at 15:00 the offered time is past: stale. The requester answers with a time two days on.
    const later = utc("2027-03-16T15:00");
    const renewed = [{ startsAt: utc("2027-03-18T14:00"), endsAt: utc("2027-03-18T15:00") }];

    other.$client.exec("BEGIN IMMEDIATE");
    let committed = false;
    try {
      const outcome = new Promise<{ ms?: number; error?: string }>((resolve) => lapser.once("message", resolve));
      lapser.postMessage({ now: later });
      // The lapse reads the stale offer (readers are not blocked) and then waits for the write lock held here.
      await new Promise((resolve) => setTimeout(resolve, 500));
      other.$client
        .prepare("update coaching_sessions set proposed_times = ?, proposed_by_user_id = ?, updated_at = ? where id = ?")
        .run(JSON.stringify(renewed), match.requester.id, later, id);
      other.$client.exec("COMMIT");
      committed = true;
      const { ms, error } = await outcome;
      expect(error).toBeUndefined();
      // It did find the offer stale before the renewal, or it would not have waited for the lock at all.
      expect(ms).toBeGreaterThan(300);
    } finally {
      if (!committed) other.$client.exec("ROLLBACK");
    }

    const row: Row = other.select().from(coachingSessions).where(eq(coachingSessions.id, id)).get()!;
    expect(row).toMatchObject({ status: "proposed", proposedByUserId: match.requester.id, proposedTimes: renewed });
    const events = other.select().from(sessionEvents).where(eq(sessionEvents.sessionId, id)).all();
    expect(events.map((event) => event.kind)).toEqual(["proposed"]);
  }, 60_000);
});
