/**
 * Assignment solver speed against scipy's `linear_sum_assignment` on the column-repeated matrix.
 * `benchmarkSolve` is called by the main bench; run this file directly
 * (`node_modules/.bin/tsx tests/bench/match-solve.ts`) for realistic random instances of three sizes.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { solveAssignment, type AssignmentMode } from "~/domain/matching/assignment";
import { bestTime } from "./best-time";

export type BenchInstance = { scores: Float64Array; requestCount: number; coachCount: number; capacity: Int32Array };
export type BenchResult = { solveMs: number; total: number; matched: number; scipy: { ms: number; total: number } | null };

const scipyScript = path.join(path.dirname(fileURLToPath(import.meta.url)), "scipy-assignment.py");

export function benchmarkSolve(instance: BenchInstance, mode: AssignmentMode): BenchResult {
  const { ms: solveMs, result } = bestTime(() => solveAssignment({ ...instance, mode }));
  const { total, matched } = result;
  return {
    solveMs,
    total,
    matched,
    scipy: scipyAvailable() ? runScipy(instance, mode) : null,
  };
}

function scipyAvailable() {
  return spawnSync("python3", ["-c", "import scipy"], { stdio: "ignore" }).status === 0;
}

function runScipy({ scores, requestCount, coachCount, capacity }: BenchInstance, mode: AssignmentMode) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-scipy-"));
  try {
    // In score mode excluded and negative pairs become 0: taking one then equals leaving the
    // request unassigned. Count mode keeps NaN, and the script lifts the valid pairs instead.
    const written = mode === "score" ? scores.map((score) => (score > 0 ? score : 0)) : scores;
    const scoresFile = path.join(folder, "scores.f64");
    const capacityFile = path.join(folder, "capacity.json");
    fs.writeFileSync(scoresFile, Buffer.from(written.buffer, written.byteOffset, written.byteLength));
    fs.writeFileSync(capacityFile, JSON.stringify(Array.from(capacity)));
    const run = spawnSync(
      "python3",
      [scipyScript, scoresFile, String(requestCount), String(coachCount), capacityFile, mode],
      { encoding: "utf8", maxBuffer: 1 << 20 },
    );
    if (run.status !== 0) throw new Error(`scipy-assignment.py failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as { ms: number; total: number };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** mulberry32, so every run benchmarks the same instances. */
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

/**
 * Like real data: a request has one topic and one language, a coach covers a few topics at a level
 * and speaks some languages (together about 60% of pairs excluded); the score grows with the
 * coach's level in the topic and overall quality, plus a per-pair fit, clamped to 20–95.
 */
export function realisticInstance(requestCount: number, coachCount: number, places: number, seed = 1): BenchInstance {
  const random = seededRandom(seed);
  const topicCount = 8;
  const languageCount = 4;
  const coachLevels = Array.from({ length: coachCount }, () =>
    Array.from({ length: topicCount }, () => (random() < 0.5 ? 1 + Math.floor(random() * 3) : 0)),
  );
  const coachLanguages = Array.from({ length: coachCount }, () =>
    Array.from({ length: languageCount }, (_, language) => language === 0 || random() < 0.4),
  );
  const coachQuality = Array.from({ length: coachCount }, () => random() * 2 - 1);

  const scores = new Float64Array(requestCount * coachCount);
  for (let i = 0; i < requestCount; i++) {
    const topic = Math.floor(random() * topicCount);
    const language = random() < 0.7 ? 0 : 1 + Math.floor(random() * (languageCount - 1));
    for (let j = 0; j < coachCount; j++) {
      const level = coachLevels[j]![topic]!;
      if (level === 0 || !coachLanguages[j]![language]) {
        scores[i * coachCount + j] = NaN;
        continue;
      }
      const score = 30 + 15 * level + 10 * coachQuality[j]! + 20 * (random() - 0.5);
      scores[i * coachCount + j] = Math.round(Math.min(95, Math.max(20, score)) * 10) / 10;
    }
  }
  return { scores, requestCount, coachCount, capacity: new Int32Array(coachCount).fill(places) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const mode: AssignmentMode = process.argv[2] === "count" ? "count" : "score";
  const sizes = [
    [500, 100],
    [2000, 400],
    [5000, 1000],
  ] as const;
  console.log(`mode ${mode}, capacity 5 per coach; solve = faster of two runs (the first includes JIT warm-up)`);
  for (const [requestCount, coachCount] of sizes) {
    const instance = realisticInstance(requestCount, coachCount, 5);
    const excluded = instance.scores.filter(Number.isNaN).length / instance.scores.length;
    const { solveMs, total, matched, scipy } = benchmarkSolve(instance, mode);
    const agree = scipy && Math.abs(scipy.total - total) < 1e-6 ? "yes" : `NO (${scipy?.total})`;
    const scipyPart = scipy
      ? `scipy ${scipy.ms.toFixed(1)} ms, ratio ${(scipy.ms / solveMs).toFixed(1)}×, totals agree ${agree}`
      : "scipy not available";
    console.log(
      `${requestCount}×${coachCount} (${Math.round(excluded * 100)}% excluded): solve ${solveMs.toFixed(1)} ms, ` +
        `total ${total.toFixed(1)}, matched ${matched}; ${scipyPart}`,
    );
  }
}
