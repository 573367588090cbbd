/**
 * Matching against a real migrated database: profiles read from offers, requests and matches; the
 * cached coach pool noticing changes; weights with their audit log; suggestions and weights routes
 * with their guards; and batch runs, directly and through the real worker thread.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { defaultMatchingWeights } from "~/domain/matching/criteria";
import { getMatchingRun, listRunProposals } from "~/models/matching-runs.server";
import {
  getCoachPool,
  getMatchingWeights,
  listWeightChanges,
  loadRequestProfiles,
  saveMatchingWeights,
  suggestCoaches,
} from "~/models/matching.server";
import { setOfferPause } from "~/models/offer.server";
import * as suggestionsRoute from "~/routes/requests.$requestId.suggestions";
import * as hubRoute from "~/routes/team.matching._index";
import * as runRoute from "~/routes/team.matching.runs.$runId";
import * as weightsRoute from "~/routes/team.matching.weights";
import { auditEvents, coachingRequests, matches, matchingProposals, matchingRuns, type MatchStatus } from "~db/schema";
import { matchingFixtures, runBatchNow } from "../support/matching-fixtures";
import { call, get, post, sessionFor } from "../support/route-calls";

const { makeUser, makeCoach, makeRequest } = matchingFixtures({ person: "Matching Person", emailPrefix: "matching" });

function addMatch(requestId: string, offerId: string, status: MatchStatus, createdAt = new Date()) {
  getDb()
    .insert(matches)
    .values({ id: crypto.randomUUID(), requestId, offerId, status, source: "team", score: 50, breakdown: {}, createdAt, updatedAt: new Date() })
    .run();
}

function explanationFor(requestId: string, offerId: string) {
  const suggestions = suggestCoaches(requestId, defaultMatchingWeights)!;
  const suggested = suggestions.suggestions.find((explanation) => explanation.offerId === offerId);
  return { suggestions, suggested };
}

describe("suggestions from the database", () => {
  it("suggests a fitting coach with its breakdown, and notices a pause straight away", () => {
    const { offerId, coach } = makeCoach();
    const { requestId } = makeRequest();
    const before = explanationFor(requestId, offerId);
    expect(before.suggested?.excludedBy).toEqual([]);
    expect(before.suggested?.criteria.map((criterion) => criterion.criterion)).toEqual([
      "topicFit",
      "commonTime",
      "organisationKind",
      "fairness",
      "waitingTime",
    ]);
    expect(before.suggested?.total).toBeGreaterThan(50);

    expect(setOfferPause(coach.id, "2099-12-31")).toBe(true);
    const after = explanationFor(requestId, offerId);
    expect(after.suggested).toBeUndefined();
    expect(after.suggestions.excludedCounts.coachPaused).toBeGreaterThanOrEqual(1);
  });

  it("counts this month's matches awaiting the coach or accepted against capacity, and declines per request", () => {
    const { offerId } = makeCoach({ capacityPerMonth: 2 });
    const first = makeRequest();
    const second = makeRequest();
    const third = makeRequest();
    expect(explanationFor(third.requestId, offerId).suggested).toBeDefined();

    addMatch(first.requestId, offerId, "declined");
    expect(explanationFor(first.requestId, offerId).suggestions.suggestions.some((s) => s.offerId === offerId)).toBe(false);
    expect(explanationFor(third.requestId, offerId).suggested).toBeDefined();

    addMatch(second.requestId, offerId, "awaitingCoach");
    addMatch(first.requestId, offerId, "accepted", new Date(Date.now() - 40 * 86_400_000));
    // The accepted match is older than this month (most of the time) but counts as a recent tandem.
    const fairness = explanationFor(third.requestId, offerId).suggested?.criteria.find((c) => c.criterion === "fairness");
    expect(fairness?.facts).toEqual({ criterion: "fairness", recentSessions: 1 });

    addMatch(makeRequest().requestId, offerId, "accepted");
    const full = explanationFor(third.requestId, offerId);
    expect(full.suggested).toBeUndefined();
    expect(full.suggestions.excludedCounts.coachAtCapacity).toBeGreaterThanOrEqual(1);
  });

  it("leaves requests with an active match, and withdrawn ones, out of the batch", () => {
    const { offerId } = makeCoach();
    const pending = makeRequest();
    const open = makeRequest();
    addMatch(pending.requestId, offerId, "awaitingReview");
    getDb().update(coachingRequests).set({ status: "withdrawn" }).where(eq(coachingRequests.id, open.requestId)).run();
    const stillOpen = makeRequest();
    const ids = loadRequestProfiles(getDb(), new Date()).map((profile) => profile.requestId);
    expect(ids).toContain(stillOpen.requestId);
    expect(ids).not.toContain(pending.requestId);
    expect(ids).not.toContain(open.requestId);
  });

  it("reuses the compiled pool until an offer changes", () => {
    const now = new Date();
    const first = getCoachPool(now);
    expect(getCoachPool(now)).toBe(first);
    makeCoach();
    const second = getCoachPool(now);
    expect(second).not.toBe(first);
    expect(second.count).toBe(first.count + 1);
  });
});

describe("weights", () => {
  it("start at the defaults, and every change is logged with before and after", () => {
    const team = makeUser(["team"]);
    expect(getMatchingWeights()).toEqual(defaultMatchingWeights);
    saveMatchingWeights(team.id, { ...defaultMatchingWeights, topicFit: 30, fairness: 25 });
    saveMatchingWeights(team.id, { ...defaultMatchingWeights, topicFit: 30, fairness: 25 });
    expect(getMatchingWeights()).toMatchObject({ topicFit: 30, fairness: 25 });
    const changes = listWeightChanges();
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      actorName: team.name,
      changes: { topicFit: { before: 40, after: 30 }, fairness: { before: 10, after: 25 } },
    });
    saveMatchingWeights(team.id, defaultMatchingWeights);
    expect(getDb().select().from(auditEvents).where(eq(auditEvents.action, "matching.weightsChanged")).all()).toHaveLength(2);
  });
});

describe("suggestions route", () => {
  it("shows a request's suggestions to its author and the team, and answers 404 to anyone else", async () => {
    const { requester, requestId } = makeRequest();
    makeCoach();
    const path = `/requests/${requestId}/suggestions`;
    const params = { requestId };
    const owner = await call(suggestionsRoute.loader, get(path, await sessionFor(requester.id)), params);
    expect(owner.response.status).toBe(200);
    const body = (await owner.response.json()) as { suggestions: { suggestions: unknown[] }; coaches: Record<string, { coachName: string | null }> };
    expect(body.suggestions.suggestions.length).toBeGreaterThan(0);
    expect(Object.values(body.coaches).every((coach) => coach.coachName === null)).toBe(true);

    const team = await call(suggestionsRoute.loader, get(path, await sessionFor(makeUser(["team"]).id)), params);
    expect(team.response.status).toBe(200);
    const teamBody = (await team.response.json()) as { coaches: Record<string, { coachName: string | null }> };
    expect(Object.values(teamBody.coaches).every((coach) => typeof coach.coachName === "string")).toBe(true);

    const stranger = await call(suggestionsRoute.loader, get(path, await sessionFor(makeUser(["requester"]).id)), params);
    expect(stranger.response.status).toBe(404);
    const missing = await call(suggestionsRoute.loader, get("/requests/nope/suggestions", await sessionFor(requester.id)), {
      requestId: "nope",
    });
    expect(missing.response.status).toBe(404);
    const anonymous = await call(suggestionsRoute.loader, get(path), params);
    expect(anonymous.response.status).toBe(302);
  });

  it("lets the author ask an allowed coach, refuses an excluded one, and refuses the team", async () => {
    const { requester, requestId } = makeRequest();
    const allowed = makeCoach();
    const englishOnly = makeCoach({ languages: ["en"] });
    const cookie = await sessionFor(requester.id);
    const path = `/requests/${requestId}/suggestions`;
    const refused = await call(suggestionsRoute.action, post(path, [["intent", "ask"], ["offerId", englishOnly.offerId]], cookie), { requestId });
    expect(refused.response.status).toBe(409);
    const wished = () => getDb().select().from(coachingRequests).where(eq(coachingRequests.id, requestId)).get()?.wishedCoachOfferId;
    expect(wished()).toBeNull();

    const bad = await call(suggestionsRoute.action, post(path, [["intent", "ask"], ["offerId", "x".repeat(100)]], cookie), { requestId });
    expect(bad.response.status).toBe(400);

    const asked = await call(suggestionsRoute.action, post(path, [["intent", "ask"], ["offerId", allowed.offerId]], cookie), { requestId });
    expect(asked.response.status).toBe(302);
    expect(wished()).toBe(allowed.offerId);

    const teamCookie = await sessionFor(makeUser(["team"]).id);
    const byTeam = await call(suggestionsRoute.action, post(path, [["intent", "ask"], ["offerId", allowed.offerId]], teamCookie), { requestId });
    expect(byTeam.response.status).toBe(403);
  });
});

describe("weights route", () => {
  it("refuses bad input beside the field without saving, previews, and saves", async () => {
    const team = makeUser(["team"]);
    const cookie = await sessionFor(team.id);
    const { requestId } = makeRequest();
    makeCoach();
    const fields = (values: Record<string, string>): [string, string][] =>
      Object.entries({ ...Object.fromEntries(Object.entries(defaultMatchingWeights).map(([k, v]) => [k, String(v)])), ...values });

    const bad = await call(weightsRoute.action, post("/team/matching/weights", [["intent", "save"], ...fields({ topicFit: "101", fairness: "abc" })], cookie));
    expect(bad.response.status).toBe(400);
    expect(((await bad.response.json()) as { errors: Record<string, string> }).errors).toEqual({
      topicFit: "errors.weightInvalid",
      fairness: "errors.weightInvalid",
    });
    const allZero = Object.fromEntries(Object.keys(defaultMatchingWeights).map((key) => [key, "0"]));
    const zero = await call(weightsRoute.action, post("/team/matching/weights", [["intent", "save"], ...fields(allZero)], cookie));
    expect(zero.response.status).toBe(400);
    expect(getMatchingWeights()).toEqual(defaultMatchingWeights);

    const preview = await call(
      weightsRoute.action,
      post("/team/matching/weights", [["intent", "preview"], ["previewRequestId", requestId], ...fields({ topicFit: "0", commonTime: "100" })], cookie),
    );
    expect(preview.response.status).toBe(200);
    const previewBody = (await preview.response.json()) as { preview: { current: { total: number }[]; proposed: { total: number }[] } };
    expect(previewBody.preview.current.length).toBeGreaterThan(0);
    expect(previewBody.preview.proposed.length).toBe(previewBody.preview.current.length);
    expect(getMatchingWeights()).toEqual(defaultMatchingWeights);

    const saved = await call(weightsRoute.action, post("/team/matching/weights", [["intent", "save"], ...fields({ topicFit: "35" })], cookie));
    expect(saved.response.status).toBe(302);
    expect(getMatchingWeights().topicFit).toBe(35);
    saveMatchingWeights(team.id, defaultMatchingWeights);

    const requesterCookie = await sessionFor(makeUser(["requester"]).id);
    const forbidden = await call(weightsRoute.action, post("/team/matching/weights", [["intent", "save"], ...fields({})], requesterCookie));
    expect(forbidden.response.status).toBe(403);
    const unknownIntent = await call(weightsRoute.action, post("/team/matching/weights", [["intent", "drop"], ...fields({})], cookie));
    expect(unknownIntent.response.status).toBe(400);
  });
});

describe("batch runs", () => {
  it("stores proposals that respect capacity and the rules, with their breakdown", () => {
    const team = makeUser(["team"]);
    const { offerId } = makeCoach({ capacityPerMonth: 1 });
    makeRequest();
    makeRequest();
    const runId = runBatchNow("count", team.id);
    const run = getMatchingRun(runId)!;
    expect(run).toMatchObject({ status: "finished", phase: "done", progress: 100 });
    const proposals = listRunProposals(runId);
    expect(proposals.length).toBe(run.matchedCount);
    const perOffer = new Map<string, number>();
    for (const proposal of proposals) perOffer.set(proposal.offerId, (perOffer.get(proposal.offerId) ?? 0) + 1);
    expect(perOffer.get(offerId) ?? 0).toBeLessThanOrEqual(1);
    for (const proposal of proposals) {
      const sum = Object.values(proposal.breakdown).reduce((total, points) => total + points, 0);
      expect(sum).toBeCloseTo(proposal.score, 6);
      const suggestion = suggestCoaches(proposal.requestId, defaultMatchingWeights)!;
      expect(suggestion.excludedCounts).toBeDefined();
    }
    expect(run.totalScore).toBeCloseTo(proposals.reduce((total, proposal) => total + proposal.score, 0), 6);
  });

  it("runs in a worker thread started from the team page, and the run page follows it", async () => {
    const team = makeUser(["team"]);
    makeCoach();
    makeRequest();
    const cookie = await sessionFor(team.id);
    const started = await call(hubRoute.action, post("/team/matching", [["mode", "score"]], cookie));
    expect(started.response.status).toBe(302);
    const location = started.response.headers.get("Location")!;
    const runId = location.split("/").pop()!;
    const deadline = Date.now() + 30_000;
    while (getMatchingRun(runId)?.status === "running" && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const run = getMatchingRun(runId)!;
    expect(run.error).toBeNull();
    expect(run.status).toBe("finished");
    expect(getDb().select().from(matchingProposals).where(eq(matchingProposals.runId, runId)).all().length).toBe(run.matchedCount);

    const page = await call(runRoute.loader, get(location, cookie), { runId });
    expect(page.response.status).toBe(200);
    const missing = await call(runRoute.loader, get("/team/matching/runs/nope", cookie), { runId: "nope" });
    expect(missing.response.status).toBe(404);
    const requesterCookie = await sessionFor(makeUser(["requester"]).id);
    expect((await call(runRoute.loader, get(location, requesterCookie), { runId })).response.status).toBe(403);
  });

  it("refuses an unknown mode and anyone outside the team", async () => {
    const cookie = await sessionFor(makeUser(["team"]).id);
    const bad = await call(hubRoute.action, post("/team/matching", [["mode", "fastest"]], cookie));
    expect(bad.response.status).toBe(400);
    const requesterCookie = await sessionFor(makeUser(["requester", "coach"]).id);
    expect((await call(hubRoute.action, post("/team/matching", [["mode", "score"]], requesterCookie))).response.status).toBe(403);
    expect((await call(hubRoute.loader, get("/team/matching", requesterCookie))).response.status).toBe(403);
  });

  it("marks a run whose worker is gone (a restart) as interrupted", () => {
    const runId = crypto.randomUUID();
    getDb()
      .insert(matchingRuns)
      .values({ id: runId, mode: "score", status: "running", phase: "scoring", weights: defaultMatchingWeights })
      .run();
    expect(getMatchingRun(runId)).toMatchObject({ status: "failed", error: "interrupted" });
  });
});
