import { describe, expect, test } from "vitest";
import { checkDistributionRules } from "./distribution-rules.js";

describe("checkDistributionRules", () => {
  test("accepts outputs of every kind and the build date with spaces inside the braces", () => {
    expect(
      checkDistributionRules([
        { region: "us-west-2", amiDistributionConfiguration: { name: "a {{ imagebuilder:buildDate }}" } },
        { region: "eu-west-1", containerDistributionConfiguration: {} },
        { region: "eu-west-2", s3ExportConfiguration: {} },
        { region: "ap-southeast-2", launchTemplateConfigurations: [] },
        { region: "us-gov-west-1", amiDistributionConfiguration: {} },
      ]),
    ).toBeUndefined();
  });

  test("license-only, fast-launch-only and SSM-only distributions are outputs (terraform-provider-aws's acceptance suite)", () => {
    expect(
      checkDistributionRules([
        { region: "us-west-2", licenseConfigurationArns: ["x"] },
        { region: "eu-west-1", fastLaunchConfigurations: [{ enabled: false }] },
        { region: "eu-west-2", ssmParameterConfigurations: [{ parameterName: "/ami" }] },
      ]),
    ).toBeUndefined();
  });

  test("a region alone is not", () => {
    const error = checkDistributionRules([{ region: "us-west-2" }]);
    expect(error?.message).toContain("One or more outputs should be provided");
  });

  test("rejects a region that is not a region name", () => {
    expect(checkDistributionRules([{ region: "mars", amiDistributionConfiguration: {} }])?.message).toBe(
      "The value supplied for parameter 'distributions[0].region' is not valid. The region 'mars' is not a valid region.",
    );
  });

  test("reports the distribution at fault by index", () => {
    const error = checkDistributionRules([
      { region: "us-west-2", amiDistributionConfiguration: {} },
      { region: "eu-west-1", amiDistributionConfiguration: { name: "no date" } },
    ]);
    expect(error?.type).toBe("InvalidParameterValueException");
    expect(error?.message).toContain("'distributions[1].amiDistributionConfiguration.name'");
  });
});
