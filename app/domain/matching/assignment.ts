/**
 * Exact capacitated assignment of requests to coaches.
 *
 * Min-cost formulation: request i on coach j costs c_ij = top - score_ij (so every cost is >= 0),
 * and one extra "nobody" coach with unlimited capacity costs `nobodyCost` for every request.
 * Each request must go somewhere, so a min-cost assignment is a best assignment of the problem.
 *
 * Solved by successive shortest augmenting paths (the Hungarian / Jonker–Volgenant scheme) with
 * coach capacity handled natively: Dijkstra runs over coach nodes on reduced costs
 * c_ij + u[i] - v[j] >= 0, a coach with free capacity ends the path, and a full coach is crossed
 * by moving one of its requests elsewhere. Invariants that keep this exact:
 * - Every assigned pair is tight (reduced cost 0), every other allowed pair has reduced cost >= 0.
 * - A coach's load never shrinks (an augmentation moves requests along the path, only the end
 *   coach gains one), so a coach with free capacity has never been full, never been crossed, and
 *   still has its initial potential 0, as has the "nobody" coach. Ending a path at the free coach
 *   with the smallest reduced distance is then ending it at the truly shortest one.
 * - Requests parked on "nobody" are never moved again: any path through "nobody" could stop there.
 *
 * Arithmetic is in doubles; with integer scores it is exact, otherwise totals that differ by less
 * than about 1e-9 may be treated as a tie.
 */

export type AssignmentMode = "score" | "count";

export type AssignmentProblem = {
  requestCount: number;
  coachCount: number;
  /** Row-major requests × coaches; NaN marks an excluded pair, which is never assigned. Finite scores may be any real number (ours are 0–100). */
  scores: Float64Array;
  /** Per coach: how many requests it may take (integer >= 0). */
  capacity: ArrayLike<number>;
  /** "score": maximise the total score of assigned pairs (a request may stay unassigned). "count": maximise the number of assigned requests first, then the total score. */
  mode: AssignmentMode;
  /** Called now and then (e.g. every 1% of requests, at least at the end) with the number of requests processed so far, for a progress bar. */
  onProgress?: (processedRequests: number) => void;
};

export type AssignmentResult = {
  /** Coach index per request, -1 = unassigned. */
  assignment: Int32Array;
  total: number;
  matched: number;
};

const UNASSIGNED = -1;
const PENDING = -2;
/** The "nobody" coach as a path end; the same value as UNASSIGNED, so moving a request there unassigns it. */
const NOBODY = UNASSIGNED;
const PROGRESS_STEPS = 100;
/** Bidding is a cheap start, but can drag on when bids raise prices by tiny steps; the exact phase finishes. */
const BIDS_PER_REQUEST = 4;

/** The allowed pairs per request (compressed rows), with their costs, and the cost of "nobody". */
type CostGraph = {
  rowStart: Int32Array;
  coachOf: Int32Array;
  cost: Float64Array;
  nobodyCost: number;
};

export function solveAssignment(problem: AssignmentProblem): AssignmentResult {
  const { requestCount, coachCount, onProgress } = problem;
  checkProblem(problem);
  // A coach never needs more places than there are requests; this also bounds the slot table.
  const places = new Int32Array(coachCount);
  for (let j = 0; j < coachCount; j++) places[j] = Math.min(problem.capacity[j]!, requestCount);

  const { rowStart, coachOf, cost, nobodyCost } = buildCostGraph(problem, places);

  // Requests on coach j sit in slots[slotStart[j] .. slotStart[j] + load[j]); slotOf[i] is i's slot.
  const slotStart = new Int32Array(coachCount + 1);
  for (let j = 0; j < coachCount; j++) slotStart[j + 1] = slotStart[j]! + places[j]!;
  const slots = new Int32Array(slotStart[coachCount]!);
  const slotOf = new Int32Array(requestCount);
  const load = new Int32Array(coachCount);
  const assignment = new Int32Array(requestCount).fill(PENDING);
  const requestPotential = new Float64Array(requestCount);
  const coachPotential = new Float64Array(coachCount);

  // Bidding start (the capacitated form of Jonker–Volgenant's augmenting row reduction): a request
  // takes its cheapest coach at current prices. A full coach raises its price by δ, at most the
  // bidder's and every holder's regret (second-cheapest minus cheapest reduced cost), so the bidder
  // and the remaining holders still face no cheaper coach, and the holder with the smallest regret
  // makes room and bids again later. Reduced costs stay >= 0 and assigned pairs tight throughout;
  // bids that would not raise the price (ties) and those beyond the budget are left to the
  // shortest-path phase.
  // regretBase[i] + v[coach of i] is a lower bound of i's regret: it shrinks exactly as i's own
  // coach gets dearer, and other coaches only get dearer, which can only grow it.
  const regretBase = new Float64Array(requestCount);
  const queue = new Int32Array(requestCount);
  for (let i = 0; i < requestCount; i++) queue[i] = i;
  let queueHead = 0;
  let queued = requestCount;
  let bidBudget = BIDS_PER_REQUEST * requestCount;
  while (queued > 0 && bidBudget-- > 0) {
    const i = queue[queueHead]!;
    queueHead = queueHead + 1 === requestCount ? 0 : queueHead + 1;
    queued--;
    let cheapest = nobodyCost;
    let cheapestCoach = NOBODY;
    let second = Infinity;
    for (let k = rowStart[i]!, end = rowStart[i + 1]!; k < end; k++) {
      const j = coachOf[k]!;
      const reduced = cost[k]! - coachPotential[j]!;
      // Among equally cheap coaches one with room is taken, so ties cost no eviction.
      if (
        reduced < cheapest ||
        (reduced === cheapest &&
          cheapestCoach !== NOBODY &&
          load[cheapestCoach]! === places[cheapestCoach]! &&
          load[j]! < places[j]!)
      ) {
        second = cheapest;
        cheapest = reduced;
        cheapestCoach = j;
      } else if (reduced < second) {
        second = reduced;
      }
    }
    if (cheapestCoach === NOBODY) {
      requestPotential[i] = -cheapest;
      assignment[i] = UNASSIGNED;
      continue;
    }
    const j = cheapestCoach;
    if (load[j]! < places[j]!) {
      const slot = slotStart[j]! + load[j]!;
      load[j]!++;
      slots[slot] = i;
      slotOf[i] = slot;
      assignment[i] = j;
      requestPotential[i] = -cheapest;
      regretBase[i] = second - cheapest - coachPotential[j]!;
      continue;
    }
    const firstSlot = slotStart[j]!;
    const slotEnd = firstSlot + load[j]!;
    let leaverSlot = firstSlot;
    for (let s = firstSlot + 1; s < slotEnd; s++) {
      if (regretBase[slots[s]!]! < regretBase[slots[leaverSlot]!]!) leaverSlot = s;
    }
    const leaver = slots[leaverSlot]!;
    const rise = Math.min(second - cheapest, regretBase[leaver]! + coachPotential[j]!);
    if (!(rise > 0)) continue;
    coachPotential[j] = coachPotential[j]! - rise;
    for (let s = firstSlot; s < slotEnd; s++) {
      const holder = slots[s]!;
      requestPotential[holder] = requestPotential[holder]! - rise;
    }
    slots[leaverSlot] = i;
    slotOf[i] = leaverSlot;
    assignment[i] = j;
    assignment[leaver] = PENDING;
    requestPotential[i] = -cheapest - rise;
    regretBase[i] = second - cheapest - rise - coachPotential[j]!;
    queue[(queueHead + queued) % requestCount] = leaver;
    queued++;
  }

  // Dijkstra state, reused for every request. `order` holds the coaches reached in this search:
  // the crossed ones first (with their final distance in crossedDistance), then the candidates.
  const distance = new Float64Array(coachCount);
  const pred = new Int32Array(coachCount);
  const reachedIn = new Int32Array(coachCount).fill(-1);
  const order = new Int32Array(coachCount);
  const crossedDistance = new Float64Array(coachCount);

  const progressStep = Math.max(1, Math.ceil(requestCount / PROGRESS_STEPS));
  let nextProgress = progressStep;

  for (let r = 0; r < requestCount; r++) {
    if (assignment[r] === PENDING) {
      const ur = requestPotential[r]!;
      let nobodyDistance = nobodyCost + ur;
      let nobodyPred = r;
      let reached = 0;
      for (let k = rowStart[r]!, end = rowStart[r + 1]!; k < end; k++) {
        const j = coachOf[k]!;
        const dj = cost[k]! + ur - coachPotential[j]!;
        // A coach no nearer than "nobody" can never be chosen before it, so it is not worth tracking.
        if (dj < nobodyDistance) {
          distance[j] = dj;
          pred[j] = r;
          reachedIn[j] = r;
          order[reached++] = j;
        }
      }

      let crossed = 0;
      let pathEnd = NOBODY;
      let endDistance = 0;
      for (;;) {
        let nearestAt = -1;
        let nearest = nobodyDistance;
        for (let p = crossed; p < reached; p++) {
          const dj = distance[order[p]!]!;
          if (dj < nearest) {
            nearest = dj;
            nearestAt = p;
          }
        }
        if (nearestAt < 0) {
          endDistance = nobodyDistance;
          break;
        }
        const j = order[nearestAt]!;
        order[nearestAt] = order[crossed]!;
        order[crossed] = j;
        if (load[j]! < places[j]!) {
          pathEnd = j;
          endDistance = nearest;
          break;
        }
        crossedDistance[crossed++] = nearest;
        // -Infinity keeps a crossed coach from ever being relaxed again, even by rounding noise.
        distance[j] = -Infinity;

        // Each request i on j is reached at the same distance (its pair is tight) and may move on.
        for (let s = slotStart[j]!, slotEnd = s + load[j]!; s < slotEnd; s++) {
          const i = slots[s]!;
          const base = nearest + requestPotential[i]!;
          if (base + nobodyCost < nobodyDistance) {
            nobodyDistance = base + nobodyCost;
            nobodyPred = i;
          }
          for (let k = rowStart[i]!, end = rowStart[i + 1]!; k < end; k++) {
            const next = coachOf[k]!;
            const dNext = base + cost[k]! - coachPotential[next]!;
            if (reachedIn[next] !== r) {
              if (dNext < nobodyDistance) {
                distance[next] = dNext;
                pred[next] = i;
                reachedIn[next] = r;
                order[reached++] = next;
              }
            } else if (dNext < distance[next]!) {
              distance[next] = dNext;
              pred[next] = i;
            }
          }
        }
      }

      // New potentials π += min(d, dEnd) - dEnd: only crossed coaches and their requests change,
      // which keeps every reduced cost >= 0 and makes the whole path tight.
      for (let p = 0; p < crossed; p++) {
        const j = order[p]!;
        const shift = crossedDistance[p]! - endDistance;
        coachPotential[j] = coachPotential[j]! + shift;
        for (let s = slotStart[j]!, slotEnd = s + load[j]!; s < slotEnd; s++) {
          const i = slots[s]!;
          requestPotential[i] = requestPotential[i]! + shift;
        }
      }
      requestPotential[r] = ur - endDistance;

      // Augment: each request on the path takes the slot its predecessor frees on the next coach.
      let coach = pathEnd;
      let slot = 0;
      let mover: number;
      if (pathEnd === NOBODY) {
        mover = nobodyPred;
      } else {
        slot = slotStart[pathEnd]! + load[pathEnd]!;
        load[pathEnd]!++;
        mover = pred[pathEnd]!;
      }
      for (;;) {
        const leftCoach = assignment[mover]!;
        const leftSlot = slotOf[mover]!;
        assignment[mover] = coach;
        if (coach !== NOBODY) {
          slots[slot] = mover;
          slotOf[mover] = slot;
        }
        if (mover === r) break;
        coach = leftCoach;
        slot = leftSlot;
        mover = pred[coach]!;
      }
    }
    if (onProgress && (r + 1 >= nextProgress || r + 1 === requestCount)) {
      onProgress(r + 1);
      nextProgress = r + 1 + progressStep;
    }
  }
  if (onProgress && requestCount === 0) onProgress(0);

  let total = 0;
  let matched = 0;
  for (let i = 0; i < requestCount; i++) {
    const j = assignment[i]!;
    if (j !== UNASSIGNED) {
      total += problem.scores[i * coachCount + j]!;
      matched++;
    }
  }
  return { assignment, total, matched };
}

function checkProblem({ requestCount, coachCount, scores, capacity, mode }: AssignmentProblem) {
  if (!Number.isInteger(requestCount) || requestCount < 0) {
    throw new RangeError(`requestCount must be an integer >= 0, got ${requestCount}`);
  }
  if (!Number.isInteger(coachCount) || coachCount < 0) {
    throw new RangeError(`coachCount must be an integer >= 0, got ${coachCount}`);
  }
  if (scores.length !== requestCount * coachCount) {
    throw new RangeError(
      `scores has ${scores.length} entries, expected requestCount × coachCount = ${requestCount * coachCount}`,
    );
  }
  if (capacity.length !== coachCount) {
    throw new RangeError(`capacity has ${capacity.length} entries, expected coachCount = ${coachCount}`);
  }
  for (let j = 0; j < coachCount; j++) {
    const places = capacity[j]!;
    if (!Number.isInteger(places) || places < 0) {
      throw new RangeError(`capacity[${j}] must be an integer >= 0, got ${places}`);
    }
  }
  for (let k = 0; k < scores.length; k++) {
    if (scores[k] === Infinity || scores[k] === -Infinity) {
      throw new RangeError(`scores[${k}] is infinite; use NaN to exclude a pair`);
    }
  }
  if (mode !== "score" && mode !== "count") throw new RangeError(`unknown mode ${String(mode)}`);
}

/**
 * Keeps the pairs that can be part of a best assignment, with their costs. A coach without
 * places takes nobody; in "score" mode a negative pair never helps, since leaving the request
 * unassigned scores more.
 */
function buildCostGraph({ requestCount, coachCount, scores, mode }: AssignmentProblem, places: Int32Array): CostGraph {
  const allowed = (score: number, coach: number) =>
    score === score && places[coach]! > 0 && (mode === "count" || score >= 0);

  let pairCount = 0;
  let highest = -Infinity;
  let lowest = Infinity;
  for (let i = 0; i < requestCount; i++) {
    for (let j = 0, at = i * coachCount; j < coachCount; j++, at++) {
      const score = scores[at]!;
      if (allowed(score, j)) {
        pairCount++;
        if (score > highest) highest = score;
        if (score < lowest) lowest = score;
      }
    }
  }
  if (pairCount === 0) highest = lowest = 0;

  const rowStart = new Int32Array(requestCount + 1);
  const coachOf = new Int32Array(pairCount);
  const cost = new Float64Array(pairCount);
  let k = 0;
  for (let i = 0; i < requestCount; i++) {
    for (let j = 0, at = i * coachCount; j < coachCount; j++, at++) {
      const score = scores[at]!;
      if (allowed(score, j)) {
        coachOf[k] = j;
        cost[k] = highest - score;
        k++;
      }
    }
    rowStart[i + 1] = k;
  }

  if (mode === "score") {
    // "Nobody" costs as much as a score of 0 would (highest >= 0 here, since negatives are gone).
    return { rowStart, coachOf, cost, nobodyCost: highest };
  }
  // "count": with scores shifted to 0..spread, total cost = n·nobodyCost - a·bonus - shiftedTotal for
  // a assigned requests, where bonus = nobodyCost - spread. Any two assignments with a and a + 1
  // requests differ in shifted total by at most (n - 1)·spread < bonus, so one more assigned request
  // always wins and equal counts are ordered by total score. The +1 keeps bonus > 0 when all scores
  // are equal and a margin far above double rounding (costs stay below (n + 2)·(spread + 1)).
  const spread = highest - lowest;
  return { rowStart, coachOf, cost, nobodyCost: spread + (requestCount + 1) * (spread + 1) };
}
