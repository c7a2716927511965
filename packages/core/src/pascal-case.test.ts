import { describe, expect, test } from "vitest";
import { formatJsonPath } from "./diagnostics.js";
import { apiMemberName } from "./pascal-case.js";
import { everyMember, validateJson, withValue } from "./testing/documents.js";

describe("apiMemberName", () => {
  test.each([
    ["LaunchPermissionConfiguration", "launchPermission"],
    ["Name", "name"],
    ["Distributions", "distributions"],
    ["AmiDistributionConfiguration", "amiDistributionConfiguration"],
    ["AmiTags", "amiTags"],
    ["KmsKeyId", "kmsKeyId"],
    ["TargetAccountIds", "targetAccountIds"],
    ["UserIds", "userIds"],
    ["OrganizationalUnitArns", "organizationalUnitArns"],
    ["S3ExportConfiguration", "s3ExportConfiguration"],
    ["SsmParameterConfigurations", "ssmParameterConfigurations"],
    ["MaxParallelLaunches", "maxParallelLaunches"],
    ["launchPermission", "launchPermission"],
    ["", ""],
  ])("%s → %s", (pascal, camel) => {
    expect(apiMemberName(pascal)).toBe(camel);
  });
});

describe("the unknown-key hint names the API key for a PascalCase one", () => {
  const ami = ["distributions", 0, "amiDistributionConfiguration"];
  test.each([
    [[...ami, "LaunchPermissionConfiguration"], "launchPermission"],
    [["Distributions"], "distributions"],
    [[...ami, "AmiTags"], "amiTags"],
    [["distributions", 0, "SsmParameterConfigurations"], "ssmParameterConfigurations"],
    [["distributions", 0, "S3ExportConfiguration"], "s3ExportConfiguration"],
  ] as [PropertyKey[], string][])("%j → %s", (path, suggestion) => {
    const result = validateJson(withValue(everyMember(), path, {}));
    const unknown = result.diagnostics.find((d) => d.code === "unknown-key");
    expect(unknown?.path).toBe(formatJsonPath(path));
    expect(unknown?.hint).toBe(`did you mean '${suggestion}'?`);
  });
});
