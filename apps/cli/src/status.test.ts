// `waybill status` and `waybill rollout` against the emulator, and the status page in a real headless Chromium.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { amisPerTarget, buildImage, createPipeline, pipelineClient } from "@waybill/aws/testing/pipelines";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Cli, cliOn, fakeAwsEnv } from "./testing/harness.js";

const ACCOUNT = "123456789012";
let emulator: Emulator;
let cli: Cli;

const web = (regions: string[]) =>
  `name: web-base\ndistributions:\n${regions
    .map(
      (region) =>
        `  - region: ${region}\n    amiDistributionConfiguration:\n      name: "web {{imagebuilder:buildDate}}"\n`,
    )
    .join("")}`;

beforeAll(async () => {
  emulator = await startEmulator({ buildMs: 100 });
  cli = await cliOn(undefined, emulator.url);
  await writeFile(
    join(cli.root, "waybill.config.yaml"),
    `stack: cli-images\ndefaultRegion: us-west-2\nrollout:\n  executionRole: arn:aws:iam::${ACCOUNT}:role/WaybillRollout\n`,
  );
  await writeFile(join(cli.root, "web.yaml"), web(["us-west-2"]));
});
afterAll(async () => {
  await emulator.close();
});

const client = () =>
  pipelineClient({
    endpoint: emulator.url,
    region: "us-west-2",
    credentials: {
      accessKeyId: fakeAwsEnv.AWS_ACCESS_KEY_ID,
      secretAccessKey: fakeAwsEnv.AWS_SECRET_ACCESS_KEY,
    },
  });

describe("status and rollout", () => {
  let imageArn = "";

  test("status after a region is added: the JSON shape, the text and a page that loads in Chromium", async () => {
    expect((await cli.run(["apply", "web.yaml", "--yes"])).code).toBe(0);
    const pipeline = await createPipeline(client(), {
      name: "web-golden",
      accountId: ACCOUNT,
      distributionConfigurationArn: `arn:aws:imagebuilder:us-west-2:${ACCOUNT}:distribution-configuration/web-base`,
      schedule: "cron(0 2 ? * sun *)",
    });
    imageArn = await buildImage(client(), pipeline);
    await writeFile(join(cli.root, "web.yaml"), web(["us-west-2", "eu-west-1"]));
    const plan = await cli.run(["plan", "web.yaml"]);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain("next build: web-golden, weekly");
    expect(plan.stdout).toContain("is not in eu-west-1 (123456789012)");
    expect((await cli.run(["apply", "web.yaml", "--yes"])).code).toBe(0);

    const json = await cli.run(["status", "web.yaml", "--json"]);
    expect(json.code).toBe(0);
    const status = JSON.parse(json.stdout);
    expect(status).toEqual({
      configurations: [
        {
          name: "web-base",
          region: "us-west-2",
          pipelines: [
            {
              name: "web-golden",
              arn: pipeline,
              image: { arn: imageArn, version: expect.stringMatching(/^1\.0\.0\/\d+$/) },
              targets: [
                { region: "eu-west-1", accountId: ACCOUNT, state: "missing" },
                {
                  region: "us-west-2",
                  accountId: ACCOUNT,
                  state: "present",
                  ami: expect.stringMatching(/^ami-[0-9a-f]{17}$/),
                },
              ],
            },
          ],
        },
      ],
    });
    const text = await cli.run(["status", "web.yaml", "--html", "status.html"]);
    expect(text.stdout).toContain("missing eu-west-1 (123456789012)");

    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));
      page.on("request", (request) => {
        if (!request.url().startsWith("file:")) problems.push(`network: ${request.url()}`);
      });
      await page.goto(`file://${join(cli.root, "status.html")}`);
      expect(await page.locator("#count-missing").textContent()).toBe("1 missing");
      expect(await page.locator("td.missing").count()).toBe(1);
      expect(await page.locator("td.present").count()).toBe(1);
      // The filter hides rows that do not match.
      await page.fill("#filter", "no-such-configuration");
      expect(await page.locator("#grid tbody tr:visible").count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
    expect(await readFile(join(cli.root, "status.html"), "utf8")).not.toMatch(/(src|href)="https?:/);
  }, 60_000);

  test("rollout without --yes changes nothing; with it fills only the missing target; again, nothing", async () => {
    const before = await amisPerTarget(client(), imageArn);
    const dry = await cli.run(["rollout", "web.yaml"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("web-golden image 1.0.0/");
    expect(dry.stdout).toContain("→ eu-west-1 (123456789012)");
    expect(await amisPerTarget(client(), imageArn)).toEqual(before);

    const done = await cli.run(["rollout", "web.yaml", "--yes", "--json"]);
    expect(done.code).toBe(0);
    const results = JSON.parse(done.stdout).results;
    expect(results).toEqual([
      expect.objectContaining({
        pipeline: "web-golden",
        status: "distributed",
        targets: [{ region: "eu-west-1", accountId: ACCOUNT, ami: expect.stringMatching(/^ami-/) }],
      }),
    ]);
    expect(await amisPerTarget(client(), imageArn)).toEqual({
      [`us-west-2/${ACCOUNT}`]: 1,
      [`eu-west-1/${ACCOUNT}`]: 1,
    });
    const status = JSON.parse((await cli.run(["status", "web.yaml", "--json"])).stdout);
    expect(status.configurations[0].pipelines[0].targets.map((t: { state: string }) => t.state)).toEqual([
      "present",
      "present",
    ]);
    const again = await cli.run(["rollout", "web.yaml", "--yes"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("nothing to roll out");
  }, 60_000);

  test("rollout --yes without rollout.executionRole is refused before anything is distributed", async () => {
    await writeFile(join(cli.root, "waybill.config.yaml"), "stack: cli-images\ndefaultRegion: us-west-2\n");
    const refused = await cli.run(["rollout", "web.yaml", "--yes"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("rollout-role-not-set");
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  });
});
