import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseSolveInput } from "~/cli/match-solve";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-match-solve-"));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

const good = { scores: [[80, null], [70, 60], [null, null]], capacity: [1, 1], mode: "score" };

function problemsFor(text: string) {
  const parsed = parseSolveInput(text);
  if (parsed.ok) throw new Error(`expected problems for ${text}`);
  return parsed.problems;
}

function runCli(...args: string[]) {
  return spawnSync(path.join(root, "node_modules/.bin/tsx"), ["app/cli/match-solve.ts", ...args], {
    cwd: root,
    encoding: "utf8",
  });
}

function writeFile(name: string, text: string) {
  const file = path.join(folder, name);
  fs.writeFileSync(file, text);
  return file;
}

describe("parseSolveInput", () => {
  it("turns a good file into a problem, with null as an excluded pair", () => {
    const parsed = parseSolveInput(JSON.stringify(good));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.problem).toMatchObject({ requestCount: 3, coachCount: 2, capacity: [1, 1], mode: "score" });
    expect(Array.from(parsed.problem.scores)).toEqual([80, NaN, 70, 60, NaN, NaN]);
  });

  it("accepts zero requests and zero coaches", () => {
    expect(parseSolveInput('{"scores": [], "capacity": [2], "mode": "count"}').ok).toBe(true);
    expect(parseSolveInput('{"scores": [[], []], "capacity": [], "mode": "score"}').ok).toBe(true);
  });

  it.each([
    ["invalid JSON", "{oops", "not valid JSON"],
    ["an empty file", "", "not valid JSON"],
    ["not an object", "[1, 2]", "input: Expected object, received array"],
    ["a missing key", '{"scores": [[1]], "capacity": [1]}', "mode: is missing"],
    ["an extra key", '{"scores": [[1]], "capacity": [1], "mode": "score", "seed": 4}', "Unrecognized key(s) in object: 'seed'"],
    ["a short row", '{"scores": [[1, 2], [3]], "capacity": [1, 1], "mode": "score"}', "scores[1]: row has 1 entry, expected 2"],
    ["a long row", '{"scores": [[1, 2, 3]], "capacity": [1, 1], "mode": "score"}', "scores[0]: row has 3 entries, expected 2"],
    ["rows that are not arrays", '{"scores": [1, 2], "capacity": [1], "mode": "score"}', "scores[0]: Expected array, received number"],
    ["a string score", '{"scores": [[1, "7"]], "capacity": [1, 1], "mode": "score"}', "scores[0][1]: must be a number or null"],
    ["NaN as a string", '{"scores": [["NaN"]], "capacity": [1], "mode": "score"}', "scores[0][0]: must be a number or null"],
    ["an overflowing number (Infinity)", '{"scores": [[1e999]], "capacity": [1], "mode": "score"}', "scores[0][0]: must be a finite number"],
    ["a negative capacity", '{"scores": [[1]], "capacity": [-1], "mode": "score"}', "capacity[0]: must be 0 or more"],
    ["a fractional capacity", '{"scores": [[1]], "capacity": [1.5], "mode": "score"}', "capacity[0]: must be a whole number"],
    ["a capacity given as text", '{"scores": [[1]], "capacity": ["2"], "mode": "score"}', "capacity[0]: must be a number"],
    ["an unknown mode", '{"scores": [[1]], "capacity": [1], "mode": "best"}', "mode: Invalid enum value"],
  ])("reports %s", (_, text, message) => {
    const problems = problemsFor(text);
    expect(problems.some((problem) => problem.includes(message)), problems.join("\n")).toBe(true);
  });

  it("reports a misshapen matrix together with wrong entries, one problem per line", () => {
    const problems = problemsFor('{"scores": [[1, "x"], [2]], "capacity": [1, 1], "mode": "count"}');
    expect(problems).toEqual([
      "scores[0][1]: must be a number or null",
      "scores[1]: row has 1 entry, expected 2 (one per coach in capacity)",
    ]);
  });

  it("shows the first problems of a matrix full of them and counts the rest", () => {
    const rows = Array.from({ length: 30 }, () => ["x"]);
    const problems = problemsFor(JSON.stringify({ scores: rows, capacity: [1], mode: "score" }));
    expect(problems).toHaveLength(21);
    expect(problems.at(-1)).toBe("… and 10 more problems");
  });
});

describe("npm run match:solve", { timeout: 30_000 }, () => {
  it("prints one JSON object with the assignment and exits 0", () => {
    const run = runCli(writeFile("good.json", JSON.stringify(good)));
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(Object.keys(output).sort()).toEqual(["assignment", "matched", "ms", "total"]);
    expect(output).toMatchObject({ assignment: [0, 1, null], total: 140, matched: 2 });
    expect(output.ms).toBeGreaterThanOrEqual(0);
  });

  it("exits 2 with the problems on stderr for bad input", () => {
    const file = writeFile("short-row.json", '{"scores": [[1, 2], [3]], "capacity": [1, 1], "mode": "score"}');
    const run = runCli(file);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`${file}: scores[1]: row has 1 entry, expected 2`);
  });

  it("exits 2 for a file it cannot read", () => {
    const run = runCli(path.join(folder, "missing.json"));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Cannot read");
  });

  it("exits 2 with a usage line when no file is given", () => {
    const run = runCli();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Usage: npm run match:solve -- FILE.json");
  });
});
