import { type DesiredConfiguration, plan, validateConfigFiles } from "@waybill/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { importConfigurations } from "./import.js";
import { readLiveState } from "./live-state.js";
import { type EmulatorFixture, startEmulatorFixture } from "./testing/emulator.js";

let fixture: EmulatorFixture;
beforeAll(async () => {
  fixture = await startEmulatorFixture();
});
afterAll(async () => {
  await fixture.emulator.close();
});

describe("importConfigurations", () => {
  test("writes valid config files that plan (with adopt) to no content change", async () => {
    const aws = fixture.newAccess();
    await aws.clientFor("us-west-2").create({
      name: "Golden Web",
      description: "golden",
      distributions: [
        {
          region: "us-west-2",
          amiDistributionConfiguration: {
            name: "web {{imagebuilder:buildDate}}",
            launchPermission: { userIds: ["222222222222", "111111111111"] },
          },
        },
        { region: "eu-west-1", amiDistributionConfiguration: { name: "web {{imagebuilder:buildDate}}" } },
      ],
      tags: { team: "web", "waybill:managed-by": "someone" },
      clientToken: "golden",
    });
    await aws.clientFor("us-west-2").create({
      name: "other",
      distributions: [
        { region: "us-west-2", amiDistributionConfiguration: { name: "o {{imagebuilder:buildDate}}" } },
      ],
      clientToken: "other",
    });

    const only = await importConfigurations({
      region: "us-west-2",
      clientFor: (r) => aws.clientFor(r),
      name: "golden web",
    });
    expect(only.map((c) => c.fileName)).toEqual(["golden-web.yaml"]);
    const text = only[0]?.text ?? "";
    expect(text).toContain(
      "# Imported from arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/golden-web",
    );
    expect(text).not.toContain("waybill:managed-by");
    expect(text).not.toContain("timeoutMinutes");

    const all = await importConfigurations({ region: "us-west-2", clientFor: (r) => aws.clientFor(r) });
    expect(all.map((c) => c.fileName)).toEqual(["golden-web.yaml", "other.yaml"]);
    const validation = validateConfigFiles(all.map((c) => ({ path: `waybill/${c.fileName}`, text: c.text })));
    expect(validation.diagnostics).toEqual([]);
    if (!validation.ok) return;
    const desired: DesiredConfiguration[] = validation.documents.map((v) => ({
      name: v.document.name,
      region: v.region,
      distributions: v.document.distributions,
      source: v.file,
      ...(v.document.description ? { description: v.document.description } : {}),
      ...(v.document.tags ? { tags: v.document.tags } : {}),
    }));
    const live = await readLiveState({ regions: ["us-west-2"], clientFor: (r) => aws.clientFor(r) });
    const planned = plan(desired, live, { stack: "imported", adopt: true });
    // "Golden Web" carries another stack's tag: left alone; "other" is adopted with no content change.
    expect(
      planned.changes.map((c) => [c.name, c.action, c.action === "adopt" ? c.contentChanged : undefined]),
    ).toEqual([
      ["Golden Web", "conflict", undefined],
      ["other", "adopt", false],
    ]);
    expect(planned.changes[0]?.diffs).toEqual([]);
  });
});
