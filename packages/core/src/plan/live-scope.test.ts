import { describe, expect, test } from "vitest";
import { distributionConfigurationArn } from "../arn.js";
import { appliedRecord, contentDigest } from "./applied-record.js";
import { homeRegions, selectLiveScope, trustedFromRecords } from "./live-scope.js";
import { APPLIED_TAG, MANAGED_BY_TAG } from "./plan-model.js";
import { ACCOUNT, aDesired, STACK } from "./testing/builders.js";

describe("homeRegions", () => {
  test("the given regions, the settings' regions and the default region, sorted, once each", () => {
    expect(
      homeRegions(["us-west-2", "eu-west-1"], {
        regions: ["eu-west-1", "ap-south-1"],
        defaultRegion: "us-east-1",
      }),
    ).toEqual(["ap-south-1", "eu-west-1", "us-east-1", "us-west-2"]);
    expect(homeRegions([], {})).toEqual([]);
  });
});

describe("selectLiveScope", () => {
  const web = aDesired("Web Base", {
    arn: "arn:aws:imagebuilder:eu-west-1:123456789012:distribution-configuration/OLD",
  });
  const api = aDesired("api", { region: "eu-west-1" });
  const scope = selectLiveScope([web, api], ["b.yaml", "a.yaml"], {
    stack: STACK,
    defaultRegion: "us-east-1",
  });

  test("reads the desired home regions and the default region", () => {
    expect(scope.stack).toBe(STACK);
    expect(scope.regions).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
  });

  test("wants a configuration by home region and name as the ARN keys it, or by an update's ARN", () => {
    expect(scope.isWanted("us-west-2", { name: "web-base" })).toBe(true);
    expect(scope.isWanted("eu-west-1", { name: "web-base" })).toBe(false);
    expect(scope.isWanted("eu-west-1", { name: "api" })).toBe(true);
    expect(
      scope.isWanted("eu-west-1", {
        arn: "arn:aws:imagebuilder:eu-west-1:123456789012:distribution-configuration/old",
      }),
    ).toBe(true);
    expect(scope.isWanted("us-east-1", {})).toBe(false);
  });

  test("its fingerprint does not depend on the order of files", () => {
    const reordered = selectLiveScope([web, api], ["a.yaml", "b.yaml"], {
      stack: STACK,
      defaultRegion: "us-east-1",
    });
    expect(reordered.fingerprint).toEqual(scope.fingerprint);
    expect(selectLiveScope([web], ["a.yaml", "b.yaml"], { stack: STACK }).fingerprint).not.toEqual(
      scope.fingerprint,
    );
  });
});

describe("trustedFromRecords", () => {
  const web = aDesired("web-base");
  const arn = distributionConfigurationArn({ region: "us-west-2", accountId: ACCOUNT, name: "web-base" });
  const stamps = { arn, dateCreated: "2026-11-01T09:00:00.000Z" };
  const summary = {
    ...stamps,
    name: "web-base",
    tags: { [MANAGED_BY_TAG]: STACK, [APPLIED_TAG]: appliedRecord(contentDigest(web), stamps) as string },
  };

  test("a summary of the stack whose record matches its one desired configuration stands for it", () => {
    const trusted = trustedFromRecords([web], STACK, undefined)(summary, "us-west-2");
    expect(trusted).toMatchObject({ arn, name: "web-base", region: "us-west-2", accountId: ACCOUNT });
  });

  test("another stack's, a changed file's, another region's, or a name two files claim is read", () => {
    expect(trustedFromRecords([web], "other", undefined)(summary, "us-west-2")).toBeUndefined();
    expect(
      trustedFromRecords([{ ...web, description: "x" }], STACK, undefined)(summary, "us-west-2"),
    ).toBeUndefined();
    expect(trustedFromRecords([web], STACK, undefined)(summary, "eu-west-1")).toBeUndefined();
    expect(
      trustedFromRecords([web, { ...web, source: "b.yaml" }], STACK, undefined)(summary, "us-west-2"),
    ).toBeUndefined();
    expect(
      trustedFromRecords([web], STACK, undefined)({ ...summary, arn: undefined }, "us-west-2"),
    ).toBeUndefined();
  });
});
