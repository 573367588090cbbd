import { describe, expect, it } from "vitest";
import { solveAssignment, type AssignmentMode, type AssignmentProblem } from "~/domain/matching/assignment";

const EPSILON = 1e-9;
const RANDOM_INSTANCES_PER_MODE = 300;
const MEDIUM_INSTANCES_PER_MODE = 30;

/** mulberry32: a tiny seeded PRNG, so a failing instance can be rebuilt from its seed. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function problemOf(rows: (number | null)[][], capacity: number[], mode: AssignmentMode): AssignmentProblem {
  const coachCount = capacity.length;
  const scores = new Float64Array(rows.length * coachCount);
  rows.forEach((row, i) => row.forEach((score, j) => (scores[i * coachCount + j] = score ?? NaN)));
  return { requestCount: rows.length, coachCount, scores, capacity, mode };
}

function randomProblem(seed: number, mode: AssignmentMode): AssignmentProblem {
  const random = seededRandom(seed);
  const randomInt = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const requestCount = randomInt(1, 6);
  const coachCount = randomInt(1, 4);
  const capacity = Array.from({ length: coachCount }, () => randomInt(0, 3));
  // Few distinct integer scores give many ties; some fractional ones and negatives are mixed in.
  const scores = Float64Array.from({ length: requestCount * coachCount }, () => {
    if (random() < 0.3) return NaN;
    return random() < 0.8 ? randomInt(-3, 8) : Math.round((random() * 20 - 5) * 100) / 100;
  });
  return { requestCount, coachCount, scores, capacity, mode };
}

type Objective = { matched: number; total: number };

function better(mode: AssignmentMode, a: Objective, b: Objective) {
  if (mode === "count" && a.matched !== b.matched) return a.matched > b.matched;
  return a.total > b.total + EPSILON;
}

/** Every assignment of each request to an allowed coach with room, or to nobody. */
function bruteForceBest({ requestCount, coachCount, scores, capacity, mode }: AssignmentProblem): Objective {
  const left = Array.from(capacity);
  let best: Objective = { matched: 0, total: 0 };
  const visit = (i: number, matched: number, total: number) => {
    if (i === requestCount) {
      if (better(mode, { matched, total }, best)) best = { matched, total };
      return;
    }
    visit(i + 1, matched, total);
    for (let j = 0; j < coachCount; j++) {
      const score = scores[i * coachCount + j]!;
      if (Number.isNaN(score) || left[j] === 0) continue;
      left[j]!--;
      visit(i + 1, matched + 1, total + score);
      left[j]!++;
    }
  };
  visit(0, 0, 0);
  return best;
}

/**
 * An independent exact reference for instances too big to enumerate: the textbook Hungarian
 * algorithm on the expanded matrix, one column per place plus one "nobody" column per request.
 * Excluded pairs cost more than any assignment could gain; in count mode every allowed pair gets
 * a bonus larger than any difference in total score, so more assigned requests always win.
 */
function hungarianBest({ requestCount, coachCount, scores, capacity, mode }: AssignmentProblem): Objective {
  const finite = Array.from(scores).filter((score) => !Number.isNaN(score));
  const spread = finite.length === 0 ? 0 : Math.max(...finite) - Math.min(...finite);
  const bonus = mode === "count" ? (requestCount + 1) * (spread + 1) : 0;
  const excluded = 1e9;
  const columnCoach: number[] = [];
  for (let j = 0; j < coachCount; j++) for (let place = 0; place < capacity[j]!; place++) columnCoach.push(j);
  for (let i = 0; i < requestCount; i++) columnCoach.push(-1);
  const columns = columnCoach.length;
  const cost = new Float64Array(requestCount * columns);
  for (let i = 0; i < requestCount; i++) {
    columnCoach.forEach((coach, column) => {
      const score = coach === -1 ? 0 : scores[i * coachCount + coach]!;
      cost[i * columns + column] = coach === -1 ? 0 : Number.isNaN(score) ? excluded : -(score + bonus);
    });
  }
  // e-maxx formulation, 1-based: rowOfColumn[j] is the row in column j, 0 = none.
  const u = new Array<number>(requestCount + 1).fill(0);
  const v = new Array<number>(columns + 1).fill(0);
  const rowOfColumn = new Array<number>(columns + 1).fill(0);
  const way = new Array<number>(columns + 1).fill(0);
  for (let row = 1; row <= requestCount; row++) {
    rowOfColumn[0] = row;
    let column0 = 0;
    const minSlack = new Array<number>(columns + 1).fill(Infinity);
    const used = new Array<boolean>(columns + 1).fill(false);
    do {
      used[column0] = true;
      const row0 = rowOfColumn[column0]!;
      let delta = Infinity;
      let column1 = 0;
      for (let column = 1; column <= columns; column++) {
        if (used[column]) continue;
        const slack = cost[(row0 - 1) * columns + column - 1]! - u[row0]! - v[column]!;
        if (slack < minSlack[column]!) {
          minSlack[column] = slack;
          way[column] = column0;
        }
        if (minSlack[column]! < delta) {
          delta = minSlack[column]!;
          column1 = column;
        }
      }
      for (let column = 0; column <= columns; column++) {
        if (used[column]) {
          u[rowOfColumn[column]!]! += delta;
          v[column]! -= delta;
        } else {
          minSlack[column]! -= delta;
        }
      }
      column0 = column1;
    } while (rowOfColumn[column0] !== 0);
    do {
      const column1 = way[column0]!;
      rowOfColumn[column0] = rowOfColumn[column1]!;
      column0 = column1;
    } while (column0 !== 0);
  }
  let matched = 0;
  let total = 0;
  for (let column = 1; column <= columns; column++) {
    const coach = columnCoach[column - 1]!;
    const row = rowOfColumn[column]!;
    if (row === 0 || coach === -1) continue;
    const score = scores[(row - 1) * coachCount + coach]!;
    if (Number.isNaN(score)) continue;
    matched++;
    total += score;
  }
  return { matched, total };
}

/**
 * Larger instances like real ones: rows longer than the solver keeps in order, about as many
 * places as requests, and coaches of uneven quality that many requests compete for.
 */
function randomMediumProblem(seed: number, mode: AssignmentMode): AssignmentProblem {
  const random = seededRandom(seed);
  const randomInt = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const coachCount = randomInt(60, 100);
  const capacity = Array.from({ length: coachCount }, () => randomInt(0, 3));
  const places = capacity.reduce((sum, taken) => sum + taken, 0);
  const requestCount = randomInt(Math.floor(places * 0.8), Math.ceil(places * 1.2));
  const quality = Array.from({ length: coachCount }, () => random() * 40);
  const scores = Float64Array.from({ length: requestCount * coachCount }, (_, k) => {
    if (random() < 0.4) return NaN;
    const score = 20 + quality[k % coachCount]! + random() * 35 - (mode === "count" ? 25 : 0);
    return random() < 0.5 ? Math.round(score) : Math.round(score * 10) / 10;
  });
  return { requestCount, coachCount, scores, capacity, mode };
}

function expectFeasible(problem: AssignmentProblem, result: ReturnType<typeof solveAssignment>) {
  const { requestCount, coachCount, scores, capacity } = problem;
  expect(result.assignment).toHaveLength(requestCount);
  const load = new Array<number>(coachCount).fill(0);
  let total = 0;
  let matched = 0;
  result.assignment.forEach((coach, i) => {
    if (coach === -1) return;
    expect(coach).toBeGreaterThanOrEqual(0);
    expect(coach).toBeLessThan(coachCount);
    const score = scores[i * coachCount + coach]!;
    expect(score, `request ${i} on excluded coach ${coach}`).not.toBeNaN();
    load[coach]!++;
    total += score;
    matched++;
  });
  load.forEach((taken, j) => expect(taken, `load of coach ${j}`).toBeLessThanOrEqual(capacity[j]!));
  expect(result.matched).toBe(matched);
  expect(result.total).toBeCloseTo(total, 9);
}

// The random comparisons take a second or two; a busy machine must not fail them on the default timeout.
describe.each(["score", "count"] as const)("solveAssignment in %s mode", { timeout: 30_000 }, (mode) => {
  it(`equals brute force on ${RANDOM_INSTANCES_PER_MODE} seeded random small instances`, () => {
    for (let seed = 1; seed <= RANDOM_INSTANCES_PER_MODE; seed++) {
      const problem = randomProblem(seed, mode);
      const result = solveAssignment(problem);
      expectFeasible(problem, result);
      const best = bruteForceBest(problem);
      if (mode === "count") expect(result.matched, `seed ${seed}`).toBe(best.matched);
      expect(Math.abs(result.total - best.total), `seed ${seed}: total ${result.total}, best ${best.total}`).toBeLessThan(
        1e-6,
      );
    }
  });

  it(`equals the Hungarian method on ${MEDIUM_INSTANCES_PER_MODE} seeded random medium instances`, () => {
    for (let seed = 1; seed <= MEDIUM_INSTANCES_PER_MODE; seed++) {
      const problem = randomMediumProblem(seed, mode);
      const result = solveAssignment(problem);
      expectFeasible(problem, result);
      const best = hungarianBest(problem);
      if (mode === "count") expect(result.matched, `seed ${seed}`).toBe(best.matched);
      expect(Math.abs(result.total - best.total), `seed ${seed}: total ${result.total}, best ${best.total}`).toBeLessThan(
        1e-6,
      );
    }
  });

  it("assigns nobody when every pair is excluded or every coach is full", () => {
    const allExcluded = solveAssignment(problemOf([[null, null], [null, null]], [2, 2], mode));
    expect(Array.from(allExcluded.assignment)).toEqual([-1, -1]);
    expect(allExcluded).toMatchObject({ total: 0, matched: 0 });

    const noPlaces = solveAssignment(problemOf([[50, 60], [70, 80]], [0, 0], mode));
    expect(Array.from(noPlaces.assignment)).toEqual([-1, -1]);
  });

  it("never uses a coach beyond its capacity, and skips a coach without places", () => {
    const result = solveAssignment(problemOf([[90, 10, 50], [90, 20, 60], [90, 30, 70]], [1, 0, 5], mode));
    expect(Array.from(result.assignment)).toEqual([0, 2, 2]);
    expect(result).toMatchObject({ total: 220, matched: 3 });
  });

  it("finds a coach with room far down a long row when the cheaper coaches are all taken", () => {
    // 30 coaches with one place each; requests 0–23 fit only "their" coach. The last request likes
    // those 24 best, but the solver keeps only the cheapest few pairs of a row in order and must
    // still look past them.
    const coachCount = 30;
    const rows = Array.from({ length: 24 }, (_, i) =>
      Array.from({ length: coachCount }, (_, j): number | null => (j === i ? 100 : null)),
    );
    rows.push(Array.from({ length: coachCount }, (_, j) => (j < 24 ? 90 : 50 + j)));
    const result = solveAssignment(problemOf(rows, new Array<number>(coachCount).fill(1), mode));
    expect(result.assignment[24]).toBe(29);
    expect(result).toMatchObject({ total: 2400 + 79, matched: 25 });
  });

  it("handles zero requests and zero coaches", () => {
    const noRequests = solveAssignment(problemOf([], [3, 1], mode));
    expect(noRequests).toEqual({ assignment: new Int32Array(0), total: 0, matched: 0 });
    const noCoaches = solveAssignment(problemOf([[], []], [], mode));
    expect(Array.from(noCoaches.assignment)).toEqual([-1, -1]);
    expect(noCoaches).toMatchObject({ total: 0, matched: 0 });
  });

  it("reports progress up to the number of requests", () => {
    const requestCount = 250;
    const scores = Float64Array.from({ length: requestCount * 3 }, (_, k) => (k * 37) % 101);
    const seen: number[] = [];
    solveAssignment({ requestCount, coachCount: 3, scores, capacity: [100, 100, 100], mode, onProgress: (n) => seen.push(n) });
    expect(seen.at(-1)).toBe(requestCount);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});

describe("solveAssignment modes", () => {
  // Request 0 fits only coach 0; request 1 fits coach 0 much better than coach 1.
  const rows = [
    [10, null],
    [90, 5],
  ];

  it("in score mode takes the best total even if a request stays unassigned", () => {
    const result = solveAssignment(problemOf(rows, [1, 1], "score"));
    expect(Array.from(result.assignment)).toEqual([-1, 0]);
    expect(result).toMatchObject({ total: 90, matched: 1 });
  });

  it("in count mode assigns as many requests as possible first", () => {
    const result = solveAssignment(problemOf(rows, [1, 1], "count"));
    expect(Array.from(result.assignment)).toEqual([0, 1]);
    expect(result).toMatchObject({ total: 15, matched: 2 });
  });

  it("never assigns a negative pair in score mode, but does in count mode", () => {
    const negative = [[-4, null]];
    expect(Array.from(solveAssignment(problemOf(negative, [1, 1], "score")).assignment)).toEqual([-1]);
    expect(solveAssignment(problemOf(negative, [1, 1], "count"))).toMatchObject({ total: -4, matched: 1 });
  });

  it("moves earlier requests along a chain of full coaches when that is better", () => {
    // Greedy would give request 0 coach 0 and leave request 2 without a place.
    const result = solveAssignment(
      problemOf(
        [
          [9, 8, null],
          [null, 9, 8],
          [9, null, null],
        ],
        [1, 1, 1],
        "score",
      ),
    );
    expect(Array.from(result.assignment)).toEqual([1, 2, 0]);
    expect(result.total).toBe(25);
  });
});

describe("solveAssignment rejects an inconsistent problem", () => {
  const base = problemOf([[1, 2]], [1, 1], "score");

  it.each([
    ["too few scores", { ...base, scores: new Float64Array(1) }],
    ["too many scores", { ...base, scores: new Float64Array(3) }],
    ["capacity of the wrong length", { ...base, capacity: [1] }],
    ["negative capacity", { ...base, capacity: [1, -1] }],
    ["fractional capacity", { ...base, capacity: [1.5, 1] }],
    ["NaN capacity", { ...base, capacity: [NaN, 1] }],
    ["infinite score", { ...base, scores: Float64Array.of(1, Infinity) }],
    ["negative request count", { ...base, requestCount: -1, scores: new Float64Array(0) }],
    ["unknown mode", { ...base, mode: "best" as AssignmentMode }],
  ])("%s", (_, problem) => {
    expect(() => solveAssignment(problem)).toThrow(RangeError);
  });
});
