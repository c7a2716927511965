// The policy's sharing gate through the real engine runner and the emulator: a plan that widens
// who may launch says what approves it, an apply without that approval changes nothing, and the
// same apply with it goes through. (run-action.test.ts covers what the Action does with each
// outcome, with a fake runner.)
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { createEngineRunner } from "./engine-runner.js";
import { aRunRequest } from "./testing/inputs.js";

let emulator: Emulator;
let root: string;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  emulator.reset();
  emulator.resetCounts();
  root = await mkdtemp(join(tmpdir(), "waybill-gate-"));
  await mkdir(join(root, "waybill"));
  await writeFile(
    join(root, "waybill.config.yaml"),
    "stack: gate\ndefaultRegion: us-west-2\npolicy:\n  sharingApproval:\n    label: sharing-approved\n",
  );
  // A new launch permission for another account: the plan widens who may launch the image.
  await writeFile(
    join(root, "waybill", "web.yaml"),
    [
      "name: web",
      "distributions:",
      "  - region: us-west-2",
      "    amiDistributionConfiguration:",
      '      name: "web {{imagebuilder:buildDate}}"',
      '      launchPermission: { userIds: ["222222222222"] }',
      "",
    ].join("\n"),
  );
  return () => rm(root, { recursive: true, force: true });
});

const request = aRunRequest();
const runner = () =>
  createEngineRunner({
    root,
    env: {
      AWS_ACCESS_KEY_ID: "AKIAWAYBILLGATETEST1",
      AWS_SECRET_ACCESS_KEY: "not-a-secret",
      AWS_REGION: "us-west-2",
      AWS_ENDPOINT_URL_IMAGEBUILDER: emulator.url,
    },
  });
const creates = () => emulator.requestCounts().CreateDistributionConfiguration ?? 0;

test("a widening plan says what approves it: the policy's label, not a review it does not ask for", async () => {
  const planned = await runner().plan(request);
  expect(planned.status).toBe("planned");
  if (planned.status !== "planned") return;
  const needed = planned.plan.approvalNeeded;
  expect(needed).toMatchObject({
    widening: 1,
    approves: 'the label "sharing-approved"',
    reviewsApprove: false,
  });
  expect(needed?.approvedBy({ labels: ["infra", "sharing-approved"], approvingReviews: 0 })).toBe(
    'the label "sharing-approved"',
  );
  expect(needed?.approvedBy({ labels: ["infra"], approvingReviews: 2 })).toBeUndefined();
});

test("without the approval the apply is refused and nothing is created; with it, it applies", async () => {
  const refused = await runner().apply(request, async () => ({ labels: ["infra"], approvingReviews: 1 }));
  expect(refused.status).toBe("refused");
  if (refused.status === "refused") expect(refused.reason).toContain('needs the label "sharing-approved"');
  expect(creates()).toBe(0);

  const unknown = await runner().apply(request, async () => undefined);
  expect(unknown.status).toBe("refused");
  if (unknown.status === "refused") expect(unknown.reason).toContain("no merged pull request was found");
  expect(creates()).toBe(0);

  const approved = await runner().apply(request, async () => ({
    labels: ["sharing-approved"],
    approvingReviews: 0,
  }));
  expect(approved.status).toBe("applied");
  if (approved.status === "applied")
    expect(approved.results.map((result) => [result.action, result.name, result.status])).toEqual([
      ["create", "web", "ok"],
    ]);
  expect(creates()).toBe(1);
});
