/**
 * The match pages as route modules with real sessions: who may open a match, who may take which
 * action, and that names and contact details reach the other side only once the coach accepted.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { proposeMatch } from "~/models/match.server";
import * as matchesRoute from "~/routes/matches._index";
import * as matchRoute from "~/routes/matches.$matchId";
import * as notificationsRoute from "~/routes/notifications";
import * as deskRoute from "~/routes/team.desk";
import * as runRoute from "~/routes/team.matching.runs.$runId";
import { listRunProposals } from "~/models/matching-runs.server";
import { expireOverdueMatches } from "~/models/match.server";
import { matches } from "~db/schema";
import * as suggestionsRoute from "~/routes/requests.$requestId.suggestions";
import { users } from "~db/schema";
import { eq } from "drizzle-orm";
import { matchingFixtures, runBatchNow } from "../support/matching-fixtures";
import { call, get, post, sessionFor } from "../support/route-calls";

const { makeUser, makeCoach, makeRequest } = matchingFixtures({ person: "Route Person", emailPrefix: "match-routes" });

function proposedMatch() {
  const { coach, offerId } = makeCoach();
  const { requester, requestId } = makeRequest();
  getDb().update(users).set({ humhubUsername: `hh_coach_${coach.id.slice(0, 6)}` }).where(eq(users.id, coach.id)).run();
  const proposed = proposeMatch({ requestId, offerId, source: "requester", actorUserId: requester.id });
  if (!proposed.ok) throw new Error(proposed.refusal);
  return { coach, requester, requestId, offerId, matchId: proposed.matchId };
}

async function openMatch(matchId: string, userId?: string) {
  const cookie = userId ? await sessionFor(userId) : undefined;
  return call(matchRoute.loader, get(`/matches/${matchId}`, cookie), { matchId });
}

async function act(matchId: string, userId: string, fields: [string, string][]) {
  return call(matchRoute.action, post(`/matches/${matchId}`, fields, await sessionFor(userId)), { matchId });
}

type MatchBody = { match: { viewerRole: string; coachName: string | null; requesterName: string | null; contact: { email: string; humhub: string | null } | null } };

describe("the match page", () => {
  it("is open to the requester, the coach and the team, and answers 404 to everyone else", async () => {
    const { coach, requester, matchId } = proposedMatch();
    const team = makeUser(["team"]);
    // Under review, the proposal has not reached the coach yet.
    expect((await openMatch(matchId, coach.id)).response.status).toBe(404);
    expect((await act(matchId, coach.id, [["intent", "accept"]])).response.status).toBe(404);
    expect((await act(matchId, team.id, [["intent", "approve"]])).response.status).toBe(302);
    for (const [userId, role] of [
      [requester.id, "requester"],
      [coach.id, "coach"],
      [team.id, "team"],
    ] as const) {
      const { response } = await openMatch(matchId, userId);
      expect(response.status).toBe(200);
      expect(((await response.json()) as MatchBody).match.viewerRole).toBe(role);
    }
    for (const stranger of [makeUser(["requester"]), makeUser(["coach"]), makeUser(["requester", "coach"])]) {
      expect((await openMatch(matchId, stranger.id)).response.status).toBe(404);
    }
    expect((await openMatch("no-such-match", requester.id)).response.status).toBe(404);
    expect((await openMatch(matchId)).response.status).toBe(302);
  });

  it("shares names and contact details with the other side only after the coach accepted", async () => {
    const { coach, requester, matchId } = proposedMatch();
    const team = makeUser(["team"]);
    const bodyFor = async (userId: string) => (await (await openMatch(matchId, userId)).response.json()) as MatchBody;

    // The team works with names but never receives contact details.
    const teamView = await bodyFor(team.id);
    expect(teamView.match.coachName).toBe(coach.name);
    expect(teamView.match.contact).toBeNull();

    expect((await act(matchId, team.id, [["intent", "approve"]])).response.status).toBe(302);
    for (const userId of [requester.id, coach.id]) {
      const { match } = await bodyFor(userId);
      expect(match.contact).toBeNull();
      expect(match.coachName).toBeNull();
      expect(match.requesterName).toBeNull();
      expect(JSON.stringify(match)).not.toContain("@match-routes.example");
    }
    expect((await act(matchId, coach.id, [["intent", "accept"]])).response.status).toBe(302);

    const requesterView = await bodyFor(requester.id);
    expect(requesterView.match.contact).toMatchObject({ email: coach.email, humhub: expect.stringMatching(/^hh_coach_/) });
    const coachView = await bodyFor(coach.id);
    expect(coachView.match.contact).toMatchObject({ email: requester.email, humhub: null });
    expect((await bodyFor(team.id)).match.contact).toBeNull();
  });

  it("lets each role take only its own actions, with clear refusals", async () => {
    const { coach, requester, matchId } = proposedMatch();
    const team = makeUser(["team"]);
    const otherTeam = makeUser(["team"]);

    // Requesters cannot review; the coach does not see the proposal before the team sent it.
    expect((await act(matchId, requester.id, [["intent", "approve"]])).response.status).toBe(403);
    expect((await act(matchId, coach.id, [["intent", "approve"]])).response.status).toBe(404);
    expect((await act(matchId, team.id, [["intent", "accept"]])).response.status).toBe(403);
    expect((await act(matchId, team.id, [["intent", "explode"]])).response.status).toBe(400);

    const noReason = await act(matchId, team.id, [["intent", "reject"], ["reason", "  "]]);
    expect(noReason.response.status).toBe(400);
    expect(((await noReason.response.json()) as { errors: Record<string, string> }).errors.reason).toBe("errors.required");

    expect((await act(matchId, team.id, [["intent", "approve"]])).response.status).toBe(302);
    expect((await act(matchId, coach.id, [["intent", "approve"]])).response.status).toBe(403);
    const late = await act(matchId, otherTeam.id, [["intent", "approve"]]);
    expect(late.response.status).toBe(409);
    expect(((await late.response.json()) as { formError: string }).formError).toBe("matches.refusals.alreadyChanged");

    const badDecline = await act(matchId, coach.id, [["intent", "decline"], ["declineReason", "bored"]]);
    expect(badDecline.response.status).toBe(400);
    const declined = await act(matchId, coach.id, [["intent", "decline"], ["declineReason", "noTime"], ["note", "Erst ab März."]]);
    expect(declined.response.status).toBe(302);
    expect((await act(matchId, coach.id, [["intent", "accept"]])).response.status).toBe(409);
  });
});

describe("pages around matches", () => {
  it("lists a person's own matches only, with organisations and no names", async () => {
    const { coach, requester, matchId } = proposedMatch();
    const mine = async (userId: string) =>
      ((await (await call(matchesRoute.loader, get("/matches", await sessionFor(userId)))).response.json()) as { matches: { id: string; side: string }[] })
        .matches;
    expect((await mine(requester.id)).map((match) => [match.id, match.side])).toEqual([[matchId, "requester"]]);
    expect(await mine(coach.id)).toEqual([]);
    expect((await act(matchId, makeUser(["team"]).id, [["intent", "approve"]])).response.status).toBe(302);
    expect((await mine(coach.id)).map((match) => [match.id, match.side])).toEqual([[matchId, "coach"]]);
    expect(await mine(makeUser(["coach"]).id)).toEqual([]);
    expect(JSON.stringify(await mine(requester.id))).not.toContain(coach.name);
  });

  it("shows notifications to their owner only, and marks them read", async () => {
    const { coach, matchId } = proposedMatch();
    const team = makeUser(["team"]);
    expect((await act(matchId, team.id, [["intent", "approve"]])).response.status).toBe(302);
    const list = async (userId: string) =>
      ((await (await call(notificationsRoute.loader, get("/notifications", await sessionFor(userId)))).response.json()) as {
        notifications: { kind: string; matchId: string | null; unread: boolean }[];
      }).notifications;
    expect(await list(coach.id)).toEqual([expect.objectContaining({ kind: "proposalForCoach", matchId, unread: true })]);
    expect(await list(makeUser(["coach"]).id)).toEqual([]);
    const marked = await call(notificationsRoute.action, post("/notifications", [], await sessionFor(coach.id)));
    expect(marked.response.status).toBe(302);
    expect((await list(coach.id)).every((notification) => !notification.unread)).toBe(true);
  });

  it("keeps the review desk to the team and bulk-approves only what is still waiting", async () => {
    const first = proposedMatch();
    const second = proposedMatch();
    const team = makeUser(["team"]);
    const cookie = await sessionFor(team.id);
    expect((await call(deskRoute.loader, get("/team/desk", await sessionFor(first.requester.id)))).response.status).toBe(403);
    const desk = (await (await call(deskRoute.loader, get("/team/desk", cookie))).response.json()) as { proposals: { id: string }[] };
    expect(desk.proposals.map((proposal) => proposal.id)).toEqual(expect.arrayContaining([first.matchId, second.matchId]));

    expect((await act(first.matchId, team.id, [["intent", "reject"], ["reason", "Passt nicht."]])).response.status).toBe(302);
    const bulk = await call(
      deskRoute.action,
      post("/team/desk", [["intent", "bulkApprove"], ["matchIds", first.matchId], ["matchIds", second.matchId]], cookie),
    );
    expect(bulk.response.status).toBe(302);
    const coachView = (await (await openMatch(second.matchId, second.coach.id)).response.json()) as { match: { status: string } };
    expect(coachView.match.status).toBe("awaitingCoach");
    type WithEvents = { match: { status: string }; events: { to: string; reason: string | null }[] };
    const rejected = (await (await openMatch(first.matchId, team.id)).response.json()) as WithEvents;
    expect(rejected.match.status).toBe("rejected");
    expect(rejected.events.at(-1)).toMatchObject({ to: "rejected", reason: "Passt nicht." });
    // The team's reason is an internal note: the requester sees that it was rejected, not why.
    const requesterView = (await (await openMatch(first.matchId, first.requester.id)).response.json()) as WithEvents;
    expect(requesterView.events.at(-1)).toMatchObject({ to: "rejected", reason: null });
    expect((await call(deskRoute.action, post("/team/desk", [["intent", "bulkApprove"]], cookie))).response.status).toBe(400);
  });

  it("lets the team propose a coach by hand, straight to the coach, and refuses a second active proposal", async () => {
    const { offerId } = makeCoach();
    const other = makeCoach();
    const { requestId } = makeRequest();
    const team = makeUser(["team"]);
    const cookie = await sessionFor(team.id);
    const path = `/requests/${requestId}/suggestions`;
    const proposed = await call(suggestionsRoute.action, post(path, [["intent", "propose"], ["offerId", offerId]], cookie), { requestId });
    expect(proposed.response.status).toBe(302);
    const matchId = proposed.response.headers.get("Location")!.split("/").pop()!;
    const body = (await (await openMatch(matchId, team.id)).response.json()) as { match: { status: string; source: string } };
    expect(body.match).toMatchObject({ status: "awaitingCoach", source: "team" });
    const second = await call(suggestionsRoute.action, post(path, [["intent", "propose"], ["offerId", other.offerId]], cookie), { requestId });
    expect(second.response.status).toBe(409);
    expect(((await second.response.json()) as { formError: string }).formError).toBe("matches.refusals.requestHasActiveMatch");
  });

  it("sends a finished batch run's proposals to the coaches, skipping pairs that changed since", async () => {
    const team = makeUser(["team"]);
    makeCoach();
    makeRequest();
    makeRequest();
    const runId = runBatchNow("count", team.id);
    const proposals = listRunProposals(runId);
    expect(proposals.length).toBeGreaterThan(1);
    // One request got a proposal by hand in the meantime, so its batch proposal is skipped.
    const taken = proposals[0]!;
    expect(proposeMatch({ requestId: taken.requestId, offerId: taken.offerId, source: "team", actorUserId: team.id }).ok).toBe(true);

    const cookie = await sessionFor(team.id);
    const requesterCookie = await sessionFor(makeUser(["requester"]).id);
    expect((await call(runRoute.action, post(`/team/matching/runs/${runId}`, [["intent", "sendAll"]], requesterCookie), { runId })).response.status).toBe(403);
    const sent = await call(runRoute.action, post(`/team/matching/runs/${runId}`, [["intent", "sendAll"]], cookie), { runId });
    expect(sent.response.status).toBe(302);
    expect(sent.response.headers.get("Location")).toBe("/team/desk");
    // Requests of earlier tests in this file are open too and may carry old, finished proposals.
    const active = (requestId: string) =>
      getDb()
        .select()
        .from(matches)
        .where(eq(matches.requestId, requestId))
        .all()
        .filter((row) => row.status === "awaitingReview" || row.status === "awaitingCoach" || row.status === "accepted");
    for (const proposal of proposals.slice(1)) {
      expect(active(proposal.requestId)).toEqual([expect.objectContaining({ offerId: proposal.offerId, status: "awaitingCoach", source: "batch" })]);
    }
    expect(active(taken.requestId)).toEqual([expect.objectContaining({ source: "team" })]);
    expect((await call(runRoute.action, post(`/team/matching/runs/${runId}`, [["intent", "other"]], cookie), { runId })).response.status).toBe(400);
  });

  it("shows an expired proposal as expired and refuses a late answer", async () => {
    const { coach, matchId } = proposedMatch();
    const team = makeUser(["team"]);
    expect((await act(matchId, team.id, [["intent", "approve"]])).response.status).toBe(302);
    expect(expireOverdueMatches(new Date(Date.now() + 6 * 86_400_000))).toBeGreaterThanOrEqual(1);
    const view = (await (await openMatch(matchId, coach.id)).response.json()) as { match: { status: string } };
    expect(view.match.status).toBe("expired");
    const late = await act(matchId, coach.id, [["intent", "accept"]]);
    expect(late.response.status).toBe(409);
    expect(((await late.response.json()) as { formError: string }).formError).toBe("matches.refusals.alreadyChanged");
  });
});
