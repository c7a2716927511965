import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { cliOn, fixturesDir } from "./testing/harness.js";

describe("waybill demo", () => {
  test("validates, plans, applies, re-plans to no changes and writes the comment, with no AWS settings", async () => {
    // The endpoint and credentials the harness sets are ignored: the demo brings its own emulator.
    const cli = await cliOn(undefined, "http://127.0.0.1:9");
    const run = await cli.run(
      ["demo", "--example", join(fixturesDir, "estate"), "--comment", "out/comment.md"],
      {
        env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_REGION: "" },
      },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const headings = run.stdout.split("\n").filter((line) => line.startsWith("==> "));
    expect(headings.map((line) => line.split(" ").slice(0, 3).join(" "))).toEqual([
      "==> Emulator: EC2",
      "==> waybill validate",
      "==> waybill plan",
      "==> waybill apply",
      "==> an image",
      "==> edit waybill/web.yaml:",
      "==> waybill plan",
      "==> waybill apply",
      "==> waybill status",
      "==> waybill rollout",
      "==> waybill status",
      "==> waybill plan",
    ]);
    expect(run.stdout).toMatch(/Applied: 3 ok, 0 failed, 0 skipped\./);
    // The edit: one more account in a launch permission, one region fewer; an update with field diffs.
    const update = run.stdout.slice(run.stdout.indexOf("==> edit"), run.stdout.indexOf("==> waybill status"));
    expect(update).toContain(
      "==> edit waybill/web.yaml: share with 444444444444 in us-west-2, stop distributing to eu-west-1, add eu-central-1",
    );
    // The plan names the pipeline and the gap; status shows it missing; rollout fills it; status is clean.
    expect(update).toContain("next build: web-base-golden, weekly");
    expect(update).toContain("web-base-golden's image 1.0.0/1 is not in eu-central-1 (123456789012)");
    const [, statusBefore = "", statusAfter = ""] = run.stdout.split("==> waybill status");
    expect(statusBefore).toContain("missing eu-central-1 (123456789012)");
    expect(statusBefore).toContain("extra   eu-west-1 (123456789012)");
    expect(run.stdout).toMatch(/ok {6}web-base-golden 1\.0\.0\/1 → eu-central-1 \(123456789012\)/);
    expect(statusAfter).toContain("0 missing");
    expect(statusAfter).toContain("present eu-central-1 (123456789012) ami-");
    expect(update).toMatch(/~ .*web-base/);
    expect(update).toContain("launchPermission.userIds");
    expect(update).toContain("+444444444444");
    expect(update).toContain("removing eu-west-1 stops distributing new images there");
    expect(update).toMatch(/ok\s+update web-base in us-west-2\nApplied: 1 ok, 0 failed, 0 skipped\./);
    expect(run.stdout.slice(run.stdout.lastIndexOf("==> waybill plan"))).toContain("No changes");
    expect(run.stdout).not.toContain("not-a-secret");
    const comment = await readFile(join(cli.root, "out/comment.md"), "utf8");
    expect(comment).toContain("web-base");
  });
});
