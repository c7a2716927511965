// Conformance: the AWS CLI drives the emulator with the documentation's own --cli-input-json examples.
import { execFile, spawnSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "./emulator.js";

const version = spawnSync("aws", ["--version"], { encoding: "utf8" });
const hasAws = version.status === 0;
// `--no-cli-pager` exists in AWS CLI v2 only (Debian's awscli is v1, which has no pager).
const pagerFlags = /^aws-cli\/1\./.test(`${version.stdout}${version.stderr}`) ? [] : ["--no-cli-pager"];
if (!hasAws)
  console.warn("aws-cli.test.ts: the AWS CLI (`aws`) is not installed; CLI conformance tests are skipped.");

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/aws-cli/${name}`, import.meta.url));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: Record<string, unknown>;
}

let emulator: Emulator;
let home: string;

// Asynchronous on purpose: the emulator answers from this same process.
function aws(...args: string[]): Promise<CliResult> {
  return awsWith({}, ...args);
}

// The installed CLI may predate the newest model (aws-cli 1.45 has no --dry-run for this
// operation): with AWS_DATA_PATH it reads the repository's model copy instead of its own.
let newestModel: string;
function awsNewest(...args: string[]): Promise<CliResult> {
  return awsWith({ AWS_DATA_PATH: newestModel }, ...args);
}

function awsWith(extraEnv: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      "aws",
      [
        "imagebuilder",
        ...args,
        "--endpoint-url",
        emulator.url,
        "--region",
        "us-west-2",
        "--output",
        "json",
        ...pagerFlags,
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: home,
          AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
          AWS_SECRET_ACCESS_KEY: "secret",
          AWS_EC2_METADATA_DISABLED: "true",
          AWS_PAGER: "",
          ...extraEnv,
        },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        let json: Record<string, unknown> = {};
        if (code === 0 && stdout.trim() !== "") json = JSON.parse(stdout) as Record<string, unknown>;
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}

const arnOf = (name: string) =>
  `arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/${name}`;

describe.skipIf(!hasAws)("the AWS CLI against the emulator", () => {
  beforeAll(async () => {
    // Images are AVAILABLE at once: each CLI call starts a Python process, too slow to poll with.
    emulator = await startEmulator({ buildMs: 0 });
    home = await mkdtemp(join(tmpdir(), "waybill-aws-cli-"));
    newestModel = join(home, "models");
    await mkdir(join(newestModel, "imagebuilder", "2019-12-02"), { recursive: true });
    await copyFile(
      fileURLToPath(new URL("./api-model.json", import.meta.url)),
      join(newestModel, "imagebuilder", "2019-12-02", "service-2.json"),
    );
  });
  afterAll(async () => {
    await emulator?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  test("the user guide's create examples are accepted and read back", async () => {
    const accounts = await aws(
      "create-distribution-configuration",
      "--cli-input-json",
      `file://${fixture("create-ami-distribution-configuration.accounts.json")}`,
    );
    expect(accounts.stderr).toBe("");
    expect(accounts.json.distributionConfigurationArn).toBe(arnOf("myexampleaccountdistribution"));
    expect(accounts.json.clientToken).toEqual(expect.any(String));

    const organizations = await aws(
      "create-distribution-configuration",
      "--cli-input-json",
      `file://${fixture("create-ami-distribution-configuration.organizations.json")}`,
    );
    expect(organizations.json.distributionConfigurationArn).toBe(
      arnOf("myexampleawsorganizationdistribution"),
    );

    const got = await aws(
      "get-distribution-configuration",
      "--distribution-configuration-arn",
      arnOf("myexampleaccountdistribution"),
    );
    expect(got.json.distributionConfiguration).toMatchObject({
      name: "MyExampleAccountDistribution",
      timeoutMinutes: 720,
      dateCreated: expect.any(String),
      distributions: [
        {
          region: "us-west-2",
          amiDistributionConfiguration: {
            name: "Name {{imagebuilder:buildDate}}",
            amiTags: { KeyName: "Some Value" },
            launchPermission: { userIds: ["987654321012"] },
          },
        },
        { region: "eu-west-1" },
      ],
    });
  });

  test("the user guide's update example is refused by the CLI itself (launchPermissions, tags)", async () => {
    const result = await aws(
      "update-distribution-configuration",
      "--cli-input-json",
      `file://${fixture("update-ami-distribution-configuration.json")}`,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'Unknown parameter in distributions[0].amiDistributionConfiguration: "launchPermissions"',
    );
  });

  test("the CLI reference's update example updates a configuration", async () => {
    const created = await aws(
      "create-distribution-configuration",
      "--name",
      "MyExampleDistribution",
      "--distributions",
      JSON.stringify([
        { region: "us-west-2", amiDistributionConfiguration: { name: "first {{imagebuilder:buildDate}}" } },
      ]),
    );
    expect(created.json.distributionConfigurationArn).toBe(arnOf("myexampledistribution"));
    const updated = await aws(
      "update-distribution-configuration",
      "--cli-input-json",
      `file://${fixture("update-distribution-configuration.cli-reference.json")}`,
    );
    expect(updated.stderr).toBe("");
    expect(updated.json.distributionConfigurationArn).toBe(arnOf("myexampledistribution"));
    const got = await aws(
      "get-distribution-configuration",
      "--distribution-configuration-arn",
      arnOf("myexampledistribution"),
    );
    const configuration = got.json.distributionConfiguration as {
      description: string;
      dateUpdated: string;
      distributions: { region: string }[];
    };
    expect(configuration.description).toBe("Copies AMI to eu-west-2 and exports to S3");
    expect(configuration.distributions.map((distribution) => distribution.region)).toEqual([
      "us-west-2",
      "eu-west-2",
    ]);
    expect(configuration.dateUpdated).toEqual(expect.any(String));
  });

  test("service errors reach the CLI by type and message", async () => {
    const duplicate = await aws(
      "create-distribution-configuration",
      "--cli-input-json",
      `file://${fixture("create-ami-distribution-configuration.accounts.json")}`,
    );
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toContain(
      "An error occurred (ResourceAlreadyExistsException) when calling the CreateDistributionConfiguration operation",
    );
    const missing = await aws(
      "get-distribution-configuration",
      "--distribution-configuration-arn",
      arnOf("nothing-here"),
    );
    expect(missing.stderr).toContain("(ResourceNotFoundException)");
    const noOutput = await aws(
      "create-distribution-configuration",
      "--name",
      "empty-region",
      "--distributions",
      JSON.stringify([{ region: "us-west-2" }]),
    );
    expect(noOutput.stderr).toContain(
      "(InvalidParameterValueException) when calling the CreateDistributionConfiguration operation: The value supplied for parameter 'distributions[0]' is not valid.",
    );
  });

  test("--dry-run answers DryRunOperationException and creates nothing (CLI reading the newest model)", async () => {
    const distributions = JSON.stringify([
      { region: "us-west-2", amiDistributionConfiguration: { name: "dry {{imagebuilder:buildDate}}" } },
    ]);
    const dry = await awsNewest(
      "create-distribution-configuration",
      "--name",
      "dry-run-only",
      "--distributions",
      distributions,
      "--dry-run",
    );
    expect(dry.code).not.toBe(0);
    expect(dry.stderr).toContain(
      "An error occurred (DryRunOperationException) when calling the CreateDistributionConfiguration operation",
    );
    const got = await aws(
      "get-distribution-configuration",
      "--distribution-configuration-arn",
      arnOf("dry-run-only"),
    );
    expect(got.stderr).toContain("(ResourceNotFoundException)");
    const invalid = await awsNewest(
      "create-distribution-configuration",
      "--name",
      "dry-run-only",
      "--distributions",
      JSON.stringify([{ region: "us-west-2" }]),
      "--dry-run",
    );
    expect(invalid.stderr).toContain("(InvalidParameterValueException)");
  });

  test("tags, listing across pages, and delete", async () => {
    const arn = arnOf("myexampleawsorganizationdistribution");
    expect((await aws("tag-resource", "--resource-arn", arn, "--tags", "team=web,stage=prod")).code).toBe(0);
    expect((await aws("untag-resource", "--resource-arn", arn, "--tag-keys", "stage")).code).toBe(0);
    expect((await aws("list-tags-for-resource", "--resource-arn", arn)).json.tags).toEqual({ team: "web" });

    for (let index = 0; index < 27; index++) {
      const created = await createDirect(`page-filler-${index}`);
      expect(created).toBe(200);
    }
    // The CLI follows nextToken itself and merges the pages.
    const listed = await aws("list-distribution-configurations");
    const names = (listed.json.distributionConfigurationSummaryList as { name: string }[]).map(
      (summary) => summary.name,
    );
    expect(names).toHaveLength(30);
    expect(new Set(names).size).toBe(30);

    const filtered = await aws(
      "list-distribution-configurations",
      "--filters",
      "name=name,values=MyExampleDistribution",
    );
    expect(
      (filtered.json.distributionConfigurationSummaryList as { name: string }[]).map(
        (summary) => summary.name,
      ),
    ).toEqual(["MyExampleDistribution"]);

    const pipeline = await aws(
      "create-image-pipeline",
      "--name",
      "uses-organization-distribution",
      "--image-recipe-arn",
      "arn:aws:imagebuilder:us-west-2:123456789012:image-recipe/web/1.0.0",
      "--infrastructure-configuration-arn",
      "arn:aws:imagebuilder:us-west-2:123456789012:infrastructure-configuration/build",
      "--distribution-configuration-arn",
      arn,
    );
    expect(pipeline.stderr).toBe("");
    const blocked = await aws("delete-distribution-configuration", "--distribution-configuration-arn", arn);
    expect(blocked.stderr).toContain("(ResourceDependencyException)");
    const unused = await aws(
      "delete-image-pipeline",
      "--image-pipeline-arn",
      pipeline.json.imagePipelineArn as string,
    );
    expect(unused.code).toBe(0);
    const deleted = await aws("delete-distribution-configuration", "--distribution-configuration-arn", arn);
    expect(deleted.json.distributionConfigurationArn).toBe(arn);
  });

  test("pipelines, a build, images and DistributeImage", async () => {
    const web = await aws(
      "create-distribution-configuration",
      "--name",
      "cli-web",
      "--distributions",
      JSON.stringify([
        { region: "us-west-2", amiDistributionConfiguration: { name: "cli {{imagebuilder:buildDate}}" } },
      ]),
    );
    const webArn = web.json.distributionConfigurationArn as string;
    const pipeline = await aws(
      "create-image-pipeline",
      "--name",
      "cli-web",
      "--image-recipe-arn",
      "arn:aws:imagebuilder:us-west-2:123456789012:image-recipe/cli-web/1.0.0",
      "--infrastructure-configuration-arn",
      "arn:aws:imagebuilder:us-west-2:123456789012:infrastructure-configuration/build",
      "--distribution-configuration-arn",
      webArn,
      "--schedule",
      "scheduleExpression=cron(0 2 ? * MON *),pipelineExecutionStartCondition=EXPRESSION_MATCH_ONLY",
      "--status",
      "DISABLED",
    );
    expect(pipeline.stderr).toBe("");
    const pipelineArn = pipeline.json.imagePipelineArn as string;
    expect(pipelineArn).toBe("arn:aws:imagebuilder:us-west-2:123456789012:image-pipeline/cli-web");
    const listed = await aws(
      "list-image-pipelines",
      "--filters",
      `name=distributionConfigurationArn,values=${webArn}`,
      "name=status,values=DISABLED",
    );
    expect((listed.json.imagePipelineList as { name: string }[]).map((item) => item.name)).toEqual([
      "cli-web",
    ]);

    const started = await aws("start-image-pipeline-execution", "--image-pipeline-arn", pipelineArn);
    const imageArn = started.json.imageBuildVersionArn as string;
    expect(imageArn).toBe("arn:aws:imagebuilder:us-west-2:123456789012:image/cli-web/1.0.0/1");
    const image = (await aws("get-image", "--image-build-version-arn", imageArn)).json.image as {
      state: { status: string };
      outputResources: { amis: { region: string; accountId: string; image: string }[] };
    };
    expect(image.state.status).toBe("AVAILABLE");
    expect(image.outputResources.amis).toEqual([
      expect.objectContaining({
        region: "us-west-2",
        accountId: "123456789012",
        image: expect.stringMatching(/^ami-[0-9a-f]{17}$/),
      }),
    ]);
    const pipelineImages = await aws("list-image-pipeline-images", "--image-pipeline-arn", pipelineArn);
    expect((pipelineImages.json.imageSummaryList as { arn: string }[]).map((item) => item.arn)).toEqual([
      imageArn,
    ]);

    const gap = await aws(
      "create-distribution-configuration",
      "--name",
      "cli-gap",
      "--distributions",
      JSON.stringify([
        {
          region: "eu-west-1",
          amiDistributionConfiguration: {
            name: "cli {{imagebuilder:buildDate}}",
            targetAccountIds: ["111111111111"],
          },
        },
      ]),
    );
    const distributed = await aws(
      "distribute-image",
      "--source-image",
      imageArn,
      "--distribution-configuration-arn",
      gap.json.distributionConfigurationArn as string,
      "--execution-role",
      "ImageBuilderDistribution",
      "--client-token",
      "cli-rollout",
    );
    expect(distributed.stderr).toBe("");
    expect(distributed.json).toEqual({
      clientToken: "cli-rollout",
      imageBuildVersionArn: "arn:aws:imagebuilder:us-west-2:123456789012:image/cli-web/1.0.0/2",
    });
    const versions = await aws(
      "list-image-build-versions",
      "--image-version-arn",
      "arn:aws:imagebuilder:us-west-2:123456789012:image/cli-web/1.0.0",
    );
    const amis = (
      versions.json.imageSummaryList as {
        version: string;
        outputResources: { amis: { region: string; accountId: string }[] };
      }[]
    ).map((item) => [item.version, item.outputResources.amis.map((ami) => `${ami.region}/${ami.accountId}`)]);
    expect(amis).toEqual([
      ["1.0.0/1", ["us-west-2/123456789012"]],
      ["1.0.0/2", ["eu-west-1/123456789012", "eu-west-1/111111111111"]],
    ]);

    const blocked = await aws(
      "delete-distribution-configuration",
      "--distribution-configuration-arn",
      webArn,
    );
    expect(blocked.stderr).toContain(
      "An error occurred (ResourceDependencyException) when calling the DeleteDistributionConfiguration operation",
    );
    expect((await aws("delete-image-pipeline", "--image-pipeline-arn", pipelineArn)).code).toBe(0);
    expect(
      (await aws("delete-distribution-configuration", "--distribution-configuration-arn", webArn)).code,
    ).toBe(0);
  });
});

// Creates through plain HTTP (fast), signed only as far as the emulator reads.
async function createDirect(name: string): Promise<number> {
  const response = await fetch(`${emulator.url}/CreateDistributionConfiguration`, {
    method: "PUT",
    headers: {
      authorization:
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/imagebuilder/aws4_request, Signature=0",
    },
    body: JSON.stringify({
      name,
      clientToken: name,
      distributions: [
        { region: "us-west-2", amiDistributionConfiguration: { name: "x {{imagebuilder:buildDate}}" } },
      ],
    }),
  });
  await response.arrayBuffer();
  return response.status;
}
