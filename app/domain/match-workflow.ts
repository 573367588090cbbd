/**
 * The life of a match, in one place: which actions exist, who may take each, and from which state
 * to which. Everything that changes a match's status asks `transition` first.
 */

import type { MatchStatus } from "~db/schema";

/** A request has at most one match in these states; the others are history. */
export const activeMatchStatuses = ["awaitingReview", "awaitingCoach", "accepted"] as const satisfies readonly MatchStatus[];

export const matchActions = ["approve", "reject", "override", "accept", "decline", "expire", "close"] as const;
export type MatchAction = (typeof matchActions)[number];

export type MatchActor = "team" | "coach" | "system";

type Transition = { from: MatchStatus; to: MatchStatus; actor: MatchActor; needsReason: boolean };

const transitions: Record<MatchAction, Transition> = {
  approve: { from: "awaitingReview", to: "awaitingCoach", actor: "team", needsReason: false },
  reject: { from: "awaitingReview", to: "rejected", actor: "team", needsReason: true },
  // Overriding closes this proposal; the chosen coach gets a new match of their own.
  override: { from: "awaitingReview", to: "overridden", actor: "team", needsReason: true },
  accept: { from: "awaitingCoach", to: "accepted", actor: "coach", needsReason: false },
  decline: { from: "awaitingCoach", to: "declined", actor: "coach", needsReason: true },
  expire: { from: "awaitingCoach", to: "expired", actor: "system", needsReason: false },
  close: { from: "accepted", to: "closed", actor: "team", needsReason: false },
};

export type TransitionRefusal = "notAllowedFromState" | "wrongActor" | "reasonRequired";

export type TransitionResult = { ok: true; to: MatchStatus } | { ok: false; refusal: TransitionRefusal };

/** Whether `actor` may take `action` on a match in state `from`; the team may also act for the system. */
export function transition(from: MatchStatus, action: MatchAction, actor: MatchActor, reason: string | null): TransitionResult {
  const rule = transitions[action];
  if (rule.actor !== actor && !(rule.actor === "system" && actor === "team")) return { ok: false, refusal: "wrongActor" };
  if (rule.from !== from) return { ok: false, refusal: "notAllowedFromState" };
  if (rule.needsReason && !reason?.trim()) return { ok: false, refusal: "reasonRequired" };
  return { ok: true, to: rule.to };
}

/** The state a match must be in for `action`; the database update is conditional on it, so two people acting at once cannot both win. */
export function requiredState(action: MatchAction): MatchStatus {
  return transitions[action].from;
}

export function isActive(status: MatchStatus) {
  return (activeMatchStatuses as readonly MatchStatus[]).includes(status);
}

/** The coach may answer until this instant: `days` full days after the proposal reached them. */
export function responseDeadline(sentToCoachAt: Date, days: number) {
  return new Date(sentToCoachAt.getTime() + days * 86_400_000);
}

/** Contact details are shared only once the coach has accepted (and stay visible after closing). */
export function sharesContactDetails(status: MatchStatus) {
  return status === "accepted" || status === "closed";
}
