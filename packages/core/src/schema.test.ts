import { describe, expect, test } from "vitest";
import { formatJsonPath } from "./diagnostics.js";
import { codesAndPaths, everyMember, validateJson, withValue } from "./testing/documents.js";

const d0 = ["distributions", 0] as const;
const ami = [...d0, "amiDistributionConfiguration"] as const;
const permission = [...ami, "launchPermission"] as const;
const container = ["distributions", 1, "containerDistributionConfiguration"] as const;
const launchTemplate = [...d0, "launchTemplateConfigurations", 0] as const;
const fastLaunch = [...d0, "fastLaunchConfigurations", 0] as const;
const ssm = [...d0, "ssmParameterConfigurations", 0] as const;
const s3 = [...d0, "s3ExportConfiguration"] as const;

const account = "222222222222";
const org = "arn:aws:organizations::123456789012:organization/o-abcdefghij";
const ou = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-abcdefgh";
const license =
  "arn:aws:license-manager:us-west-2:111111111111:license-configuration:lic-0123456789abcdef0123456789abcdef";
const lt = { launchTemplateId: "lt-0123456789abcdef0" };
const fl = { enabled: false };
const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
const buildDate = "{{imagebuilder:buildDate}}";

/** [constraint, path, a passing value, a failing value, the failing code, path of the diagnostic]. */
type Row = [string, readonly PropertyKey[], unknown, unknown, string, (readonly PropertyKey[])?];

const rows: Row[] = [
  // The document (CreateDistributionConfigurationRequest and Waybill's region)
  ["name: ResourceName pattern", ["name"], "web base_1", "web base!", "pattern-mismatch"],
  ["name: at least 3 characters", ["name"], "abc", "ab", "pattern-mismatch"],
  ["name: at most 128 characters", ["name"], "a".repeat(128), "a".repeat(129), "pattern-mismatch"],
  ["name: no leading space", ["name"], "a b", " ab", "pattern-mismatch"],
  ["name: a string", ["name"], "web", 42, "invalid-type"],
  ["region: a region code", ["region"], "eu-central-1", "US-WEST-2", "invalid-region"],
  ["description: NonEmptyString min 1", ["description"], "d", "", "too-short"],
  ["description: NonEmptyString max 1024", ["description"], "d".repeat(1024), "d".repeat(1025), "too-long"],
  [
    "distributions: required",
    ["distributions"],
    [{ region: "us-west-2", amiDistributionConfiguration: {} }],
    undefined,
    "missing-key",
    [],
  ],
  [
    "distributions: a list",
    ["distributions"],
    [{ region: "us-west-2", amiDistributionConfiguration: {} }],
    {},
    "invalid-type",
  ],
  ["tags: TagMap at least 1 entry", ["tags"], tags(1), {}, "too-few"],
  ["tags: TagMap at most 50 entries", ["tags"], tags(50), tags(51), "too-many"],
  [
    "tags: TagKey not aws:",
    ["tags"],
    { "aws-ok": "v" },
    { "aws:no": "v" },
    "pattern-mismatch",
    ["tags", "aws:no"],
  ],
  [
    "tags: TagKey pattern",
    ["tags"],
    { "a b_.:/=+-@": "v" },
    { "a*b": "v" },
    "pattern-mismatch",
    ["tags", "a*b"],
  ],
  [
    "tags: TagKey max 128",
    ["tags"],
    { ["k".repeat(128)]: "v" },
    { ["k".repeat(129)]: "v" },
    "too-long",
    ["tags", "k".repeat(129)],
  ],
  ["tags: TagKey min 1", ["tags"], { k: "v" }, { "": "v" }, "too-short", ["tags", ""]],
  ["tags: TagValue max 256", ["tags", "team"], "v".repeat(256), "v".repeat(257), "too-long"],
  ["tags: TagValue a string", ["tags", "team"], "", 1, "invalid-type"],
  [
    "distributionConfigurationArn: DistributionConfigurationArn pattern",
    ["distributionConfigurationArn"],
    "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/every-member",
    "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/Every-Member",
    "pattern-mismatch",
  ],
  ["$schema: a string", ["$schema"], "./schema.json", 1, "invalid-type"],
  ["clientToken: ClientToken min 1", ["clientToken"], "t", "", "too-short"],
  ["clientToken: ClientToken max 64", ["clientToken"], "t".repeat(64), "t".repeat(65), "too-long"],
  ["dryRun: Boolean", ["dryRun"], true, "true", "invalid-type"],
  // Distribution
  ["distribution region: required", [...d0, "region"], "us-west-2", undefined, "missing-key", [...d0]],
  ["distribution region: NonEmptyString min 1", [...d0, "region"], "us-west-2", "", "too-short"],
  // Under 1025 characters a region must still be a region code (regions.ts; "r" × 1024 is invalid-region).
  [
    "distribution region: NonEmptyString max 1024",
    [...d0, "region"],
    "us-west-2",
    "r".repeat(1025),
    "too-long",
  ],
  ["distribution region: a region code", [...d0, "region"], "us-west-2", "us-west2", "invalid-region"],
  [
    "licenseConfigurationArns: pattern",
    [...d0, "licenseConfigurationArns", 0],
    license,
    `${license}x`,
    "pattern-mismatch",
  ],
  ["licenseConfigurationArns: min 1", [...d0, "licenseConfigurationArns"], [license], [], "too-few"],
  [
    "licenseConfigurationArns: max 50",
    [...d0, "licenseConfigurationArns"],
    Array(50).fill(license),
    Array(51).fill(license),
    "too-many",
  ],
  // LaunchTemplateConfiguration
  ["launchTemplateConfigurations: min 1", [...d0, "launchTemplateConfigurations"], [lt], [], "too-few"],
  [
    "launchTemplateConfigurations: max 100",
    [...d0, "launchTemplateConfigurations"],
    Array(100).fill(lt),
    Array(101).fill(lt),
    "too-many",
  ],
  [
    "launchTemplateId: required",
    [...launchTemplate, "launchTemplateId"],
    "lt-0123456789abcdef0",
    undefined,
    "missing-key",
    launchTemplate,
  ],
  [
    "launchTemplateId: LaunchTemplateId pattern",
    [...launchTemplate, "launchTemplateId"],
    "lt-abcdefghij_-12345",
    "lt-0123456789abcdef",
    "pattern-mismatch",
  ],
  [
    "launchTemplate accountId: AccountId",
    [...launchTemplate, "accountId"],
    account,
    "22222222222",
    "pattern-mismatch",
  ],
  ["setDefaultVersion: Boolean", [...launchTemplate, "setDefaultVersion"], false, "yes", "invalid-type"],
  // S3ExportConfiguration
  ["s3Export roleName: required", [...s3, "roleName"], "vmimport", undefined, "missing-key", s3],
  ["s3Export roleName: NonEmptyString", [...s3, "roleName"], "r", "", "too-short"],
  ["s3Export diskImageFormat: required", [...s3, "diskImageFormat"], "RAW", undefined, "missing-key", s3],
  [
    "s3Export diskImageFormat: DiskImageFormat enum",
    [...s3, "diskImageFormat"],
    "VHD",
    "vhd",
    "invalid-enum",
  ],
  ["s3Export s3Bucket: required", [...s3, "s3Bucket"], "b", undefined, "missing-key", s3],
  [
    "s3Export s3Bucket: NonEmptyString max",
    [...s3, "s3Bucket"],
    "b".repeat(1024),
    "b".repeat(1025),
    "too-long",
  ],
  ["s3Export s3Prefix: NonEmptyString", [...s3, "s3Prefix"], "p", "", "too-short"],
  // FastLaunchConfiguration
  ["fastLaunchConfigurations: min 1", [...d0, "fastLaunchConfigurations"], [fl], [], "too-few"],
  [
    "fastLaunchConfigurations: max 1000",
    [...d0, "fastLaunchConfigurations"],
    Array(1000).fill(fl),
    Array(1001).fill(fl),
    "too-many",
  ],
  ["fastLaunch enabled: required", [...fastLaunch, "enabled"], true, undefined, "missing-key", fastLaunch],
  ["fastLaunch enabled: Boolean", [...fastLaunch, "enabled"], true, "true", "invalid-type"],
  [
    "targetResourceCount: min 1",
    [...fastLaunch, "snapshotConfiguration", "targetResourceCount"],
    1,
    0,
    "too-small",
  ],
  [
    "targetResourceCount: max 10000",
    [...fastLaunch, "snapshotConfiguration", "targetResourceCount"],
    10000,
    10001,
    "too-large",
  ],
  [
    "targetResourceCount: integer",
    [...fastLaunch, "snapshotConfiguration", "targetResourceCount"],
    2,
    2.5,
    "not-integer",
  ],
  // 1-5 pass the model but not EC2 when fast launch is enabled (fast-launch-parallel-launches).
  ["maxParallelLaunches: min 1", [...fastLaunch, "maxParallelLaunches"], 6, 0, "too-small"],
  ["maxParallelLaunches: 32-bit", [...fastLaunch, "maxParallelLaunches"], 2 ** 31 - 1, 2 ** 31, "too-large"],
  ["maxParallelLaunches: integer", [...fastLaunch, "maxParallelLaunches"], 1000000, 1.5, "not-integer"],
  [
    "fastLaunch launchTemplateId: LaunchTemplateId",
    [...fastLaunch, "launchTemplate", "launchTemplateId"],
    "lt-0123456789abcdef0",
    "lt-X123456789abcdef0",
    "pattern-mismatch",
  ],
  [
    "fastLaunch launchTemplateName: NonEmptyString",
    [...fastLaunch, "launchTemplate"],
    { launchTemplateName: "n" },
    { launchTemplateName: "" },
    "too-short",
    [...fastLaunch, "launchTemplate", "launchTemplateName"],
  ],
  [
    "fastLaunch launchTemplateVersion: NonEmptyString",
    [...fastLaunch, "launchTemplate", "launchTemplateVersion"],
    "$Latest",
    "",
    "too-short",
  ],
  [
    "fastLaunch accountId: AccountId",
    [...fastLaunch, "accountId"],
    account,
    "abcdefghijkl",
    "pattern-mismatch",
  ],
  // SsmParameterConfiguration
  ["ssm amiAccountId: AccountId", [...ssm, "amiAccountId"], account, "2222222222222", "pattern-mismatch"],
  ["ssm parameterName: required", [...ssm, "parameterName"], "p", undefined, "missing-key", ssm],
  [
    "ssm parameterName: SsmParameterName pattern",
    [...ssm, "parameterName"],
    "/a_b.c-d/e",
    "/a b",
    "pattern-mismatch",
  ],
  ["ssm parameterName: min 1", [...ssm, "parameterName"], "p", "", "too-short"],
  ["ssm parameterName: max 1011", [...ssm, "parameterName"], "p".repeat(1011), "p".repeat(1012), "too-long"],
  ["ssm dataType: SsmParameterDataType enum", [...ssm, "dataType"], "text", "aws:ec2:ami", "invalid-enum"],
  // ContainerDistributionConfiguration and TargetContainerRepository
  ["container description: NonEmptyString", [...container, "description"], "d", "", "too-short"],
  [
    "containerTags: StringList of NonEmptyString",
    [...container, "containerTags", 0],
    "latest",
    "",
    "too-short",
  ],
  ["containerTags: a list", [...container, "containerTags"], [], "latest", "invalid-type"],
  [
    "targetRepository: required",
    [...container, "targetRepository"],
    { service: "ECR", repositoryName: "r" },
    undefined,
    "missing-key",
    container,
  ],
  [
    "service: ContainerRepositoryService enum",
    [...container, "targetRepository", "service"],
    "ECR",
    "DOCKERHUB",
    "invalid-enum",
  ],
  [
    "service: required",
    [...container, "targetRepository", "service"],
    "ECR",
    undefined,
    "missing-key",
    [...container, "targetRepository"],
  ],
  [
    "repositoryName: required",
    [...container, "targetRepository", "repositoryName"],
    "r",
    undefined,
    "missing-key",
    [...container, "targetRepository"],
  ],
  [
    "repositoryName: NonEmptyString",
    [...container, "targetRepository", "repositoryName"],
    "r",
    "",
    "too-short",
  ],
  // NonEmptyString's maximum, member by member
  ...(
    [
      [...ami, "description"],
      [...ami, "kmsKeyId"],
      [...permission, "userGroups", 0],
      [...container, "description"],
      [...container, "containerTags", 0],
      [...container, "targetRepository", "repositoryName"],
      [...s3, "roleName"],
      [...s3, "s3Prefix"],
      [...fastLaunch, "launchTemplate", "launchTemplateVersion"],
    ] as const
  ).map(
    (path): Row => [
      `${formatJsonPath(path)}: NonEmptyString max 1024`,
      path,
      "n".repeat(1024),
      "n".repeat(1025),
      "too-long",
    ],
  ),
  [
    "fastLaunch launchTemplateName: NonEmptyString max 1024",
    [...fastLaunch, "launchTemplate"],
    { launchTemplateName: "n".repeat(1024) },
    { launchTemplateName: "n".repeat(1025) },
    "too-long",
    [...fastLaunch, "launchTemplate", "launchTemplateName"],
  ],
  // AmiDistributionConfiguration
  [
    "ami name: AmiNameString max 127",
    [...ami, "name"],
    `${"x".repeat(101)}${buildDate}`,
    `${"x".repeat(102)}${buildDate}`,
    "too-long",
  ],
  [
    "ami name: AmiNameString pattern",
    [...ami, "name"],
    `a-b_c.d e ${buildDate}`,
    `(a) ${buildDate}`,
    "pattern-mismatch",
  ],
  ["ami name: no trailing space", [...ami, "name"], `a ${buildDate}`, `a ${buildDate} `, "pattern-mismatch"],
  ["ami description: NonEmptyString", [...ami, "description"], "d", "", "too-short"],
  ["targetAccountIds: AccountList min 1", [...ami, "targetAccountIds"], [account], [], "too-few"],
  [
    "targetAccountIds: AccountList max 1536",
    [...ami, "targetAccountIds"],
    Array(1536).fill(account),
    Array(1537).fill(account),
    "too-many",
  ],
  [
    "targetAccountIds: AccountId",
    [...ami, "targetAccountIds", 0],
    "111111111111",
    "1111-1111-1111",
    "pattern-mismatch",
  ],
  ["amiTags: TagMap min 1", [...ami, "amiTags"], tags(1), {}, "too-few"],
  ["amiTags: TagMap max 50", [...ami, "amiTags"], tags(50), tags(51), "too-many"],
  [
    "amiTags: TagKey not aws:",
    [...ami, "amiTags"],
    { k: "v" },
    { "aws:k": "v" },
    "pattern-mismatch",
    [...ami, "amiTags", "aws:k"],
  ],
  ["kmsKeyId: NonEmptyString", [...ami, "kmsKeyId"], "alias/golden", "", "too-short"],
  // LaunchPermissionConfiguration
  ["userIds: AccountList min 1", [...permission, "userIds"], [account], [], "too-few"],
  [
    "userIds: AccountList max 1536",
    [...permission, "userIds"],
    Array(1536).fill(account),
    Array(1537).fill(account),
    "too-many",
  ],
  ["userIds: AccountId", [...permission, "userIds", 0], account, "x22222222222", "pattern-mismatch"],
  ["userGroups: StringList of NonEmptyString", [...permission, "userGroups", 0], "g", "", "too-short"],
  [
    "organizationArns: OrganizationArn",
    [...permission, "organizationArns", 0],
    org,
    "arn:aws:organizations::123456789012:organization/o-short",
    "pattern-mismatch",
  ],
  ["organizationArns: min 1", [...permission, "organizationArns"], [org], [], "too-few"],
  [
    "organizationArns: max 25",
    [...permission, "organizationArns"],
    Array(25).fill(org),
    Array(26).fill(org),
    "too-many",
  ],
  [
    "organizationalUnitArns: OrganizationalUnitArn",
    [...permission, "organizationalUnitArns", 0],
    ou,
    "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab-abcdefgh",
    "pattern-mismatch",
  ],
  ["organizationalUnitArns: min 1", [...permission, "organizationalUnitArns"], [ou], [], "too-few"],
  [
    "organizationalUnitArns: max 25",
    [...permission, "organizationalUnitArns"],
    Array(25).fill(ou),
    Array(26).fill(ou),
    "too-many",
  ],
];

describe("every constraint of the API model", () => {
  test("the document using every member is valid", () => {
    const result = validateJson(everyMember());
    expect(codesAndPaths(result)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  test.each(rows)("%s", (_constraint, path, good, bad, code, diagnosticPath) => {
    const passing = validateJson(withValue(everyMember(), path, good));
    expect(codesAndPaths(passing)).toEqual([]);
    const failing = validateJson(withValue(everyMember(), path, bad));
    expect(failing.ok).toBe(false);
    expect(codesAndPaths(failing)).toContain(`${code} ${formatJsonPath(diagnosticPath ?? path)}`);
  });
});

describe("unknown keys", () => {
  test.each([
    [["Name"], "name"],
    [["distribution"], "distributions"],
    [[...ami, "launchPermissions"], "launchPermission"],
    [[...ami, "tags"], "amiTags"],
    [[...ami, "targetAccounts"], "targetAccountIds"],
    [[...d0, "s3ExportConfigurations"], "s3ExportConfiguration"],
    [[...fastLaunch, "launchTemplate", "launchTemplateID"], "launchTemplateId"],
    [[...ssm, "datatype"], "dataType"],
  ] as [PropertyKey[], string][])("%j suggests %s", (path, suggestion) => {
    const result = validateJson(withValue(everyMember(), path, "x"));
    const unknown = result.diagnostics.find((d) => d.code === "unknown-key");
    expect(unknown?.path).toBe(formatJsonPath(path));
    expect(unknown?.hint).toBe(`did you mean '${suggestion}'?`);
  });

  test.each(["timeoutMinutes", "arn", "dateCreated", "dateUpdated"])("read-only %s says so", (key) => {
    const result = validateJson(withValue(everyMember(), [key], key === "timeoutMinutes" ? 720 : "x"));
    const unknown = result.diagnostics.find((d) => d.code === "unknown-key");
    expect(unknown?.hint).toBe(`'${key}' is read-only: the service sets it and Get returns it; remove it`);
  });

  test("a key resembling nothing lists the known keys", () => {
    const result = validateJson(withValue(everyMember(), [...s3, "zzzzzzzz"], 1));
    const unknown = result.diagnostics.find((d) => d.code === "unknown-key");
    expect(unknown?.message).toBe("unknown key 'zzzzzzzz' in S3ExportConfiguration");
    expect(unknown?.hint).toBe("known keys: roleName, diskImageFormat, s3Bucket, s3Prefix");
  });
});
