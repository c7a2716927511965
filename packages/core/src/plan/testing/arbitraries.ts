/** fast-check arbitraries of distributions and configurations, and the service's harmless rewrites of them. */
import fc from "fast-check";
import type { Distribution } from "../../schema.js";
import type { JsonValue } from "../canonical-json.js";
import { KEYED_LIST_PATHS, SET_PATHS } from "../normalize.js";

const accounts = ["111111111111", "222222222222", "333333333333", "444444444444"];
export const regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"];

const account = fc.constantFrom(...accounts);
const accountSet = fc.array(account, { minLength: 1, maxLength: 4 });
const word = fc.constantFrom("alpha", "beta", "gamma", "delta", "a b", "x@y");
const tagMap = fc.dictionary(fc.constantFrom("team", "os", "tier", "cost"), word, { minKeys: 1, maxKeys: 3 });

const amiDistributionConfiguration = fc.record(
  {
    name: fc.constantFrom(
      "web {{imagebuilder:buildDate}}",
      "win {{ imagebuilder:buildVersion }} {{imagebuilder:buildDate}}",
    ),
    description: word,
    targetAccountIds: accountSet,
    amiTags: tagMap,
    kmsKeyId: fc.constantFrom("alias/golden", "alias/other"),
    launchPermission: fc.record(
      {
        userIds: accountSet,
        userGroups: fc.constant(["all"]),
        organizationArns: fc.array(
          fc.constantFrom(
            "arn:aws:organizations::111111111111:organization/o-aaaaaaaaaa",
            "arn:aws:organizations::111111111111:organization/o-bbbbbbbbbb",
          ),
          { minLength: 1, maxLength: 2 },
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

const launchTemplateConfigurations = fc.uniqueArray(
  fc.record(
    {
      launchTemplateId: fc.constantFrom("lt-0123456789abcdef0", "lt-0fedcba9876543210"),
      accountId: account,
      setDefaultVersion: fc.boolean(),
    },
    { requiredKeys: ["launchTemplateId"] },
  ),
  { selector: (member) => member.accountId ?? "default", minLength: 1, maxLength: 3 },
);

const ssmParameterConfigurations = fc.uniqueArray(
  fc.record(
    {
      parameterName: fc.constantFrom("/golden/latest", "/golden/web", "/golden/win"),
      amiAccountId: account,
      dataType: fc.constantFrom("text" as const, "aws:ec2:image" as const),
    },
    { requiredKeys: ["parameterName"] },
  ),
  { selector: (member) => `${member.amiAccountId}:${member.parameterName}`, minLength: 1, maxLength: 3 },
);

/** One distribution to `region`, with any mix of the API's outputs. */
export function distributionArbitrary(region: string): fc.Arbitrary<Distribution> {
  return fc
    .record(
      {
        amiDistributionConfiguration,
        containerDistributionConfiguration: fc.record(
          {
            description: word,
            containerTags: fc.array(word, { minLength: 1, maxLength: 3 }),
            targetRepository: fc.record({ service: fc.constant("ECR" as const), repositoryName: word }),
          },
          { requiredKeys: ["targetRepository"] },
        ),
        licenseConfigurationArns: fc.array(
          fc.constantFrom(
            `arn:aws:license-manager:${region}:111111111111:license-configuration:lic-${"a".repeat(32)}`,
            `arn:aws:license-manager:${region}:111111111111:license-configuration:lic-${"b".repeat(32)}`,
          ),
          { minLength: 1, maxLength: 2 },
        ),
        launchTemplateConfigurations,
        s3ExportConfiguration: fc.record({
          roleName: fc.constant("vmimport"),
          diskImageFormat: fc.constantFrom("VMDK" as const, "RAW" as const, "VHD" as const),
          s3Bucket: word,
        }),
        fastLaunchConfigurations: fc.uniqueArray(
          fc.record({
            enabled: fc.boolean(),
            accountId: account,
            maxParallelLaunches: fc.integer({ min: 6, max: 10 }),
          }),
          { selector: (member) => member.accountId, minLength: 1, maxLength: 2 },
        ),
        ssmParameterConfigurations,
      },
      { requiredKeys: [] },
    )
    .map((outputs) => ({ region, ...outputs }) as Distribution);
}

/** A distribution list: at most one distribution per region. */
export const distributionsArbitrary: fc.Arbitrary<Distribution[]> = fc
  .subarray(regions, { minLength: 0, maxLength: 4 })
  .chain((chosen) => fc.tuple(...chosen.map(distributionArbitrary)));

/** A configuration's content: what Update replaces. */
export const contentArbitrary = fc.record(
  { description: word, distributions: distributionsArbitrary },
  { requiredKeys: ["distributions"] },
);

function rotate<T>(list: readonly T[], by: number): T[] {
  if (list.length === 0) return [];
  const shift = by % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)].reverse();
}

/**
 * The same distributions as the service may hand them back, or as a user may reorder them:
 * distributions, set-like lists and keyed lists reordered, set members repeated, and the
 * service's echoes added (`[]` for absent lists, `setDefaultVersion: true`). `seed` picks how.
 */
export function equivalentDistributions(
  distributions: readonly Distribution[],
  seed: number,
): Distribution[] {
  return rotate(distributions, seed).map((distribution) => rewrite(distribution, "", seed) as Distribution);
}

function rewrite(value: unknown, path: string, seed: number): unknown {
  if (Array.isArray(value)) {
    if (SET_PATHS.has(path)) {
      const members = rotate(value, seed);
      return seed % 2 === 0 && members.length > 0 ? [...members, members[0]] : members;
    }
    const items = value.map((item) => rewrite(item, `${path}[]`, seed));
    return KEYED_LIST_PATHS[path] === undefined ? items : rotate(items, seed);
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value))
      out[key] = rewrite(member, path === "" ? key : `${path}.${key}`, seed);
    if (path === "amiDistributionConfiguration" && out.targetAccountIds === undefined && seed % 3 === 0) {
      out.targetAccountIds = [];
    }
    if (path === "launchTemplateConfigurations[]" && out.setDefaultVersion === undefined && seed % 2 === 1) {
      out.setDefaultVersion = true;
    }
    if (path === "" && out.licenseConfigurationArns === undefined && seed % 5 === 0)
      out.licenseConfigurationArns = [];
    return Object.fromEntries(seed % 2 === 0 ? Object.entries(out).reverse() : Object.entries(out));
  }
  return value as JsonValue;
}
