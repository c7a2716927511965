import { describe, expect, test } from "vitest";
import {
  accountFromArn,
  arnResourceName,
  distributionConfigurationArn,
  parseDistributionConfigurationArn,
} from "./arn.js";
import { suggestKey } from "./suggest.js";

describe("ARNs", () => {
  test("the resource name is the name lowercased with spaces as hyphens", () => {
    expect(arnResourceName("MyExampleDistribution")).toBe("myexampledistribution");
    expect(arnResourceName("Web Base_2")).toBe("web-base_2");
  });

  test.each([
    ["us-west-2", "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/web-base"],
    ["cn-north-1", "arn:aws-cn:imagebuilder:cn-north-1:123456789012:distribution-configuration/web-base"],
    [
      "us-gov-west-1",
      "arn:aws-us-gov:imagebuilder:us-gov-west-1:123456789012:distribution-configuration/web-base",
    ],
  ])("derived in %s", (region, arn) => {
    expect(distributionConfigurationArn({ region, accountId: "123456789012", name: "Web Base" })).toBe(arn);
    expect(parseDistributionConfigurationArn(arn)).toEqual({
      ok: true,
      arn: { partition: arn.split(":")[1], region, accountId: "123456789012", resourceName: "web-base" },
    });
  });

  test("an explicit partition wins", () => {
    expect(
      distributionConfigurationArn({ partition: "aws-iso", region: "x-1", accountId: "1", name: "n" }),
    ).toBe("arn:aws-iso:imagebuilder:x-1:1:distribution-configuration/n");
  });

  test("anything else is not a distribution configuration ARN", () => {
    const result = parseDistributionConfigurationArn(
      "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/update-ami-distribution-configuration.json",
    );
    expect(result.ok).toBe(false);
    expect(
      parseDistributionConfigurationArn("arn:aws:imagebuilder:us-west-2:123456789012:image-recipe/x").ok,
    ).toBe(false);
  });
});

describe("suggestKey", () => {
  test.each([
    ["launchPermissions", "launchPermission"],
    ["tags", "amiTags"],
    ["NAME", "name"],
    ["kmsKeyID", "kmsKeyId"],
    ["nothing-like-it", undefined],
  ])("%s → %s", (unknown, expected) => {
    expect(
      suggestKey(unknown, [
        "name",
        "description",
        "targetAccountIds",
        "amiTags",
        "kmsKeyId",
        "launchPermission",
      ]),
    ).toBe(expected);
  });
});

describe("accountFromArn", () => {
  test("the account of a distribution configuration ARN; none for AWS-owned or malformed ones", () => {
    expect(
      accountFromArn("arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/web-base"),
    ).toBe("123456789012");
    expect(
      accountFromArn("arn:aws-cn:imagebuilder:cn-north-1:210987654321:distribution-configuration/x"),
    ).toBe("210987654321");
    expect(accountFromArn("arn:aws:imagebuilder:us-west-2:aws:distribution-configuration/x")).toBeUndefined();
    expect(accountFromArn("arn:aws:imagebuilder:us-west-2:123456789012:image/x/1.0.0")).toBeUndefined();
    expect(accountFromArn("not an arn")).toBeUndefined();
  });
});
