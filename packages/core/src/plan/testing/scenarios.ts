/** Realistic plans for the renderers' golden tests: every action, warnings, hostile content, a huge estate. */
import type { Distribution } from "../../schema.js";
import { plan } from "../plan.js";
import { type DesiredConfiguration, type LiveConfiguration, type Plan, REPLACES_TAG } from "../plan-model.js";
import {
  ACCOUNT,
  aDesired,
  aDistribution,
  aLiveFrom,
  anUnmanagedLive,
  OTHER_ACCOUNT,
  STACK,
} from "./builders.js";

export const NOW = new Date("2026-11-23T10:15:30.123Z");

const windowsDistribution = (region: string): Distribution => ({
  region,
  amiDistributionConfiguration: {
    name: "win-2025 {{ imagebuilder:buildVersion }} {{ imagebuilder:buildDate }}",
    targetAccountIds: [ACCOUNT, OTHER_ACCOUNT],
    amiTags: { os: "windows" },
  },
  launchTemplateConfigurations: [{ launchTemplateId: "lt-0123456789abcdef0", accountId: OTHER_ACCOUNT }],
  fastLaunchConfigurations: [{ enabled: true, accountId: OTHER_ACCOUNT, maxParallelLaunches: 6 }],
  ssmParameterConfigurations: [{ parameterName: "/golden/win-2025/latest", amiAccountId: OTHER_ACCOUNT }],
});

const ORGANIZATION = "arn:aws:organizations::123456789012:organization/o-abcdefghij";
const OU = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-abcd-12345678";
/** An account outside {@link REALISTIC_POLICY}'s allow-list. */
export const STRANGER = "444444444444";
/** The realistic plan's policy: public sharing allowed, but an allow-list of accounts. */
export const REALISTIC_POLICY = {
  allowPublicLaunchPermission: true,
  allowedAccounts: [ACCOUNT, OTHER_ACCOUNT, "333333333333"],
};

/**
 * One configuration per action: create, update, tag, replace, delete (not pruned, and one that
 * finishes an earlier replace), adopt, conflicts, no-op; and every kind of access change: a region
 * added and one removed, accounts, an organization and an OU gaining or losing launch permission,
 * a public launch permission, an account outside the policy's allow-list.
 */
export function realisticInputs(): { desired: DesiredConfiguration[]; live: LiveConfiguration[] } {
  const web = aDesired("web-base", {
    distributions: [
      aDistribution("us-west-2"),
      aDistribution("eu-west-1", {
        amiDistributionConfiguration: {
          name: "web-base {{imagebuilder:buildDate}}",
          launchPermission: { userIds: [OTHER_ACCOUNT], userGroups: ["all"] },
        },
      }),
    ],
  });
  const windowsLive = aDesired("win-2025", {
    description: "Windows Server 2025 golden AMI",
    distributions: [
      {
        ...windowsDistribution("us-west-2"),
        amiDistributionConfiguration: {
          ...windowsDistribution("us-west-2").amiDistributionConfiguration,
          launchPermission: { organizationalUnitArns: [OU] },
        },
      },
      windowsDistribution("eu-central-1"),
    ],
  });
  const windows = aDesired("win-2025", {
    description: "Windows Server 2025 golden AMI, fast launch",
    distributions: [
      {
        ...windowsDistribution("us-west-2"),
        amiDistributionConfiguration: {
          name: "win-2025 {{ imagebuilder:buildVersion }} {{ imagebuilder:buildDate }}",
          targetAccountIds: [OTHER_ACCOUNT, "333333333333"],
          amiTags: { os: "windows", tier: "gold" },
          launchPermission: { userIds: [STRANGER], organizationArns: [ORGANIZATION] },
        },
        launchTemplateConfigurations: [
          { launchTemplateId: "lt-0123456789abcdef0", accountId: OTHER_ACCOUNT, setDefaultVersion: true },
        ],
      },
      windowsDistribution("ca-central-1"),
    ],
  });
  const tagged = aDesired("batch-base", { tags: { team: "batch", cost: "1234" } });
  const renamed = aDesired("api-base-v2", {
    source: "configs/api-base.yaml",
    distributions: [
      aDistribution("us-west-2", {
        amiDistributionConfiguration: { name: "api {{imagebuilder:buildDate}}" },
      }),
    ],
  });
  const adopted = aDesired("legacy-base", { region: "us-east-1" });
  const claimed = aDesired("shared-base", { region: "us-east-1" });
  const unchanged = aDesired("ci-runner", { region: "eu-west-1" });
  // An earlier replace of db-base by db-base-v2 whose delete failed: finished now, without prune.
  const successor = aDesired("db-base-v2", { region: "eu-west-1", source: "configs/db-base.yaml" });
  const predecessor = aLiveFrom(aDesired("db-base", { region: "eu-west-1", source: "configs/db-base.yaml" }));

  const desired = [web, windows, tagged, renamed, adopted, claimed, unchanged, successor];
  const live = [
    aLiveFrom(windowsLive),
    aLiveFrom(aDesired("batch-base")),
    aLiveFrom(aDesired("api-base", { source: "configs/api-base.yaml" })),
    aLiveFrom(aDesired("old-base", { region: "ap-southeast-2" })),
    anUnmanagedLive("legacy-base", { region: "us-east-1", arn: arnOf("us-east-1", "legacy-base") }),
    aLiveFrom(claimed, "data-platform"),
    aLiveFrom(unchanged),
    predecessor,
    aLiveFrom(successor, STACK, {
      tags: { ...aLiveFrom(successor).tags, [REPLACES_TAG]: predecessor.arn },
      dateCreated: "2026-11-20T09:00:00.000Z",
    }),
    anUnmanagedLive("not-ours", { region: "us-east-1", arn: arnOf("us-east-1", "not-ours") }),
  ];
  return { desired, live };
}

function arnOf(region: string, name: string): string {
  return `arn:aws:imagebuilder:${region}:${ACCOUNT}:distribution-configuration/${name}`;
}

/** The realistic inputs planned with adopt and without prune, under {@link REALISTIC_POLICY}. */
export function realisticPlan(): Plan {
  const { desired, live } = realisticInputs();
  return plan(desired, live, { stack: STACK, adopt: true, now: NOW, policy: REALISTIC_POLICY });
}

/** Descriptions, tags and names crafted to break a comment's layout, mention people and inject HTML. */
export function hostilePlan(): Plan {
  const hostile = aDesired("web-base", {
    description:
      "Pwned ``` </details> <script>alert(1)</script> @octocat @github/security | cell | <!-- --> \u001b[31mred\u202e [x](https://evil.example)\n# heading",
    tags: { "team@ops": "@everyone ````` |", note: "<img src=x onerror=alert(1)>" },
    source: "configs/`@admin`|<b>.yaml",
  });
  return plan([hostile], [aLiveFrom(aDesired("web-base"))], { stack: STACK, now: NOW });
}

/** `count` configurations, each in its own file, across four home regions; live holds half of them, drifted. */
export function largeEstate(count: number): { desired: DesiredConfiguration[]; live: LiveConfiguration[] } {
  const regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];
  const desired: DesiredConfiguration[] = [];
  const live: LiveConfiguration[] = [];
  for (let i = 0; i < count; i++) {
    const region = regions[i % regions.length] as string;
    const configuration = aDesired(`config-${String(i).padStart(5, "0")}`, {
      region,
      distributions: [aDistribution(region), aDistribution("eu-central-1"), aDistribution("ap-northeast-1")],
    });
    desired.push(configuration);
    if (i % 2 === 0) {
      const drifted = i % 4 === 0;
      live.push(
        aLiveFrom(
          configuration,
          STACK,
          drifted ? { distributions: [...configuration.distributions].reverse().slice(1) } : {},
        ),
      );
    }
  }
  return { desired, live };
}
