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
 * - Potentials only fall, which lets a search read just the cheap start of each request's pairs
 *   (see the row bookkeeping in AugmentingPathSolver).
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
/** How many entries of a row are kept in order; a relaxation almost always stops within these. */
const ROW_HEAD_SIZE = 24;

export function solveAssignment(problem: AssignmentProblem): AssignmentResult {
  checkProblem(problem);
  const { requestCount, onProgress } = problem;
  const solver = new AugmentingPathSolver(problem);
  solver.placeCheapest();
  const progressStep = Math.max(1, Math.ceil(requestCount / PROGRESS_STEPS));
  let nextProgress = progressStep;
  for (let r = 0; r < requestCount; r++) {
    if (solver.assignment[r] === PENDING) solver.augmentFrom(r);
    if (onProgress && (r + 1 >= nextProgress || r + 1 === requestCount)) {
      onProgress(r + 1);
      nextProgress = r + 1 + progressStep;
    }
  }
  if (onProgress && requestCount === 0) onProgress(0);
  return solver.result();
}

/** One solve's state: the assignment, the potentials, the sorted rows and the reusable search arrays. */
class AugmentingPathSolver {
  readonly assignment: Int32Array;
  private readonly problem: AssignmentProblem;
  private readonly places: Int32Array;
  private readonly nobodyCost: number;

  // Allowed pairs as compressed rows: request i's entries are rowStart[i] .. rowStart[i + 1], each
  // with its coach and cost. An entry's sortKey is c_ij - v[j] as of when it was last read; since
  // potentials only fall, it never exceeds the present value. The row's head (up to rowHeadEnd[i])
  // is in ascending sortKey order; the other entries, its tail, have keys >= tailMinKey[i]. So a
  // relaxation stops reading the head at the first key that already puts an entry past the nearest
  // path end found, and skips the tail when tailMinKey does; when it cannot, the row is refreshed
  // (present keys, smallest ones into the head). Reading a few entries per relaxation instead of
  // the whole row is what makes a search cheap.
  private readonly rowStart: Int32Array;
  private readonly coachOf: Int32Array;
  private readonly cost: Float64Array;
  private readonly sortKey: Float64Array;
  private readonly rowHeadEnd: Int32Array;
  private readonly tailMinKey: Float64Array;

  // Requests on coach j sit in slots[slotStart[j] .. slotStart[j] + load[j]); slotOf[i] is i's slot.
  private readonly slotStart: Int32Array;
  private readonly slots: Int32Array;
  private readonly slotOf: Int32Array;
  private readonly load: Int32Array;
  /** Potentials: reduced cost of request i on coach j is c_ij + u[i] - v[j]. */
  private readonly u: Float64Array;
  private readonly v: Float64Array;

  // Dijkstra state, reused by every search. `distance` is tentative for coaches in the heap and
  // -Infinity for crossed ones, so no rounding noise can relax a crossed coach again.
  private readonly distance: Float64Array;
  private readonly pred: Int32Array;
  private readonly reachedIn: Int32Array;
  private readonly heap: Int32Array;
  private readonly heapPos: Int32Array;
  private heapSize = 0;
  private readonly crossedCoach: Int32Array;
  private readonly crossedDistance: Float64Array;
  private search = 0;
  /** The nearest path end seen so far ("nobody" or a coach with room); nothing at or past it matters. */
  private bound = Infinity;
  private nobodyDistance = Infinity;
  private nobodyPred = -1;
  /** Where the last relaxEntries call stopped reading. */
  private lastRead = 0;

  constructor(problem: AssignmentProblem) {
    const { requestCount, coachCount } = problem;
    this.problem = problem;
    // A coach never needs more places than there are requests; this also bounds the slot table.
    this.places = new Int32Array(coachCount);
    for (let j = 0; j < coachCount; j++) this.places[j] = Math.min(problem.capacity[j]!, requestCount);
    const graph = buildCostGraph(problem, this.places);
    this.rowStart = graph.rowStart;
    this.coachOf = graph.coachOf;
    this.cost = graph.cost;
    this.nobodyCost = graph.nobodyCost;
    this.sortKey = new Float64Array(graph.cost.length);
    this.rowHeadEnd = new Int32Array(requestCount);
    this.tailMinKey = new Float64Array(requestCount);

    this.slotStart = new Int32Array(coachCount + 1);
    for (let j = 0; j < coachCount; j++) this.slotStart[j + 1] = this.slotStart[j]! + this.places[j]!;
    this.slots = new Int32Array(this.slotStart[coachCount]!);
    this.slotOf = new Int32Array(requestCount);
    this.load = new Int32Array(coachCount);
    this.assignment = new Int32Array(requestCount).fill(PENDING);
    this.u = new Float64Array(requestCount);
    this.v = new Float64Array(coachCount);
    for (let i = 0; i < requestCount; i++) this.refreshRow(i);

    this.distance = new Float64Array(coachCount);
    this.pred = new Int32Array(coachCount);
    this.reachedIn = new Int32Array(coachCount);
    this.heap = new Int32Array(coachCount);
    this.heapPos = new Int32Array(coachCount).fill(-1);
    this.crossedCoach = new Int32Array(coachCount);
    this.crossedDistance = new Float64Array(coachCount);
  }

  /**
   * Cheap start: with all coach potentials 0, u[i] = -(cheapest cost of i) keeps every reduced cost
   * >= 0 and makes i's cheapest pairs tight, so taking one of them where there is room is optimal
   * for the requests placed so far. The others wait for a search. (Each row's head starts out
   * sorted by cost, so the cheapest pairs come first.)
   */
  placeCheapest() {
    const { rowStart, coachOf, cost, load, places, nobodyCost } = this;
    for (let i = 0; i < this.problem.requestCount; i++) {
      const first = rowStart[i]!;
      const end = rowStart[i + 1]!;
      if (first === end || cost[first]! >= nobodyCost) {
        this.u[i] = -nobodyCost;
        this.assignment[i] = UNASSIGNED;
        continue;
      }
      const cheapest = cost[first]!;
      this.u[i] = -cheapest;
      for (let k = first; k < end && cost[k] === cheapest; k++) {
        const j = coachOf[k]!;
        if (load[j]! < places[j]!) {
          this.place(i, j, this.slotStart[j]! + load[j]!++);
          break;
        }
      }
    }
  }

  /** One Dijkstra from request r to the nearest coach with room (or "nobody"), then augments. */
  augmentFrom(r: number) {
    const { distance, heap, heapPos, load, places, slots, slotStart, u, v } = this;
    this.search++;
    this.heapSize = 0;
    this.bound = Infinity;
    this.nobodyDistance = Infinity;
    this.relaxRow(r, u[r]!);

    let crossed = 0;
    let pathEnd = NOBODY;
    let endDistance: number;
    for (;;) {
      if (this.heapSize === 0 || distance[heap[0]!]! >= this.nobodyDistance) {
        endDistance = this.nobodyDistance;
        break;
      }
      const j = this.popNearest();
      const dj = distance[j]!;
      if (load[j]! < places[j]!) {
        pathEnd = j;
        endDistance = dj;
        break;
      }
      this.crossedCoach[crossed] = j;
      this.crossedDistance[crossed++] = dj;
      distance[j] = -Infinity;
      // Each request on j is reached at j's distance (its pair is tight) and may move on.
      for (let s = slotStart[j]!, slotEnd = s + load[j]!; s < slotEnd; s++) {
        this.relaxRow(slots[s]!, dj + u[slots[s]!]!);
      }
    }
    for (let p = 0; p < this.heapSize; p++) heapPos[heap[p]!] = -1;

    // New potentials π += min(d, dEnd) - dEnd: only crossed coaches and their requests change,
    // which keeps every reduced cost >= 0 and makes the whole path tight.
    for (let p = 0; p < crossed; p++) {
      const j = this.crossedCoach[p]!;
      // Never above 0 in exact arithmetic; the clamp keeps rounding from breaking "potentials only fall".
      const shift = Math.min(0, this.crossedDistance[p]! - endDistance);
      v[j] = v[j]! + shift;
      for (let s = slotStart[j]!, slotEnd = s + load[j]!; s < slotEnd; s++) u[slots[s]!] = u[slots[s]!]! + shift;
    }
    u[r] = u[r]! - endDistance;

    // Augment: each request on the path takes the slot its predecessor frees on the next coach.
    let coach = pathEnd;
    let slot = pathEnd === NOBODY ? -1 : slotStart[pathEnd]! + load[pathEnd]!++;
    let mover = pathEnd === NOBODY ? this.nobodyPred : this.pred[pathEnd]!;
    for (;;) {
      const leftCoach = this.assignment[mover]!;
      const leftSlot = this.slotOf[mover]!;
      this.place(mover, coach, slot);
      if (mover === r) break;
      coach = leftCoach;
      slot = leftSlot;
      mover = this.pred[coach]!;
    }
  }

  result(): AssignmentResult {
    const { requestCount, coachCount, scores } = this.problem;
    let total = 0;
    let matched = 0;
    for (let i = 0; i < requestCount; i++) {
      const j = this.assignment[i]!;
      if (j !== UNASSIGNED) {
        total += scores[i * coachCount + j]!;
        matched++;
      }
    }
    return { assignment: this.assignment, total, matched };
  }

  private place(request: number, coach: number, slot: number) {
    this.assignment[request] = coach;
    if (coach !== NOBODY) {
      this.slots[slot] = request;
      this.slotOf[request] = slot;
    }
  }

  /** Relaxes request i's pairs, reached at distance d, with base = d + u[i]. */
  private relaxRow(i: number, base: number) {
    if (base + this.nobodyCost < this.nobodyDistance) {
      this.nobodyDistance = base + this.nobodyCost;
      this.nobodyPred = i;
      if (this.nobodyDistance < this.bound) this.bound = this.nobodyDistance;
    }
    const first = this.rowStart[i]!;
    const end = this.rowStart[i + 1]!;
    const headEnd = this.rowHeadEnd[i]!;
    const headChanged = this.relaxEntries(i, base, first, headEnd, true);
    if (base + this.tailMinKey[i]! < this.bound) {
      // Mostly the tail's keys are just stale. Refreshing costs about one read of the row, as does
      // reading the tail, but spares the next relaxations of this row from reading it again.
      this.refreshRow(i);
      const freshHeadEnd = this.rowHeadEnd[i]!;
      this.relaxEntries(i, base, first, freshHeadEnd, true);
      if (base + this.tailMinKey[i]! < this.bound) this.relaxEntries(i, base, freshHeadEnd, end, false);
    } else if (headChanged) {
      this.reorderHead(i, this.lastRead);
    }
  }

  /**
   * Relaxes entries first .. end of request i's row, giving each entry read its present key, and
   * returns whether any key changed. A sorted stretch ends at the first key past the bound.
   */
  private relaxEntries(i: number, base: number, first: number, end: number, sorted: boolean) {
    const { coachOf, cost, sortKey, v, distance, pred, reachedIn, heapPos, load, places } = this;
    const search = this.search;
    let bound = this.bound;
    let changed = false;
    let k = first;
    for (; k < end; k++) {
      if (base + sortKey[k]! >= bound) {
        if (sorted) break;
        continue;
      }
      const next = coachOf[k]!;
      const key = cost[k]! - v[next]!;
      if (key !== sortKey[k]) {
        sortKey[k] = key;
        changed = true;
      }
      const dNext = base + key;
      if (dNext >= bound) continue;
      if (reachedIn[next] !== search) {
        reachedIn[next] = search;
        distance[next] = dNext;
        pred[next] = i;
        this.heapPush(next);
        if (load[next]! < places[next]!) bound = dNext;
      } else if (dNext < distance[next]!) {
        distance[next] = dNext;
        pred[next] = i;
        this.siftUp(heapPos[next]!);
        if (load[next]! < places[next]!) bound = dNext;
      }
    }
    this.bound = bound;
    this.lastRead = k;
    return changed;
  }

  /** Puts the head back in order after the keys read (before `read`) grew: each moves right. */
  private reorderHead(i: number, read: number) {
    const { sortKey, cost, coachOf } = this;
    const headEnd = this.rowHeadEnd[i]!;
    for (let k = read - 1; k >= this.rowStart[i]!; k--) {
      const key = sortKey[k]!;
      if (k + 1 === headEnd || sortKey[k + 1]! >= key) continue;
      const entryCost = cost[k]!;
      const coach = coachOf[k]!;
      let at = k;
      for (; at + 1 < headEnd && sortKey[at + 1]! < key; at++) this.moveEntry(at + 1, at);
      sortKey[at] = key;
      cost[at] = entryCost;
      coachOf[at] = coach;
    }
  }

  private heapPush(coach: number) {
    this.heap[this.heapSize] = coach;
    this.heapPos[coach] = this.heapSize;
    this.siftUp(this.heapSize++);
  }

  private siftUp(at: number) {
    const { heap, heapPos, distance } = this;
    const coach = heap[at]!;
    const d = distance[coach]!;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = heap[parentAt]!;
      if (distance[parent]! <= d) break;
      heap[at] = parent;
      heapPos[parent] = at;
      at = parentAt;
    }
    heap[at] = coach;
    heapPos[coach] = at;
  }

  private popNearest() {
    const { heap, heapPos, distance } = this;
    const nearest = heap[0]!;
    heapPos[nearest] = -1;
    const size = --this.heapSize;
    if (size === 0) return nearest;
    const coach = heap[size]!;
    const d = distance[coach]!;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && distance[heap[child + 1]!]! < distance[heap[child]!]!) child++;
      if (distance[heap[child]!]! >= d) break;
      heap[at] = heap[child]!;
      heapPos[heap[at]!] = at;
      at = child;
    }
    heap[at] = coach;
    heapPos[coach] = at;
    return nearest;
  }

  /** Recomputes request i's sort keys and moves its smallest ones, in order, to the row's head. */
  private refreshRow(i: number) {
    const { coachOf, cost, sortKey, v } = this;
    const first = this.rowStart[i]!;
    const end = this.rowStart[i + 1]!;
    const headLimit = Math.min(end, first + ROW_HEAD_SIZE);
    let headEnd = first;
    let tailMin = Infinity;
    for (let k = first; k < end; k++) {
      const entryCost = cost[k]!;
      const coach = coachOf[k]!;
      const key = entryCost - v[coach]!;
      let at: number;
      if (headEnd < headLimit) {
        at = headEnd++;
      } else if (key < sortKey[headEnd - 1]!) {
        // The head's largest entry makes room and joins the tail at k.
        at = headEnd - 1;
        this.moveEntry(at, k);
        if (sortKey[k]! < tailMin) tailMin = sortKey[k]!;
      } else {
        sortKey[k] = key;
        if (key < tailMin) tailMin = key;
        continue;
      }
      for (; at > first && sortKey[at - 1]! > key; at--) this.moveEntry(at - 1, at);
      sortKey[at] = key;
      cost[at] = entryCost;
      coachOf[at] = coach;
    }
    this.rowHeadEnd[i] = headEnd;
    this.tailMinKey[i] = tailMin;
  }

  private moveEntry(from: number, to: number) {
    this.sortKey[to] = this.sortKey[from]!;
    this.cost[to] = this.cost[from]!;
    this.coachOf[to] = this.coachOf[from]!;
  }
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

/** The allowed pairs per request (compressed rows), with their costs, and the cost of "nobody". */
type CostGraph = { rowStart: Int32Array; coachOf: Int32Array; cost: Float64Array; nobodyCost: number };

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
  // "count": with scores shifted to 0..spread, a assigned requests with shifted total T cost
  // n·nobodyCost - a·bonus - T, where bonus = nobodyCost - spread = (n + 1)·(spread + 1). T is at most
  // n·spread < bonus, so an assignment with more requests always costs less, and equal counts are
  // ordered by total score. The +1 keeps bonus > 0 when all scores are equal. All costs stay below
  // (n + 2)·(spread + 1), so for our sizes doubles resolve score differences far below 1e-6.
  const spread = highest - lowest;
  return { rowStart, coachOf, cost, nobodyCost: spread + (requestCount + 1) * (spread + 1) };
}
