import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { projectRoot } from "~/cli/build-if-needed";
import { getDb } from "~/db.server";
import { createUser, getUserRoles } from "~/models/user.server";
import { auditEvents } from "~db/schema";

const run = promisify(execFile);

function teamAdd(...args: string[]) {
  return run(process.execPath, ["--import", "tsx", "app/cli/team-add.ts", ...args], {
    cwd: projectRoot,
    env: { ...process.env },
  });
}

describe("npm run team:add", () => {
  it("gives an existing account the team role, whatever the email's case, and audits it", async () => {
    const user = createUser({
      name: "Erste Teamerin",
      email: "erste@team.example",
      passwordHash: "irrelevant",
      locale: "de",
      timeZone: "Europe/Berlin",
      roles: ["coach"],
    });
    const { stdout } = await teamAdd("Erste@Team.example");

    expect(stdout).toContain("now has the team role");
    expect(getUserRoles(user!.id)).toEqual(["coach", "team"]);
    expect(getDb().select().from(auditEvents).all()).toEqual([
      expect.objectContaining({ subjectUserId: user!.id, action: "team_role.granted", actorUserId: null }),
    ]);
  });

  it("explains an unknown email and a missing argument with a non-zero exit", async () => {
    await expect(teamAdd("nobody@team.example")).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("must sign up first"),
    });
    await expect(teamAdd()).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("Usage") });
  });
});
