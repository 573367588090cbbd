/**
 * The match state machine, table-driven: every action from every status with every actor, reasons,
 * the coach's response deadline, and which statuses are active or share contact details.
 */
import { describe, expect, it } from "vitest";
import {
  activeMatchStatuses,
  isActive,
  matchActions,
  requiredState,
  responseDeadline,
  sharesContactDetails,
  transition,
  type MatchAction,
  type MatchActor,
} from "~/domain/match-workflow";
import { matchStatuses, type MatchStatus } from "~db/schema";

const actors: MatchActor[] = ["team", "coach", "system"];

/** The allowed transitions, written out independently of the module under test. */
const allowed: Record<MatchAction, { from: MatchStatus; to: MatchStatus; actor: MatchActor; needsReason: boolean }> = {
  approve: { from: "awaitingReview", to: "awaitingCoach", actor: "team", needsReason: false },
  reject: { from: "awaitingReview", to: "rejected", actor: "team", needsReason: true },
  override: { from: "awaitingReview", to: "overridden", actor: "team", needsReason: true },
  accept: { from: "awaitingCoach", to: "accepted", actor: "coach", needsReason: false },
  decline: { from: "awaitingCoach", to: "declined", actor: "coach", needsReason: true },
  expire: { from: "awaitingCoach", to: "expired", actor: "system", needsReason: false },
  close: { from: "accepted", to: "closed", actor: "team", needsReason: false },
};

/** The actors that may take an action: its own, and the team for the system's. */
function permittedActors(action: MatchAction): MatchActor[] {
  const own = allowed[action].actor;
  return own === "system" ? ["system", "team"] : [own];
}

const reasonFor = (action: MatchAction) => (allowed[action].needsReason ? "Ein Grund" : null);

describe("the table of transitions", () => {
  it("covers every action the module knows, and nothing else", () => {
    expect([...matchActions].sort()).toEqual(Object.keys(allowed).sort());
  });

  it.each(matchActions.map((action) => [action] as const))("%s starts from the state requiredState names", (action) => {
    expect(requiredState(action)).toBe(allowed[action].from);
  });
});

describe("allowed transitions", () => {
  const cases = matchActions.flatMap((action) =>
    permittedActors(action).map((actor) => [action, allowed[action].from, actor, allowed[action].to] as const),
  );
  it.each(cases)("%s from %s by %s goes to %s", (action, from, actor, to) => {
    expect(transition(from, action, actor, reasonFor(action))).toEqual({ ok: true, to });
  });

  it("also accepts a reason where none is needed", () => {
    expect(transition("awaitingReview", "approve", "team", "passt gut")).toEqual({ ok: true, to: "awaitingCoach" });
    expect(transition("awaitingCoach", "accept", "coach", "gern")).toEqual({ ok: true, to: "accepted" });
  });
});

describe("every action from every other state", () => {
  const cases = matchActions.flatMap((action) =>
    matchStatuses
      .filter((status) => status !== allowed[action].from)
      .flatMap((from) => permittedActors(action).map((actor) => [action, from, actor] as const)),
  );
  // 7 actions × 7 other states, expire twice (system and team).
  it("has the expected number of cases", () => expect(cases).toHaveLength(7 * 7 + 7));

  it.each(cases)("%s from %s by %s is not allowed from that state", (action, from, actor) => {
    expect(transition(from, action, actor, "Ein Grund")).toEqual({ ok: false, refusal: "notAllowedFromState" });
    expect(transition(from, action, actor, null)).toEqual({ ok: false, refusal: "notAllowedFromState" });
  });
});

describe("the wrong actor", () => {
  const cases = matchActions.flatMap((action) =>
    actors.filter((actor) => !permittedActors(action).includes(actor)).map((actor) => [action, actor] as const),
  );
  it("has a case for each action and each actor not allowed", () => {
    // Team actions: coach and system are wrong; coach actions: team and system; expire: only the coach.
    expect(cases).toHaveLength(4 * 2 + 2 * 2 + 1);
  });

  it.each(cases)("%s by %s is refused as the wrong actor", (action, actor) => {
    expect(transition(allowed[action].from, action, actor, "Ein Grund")).toEqual({ ok: false, refusal: "wrongActor" });
  });

  it("names the actor before the state: a coach approving an accepted match is the wrong actor", () => {
    expect(transition("accepted", "approve", "coach", null)).toEqual({ ok: false, refusal: "wrongActor" });
    expect(transition("declined", "accept", "team", null)).toEqual({ ok: false, refusal: "wrongActor" });
  });

  it("lets the team take the system's expire, but not the coach", () => {
    expect(transition("awaitingCoach", "expire", "team", null)).toEqual({ ok: true, to: "expired" });
    expect(transition("awaitingCoach", "expire", "coach", null)).toEqual({ ok: false, refusal: "wrongActor" });
  });

  it("does not let the system stand in for the team or the coach", () => {
    expect(transition("awaitingReview", "approve", "system", null)).toEqual({ ok: false, refusal: "wrongActor" });
    expect(transition("awaitingCoach", "accept", "system", null)).toEqual({ ok: false, refusal: "wrongActor" });
  });
});

describe("reasons", () => {
  const needing = matchActions.filter((action) => allowed[action].needsReason);
  it("are needed exactly for reject, override and decline", () => {
    expect(needing).toEqual(["reject", "override", "decline"]);
  });

  const cases = needing.flatMap((action) => [null, "", "   ", "\t\n"].map((reason) => [action, reason] as const));
  it.each(cases)("%s with reason %j is refused", (action, reason) => {
    expect(transition(allowed[action].from, action, allowed[action].actor, reason)).toEqual({ ok: false, refusal: "reasonRequired" });
  });

  it.each(needing.map((action) => [action] as const))("%s with a padded reason is allowed", (action) => {
    expect(transition(allowed[action].from, action, allowed[action].actor, "  zu weit weg  ")).toEqual({ ok: true, to: allowed[action].to });
  });

  it("are checked after the state: a missing reason from the wrong state is a state refusal", () => {
    expect(transition("awaitingCoach", "reject", "team", null)).toEqual({ ok: false, refusal: "notAllowedFromState" });
    expect(transition("accepted", "decline", "coach", "")).toEqual({ ok: false, refusal: "notAllowedFromState" });
  });
});

describe("the full grid of statuses × actions × actors", () => {
  const grid = matchStatuses.flatMap((from) => matchActions.flatMap((action) => actors.map((actor) => [from, action, actor] as const)));

  it.each(grid)("from %s, %s by %s gives the expected answer", (from, action, actor) => {
    const rule = allowed[action];
    const expected = !permittedActors(action).includes(actor)
      ? { ok: false, refusal: "wrongActor" }
      : from !== rule.from
        ? { ok: false, refusal: "notAllowedFromState" }
        : { ok: true, to: rule.to };
    expect(transition(from, action, actor, "Ein Grund")).toEqual(expected);
  });

  it("never leads out of a final state", () => {
    const finalStates: MatchStatus[] = ["declined", "expired", "rejected", "overridden", "closed"];
    for (const from of finalStates) {
      for (const action of matchActions) {
        for (const actor of actors) expect(transition(from, action, actor, "Ein Grund").ok).toBe(false);
      }
    }
  });
});

describe("responseDeadline", () => {
  it("adds N whole days to the instant", () => {
    const sent = new Date("2025-06-10T09:15:30.123Z");
    expect(responseDeadline(sent, 5).toISOString()).toBe("2025-06-15T09:15:30.123Z");
    expect(responseDeadline(sent, 1).getTime() - sent.getTime()).toBe(86_400_000);
    expect(responseDeadline(sent, 60).getTime() - sent.getTime()).toBe(60 * 86_400_000);
  });

  it("does not change the date it is given", () => {
    const sent = new Date("2025-06-10T09:15:30.123Z");
    responseDeadline(sent, 5);
    expect(sent.toISOString()).toBe("2025-06-10T09:15:30.123Z");
  });

  it("counts N × 24 hours across a change to summer time (Berlin, 30 March 2025)", () => {
    // 28 March 2025, 12:00 in Berlin (CET, UTC+1).
    const sent = new Date("2025-03-28T11:00:00.000Z");
    const deadline = responseDeadline(sent, 5);
    expect(deadline.getTime() - sent.getTime()).toBe(5 * 24 * 3_600_000);
    expect(deadline.toISOString()).toBe("2025-04-02T11:00:00.000Z");
    // On the wall clock in Berlin that is 13:00 (CEST): an instant, not a calendar date.
    const berlin = new Intl.DateTimeFormat("de-DE", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    expect(berlin.format(sent)).toBe("12:00");
    expect(berlin.format(deadline)).toBe("13:00");
  });

  it("counts N × 24 hours across a change back to winter time (Berlin, 26 October 2025)", () => {
    const sent = new Date("2025-10-24T22:30:00.000Z");
    const deadline = responseDeadline(sent, 3);
    expect(deadline.getTime() - sent.getTime()).toBe(3 * 24 * 3_600_000);
    expect(deadline.toISOString()).toBe("2025-10-27T22:30:00.000Z");
  });
});

describe("status properties", () => {
  const shares: MatchStatus[] = ["accepted", "closed"];
  const active: MatchStatus[] = ["awaitingReview", "awaitingCoach", "accepted"];

  it.each(matchStatuses.map((status) => [status] as const))("%s: contact details and activity", (status) => {
    expect(sharesContactDetails(status)).toBe(shares.includes(status));
    expect(isActive(status)).toBe(active.includes(status));
  });

  it("lists the active statuses the database index uses", () => {
    expect([...activeMatchStatuses].sort()).toEqual([...active].sort());
  });
});
