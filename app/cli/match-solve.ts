/**
 * `npm run match:solve -- FILE.json`: solves one assignment problem from a JSON file,
 * `{"scores": [[…]] (requests × coaches, null = excluded), "capacity": […], "mode": "score" | "count"}`,
 * and prints `{"assignment", "total", "matched", "ms"}` on stdout. Bad input exits with code 2.
 */
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { solveAssignment, type AssignmentProblem } from "~/domain/matching/assignment";

const usage = "Usage: npm run match:solve -- FILE.json   (FILE: {scores: requests × coaches with null = excluded, capacity, mode})";
/** A matrix of wrong entries would otherwise flood the terminal; the first ones show what is wrong. */
const shownProblemLimit = 20;

const scoreSchema = z
  .number({ invalid_type_error: "must be a number or null" })
  // JSON.parse reads 1e999 as Infinity; NaN can only come as a string, which fails the type.
  .finite({ message: "must be a finite number" })
  .nullable();
const capacitySchema = z
  .number({ invalid_type_error: "must be a number" })
  .int({ message: "must be a whole number" })
  .nonnegative({ message: "must be 0 or more" });

const inputSchema = z
  .object({
    scores: z.array(z.array(scoreSchema), { required_error: "is missing" }),
    capacity: z.array(capacitySchema, { required_error: "is missing" }),
    mode: z.enum(["score", "count"], { required_error: "is missing" }),
  })
  .strict();

// Checked apart from inputSchema, because zod skips refinements once an entry has the wrong
// type, and a misshapen matrix should be reported together with its wrong entries.
const rectangularSchema = z
  .object({ scores: z.array(z.array(z.unknown())), capacity: z.array(z.unknown()) })
  .superRefine(({ scores, capacity }, context) => {
    scores.forEach((row, i) => {
      if (row.length !== capacity.length) {
        context.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["scores", i],
          message: `row has ${row.length} ${row.length === 1 ? "entry" : "entries"}, expected ${capacity.length} (one per coach in capacity)`,
        });
      }
    });
  });

export type SolveInput = { ok: true; problem: AssignmentProblem } | { ok: false; problems: string[] };

/** Reads the JSON text of a problem file; the problems are ready to print, one per line. */
export function parseSolveInput(text: string): SolveInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`not valid JSON: ${(error as Error).message}`] };
  }
  const parsed = inputSchema.safeParse(json);
  const shape = rectangularSchema.safeParse(json);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues),
    ...(shape.success ? [] : shape.error.issues.filter((issue) => issue.code === z.ZodIssueCode.custom)),
  ];
  if (!parsed.success || issues.length > 0) {
    const problems = issues.slice(0, shownProblemLimit).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    if (issues.length > shownProblemLimit) problems.push(`… and ${issues.length - shownProblemLimit} more problems`);
    return { ok: false, problems };
  }

  const { scores: rows, capacity, mode } = parsed.data;
  const coachCount = capacity.length;
  const scores = new Float64Array(rows.length * coachCount);
  rows.forEach((row, i) => row.forEach((score, j) => (scores[i * coachCount + j] = score ?? NaN)));
  return { ok: true, problem: { requestCount: rows.length, coachCount, scores, capacity, mode } };
}

function formatPath(path: (string | number)[]) {
  if (path.length === 0) return "input";
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? part : `.${part}`)).join("");
}

function main(file: string | undefined) {
  if (!file) {
    console.error(usage);
    return 2;
  }
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    console.error(`Cannot read ${file}: ${(error as Error).message}`);
    return 2;
  }
  const input = parseSolveInput(text);
  if (!input.ok) {
    for (const problem of input.problems) console.error(`${file}: ${problem}`);
    return 2;
  }
  const started = performance.now();
  const { assignment, total, matched } = solveAssignment(input.problem);
  const ms = performance.now() - started;
  const coachPerRequest = Array.from(assignment, (coach) => (coach < 0 ? null : coach));
  console.log(JSON.stringify({ assignment: coachPerRequest, total, matched, ms: Math.round(ms * 1000) / 1000 }));
  return 0;
}

// Only when run as a program, so tests can import parseSolveInput.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv[2]);
}
