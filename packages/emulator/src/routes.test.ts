import { describe, expect, test } from "vitest";
import { bindInput, hasBody, matchRoute } from "./routes.js";

describe("routes from the API model", () => {
  test("match method and path, decoding the percent-encoded ARN label", () => {
    const arn = "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/web";
    expect(matchRoute("POST", `/tags/${encodeURIComponent(arn)}`)).toEqual({
      operation: "TagResource",
      labels: { resourceArn: arn },
    });
    expect(matchRoute("DELETE", `/tags/${encodeURIComponent(arn)}`)?.operation).toBe("UntagResource");
    expect(matchRoute("GET", `/tags/${arn}`)?.labels.resourceArn).toBe(arn);
    expect(matchRoute("PUT", "/CreateDistributionConfiguration")?.operation).toBe(
      "CreateDistributionConfiguration",
    );
    expect(matchRoute("POST", "/ListDistributionConfigurations")?.operation).toBe(
      "ListDistributionConfigurations",
    );
    expect(matchRoute("GET", "/CreateDistributionConfiguration")).toBeUndefined();
  });

  test("bind query members (lists from repeated keys), labels and body members", () => {
    expect(
      bindInput("UntagResource", { resourceArn: "a" }, new URLSearchParams("tagKeys=x&tagKeys=y"), undefined),
    ).toEqual({
      resourceArn: "a",
      tagKeys: ["x", "y"],
    });
    expect(
      bindInput(
        "GetDistributionConfiguration",
        {},
        new URLSearchParams("distributionConfigurationArn=arn%3Ax"),
        {},
      ),
    ).toEqual({ distributionConfigurationArn: "arn:x" });
    // A body cannot override a member bound to the path.
    expect(
      bindInput("TagResource", { resourceArn: "a" }, new URLSearchParams(), {
        resourceArn: "b",
        tags: { k: "v" },
      }),
    ).toEqual({
      resourceArn: "a",
      tags: { k: "v" },
    });
  });

  test("only operations with body members read a body", () => {
    expect(hasBody("CreateDistributionConfiguration")).toBe(true);
    expect(hasBody("ListDistributionConfigurations")).toBe(true);
    expect(hasBody("GetDistributionConfiguration")).toBe(false);
    expect(hasBody("UntagResource")).toBe(false);
  });
});
