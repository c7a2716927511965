import { describe, expect, test } from "vitest";
import { plan } from "./plan.js";
import { sharingGate, sharingOf, sharingSummary } from "./sharing.js";
import { ACCOUNT, aDesired, aDistribution, aLive, OTHER_ACCOUNT, STACK } from "./testing/builders.js";

const OU = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-abcd-12345678";

describe("sharingOf", () => {
  test("one grant per fact: copies, launch permissions, outputs, each in its region", () => {
    const grants = sharingOf([
      {
        name: "win",
        region: "us-west-2",
        accountId: ACCOUNT,
        distributions: [
          {
            region: "eu-west-1",
            amiDistributionConfiguration: {
              targetAccountIds: [OTHER_ACCOUNT, OTHER_ACCOUNT],
              launchPermission: {
                userIds: ["444444444444"],
                organizationalUnitArns: [OU],
                userGroups: ["all"],
              },
            },
            ssmParameterConfigurations: [{ parameterName: "/golden/win" }],
            launchTemplateConfigurations: [
              { launchTemplateId: "lt-0123456789abcdef0", accountId: OTHER_ACCOUNT },
            ],
            fastLaunchConfigurations: [
              { enabled: true, accountId: OTHER_ACCOUNT },
              { enabled: false, accountId: "444444444444" },
            ],
            s3ExportConfiguration: {
              roleName: "vmimport",
              diskImageFormat: "RAW",
              s3Bucket: "exports",
              s3Prefix: "win",
            },
          },
          {
            region: "us-east-1",
            containerDistributionConfiguration: {
              targetRepository: { service: "ECR", repositoryName: "win" },
            },
          },
        ],
      },
    ]);
    expect(grants.map((g) => [g.region, g.kind, g.target, g.account])).toEqual([
      ["eu-west-1", "copy", OTHER_ACCOUNT, undefined],
      ["eu-west-1", "launch-account", "444444444444", undefined],
      ["eu-west-1", "launch-ou", OU, undefined],
      ["eu-west-1", "launch-group", "all", undefined],
      // Without amiAccountId the parameter is written in the configuration's own account.
      ["eu-west-1", "ssm-parameter", "/golden/win", ACCOUNT],
      ["eu-west-1", "launch-template", "lt-0123456789abcdef0", OTHER_ACCOUNT],
      // A disabled fast launch grants nothing.
      ["eu-west-1", "fast-launch", OTHER_ACCOUNT, undefined],
      ["eu-west-1", "s3-export", "s3://exports/win", undefined],
      ["us-east-1", "container", "ECR:win", undefined],
    ]);
  });

  test("without targetAccountIds the copy stays in the owner's account ('owner' when it is not known)", () => {
    const known = sharingOf([
      { name: "web", region: "us-west-2", accountId: ACCOUNT, distributions: [aDistribution()] },
    ]);
    expect(known.filter((g) => g.kind === "copy").map((g) => g.target)).toEqual([ACCOUNT]);
    const unknown = sharingOf([{ name: "web", region: "us-west-2", distributions: [aDistribution()] }]);
    expect(unknown.filter((g) => g.kind === "copy").map((g) => g.target)).toEqual(["owner"]);
  });
});

describe("sharingSummary", () => {
  test("copies per build: one per target account, or one, per region that gets an AMI", () => {
    const summary = sharingSummary([
      {
        configuration: "web",
        homeRegion: "us-west-2",
        accountId: ACCOUNT,
        before: [aDistribution("us-west-2")],
        after: [
          aDistribution("us-west-2"),
          {
            region: "eu-west-1",
            amiDistributionConfiguration: { targetAccountIds: [ACCOUNT, OTHER_ACCOUNT] },
          },
          // A container-only distribution copies no AMI.
          {
            region: "us-east-1",
            containerDistributionConfiguration: {
              targetRepository: { service: "ECR", repositoryName: "web" },
            },
          },
        ],
      },
    ]);
    expect(summary.copiesPerBuild).toEqual({ before: 1, after: 3 });
    expect(summary.regionsAdded.map((r) => r.region)).toEqual(["eu-west-1", "us-east-1"]);
  });

  test("widening: launch permissions and copies to other accounts, not a copy in the owner's account", () => {
    const created = plan(
      [aDesired("web", { distributions: [{ region: "us-west-2", amiDistributionConfiguration: {} }] })],
      [],
      {
        stack: STACK,
      },
    );
    expect(created.sharing.added.map((g) => g.kind)).toEqual(["copy"]);
    expect(created.sharing.widening).toEqual([]);
    const shared = plan([aDesired("web")], [], { stack: STACK });
    expect(shared.sharing.widening.map((g) => [g.kind, g.target])).toEqual([
      ["launch-account", OTHER_ACCOUNT],
      ["launch-account", OTHER_ACCOUNT],
    ]);
  });

  test("flags public grants always and new grants outside the allow-lists", () => {
    const desired = aDesired("web", {
      distributions: [
        aDistribution("us-west-2", {
          amiDistributionConfiguration: {
            name: "web {{imagebuilder:buildDate}}",
            launchPermission: {
              userIds: [OTHER_ACCOUNT, "444444444444"],
              userGroups: ["all"],
              organizationalUnitArns: [OU],
            },
          },
        }),
      ],
    });
    const result = plan([desired], [aLive("web")], {
      stack: STACK,
      policy: { allowedAccounts: [ACCOUNT, OTHER_ACCOUNT], allowedOrganizationalUnitArns: [] },
    });
    expect(result.sharing.flags.map((f) => [f.code, f.grant.target])).toEqual([
      ["outside-allow-list", "444444444444"],
      ["outside-allow-list", OU],
      ["public", "all"],
    ]);
    // Already shared before this plan: not flagged again as outside the allow-list.
    const again = plan([desired], [{ ...aLive("web"), distributions: desired.distributions }], {
      stack: STACK,
      policy: { allowedAccounts: [ACCOUNT] },
    });
    expect(again.sharing.flags.map((f) => f.code)).toEqual(["public"]);
  });
});

describe("sharingGate", () => {
  const widening = plan([aDesired("web")], [], { stack: STACK }).sharing;
  const narrowing = plan(
    [
      aDesired("web", {
        distributions: [
          aDistribution("us-west-2", {
            amiDistributionConfiguration: { name: "web {{imagebuilder:buildDate}}" },
          }),
        ],
      }),
    ],
    [aLive("web")],
    {
      stack: STACK,
    },
  ).sharing;
  const rule = { label: "sharing-approved", approvingReview: true };

  test("no rule, or nothing widens: not required", () => {
    expect(sharingGate(widening, undefined, undefined)).toEqual({ status: "not-required" });
    expect(narrowing.removed.length).toBeGreaterThan(0);
    expect(sharingGate(narrowing, rule, undefined)).toEqual({ status: "not-required" });
  });

  test("widening passes with the label or an approving review, and is refused without", () => {
    expect(sharingGate(widening, rule, { labels: ["sharing-approved"], approvingReviews: 0 })).toEqual({
      status: "approved",
      by: 'the label "sharing-approved"',
    });
    expect(sharingGate(widening, rule, { labels: [], approvingReviews: 1 })).toEqual({
      status: "approved",
      by: "an approving review",
    });
    expect(
      sharingGate(widening, { label: "sharing-approved" }, { labels: [], approvingReviews: 2 }),
    ).toMatchObject({
      status: "refused",
    });
    const refused = sharingGate(widening, rule, { labels: ["other"], approvingReviews: 0 });
    expect(refused).toEqual({
      status: "refused",
      reason:
        'the plan widens who may launch or receive the images (2 new grants) and the policy\'s sharingApproval needs the label "sharing-approved" or an approving review on the pull request, which it does not have',
    });
    expect(sharingGate(widening, rule, undefined)).toMatchObject({
      status: "refused",
      reason: expect.stringMatching(/but no merged pull request was found$/),
    });
  });
});

describe("policy.sharingApproval", () => {
  test("names a label, an approving review, or both; nothing is refused", async () => {
    const { policySchema } = await import("../policy.js");
    expect(policySchema.safeParse({ sharingApproval: { label: "sharing-approved" } }).success).toBe(true);
    expect(policySchema.safeParse({ sharingApproval: { approvingReview: true } }).success).toBe(true);
    const empty = policySchema.safeParse({ sharingApproval: {} });
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0]?.message).toBe("needs a label, approvingReview: true, or both");
  });
});
