import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "./diagnostics.js";
import { knownRegions, nearestRegions, regionInfo } from "./regions.js";
import { sdkPartitions } from "./testing/sdk-partitions.js";
import { validateConfigFiles } from "./validate/validation.js";

describe("the regions the AWS SDK knows", () => {
  test("aws-partitions.json is the installed SDK's partition data (pnpm --filter @waybill/core regions:write)", () => {
    const committed = readFileSync(fileURLToPath(new URL("./aws-partitions.json", import.meta.url)), "utf8");
    // Compared as data: Biome formats the committed file.
    expect(JSON.parse(committed)).toEqual(sdkPartitions());
  });

  test("every partition is there", () => {
    expect(knownRegions()).toEqual(
      expect.arrayContaining(["us-east-1", "cn-north-1", "us-gov-west-1", "eusc-de-east-1", "us-iso-east-1"]),
    );
  });

  test.each([
    ["us-east-1", { kind: "known", partition: "aws" }],
    ["cn-north-1", { kind: "known", partition: "aws-cn" }],
    ["us-gov-west-1", { kind: "known", partition: "aws-us-gov" }],
    ["eusc-de-east-1", { kind: "known", partition: "aws-eusc" }],
    [
      "eu-west-9",
      { kind: "unlisted", partition: "aws", suggestions: ["eu-west-1", "eu-west-2", "eu-west-3"] },
    ],
    ["cn-south-3", { kind: "unlisted", partition: "aws-cn", suggestions: ["cn-north-1"] }],
    ["us-east1", { kind: "malformed", suggestions: ["us-east-1"] }],
    ["useast-1", { kind: "malformed", suggestions: ["us-east-1"] }],
    ["US-EAST-1", { kind: "malformed", suggestions: ["us-east-1"] }],
    ["us-east-1a", { kind: "malformed", suggestions: ["us-east-1"] }],
    ["mars-1", { kind: "malformed", suggestions: [] }],
  ])("%s", (region, expected) => {
    expect(regionInfo(region)).toEqual(expected);
  });

  test("nearest regions by edit distance when the letters differ", () => {
    expect(nearestRegions("us-wset-2")).toEqual(["us-west-2"]);
  });
});

function validateText(text: string, defaultRegion?: string) {
  return validateConfigFiles(
    [{ path: "waybill/regions.yaml", text }],
    defaultRegion ? { defaultRegion } : {},
  );
}

const ami = "amiDistributionConfiguration: { name: 'web {{imagebuilder:buildDate}}' }";

describe("regions in a file", () => {
  test("us-east1, eu-west-9 and US-EAST-1: located diagnostics with suggestions", () => {
    const result = validateText(
      [
        "name: web",
        "region: us-west-2",
        "distributions:",
        `  - region: us-east1`,
        `    ${ami}`,
        `  - region: eu-west-9`,
        `    ${ami}`,
        `  - region: US-EAST-1`,
        `    ${ami}`,
        "",
      ].join("\n"),
    );
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      "waybill/regions.yaml:4:13: error invalid-region: 'us-east1' is not an AWS region code (at distributions[0].region)\n  hint: did you mean 'us-east-1'?",
      "waybill/regions.yaml:6:13: warning unknown-region: region 'eu-west-9' is not one the AWS SDK knows (it would be in partition aws) (at distributions[1].region)\n  hint: did you mean 'eu-west-1', 'eu-west-2' or 'eu-west-3'? A region newer than the SDK is fine; a slip fails at apply.",
      "waybill/regions.yaml:8:13: error invalid-region: 'US-EAST-1' is not an AWS region code (at distributions[2].region)\n  hint: did you mean 'us-east-1'?",
    ]);
    expect(result.ok).toBe(false);
  });

  test("a malformed home region is located with its suggestion", () => {
    const result = validateText(
      ["name: web", "region: US-EAST-1", "distributions:", `  - region: us-east-1`, `    ${ami}`, ""].join(
        "\n",
      ),
    );
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      "waybill/regions.yaml:2:9: error invalid-region: 'US-EAST-1' is not an AWS region code (at region)\n  hint: did you mean 'us-east-1'?",
    ]);
  });

  test("a cn-north-1 configuration is accepted without a diagnostic", () => {
    const result = validateText(
      [
        "name: web",
        "region: cn-north-1",
        "distributions:",
        "  - region: cn-north-1",
        `    ${ami}`,
        "  - region: cn-northwest-1",
        `    ${ami}`,
        "",
      ].join("\n"),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.ok && result.documents[0]?.region).toBe("cn-north-1");
  });

  test("a region of another partition than the home region's is accepted with a warning", () => {
    const result = validateText(
      ["name: web", "distributions:", "  - region: us-gov-west-1", `    ${ami}`, ""].join("\n"),
      "us-west-2",
    );
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.path, d.line, d.column])).toEqual([
      ["warning", "cross-partition-region", "distributions[0].region", 3, 13],
    ]);
  });

  test("the ARN's region is the home region when the document names none", () => {
    const result = validateText(
      [
        "distributionConfigurationArn: arn:aws:imagebuilder:us-west-9:123456789012:distribution-configuration/web",
        "distributions:",
        "  - region: us-west-2",
        `    ${ami}`,
        "",
      ].join("\n"),
    );
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.path])).toEqual([
      ["warning", "unknown-region", "distributionConfigurationArn"],
    ]);
  });
});
