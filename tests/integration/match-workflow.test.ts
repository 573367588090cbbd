/**
 * The match workflow against a real migrated database: how proposals start, what refuses them, the
 * whole life of a match with its audit trail and notifications, declines and expiry putting the
 * request back in the pool, illegal steps, two people deciding at once (in-process and on two
 * connections in worker threads), overrides rolling back, and per-user notifications.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, openDatabase, type TandemDatabase } from "~/db.server";
import { isActive } from "~/domain/match-workflow";
import {
  actOnMatch,
  countUnreadNotifications,
  defaultMatchSettings,
  expireOverdueMatches,
  getMatchSettings,
  listMatchEvents,
  listNotifications,
  markNotificationsRead,
  overrideMatch,
  proposeMatch,
  saveMatchSettings,
  type ActResult,
  type ProposeResult,
} from "~/models/match.server";
import { explainCoachForRequest, getMatchingWeights, loadRequestProfiles } from "~/models/matching.server";
import { withdrawRequest } from "~/models/request.server";
import { coachingRequests, matchEvents, matches, notifications } from "~db/schema";
import { matchingFixtures } from "../support/matching-fixtures";

const DAY = 86_400_000;
const MINUTE = 60_000;

const { makeUser, makeCoach, makeRequest } = matchingFixtures({
  person: "Workflow Person",
  emailPrefix: "workflow",
  offer: { capacityPerMonth: 5 },
});

function matchRow(matchId: string) {
  return getDb().select().from(matches).where(eq(matches.id, matchId)).get()!;
}

function requestStatus(requestId: string) {
  return getDb().select({ status: coachingRequests.status }).from(coachingRequests).where(eq(coachingRequests.id, requestId)).get()!.status;
}

function eventRows(matchId: string) {
  return getDb().select().from(matchEvents).where(eq(matchEvents.matchId, matchId)).orderBy(asc(matchEvents.id)).all();
}

function notificationsOf(userId: string) {
  return getDb().select().from(notifications).where(eq(notifications.userId, userId)).orderBy(asc(notifications.id)).all();
}

function inPool(requestId: string, at = new Date()) {
  return loadRequestProfiles(getDb(), at).some((profile) => profile.requestId === requestId);
}

/** A requester's proposal (awaiting review under the default settings), for a fresh coach and request. */
function proposedPair(now = new Date()) {
  const { coach, offerId } = makeCoach();
  const { requester, requestId } = makeRequest({}, { now });
  const proposed = proposeMatch({ requestId, offerId, source: "requester", actorUserId: requester.id }, now);
  if (!proposed.ok) throw new Error(proposed.refusal);
  return { coach, offerId, requester, requestId, matchId: proposed.matchId, status: proposed.status };
}

function withSettings<T>(actorUserId: string, settings: Partial<typeof defaultMatchSettings>, body: () => T): T {
  saveMatchSettings(actorUserId, { ...defaultMatchSettings, ...settings });
  try {
    return body();
  } finally {
    saveMatchSettings(actorUserId, defaultMatchSettings);
  }
}

describe("proposal sources and initial states", () => {
  it("a requester's proposal waits for review by default, with the score of that moment and a creation event", () => {
    const team = makeUser(["team"]);
    const { coach, offerId } = makeCoach();
    const { requester, requestId } = makeRequest();
    const now = new Date();
    expect(getMatchSettings()).toEqual(defaultMatchSettings);
    const explanation = explainCoachForRequest(requestId, offerId, getMatchingWeights(), now)!;
    expect(explanation.excludedBy).toEqual([]);

    const proposed = proposeMatch({ requestId, offerId, source: "requester", actorUserId: requester.id }, now);
    expect(proposed).toMatchObject({ ok: true, status: "awaitingReview" });
    const row = matchRow(proposed.ok ? proposed.matchId : "");
    expect(row).toMatchObject({ requestId, offerId, status: "awaitingReview", source: "requester", proposedByUserId: requester.id, respondBy: null });
    expect(row.score).toBe(explanation.total);
    expect(row.breakdown).toEqual(Object.fromEntries(explanation.criteria.map(({ criterion, points }) => [criterion, points])));
    expect(Object.keys(row.breakdown)).toEqual(["topicFit", "commonTime", "organisationKind", "fairness", "waitingTime"]);
    expect(row.createdAt.getTime()).toBe(now.getTime());

    expect(listMatchEvents([row.id])).toEqual([
      { id: expect.any(Number), matchId: row.id, from: null, to: "awaitingReview", reason: null, at: now, actorName: requester.name, actorSide: "requester" },
    ]);
    expect(eventRows(row.id)).toMatchObject([{ actorUserId: requester.id, fromStatus: null, toStatus: "awaitingReview" }]);
    // The team is told proposals are waiting; the coach hears nothing until the team approves.
    expect(notificationsOf(team.id)).toMatchObject([{ kind: "proposalsWaiting", matchId: null, readAt: null }]);
    expect(notificationsOf(coach.id)).toEqual([]);
  });

  it("a requester's proposal goes straight to the coach when the team does not review, with respondBy = now + responseDays", () => {
    const team = makeUser(["team"]);
    const { coach, offerId } = makeCoach();
    const { requester, requestId } = makeRequest();
    const now = new Date();
    const proposed = withSettings(team.id, { reviewRequesterProposals: false, responseDays: 7 }, () => {
      expect(getMatchSettings()).toMatchObject({ reviewRequesterProposals: false, responseDays: 7 });
      return proposeMatch({ requestId, offerId, source: "requester", actorUserId: requester.id }, now);
    });
    expect(proposed).toMatchObject({ ok: true, status: "awaitingCoach" });
    const row = matchRow(proposed.ok ? proposed.matchId : "");
    expect(row.status).toBe("awaitingCoach");
    expect(row.respondBy?.getTime()).toBe(now.getTime() + 7 * DAY);
    expect(notificationsOf(coach.id)).toMatchObject([{ kind: "proposalForCoach", matchId: row.id, readAt: null }]);
    expect(eventRows(row.id)).toMatchObject([{ actorUserId: requester.id, fromStatus: null, toStatus: "awaitingCoach", reason: null }]);
    expect(getMatchSettings()).toEqual(defaultMatchSettings);
  });

  it("the team's and a batch run's proposals go straight to the coach", () => {
    const team = makeUser(["team"]);
    const now = new Date();
    for (const [source, actor] of [["team", team.id], ["batch", null]] as const) {
      const { offerId } = makeCoach();
      const { requestId } = makeRequest();
      const explanation = explainCoachForRequest(requestId, offerId, getMatchingWeights(), now)!;
      const proposed = proposeMatch({ requestId, offerId, source, actorUserId: actor }, now);
      expect(proposed).toMatchObject({ ok: true, status: "awaitingCoach" });
      const row = matchRow(proposed.ok ? proposed.matchId : "");
      expect(row).toMatchObject({ source, proposedByUserId: actor, status: "awaitingCoach", score: explanation.total });
      expect(row.respondBy?.getTime()).toBe(now.getTime() + defaultMatchSettings.responseDays * DAY);
      expect(eventRows(row.id)).toMatchObject([{ actorUserId: actor, fromStatus: null, toStatus: "awaitingCoach" }]);
    }
  });

  it("saving the settings is audited and validated on read", () => {
    const team = makeUser(["team"]);
    withSettings(team.id, { responseDays: 3, waitingFlagDays: 30 }, () => {
      expect(getMatchSettings()).toEqual({ reviewRequesterProposals: true, responseDays: 3, waitingFlagDays: 30 });
    });
    expect(getMatchSettings()).toEqual(defaultMatchSettings);
  });
});

describe("refused proposals", () => {
  it("refuses an excluded pair and unknown ids", () => {
    const englishOnly = makeCoach({ languages: ["en"] });
    const { offerId } = makeCoach();
    const { requester, requestId } = makeRequest();
    const actor = { source: "requester" as const, actorUserId: requester.id };
    expect(explainCoachForRequest(requestId, englishOnly.offerId, getMatchingWeights())?.excludedBy).toContain("noSharedLanguage");
    expect(proposeMatch({ requestId, offerId: englishOnly.offerId, ...actor })).toEqual({ ok: false, refusal: "excluded" });
    expect(proposeMatch({ requestId: "no-such-request", offerId, ...actor })).toEqual({ ok: false, refusal: "notFound" });
    expect(proposeMatch({ requestId, offerId: "no-such-offer", ...actor })).toEqual({ ok: false, refusal: "notFound" });
    expect(getDb().select().from(matches).where(eq(matches.requestId, requestId)).all()).toEqual([]);
  });

  it("refuses a withdrawn or expired request", () => {
    const { offerId } = makeCoach();
    const withdrawn = makeRequest();
    expect(withdrawRequest(withdrawn.requester.id, withdrawn.requestId)).toBe(true);
    expect(proposeMatch({ requestId: withdrawn.requestId, offerId, source: "team", actorUserId: null })).toEqual({ ok: false, refusal: "requestNotOpen" });

    const expiring = makeRequest();
    const afterExpiry = new Date(Date.now() + 62 * DAY);
    expect(proposeMatch({ requestId: expiring.requestId, offerId, source: "team", actorUserId: null }, afterExpiry)).toEqual({
      ok: false,
      refusal: "requestNotOpen",
    });
    expect(getDb().select().from(matches).where(eq(matches.offerId, offerId)).all()).toEqual([]);
  });

  it("allows one active match per request; after a decline another coach may be proposed, and the declined coach is excluded", () => {
    const team = makeUser(["team"]);
    const first = makeCoach();
    const second = makeCoach();
    const { requestId } = makeRequest();
    const proposeTo = (offerId: string) => proposeMatch({ requestId, offerId, source: "team", actorUserId: team.id });

    const active = proposeTo(first.offerId);
    expect(active).toMatchObject({ ok: true, status: "awaitingCoach" });
    expect(proposeTo(second.offerId)).toEqual({ ok: false, refusal: "requestHasActiveMatch" });
    expect(proposeTo(first.offerId)).toEqual({ ok: false, refusal: "requestHasActiveMatch" });
    expect(getDb().select().from(matches).where(eq(matches.requestId, requestId)).all()).toHaveLength(1);

    const matchId = active.ok ? active.matchId : "";
    expect(actOnMatch({ matchId, action: "decline", actorUserId: first.coach.id, actorRole: "coach", declineReason: "noTime" })).toEqual({
      ok: true,
      status: "declined",
    });
    expect(explainCoachForRequest(requestId, first.offerId, getMatchingWeights())?.excludedBy).toContain("coachDeclined");
    expect(proposeTo(first.offerId)).toEqual({ ok: false, refusal: "excluded" });
    expect(proposeTo(second.offerId)).toMatchObject({ ok: true, status: "awaitingCoach" });
    // The declined coach stays excluded, whatever else is going on with the request.
    expect(proposeTo(first.offerId)).toEqual({ ok: false, refusal: "excluded" });
  });
});

describe("the life of a match", () => {
  it("review, approval, the coach's acceptance and closing, each step in the audit trail and notified", () => {
    const team = makeUser(["team"]);
    const t0 = new Date();
    const at = (hours: number) => new Date(t0.getTime() + hours * 3_600_000);
    const { coach, requester, requestId, matchId, status } = proposedPair(t0);
    expect(status).toBe("awaitingReview");
    expect(notificationsOf(coach.id)).toEqual([]);
    expect(inPool(requestId)).toBe(false);

    expect(actOnMatch({ matchId, action: "approve", actorUserId: team.id, actorRole: "team" }, at(1))).toEqual({ ok: true, status: "awaitingCoach" });
    expect(matchRow(matchId)).toMatchObject({ status: "awaitingCoach", updatedAt: at(1) });
    expect(matchRow(matchId).respondBy?.getTime()).toBe(at(1).getTime() + 5 * DAY);
    expect(notificationsOf(coach.id)).toMatchObject([{ kind: "proposalForCoach", matchId, readAt: null }]);
    expect(notificationsOf(requester.id)).toEqual([]);

    expect(actOnMatch({ matchId, action: "accept", actorUserId: coach.id, actorRole: "coach" }, at(2))).toEqual({ ok: true, status: "accepted" });
    expect(matchRow(matchId).status).toBe("accepted");
    expect(requestStatus(requestId)).toBe("matched");
    expect(notificationsOf(requester.id)).toMatchObject([{ kind: "matchAccepted", matchId, readAt: null }]);
    expect(inPool(requestId)).toBe(false);

    expect(actOnMatch({ matchId, action: "close", actorUserId: team.id, actorRole: "team" }, at(3))).toEqual({ ok: true, status: "closed" });

    expect(listMatchEvents([matchId]).map(({ actorName, from, to, reason, at }) => ({ actorName, from, to, reason, at }))).toEqual([
      { actorName: requester.name, from: null, to: "awaitingReview", reason: null, at: t0 },
      { actorName: team.name, from: "awaitingReview", to: "awaitingCoach", reason: null, at: at(1) },
      { actorName: coach.name, from: "awaitingCoach", to: "accepted", reason: null, at: at(2) },
      { actorName: team.name, from: "accepted", to: "closed", reason: null, at: at(3) },
    ]);
    expect(eventRows(matchId).map((event) => event.actorUserId)).toEqual([requester.id, team.id, coach.id, team.id]);
  });

  it("a decline keeps its reason code and text, tells the requester, tells each team member once, and returns the request to the pool", () => {
    const teamA = makeUser(["team"]);
    const teamB = makeUser(["team"]);
    const first = makeCoach();
    const second = makeCoach();
    const third = makeCoach();
    const { requester, requestId } = makeRequest();
    const waiting = (userId: string) => notificationsOf(userId).filter((n) => n.kind === "proposalsWaiting");

    const proposal = proposeMatch({ requestId, offerId: first.offerId, source: "team", actorUserId: teamA.id });
    const matchId = proposal.ok ? proposal.matchId : "";
    expect(inPool(requestId)).toBe(false);
    const declined = actOnMatch({
      matchId,
      action: "decline",
      actorUserId: first.coach.id,
      actorRole: "coach",
      declineReason: "notMyTopic",
      reason: "  Eher Fundraising als Onboarding.  ",
    });
    expect(declined).toEqual({ ok: true, status: "declined" });
    expect(matchRow(matchId)).toMatchObject({ status: "declined", declineReason: "notMyTopic" });
    const [, declineEvent] = listMatchEvents([matchId]);
    expect(declineEvent).toMatchObject({ from: "awaitingCoach", to: "declined", actorName: first.coach.name });
    expect(declineEvent?.reason).toContain("notMyTopic");
    expect(declineEvent?.reason).toContain("Eher Fundraising als Onboarding.");
    expect(notificationsOf(requester.id)).toMatchObject([{ kind: "matchDeclined", matchId }]);
    expect(waiting(teamA.id)).toMatchObject([{ readAt: null, matchId: null }]);
    expect(waiting(teamB.id)).toMatchObject([{ readAt: null, matchId: null }]);
    expect(inPool(requestId)).toBe(true);

    // A second decline while the first notice is unread adds no second notice.
    const again = proposeMatch({ requestId, offerId: second.offerId, source: "team", actorUserId: teamA.id });
    const secondId = again.ok ? again.matchId : "";
    expect(inPool(requestId)).toBe(false);
    expect(actOnMatch({ matchId: secondId, action: "decline", actorUserId: second.coach.id, actorRole: "coach", declineReason: "fullyBooked" })).toEqual({
      ok: true,
      status: "declined",
    });
    expect(listMatchEvents([secondId])[1]?.reason).toBe("fullyBooked");
    expect(waiting(teamA.id)).toHaveLength(1);
    expect(waiting(teamB.id)).toHaveLength(1);
    expect(notificationsOf(requester.id).map((n) => n.kind)).toEqual(["matchDeclined", "matchDeclined"]);

    // Once read, the next decline brings a new notice to that member only.
    markNotificationsRead(teamA.id);
    const third_ = proposeMatch({ requestId, offerId: third.offerId, source: "team", actorUserId: teamA.id });
    expect(
      actOnMatch({ matchId: third_.ok ? third_.matchId : "", action: "decline", actorUserId: third.coach.id, actorRole: "coach", reason: "Kein Platz" }),
    ).toEqual({ ok: true, status: "declined" });
    expect(waiting(teamA.id).map((n) => n.readAt === null)).toEqual([false, true]);
    expect(waiting(teamB.id)).toHaveLength(1);
    expect(inPool(requestId)).toBe(true);
  });

  it("expires an unanswered proposal only after its deadline, and the request is matchable again without that coach", () => {
    const team = makeUser(["team"]);
    // Days in the past, so no other test's proposal shares this stretch of time.
    const t0 = new Date(Date.now() - 20 * DAY);
    const { coach, offerId, requester, requestId, matchId } = withSettings(team.id, { responseDays: 5 }, () => {
      const pair = proposedPair(t0);
      expect(actOnMatch({ matchId: pair.matchId, action: "approve", actorUserId: team.id, actorRole: "team" }, t0)).toEqual({
        ok: true,
        status: "awaitingCoach",
      });
      return pair;
    });
    expect(matchRow(matchId).respondBy?.getTime()).toBe(t0.getTime() + 5 * DAY);

    const justBefore = new Date(t0.getTime() + 5 * DAY - MINUTE);
    const justAfter = new Date(t0.getTime() + 5 * DAY + MINUTE);
    expect(expireOverdueMatches(justBefore)).toBe(0);
    expect(matchRow(matchId).status).toBe("awaitingCoach");
    expect(inPool(requestId, justBefore)).toBe(false);

    expect(expireOverdueMatches(justAfter)).toBe(1);
    expect(matchRow(matchId)).toMatchObject({ status: "expired", updatedAt: justAfter });
    expect(eventRows(matchId).at(-1)).toMatchObject({ actorUserId: null, fromStatus: "awaitingCoach", toStatus: "expired", reason: null });
    expect(listMatchEvents([matchId]).at(-1)).toMatchObject({ actorName: null, to: "expired", at: justAfter });
    expect(notificationsOf(requester.id)).toMatchObject([{ kind: "matchExpired", matchId }]);
    expect(expireOverdueMatches(justAfter)).toBe(0);

    expect(inPool(requestId, justAfter)).toBe(true);
    expect(explainCoachForRequest(requestId, offerId, getMatchingWeights(), justAfter)?.excludedBy).toContain("coachDeclined");
    expect(proposeMatch({ requestId, offerId, source: "team", actorUserId: team.id }, justAfter)).toEqual({ ok: false, refusal: "excluded" });

    expect(actOnMatch({ matchId, action: "accept", actorUserId: coach.id, actorRole: "coach" }, justAfter)).toEqual({ ok: false, refusal: "alreadyChanged" });
    expect(matchRow(matchId).status).toBe("expired");
    expect(requestStatus(requestId)).toBe("open");
  });
});

describe("illegal steps", () => {
  it("refuses a second accept, approving an accepted match, another coach's match, a missing reason and the wrong role", () => {
    const team = makeUser(["team"]);
    const other = makeCoach();
    const { coach, matchId } = proposedPair();
    const coachActs = (action: "accept" | "decline", actorUserId = coach.id) => actOnMatch({ matchId, action, actorUserId, actorRole: "coach" });

    for (const reason of [undefined, null, "", "   "]) {
      expect(actOnMatch({ matchId, action: "reject", actorUserId: team.id, actorRole: "team", reason })).toEqual({ ok: false, refusal: "reasonRequired" });
    }
    expect(actOnMatch({ matchId, action: "approve", actorUserId: coach.id, actorRole: "coach" })).toEqual({ ok: false, refusal: "wrongActor" });
    expect(coachActs("accept")).toEqual({ ok: false, refusal: "alreadyChanged" });
    expect(actOnMatch({ matchId, action: "approve", actorUserId: team.id, actorRole: "team" })).toEqual({ ok: true, status: "awaitingCoach" });

    expect(coachActs("accept", other.coach.id)).toEqual({ ok: false, refusal: "notFound" });
    expect(coachActs("decline", other.coach.id)).toEqual({ ok: false, refusal: "notFound" });
    expect(actOnMatch({ matchId, action: "accept", actorUserId: team.id, actorRole: "team" })).toEqual({ ok: false, refusal: "wrongActor" });
    expect(actOnMatch({ matchId, action: "decline", actorUserId: coach.id, actorRole: "coach", reason: "  " })).toEqual({ ok: false, refusal: "reasonRequired" });
    expect(matchRow(matchId).status).toBe("awaitingCoach");

    expect(coachActs("accept")).toEqual({ ok: true, status: "accepted" });
    expect(coachActs("accept")).toEqual({ ok: false, refusal: "alreadyChanged" });
    expect(actOnMatch({ matchId, action: "approve", actorUserId: team.id, actorRole: "team" })).toEqual({ ok: false, refusal: "alreadyChanged" });
    expect(actOnMatch({ matchId, action: "reject", actorUserId: team.id, actorRole: "team", reason: "zu spät" })).toEqual({
      ok: false,
      refusal: "alreadyChanged",
    });
    expect(actOnMatch({ matchId: "no-such-match", action: "approve", actorUserId: team.id, actorRole: "team" })).toEqual({ ok: false, refusal: "notFound" });

    expect(matchRow(matchId).status).toBe("accepted");
    expect(eventRows(matchId).map((event) => event.toStatus)).toEqual(["awaitingReview", "awaitingCoach", "accepted"]);
  });

  it("a rejection keeps the trimmed reason and frees the request", () => {
    const team = makeUser(["team"]);
    const { requestId, matchId, coach } = proposedPair();
    expect(actOnMatch({ matchId, action: "reject", actorUserId: team.id, actorRole: "team", reason: "  Passt thematisch nicht. " })).toEqual({
      ok: true,
      status: "rejected",
    });
    expect(eventRows(matchId).at(-1)).toMatchObject({ actorUserId: team.id, fromStatus: "awaitingReview", toStatus: "rejected", reason: "Passt thematisch nicht." });
    expect(notificationsOf(coach.id)).toEqual([]);
    expect(inPool(requestId)).toBe(true);
  });
});

describe("a withdrawn request", () => {
  it("cannot be approved or accepted any more, but its proposal can still be rejected or declined", () => {
    const team = makeUser(["team"]);
    const waitingForReview = proposedPair();
    expect(withdrawRequest(waitingForReview.requester.id, waitingForReview.requestId)).toBe(true);
    expect(actOnMatch({ matchId: waitingForReview.matchId, action: "approve", actorUserId: team.id, actorRole: "team" })).toEqual({
      ok: false,
      refusal: "requestNotOpen",
    });
    expect(matchRow(waitingForReview.matchId)?.status).toBe("awaitingReview");
    expect(actOnMatch({ matchId: waitingForReview.matchId, action: "reject", actorUserId: team.id, actorRole: "team", reason: "Zurückgezogen" }).ok).toBe(true);

    const withCoach = proposedPair();
    expect(actOnMatch({ matchId: withCoach.matchId, action: "approve", actorUserId: team.id, actorRole: "team" }).ok).toBe(true);
    expect(withdrawRequest(withCoach.requester.id, withCoach.requestId)).toBe(true);
    expect(actOnMatch({ matchId: withCoach.matchId, action: "accept", actorUserId: withCoach.coach.id, actorRole: "coach" })).toEqual({
      ok: false,
      refusal: "requestNotOpen",
    });
    expect(requestStatus(withCoach.requestId)).toBe("withdrawn");
    expect(
      actOnMatch({ matchId: withCoach.matchId, action: "decline", actorUserId: withCoach.coach.id, actorRole: "coach", declineReason: "other" }).ok,
    ).toBe(true);
  });
});

describe("two people deciding at once", () => {
  it("in one process: of two simultaneous approvals exactly one wins", async () => {
    const [teamA, teamB] = [makeUser(["team"]), makeUser(["team"])];
    const { matchId, coach } = proposedPair();
    const approveAs = async (userId: string) => actOnMatch({ matchId, action: "approve", actorUserId: userId, actorRole: "team" });
    const results = await Promise.all([approveAs(teamA.id), approveAs(teamB.id)]);
    expect(results).toContainEqual({ ok: true, status: "awaitingCoach" });
    expect(results).toContainEqual({ ok: false, refusal: "alreadyChanged" });
    expect(eventRows(matchId).filter((event) => event.toStatus === "awaitingCoach")).toHaveLength(1);
    expect(notificationsOf(coach.id).filter((n) => n.kind === "proposalForCoach")).toHaveLength(1);
  });

  describe("on separate connections in two worker threads", () => {
    const workerEntry = path.resolve("tests/support/match-action-worker.mjs");
    const gate = new Int32Array(new SharedArrayBuffer(8));
    let workers: Worker[] = [];
    let round = 0;
    let second: TandemDatabase;

    beforeAll(async () => {
      second = openDatabase(process.env.DATABASE_PATH!);
      workers = [0, 1].map(() => new Worker(workerEntry, { workerData: { gate: gate.buffer } }));
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              worker.once("error", reject);
              worker.once("message", () => resolve());
            }),
        ),
      );
    }, 60_000);

    afterAll(async () => {
      await Promise.all(workers.map((worker) => worker.terminate()));
      second?.$client.close();
    });

    type Outcome = { result?: ActResult | ProposeResult; error?: { code: string | null; message: string } };
    type Call = { call: "act"; input: Parameters<typeof actOnMatch>[0] } | { call: "override"; input: Parameters<typeof overrideMatch>[0] } | {
      call: "propose";
      input: Parameters<typeof proposeMatch>[0];
    };

    /** Hands each worker its call and releases both together; `whileWaiting` runs once both are spinning at the gate. */
    async function together(calls: [Call, Call], whileWaiting?: () => Promise<void>): Promise<Outcome[]> {
      round += 1;
      const current = round;
      const outcomes = workers.map(
        (worker, index) =>
          new Promise<Outcome>((resolve, reject) => {
            worker.once("error", reject);
            worker.once("message", (message: Outcome & { round: number }) => resolve(message));
            worker.postMessage({ round: current, ...calls[index] });
          }),
      );
      while (Atomics.load(gate, 1) < current * 2) await new Promise((resolve) => setTimeout(resolve, 1));
      Atomics.store(gate, 0, current);
      await whileWaiting?.();
      return Promise.all(outcomes);
    }

    const approveBy = (matchId: string, actorUserId: string): Call => ({ call: "act", input: { matchId, action: "approve", actorUserId, actorRole: "team" } });

    function noErrors(outcomes: Outcome[]) {
      expect(outcomes.map((outcome) => outcome.error ?? null)).toEqual([null, null]);
      return outcomes.map((outcome) => outcome.result);
    }

    /** Read back through the second connection: what any other process would see. */
    function seenElsewhere(matchId: string) {
      return {
        status: second.select({ status: matches.status }).from(matches).where(eq(matches.id, matchId)).get()?.status,
        events: second.select().from(matchEvents).where(eq(matchEvents.matchId, matchId)).orderBy(asc(matchEvents.id)).all(),
      };
    }

    function expectOneApproval(outcomes: Outcome[], matchId: string) {
      const results = noErrors(outcomes);
      expect(results).toContainEqual({ ok: true, status: "awaitingCoach" });
      expect(results).toContainEqual({ ok: false, refusal: "alreadyChanged" });
      const seen = seenElsewhere(matchId);
      expect(seen.status).toBe("awaitingCoach");
      expect(seen.events.map((event) => [event.fromStatus, event.toStatus])).toEqual([
        [null, "awaitingReview"],
        ["awaitingReview", "awaitingCoach"],
      ]);
    }

    it("while a third connection holds the write lock, both wait for it; then one approval wins and the other is told alreadyChanged", async () => {
      const [teamA, teamB] = [makeUser(["team"]), makeUser(["team"])];
      const { matchId } = proposedPair();
      second.$client.exec("BEGIN IMMEDIATE");
      let committed = false;
      try {
        const outcomes = await together([approveBy(matchId, teamA.id), approveBy(matchId, teamB.id)], async () => {
          // Give both workers time to start their transactions and run into the lock.
          await new Promise((resolve) => setTimeout(resolve, 300));
          second.$client.exec("COMMIT");
          committed = true;
        });
        expectOneApproval(outcomes, matchId);
      } finally {
        if (!committed) second.$client.exec("ROLLBACK");
      }
    });

    it("in many free races, exactly one approval wins each time", async () => {
      const [teamA, teamB] = [makeUser(["team"]), makeUser(["team"])];
      for (let race = 0; race < 25; race++) {
        const { matchId } = proposedPair();
        expectOneApproval(await together([approveBy(matchId, teamA.id), approveBy(matchId, teamB.id)]), matchId);
      }
    }, 60_000);

    it("an approval racing a rejection or an override: exactly one of them happens", async () => {
      const [teamA, teamB] = [makeUser(["team"]), makeUser(["team"])];
      for (let race = 0; race < 16; race++) {
        const { matchId, requestId } = proposedPair();
        const other: Call =
          race % 2 === 0
            ? { call: "act", input: { matchId, action: "reject", actorUserId: teamB.id, actorRole: "team", reason: "Doppelt" } }
            : { call: "override", input: { matchId, offerId: makeCoach().offerId, actorUserId: teamB.id, reason: "Besser passend" } };
        const results = noErrors(await together([approveBy(matchId, teamA.id), other]));
        expect(results.filter((result) => result?.ok)).toHaveLength(1);
        expect(results.filter((result) => result?.ok === false && result.refusal === "alreadyChanged")).toHaveLength(1);
        const seen = seenElsewhere(matchId);
        expect(seen.events).toHaveLength(2);
        expect(seen.status).toBe(seen.events[1]?.toStatus);
        // A rejection leaves no active match; an approval or an override leaves exactly one, with the coach.
        const active = second.select().from(matches).where(eq(matches.requestId, requestId)).all().filter((match) => isActive(match.status));
        expect(active.map((match) => match.status)).toEqual(seen.status === "rejected" ? [] : ["awaitingCoach"]);
      }
    }, 60_000);

    it("two proposals for one request at once: one is stored, the other is told the request has an active match", async () => {
      const [teamA, teamB] = [makeUser(["team"]), makeUser(["team"])];
      for (let race = 0; race < 10; race++) {
        const { requestId } = makeRequest();
        const [first, other] = [makeCoach(), makeCoach()];
        const results = noErrors(
          await together([
            { call: "propose", input: { requestId, offerId: first.offerId, source: "team", actorUserId: teamA.id } },
            { call: "propose", input: { requestId, offerId: other.offerId, source: "team", actorUserId: teamB.id } },
          ]),
        );
        expect(results.filter((result) => result?.ok)).toHaveLength(1);
        expect(results).toContainEqual({ ok: false, refusal: "requestHasActiveMatch" });
        expect(second.select().from(matches).where(eq(matches.requestId, requestId)).all()).toHaveLength(1);
      }
    }, 60_000);
  });
});

describe("override", () => {
  it("replaces the proposed coach in one step, and rolls back entirely when the new coach is refused", () => {
    const team = makeUser(["team"]);
    const replacement = makeCoach();
    const englishOnly = makeCoach({ languages: ["en"] });
    const { requestId, matchId, offerId } = proposedPair();
    const before = eventRows(matchId);
    const matchesOfRequest = () => getDb().select().from(matches).where(eq(matches.requestId, requestId)).all();

    expect(overrideMatch({ matchId, offerId: englishOnly.offerId, actorUserId: team.id, reason: "Näher dran" })).toEqual({ ok: false, refusal: "excluded" });
    expect(overrideMatch({ matchId, offerId: "no-such-offer", actorUserId: team.id, reason: "Näher dran" })).toEqual({ ok: false, refusal: "notFound" });
    expect(overrideMatch({ matchId, offerId, actorUserId: team.id, reason: "Derselbe" })).toEqual({ ok: false, refusal: "excluded" });
    for (const reason of ["", "   "]) {
      expect(overrideMatch({ matchId, offerId: replacement.offerId, actorUserId: team.id, reason })).toEqual({ ok: false, refusal: "reasonRequired" });
    }
    expect(overrideMatch({ matchId: "no-such-match", offerId: replacement.offerId, actorUserId: team.id, reason: "x" })).toEqual({
      ok: false,
      refusal: "notFound",
    });
    expect(matchRow(matchId).status).toBe("awaitingReview");
    expect(matchesOfRequest()).toHaveLength(1);
    expect(eventRows(matchId)).toEqual(before);
    expect(notificationsOf(englishOnly.coach.id)).toEqual([]);

    const now = new Date();
    expect(overrideMatch({ matchId, offerId: replacement.offerId, actorUserId: team.id, reason: " Hat mehr Erfahrung. " }, now)).toEqual({
      ok: true,
      status: "overridden",
    });
    expect(matchRow(matchId).status).toBe("overridden");
    expect(eventRows(matchId).at(-1)).toMatchObject({ actorUserId: team.id, fromStatus: "awaitingReview", toStatus: "overridden", reason: "Hat mehr Erfahrung." });
    const created = matchesOfRequest().find((match) => match.id !== matchId)!;
    expect(created).toMatchObject({ offerId: replacement.offerId, status: "awaitingCoach", source: "team", proposedByUserId: team.id });
    expect(created.respondBy?.getTime()).toBe(now.getTime() + defaultMatchSettings.responseDays * DAY);
    expect(eventRows(created.id)).toMatchObject([{ actorUserId: team.id, fromStatus: null, toStatus: "awaitingCoach" }]);
    expect(notificationsOf(replacement.coach.id)).toMatchObject([{ kind: "proposalForCoach", matchId: created.id }]);

    // An overridden proposal cannot be overridden or approved again.
    expect(overrideMatch({ matchId, offerId: replacement.offerId, actorUserId: team.id, reason: "Nochmal" })).toEqual({ ok: false, refusal: "alreadyChanged" });
    expect(actOnMatch({ matchId, action: "approve", actorUserId: team.id, actorRole: "team" })).toEqual({ ok: false, refusal: "alreadyChanged" });
  });
});

describe("notifications", () => {
  it("are counted, listed newest first and marked read per user", () => {
    const team = makeUser(["team"]);
    const bystander = makeUser(["coach"]);
    const t0 = new Date();
    const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);
    const one = proposedPair(t0);
    const two = proposedPair(t0);
    actOnMatch({ matchId: one.matchId, action: "approve", actorUserId: team.id, actorRole: "team" }, at(1));
    actOnMatch({ matchId: two.matchId, action: "approve", actorUserId: team.id, actorRole: "team" }, at(2));
    actOnMatch({ matchId: one.matchId, action: "accept", actorUserId: one.coach.id, actorRole: "coach" }, at(3));

    expect(countUnreadNotifications(one.coach.id)).toBe(1);
    expect(countUnreadNotifications(two.coach.id)).toBe(1);
    expect(countUnreadNotifications(one.requester.id)).toBe(1);
    expect(countUnreadNotifications(two.requester.id)).toBe(0);
    expect(countUnreadNotifications(bystander.id)).toBe(0);
    expect(listNotifications(bystander.id)).toEqual([]);

    // A second notice for the first coach, later: listed first.
    const three = makeRequest();
    const offered = proposeMatch({ requestId: three.requestId, offerId: one.offerId, source: "team", actorUserId: team.id }, at(4));
    expect(offered.ok).toBe(true);
    expect(listNotifications(one.coach.id)).toEqual([
      { id: expect.any(Number), kind: "proposalForCoach", matchId: offered.ok ? offered.matchId : "", createdAt: at(4), readAt: null },
      { id: expect.any(Number), kind: "proposalForCoach", matchId: one.matchId, createdAt: at(1), readAt: null },
    ]);
    expect(listNotifications(one.coach.id, 1)).toHaveLength(1);
    expect(countUnreadNotifications(one.coach.id)).toBe(2);

    markNotificationsRead(one.coach.id, at(5));
    expect(countUnreadNotifications(one.coach.id)).toBe(0);
    expect(listNotifications(one.coach.id).map((n) => n.readAt)).toEqual([at(5), at(5)]);
    expect(countUnreadNotifications(two.coach.id)).toBe(1);
    expect(countUnreadNotifications(one.requester.id)).toBe(1);

    // Marking again leaves the first read time alone.
    markNotificationsRead(one.coach.id, at(6));
    expect(listNotifications(one.coach.id).map((n) => n.readAt)).toEqual([at(5), at(5)]);
  });
});

describe("the audit trail", () => {
  it("is append-only in practice: later steps leave earlier events untouched", () => {
    const team = makeUser(["team"]);
    const t0 = new Date();
    const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);
    const { matchId, coach } = proposedPair(t0);
    const afterProposal = eventRows(matchId);
    actOnMatch({ matchId, action: "approve", actorUserId: team.id, actorRole: "team" }, at(1));
    const afterApproval = eventRows(matchId);
    expect(afterApproval.slice(0, 1)).toEqual(afterProposal);

    // Refused steps write nothing.
    actOnMatch({ matchId, action: "approve", actorUserId: team.id, actorRole: "team" }, at(2));
    actOnMatch({ matchId, action: "decline", actorUserId: coach.id, actorRole: "coach" }, at(2));
    expect(eventRows(matchId)).toEqual(afterApproval);

    actOnMatch({ matchId, action: "accept", actorUserId: coach.id, actorRole: "coach" }, at(3));
    actOnMatch({ matchId, action: "close", actorUserId: team.id, actorRole: "team" }, at(4));
    const final = eventRows(matchId);
    expect(final).toHaveLength(4);
    expect(final.slice(0, 2)).toEqual(afterApproval);
    expect(final.map((event) => [event.fromStatus, event.toStatus])).toEqual([
      [null, "awaitingReview"],
      ["awaitingReview", "awaitingCoach"],
      ["awaitingCoach", "accepted"],
      ["accepted", "closed"],
    ]);
    expect(final.map((event) => event.at.getTime())).toEqual([t0, at(1), at(3), at(4)].map((date) => date.getTime()));
  });
});
