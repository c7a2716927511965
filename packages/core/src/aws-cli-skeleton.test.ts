// A current AWS CLI skeleton, filled in, is a valid Waybill file (dryRun included).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { readFixture } from "./testing/documents.js";
import { validateConfigFiles } from "./validate/validation.js";

const fixtureName = "aws-cli/create-distribution-configuration.skeleton.json";
// The repository's one copy of the newest service model (the emulator serves it).
const modelPath = fileURLToPath(new URL("../../emulator/src/api-model.json", import.meta.url));
const hasAws = spawnSync("aws", ["--version"], { encoding: "utf8" }).status === 0;
if (!hasAws)
  console.warn("aws-cli-skeleton.test.ts: `aws` is not installed; the skeleton is not regenerated.");

/** Every key path of a JSON value, list members as `[]`; tag maps are values (their keys are data). */
function keyPaths(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${path}[]`));
  if (value === null || typeof value !== "object" || /(^|\.)(tags|amiTags)$/.test(path)) return [path];
  return Object.entries(value).flatMap(([key, item]) => keyPaths(item, path === "" ? key : `${path}.${key}`));
}

const work = mkdtempSync(join(tmpdir(), "waybill-skeleton-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("an AWS CLI --generate-cli-skeleton file with its values filled in", () => {
  test("validates, dryRun and clientToken included, and both are left out of the document", () => {
    // Like the CLI's own --region, the home region comes from the run.
    const result = validateConfigFiles([{ path: "skeleton.json", text: readFixture(fixtureName) }], {
      defaultRegion: "us-west-2",
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.ok && Object.keys(result.documents[0]?.document ?? {}).sort()).toEqual([
      "description",
      "distributions",
      "name",
      "tags",
    ]);
  });

  test("names every member of the model's CreateDistributionConfigurationRequest", () => {
    const model = JSON.parse(readFileSync(modelPath, "utf8")) as {
      shapes: Record<string, { members?: Record<string, unknown> }>;
    };
    const members = Object.keys(model.shapes.CreateDistributionConfigurationRequest?.members ?? {}).sort();
    expect(members).toContain("dryRun");
    expect(Object.keys(JSON.parse(readFixture(fixtureName)) as object).sort()).toEqual(members);
  });

  test.skipIf(!hasAws)("has the keys of the skeleton the AWS CLI generates from the newest model", () => {
    // The installed CLI may predate dryRun: AWS_DATA_PATH makes it read the model copy instead.
    const data = join(work, "models");
    mkdirSync(join(data, "imagebuilder", "2019-12-02"), { recursive: true });
    writeFileSync(join(data, "imagebuilder", "2019-12-02", "service-2.json"), readFileSync(modelPath));
    const generated = spawnSync(
      "aws",
      ["imagebuilder", "create-distribution-configuration", "--generate-cli-skeleton"],
      {
        encoding: "utf8",
        env: { PATH: process.env.PATH, HOME: work, AWS_DATA_PATH: data, AWS_DEFAULT_REGION: "us-west-2" },
      },
    );
    expect(generated.stderr).toBe("");
    const skeleton = keyPaths(JSON.parse(generated.stdout)).sort();
    const filled = keyPaths(JSON.parse(readFixture(fixtureName))).sort();
    // Left out on purpose (fixtures/aws-cli/README.md): a public AMI, and a second way to name a
    // fast-launch template (the model: "either ... or ..., but not both").
    const omitted = [
      "distributions[].amiDistributionConfiguration.launchPermission.userGroups[]",
      "distributions[].fastLaunchConfigurations[].launchTemplate.launchTemplateName",
    ];
    expect(skeleton).toContain("dryRun");
    expect(filled).toEqual(skeleton.filter((path) => !omitted.includes(path)));
  });
});
