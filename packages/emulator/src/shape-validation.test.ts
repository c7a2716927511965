import { describe, expect, test } from "vitest";
import { validateShape } from "./shape-validation.js";

describe("validateShape", () => {
  test("keeps known members and drops unknown ones, at every depth", () => {
    const result = validateShape("Distribution", {
      region: "us-west-2",
      amiDistributionConfiguration: { name: "a {{imagebuilder:buildDate}}", launchPermissions: {} },
      colour: "blue",
    });
    expect(result).toEqual({
      ok: true,
      value: { region: "us-west-2", amiDistributionConfiguration: { name: "a {{imagebuilder:buildDate}}" } },
    });
  });

  test("null counts as absent", () => {
    expect(validateShape("Distribution", { region: "us-west-2", s3ExportConfiguration: null })).toEqual({
      ok: true,
      value: { region: "us-west-2" },
    });
  });

  test("a wrong JSON type is SerializationException", () => {
    const result = validateShape("Distribution", { region: 5 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toEqual({
      type: "SerializationException",
      status: 400,
      message: "Unable to read 'region': expected a string.",
    });
  });

  test("the first violation in member order is reported, with its path", () => {
    // The newest model lists members alphabetically: organizationArns before userIds.
    const result = validateShape("LaunchPermissionConfiguration", {
      userIds: ["123456789012", "x"],
      organizationalUnitArns: ["arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-abcdefgh"],
      organizationArns: ["arn:aws:organizations::123456789012:organization/o-abcdefghij", "bad"],
    });
    expect(!result.ok && result.error.message).toBe(
      "The value supplied for parameter 'organizationArns[1]' is not valid. 'organizationArns[1]' must match pattern ^arn:aws[^:]*:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}$",
    );
  });

  test("the constraint error type can be chosen (tagging operations use InvalidParameterException)", () => {
    const result = validateShape(
      "TagResourceRequest",
      { resourceArn: "nope", tags: { a: "b" } },
      "InvalidParameterException",
    );
    expect(!result.ok && result.error.type).toBe("InvalidParameterException");
  });

  test("lengths count characters, not UTF-16 units", () => {
    expect(validateShape("TagValue", "😀".repeat(256)).ok).toBe(true);
    expect(validateShape("TagValue", "😀".repeat(257)).ok).toBe(false);
  });

  test("integer ranges and types", () => {
    expect(validateShape("RestrictedInteger", 25).ok).toBe(true);
    expect(!validateShape("RestrictedInteger", 0).ok).toBe(true);
    const fraction = validateShape("RestrictedInteger", 2.5);
    expect(!fraction.ok && fraction.error.type).toBe("SerializationException");
  });

  test("map size and key pattern", () => {
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, "v"]));
    const size = validateShape("TagMap", tooMany);
    expect(!size.ok && size.error.message).toContain("'request' must contain at most 50 entries.");
    const reserved = validateShape("TagMap", { "aws:owner": "me" });
    expect(!reserved.ok && reserved.error.type).toBe("InvalidParameterValueException");
  });
});
