import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { plan } from "../plan/plan.js";
import { parsePlanJson, renderPlanJson } from "../plan/render-json.js";
import { renderPlanMarkdown } from "../plan/render-markdown.js";
import { renderPlanText } from "../plan/render-text.js";
import {
  ACCOUNT,
  aDesired,
  aDistribution,
  aLiveFrom,
  OTHER_ACCOUNT,
  STACK,
} from "../plan/testing/builders.js";
import { validateConfigFiles } from "../validate/validation.js";
import { blockedDeleteDiagnostics } from "./consequences.js";
import { configurationTargets, imageCoverage, imageStatus, targetKey } from "./coverage.js";
import type { AmiFact, ImageFacts, PipelineFact, Target } from "./image-model.js";
import { renderStatusHtml, renderStatusText } from "./render-status.js";
import { rolloutLines, rolloutPlan } from "./rollout.js";
import { gapLine, nextBuildLine, scheduleWord } from "./schedule.js";

const THIRD = "333333333333";

function aPipeline(arn: string, overrides: Partial<PipelineFact> = {}): PipelineFact {
  return {
    name: "web-golden",
    arn: `arn:aws:imagebuilder:us-west-2:${ACCOUNT}:image-pipeline/web-golden`,
    region: "us-west-2",
    distributionConfigurationArn: arn,
    status: "ENABLED",
    scheduleExpression: "cron(0 2 ? * sun *)",
    dateNextRun: "2026-12-14T02:00:00.000Z",
    image: {
      arn: `arn:aws:imagebuilder:us-west-2:${ACCOUNT}:image/web/1.0.0/3`,
      version: "1.0.0/3",
      amis: [
        { region: "us-west-2", accountId: ACCOUNT, image: "ami-0123456789abcdef0" },
        { region: "eu-west-1", accountId: ACCOUNT, image: "ami-0123456789abcdef1" },
      ],
    },
    ...overrides,
  };
}

describe("configurationTargets", () => {
  it("is every region × (owner and target accounts), sorted, without duplicates", () => {
    const targets = configurationTargets(
      [
        aDistribution("us-west-2", {
          amiDistributionConfiguration: {
            name: "x {{imagebuilder:buildDate}}",
            targetAccountIds: [OTHER_ACCOUNT, ACCOUNT],
          },
        }),
        aDistribution("eu-west-1"),
      ],
      ACCOUNT,
    );
    expect(targets).toEqual([
      { region: "eu-west-1", accountId: ACCOUNT },
      { region: "us-west-2", accountId: ACCOUNT },
      { region: "us-west-2", accountId: OTHER_ACCOUNT },
    ]);
  });
});

const target = fc.record({
  region: fc.constantFrom("us-east-1", "us-west-2", "eu-west-1", "ap-south-1"),
  accountId: fc.constantFrom(ACCOUNT, OTHER_ACCOUNT, THIRD),
});

describe("imageCoverage (laws)", () => {
  it("marks each target present or missing, and each AMI outside them extra", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(target, { selector: targetKey }),
        fc.uniqueArray(target, { selector: targetKey }),
        (targets, placed) => {
          const amis: AmiFact[] = placed.map((t, index) => ({ ...t, image: `ami-${index}` }));
          const coverage = imageCoverage(targets, amis);
          const wanted = new Set(targets.map(targetKey));
          const have = new Set(amis.map(targetKey));
          for (const entry of coverage) {
            const key = targetKey(entry);
            if (entry.state === "present") expect(wanted.has(key) && have.has(key)).toBe(true);
            if (entry.state === "missing") expect(wanted.has(key) && !have.has(key)).toBe(true);
            if (entry.state === "extra") expect(!wanted.has(key) && have.has(key)).toBe(true);
          }
          expect(coverage.filter((entry) => entry.state !== "extra")).toHaveLength(targets.length);
          expect(new Set(coverage.map(targetKey)).size).toBe(coverage.length);
        },
      ),
    );
  });

  it("rolling out the missing targets leaves none missing and touches no present one", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(target, { selector: targetKey, minLength: 1 }),
        fc.uniqueArray(target, { selector: targetKey }),
        (targets, placed) => {
          const amis: AmiFact[] = placed.map((t, index) => ({ ...t, image: `ami-${index}` }));
          const missing = imageCoverage(targets, amis).filter((entry) => entry.state === "missing");
          const after = [
            ...amis,
            ...missing.map((t: Target, index) => ({ ...t, image: `ami-new-${index}` })),
          ];
          const coverage = imageCoverage(targets, after);
          expect(coverage.some((entry) => entry.state === "missing")).toBe(false);
          const present = new Set(amis.map(targetKey));
          expect(missing.every((t) => !present.has(targetKey(t)))).toBe(true);
        },
      ),
    );
  });
});

describe("schedule words", () => {
  it("names common cron expressions and says when the next build is", () => {
    expect(scheduleWord("cron(0 2 ? * sun *)")).toBe("weekly");
    expect(scheduleWord("cron(0 2 * * ? *)")).toBe("daily");
    expect(scheduleWord("cron(0 2 1 * ? *)")).toBe("monthly");
    expect(scheduleWord("cron(0 2 1 6 ? *)")).toBe("cron(0 2 1 6 ? *)");
    expect(scheduleWord("cron(30 * * * ? *)")).toBe("hourly");
    // Not what a word would say: every 6 hours, the first Monday, the last Friday, twice a day, a range.
    for (const expression of [
      "cron(0 */6 * * ? *)",
      "cron(0 0/6 * * ? *)",
      "cron(0 2 ? * 2#1 *)",
      "cron(0 2 ? * 6L *)",
      "cron(0 2,14 * * ? *)",
      "cron(0 9-17 ? * MON-FRI *)",
      "cron(0 2 ? * MON-FRI *)",
      "cron(0 2 L * ? *)",
      "cron(0/15 2 * * ? *)",
      "rate(1 day)",
    ])
      expect(scheduleWord(expression)).toBe(expression);
    expect(
      nextBuildLine({
        name: "web-golden",
        status: "ENABLED",
        schedule: "cron(0 2 ? * sun *)",
        dateNextRun: "2026-12-14T02:00:00Z",
        startCondition: "EXPRESSION_MATCH_ONLY",
      }),
    ).toBe("next build: web-golden, weekly, next 2026-12-14 02:00 UTC");
    // The default start condition builds only when the recipe's dependencies changed: said, with rollout.
    const onUpdates = { name: "web-golden", status: "ENABLED", schedule: "cron(0 2 ? * sun *)" };
    expect(nextBuildLine(onUpdates)).toBe(
      "next build: web-golden, weekly, builds only if its dependencies changed",
    );
    expect(gapLine({ ...onUpdates, image: null }, [{ region: "eu-west-1", accountId: ACCOUNT }])).toBe(
      `web-golden's its image is not in eu-west-1 (${ACCOUNT}): the next scheduled run builds only if the recipe's dependencies changed; run \`waybill rollout\` right after apply to put it there`,
    );
    expect(
      gapLine({ ...onUpdates, startCondition: "EXPRESSION_MATCH_ONLY", image: null }, [
        { region: "eu-west-1", accountId: ACCOUNT },
      ]),
    ).toContain("the next build puts it there");
    expect(nextBuildLine({ name: "web-golden", status: "DISABLED" })).toBe(
      "disabled: web-golden; no build will pick this up",
    );
  });
});

describe("the plan's consequences for pipelines", () => {
  const desired = aDesired("web-base");
  const live = aLiveFrom(desired);
  const facts: ImageFacts = { pipelines: [aPipeline(live.arn)] };

  it("lists a changed configuration's pipelines and the added targets its image is not in", () => {
    const wider = { ...desired, distributions: [...desired.distributions, aDistribution("eu-north-1")] };
    const result = plan([wider], [live], { stack: STACK, images: facts });
    expect(result.version).toBe(3);
    expect(result.images?.configurations).toEqual([
      expect.objectContaining({
        name: "web-base",
        action: "update",
        blocked: false,
        addedTargets: [{ region: "eu-north-1", accountId: ACCOUNT }],
        pipelines: [
          expect.objectContaining({
            name: "web-golden",
            missing: [{ region: "eu-north-1", accountId: ACCOUNT }],
          }),
        ],
      }),
    ]);
    const text = renderPlanText(result, { color: false });
    expect(text).toContain("next build: web-golden, weekly, next 2026-12-14 02:00 UTC");
    expect(text).toContain("web-golden's image 1.0.0/3 is not in eu-north-1 (123456789012)");
    expect(text).toContain("waybill rollout");
    expect(renderPlanMarkdown(result)).toContain("web-golden, weekly, next 2026-12-14 02\\:00 UTC");
    const parsed = parsePlanJson(renderPlanJson(result));
    expect(parsed.success && parsed.plan.images).toEqual(result.images);
  });

  it("says a disabled pipeline will not pick a change up", () => {
    const wider = { ...desired, distributions: [...desired.distributions, aDistribution("eu-north-1")] };
    const result = plan([wider], [live], {
      stack: STACK,
      images: { pipelines: [aPipeline(live.arn, { status: "DISABLED" })] },
    });
    expect(renderPlanText(result, { color: false })).toContain(
      "disabled: web-golden; no build will pick this up",
    );
  });

  it("blocks a pruned delete of a used configuration, and only with prune", () => {
    const pruned = plan([], [live], { stack: STACK, prune: true, images: facts });
    expect(pruned.images?.configurations[0]).toMatchObject({ action: "delete", blocked: true });
    const diagnostics = blockedDeleteDiagnostics(pruned.images ?? { configurations: [] }, {
      file: "waybill.config.yaml",
      line: 3,
      column: 8,
      how: "prune: true",
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: "configuration-in-use",
        severity: "error",
        file: "waybill.config.yaml",
        line: 3,
      }),
    ]);
    expect(diagnostics[0]?.message).toContain("web-golden");
    const reported = plan([], [live], { stack: STACK, prune: false, images: facts });
    expect(reported.images?.configurations[0]).toMatchObject({ blocked: false });
    const unused = plan([], [live], { stack: STACK, prune: true, images: { pipelines: [] } });
    expect(unused.images?.configurations).toEqual([]);
  });

  it("names the pipelines still on a replaced configuration's old ARN", () => {
    const renamed = { ...desired, name: "web-base-v2" };
    const result = plan([renamed], [live], { stack: STACK, images: facts });
    const replace = result.changes.find((change) => change.action === "replace");
    expect(result.images?.configurations[0]).toMatchObject({ action: "replace", arn: live.arn });
    expect(renderPlanText(result, { color: false })).toContain(
      `web-base-v2: still on the old ARN ${live.arn}: web-golden`,
    );
    // The warnings (part of what a review approves) do not depend on the pipelines: moving them off
    // the old ARN after review leaves the plan's changes and warnings as they were.
    const moved = plan([renamed], [live], { stack: STACK, images: { pipelines: [] } });
    expect(moved.warnings).toEqual(result.warnings);
    expect(moved.changes).toEqual(result.changes);
    expect(replace?.warnings[0]?.message).not.toContain("web-golden");
  });

  it("leaves the plan without images when none were read", () => {
    expect(plan([desired], [live], { stack: STACK }).images).toBeUndefined();
  });
});

describe("status and rollout", () => {
  const configuration = {
    name: "web-base",
    region: "us-west-2",
    arn: `arn:aws:imagebuilder:us-west-2:${ACCOUNT}:distribution-configuration/web-base`,
    accountId: ACCOUNT,
    distributions: [
      aDistribution("us-west-2"),
      aDistribution("eu-north-1", {
        amiDistributionConfiguration: {
          name: "web {{imagebuilder:buildDate}}",
          kmsKeyId: "alias/web",
          amiTags: { team: "web" },
          targetAccountIds: [OTHER_ACCOUNT],
        },
      }),
    ],
  };
  const facts: ImageFacts = {
    pipelines: [
      aPipeline(configuration.arn, {
        image: {
          arn: "arn:aws:imagebuilder:us-west-2:123456789012:image/web/1.0.0/3",
          version: "1.0.0/3",
          amis: [
            { region: "us-west-2", accountId: ACCOUNT, image: "ami-0000000000000000a" },
            { region: "eu-west-1", accountId: ACCOUNT, image: "ami-0000000000000000b" },
          ],
        },
      }),
      aPipeline(configuration.arn, { name: "web-new", image: null }),
    ],
  };

  it("shows each target present, missing or extra", () => {
    const status = imageStatus([configuration], facts);
    expect(status.configurations[0]?.pipelines[1]).toMatchObject({
      name: "web-new",
      image: null,
      targets: [],
    });
    expect(status.configurations[0]?.pipelines[0]?.targets).toEqual([
      { region: "eu-north-1", accountId: ACCOUNT, state: "missing" },
      { region: "eu-north-1", accountId: OTHER_ACCOUNT, state: "missing" },
      { region: "eu-west-1", accountId: ACCOUNT, state: "extra", ami: "ami-0000000000000000b" },
      { region: "us-west-2", accountId: ACCOUNT, state: "present", ami: "ami-0000000000000000a" },
    ]);
    const text = renderStatusText(status);
    expect(text).toContain("missing eu-north-1 (210987654321)");
    expect(text).toContain("2 pipelines: 1 present, 2 missing, 1 extra");
    const page = renderStatusHtml(status);
    expect(page).toContain('class="missing"');
    expect(page).not.toMatch(/https?:\/\//);
  });

  it("plans only the missing targets, carrying the region's settings", () => {
    const rollout = rolloutPlan([configuration], facts);
    expect(rollout.items).toHaveLength(1);
    expect(rollout.items[0]?.targets).toEqual([
      { region: "eu-north-1", accountId: ACCOUNT },
      { region: "eu-north-1", accountId: OTHER_ACCOUNT },
    ]);
    expect(rollout.items[0]?.distributions).toEqual([configuration.distributions[1]]);
  });

  it("cuts targetAccountIds to the missing accounts", () => {
    const partly: ImageFacts = {
      pipelines: [
        aPipeline(configuration.arn, {
          image: {
            arn: "arn:aws:imagebuilder:us-west-2:123456789012:image/web/1.0.0/3",
            version: "1.0.0/3",
            amis: [
              { region: "us-west-2", accountId: ACCOUNT, image: "ami-0000000000000000a" },
              { region: "eu-north-1", accountId: ACCOUNT, image: "ami-0000000000000000c" },
            ],
          },
        }),
      ],
    };
    const rollout = rolloutPlan([configuration], partly);
    expect(rollout.items[0]?.targets).toEqual([{ region: "eu-north-1", accountId: OTHER_ACCOUNT }]);
    expect(rollout.items[0]?.distributions[0]?.amiDistributionConfiguration).toEqual({
      name: "web {{imagebuilder:buildDate}}",
      kmsKeyId: "alias/web",
      amiTags: { team: "web" },
      targetAccountIds: [OTHER_ACCOUNT],
    });
    // The owner has the image in eu-north-1, yet the service makes its copy there first: shown.
    expect(rollout.items[0]?.alsoCopies).toEqual([{ region: "eu-north-1", accountId: ACCOUNT }]);
    expect(rolloutLines(rollout)[0]).toContain(`also copies to the owner in eu-north-1 (${ACCOUNT})`);
    expect(rolloutPlan([configuration], facts).items[0]?.alsoCopies).toEqual([]);
    expect(rolloutPlan([configuration], { pipelines: [] }).items).toEqual([]);
  });
});

describe("the rollout's distributions name only the accounts distributed to", () => {
  it("cuts SSM parameters, launch templates and fast launch to the missing accounts (none of the owner's when it has the image)", () => {
    const configuration = {
      name: "web-base",
      region: "us-west-2",
      arn: `arn:aws:imagebuilder:us-west-2:${ACCOUNT}:distribution-configuration/web-base`,
      accountId: ACCOUNT,
      distributions: [
        aDistribution("us-west-2"),
        aDistribution("eu-north-1", {
          amiDistributionConfiguration: {
            name: "web {{imagebuilder:buildDate}}",
            targetAccountIds: [OTHER_ACCOUNT, THIRD],
          },
          ssmParameterConfigurations: [
            { parameterName: "/ami/other", amiAccountId: OTHER_ACCOUNT },
            { parameterName: "/ami/third", amiAccountId: THIRD },
          ],
          launchTemplateConfigurations: [
            { launchTemplateId: "lt-0123456789abcdef0" },
            { launchTemplateId: "lt-0123456789abcdef1", accountId: THIRD },
          ],
          fastLaunchConfigurations: [{ enabled: true, accountId: OTHER_ACCOUNT }],
        }),
      ],
    };
    const facts: ImageFacts = {
      pipelines: [
        aPipeline(configuration.arn, {
          image: {
            arn: `arn:aws:imagebuilder:us-west-2:${ACCOUNT}:image/web/1.0.0/3`,
            version: "1.0.0/3",
            amis: [
              { region: "us-west-2", accountId: ACCOUNT, image: "ami-0000000000000000a" },
              { region: "eu-north-1", accountId: ACCOUNT, image: "ami-0000000000000000c" },
              { region: "eu-north-1", accountId: THIRD, image: "ami-0000000000000000d" },
            ],
          },
        }),
      ],
    };
    const [item] = rolloutPlan([configuration], facts).items;
    expect(item?.targets).toEqual([{ region: "eu-north-1", accountId: OTHER_ACCOUNT }]);
    expect(item?.distributions).toEqual([
      {
        region: "eu-north-1",
        amiDistributionConfiguration: {
          name: "web {{imagebuilder:buildDate}}",
          targetAccountIds: [OTHER_ACCOUNT],
        },
        ssmParameterConfigurations: [{ parameterName: "/ami/other", amiAccountId: OTHER_ACCOUNT }],
        fastLaunchConfigurations: [{ enabled: true, accountId: OTHER_ACCOUNT }],
      },
    ]);
    // The rules the service enforces hold for what the rollout creates.
    const text = JSON.stringify({ name: "waybill-rollout-x", distributions: item?.distributions });
    const validated = validateConfigFiles([{ path: "rollout.json", text }], { defaultRegion: "us-west-2" });
    expect(validated.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});

describe("the status page with hundreds of configurations", () => {
  it("is one grid, a row per configuration and pipeline, a column per target, gaps first", () => {
    const regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-north-1", "ap-south-1"];
    const status = {
      configurations: Array.from({ length: 300 }, (_, index) => ({
        name: `config-${String(index).padStart(3, "0")}`,
        region: "us-west-2",
        pipelines: [
          {
            name: `pipeline-${index}`,
            arn: `arn:aws:imagebuilder:us-west-2:${ACCOUNT}:image-pipeline/pipeline-${index}`,
            image: { arn: `arn:aws:imagebuilder:us-west-2:${ACCOUNT}:image/p/1.0.0/1`, version: "1.0.0/1" },
            targets: regions.map((region, column) => ({
              region,
              accountId: ACCOUNT,
              state: (index === 250 && column === 2 ? "missing" : "present") as "missing" | "present",
              ...(index === 250 && column === 2 ? {} : { ami: `ami-${index}-${column}` }),
            })),
          },
        ],
      })),
    };
    const page = renderStatusHtml(status);
    expect(page.match(/<table/g)).toHaveLength(1);
    expect(page.match(/<tr data-gap=/g)).toHaveLength(300);
    expect(page.match(/<th scope="col"><span>/g)).toHaveLength(regions.length);
    // The one row with a gap is the first row of the grid.
    const firstRow = page.slice(page.indexOf("<tbody>"), page.indexOf("</tr>", page.indexOf("<tbody>")));
    expect(firstRow).toContain("config-250");
    expect(firstRow).toContain('class="missing"');
    expect(page).toContain('id="count-missing">1 missing');
  });
});
