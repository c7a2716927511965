import { describe, expect, test } from "vitest";
import { appliedRecord, contentDigest, trustedLiveConfiguration } from "./applied-record.js";
import { APPLIED_TAG, type DesiredConfiguration, MANAGED_BY_TAG } from "./plan-model.js";

const arn = "arn:aws:imagebuilder:us-east-1:123456789012:distribution-configuration/web";
const web: DesiredConfiguration = {
  name: "web",
  region: "us-east-1",
  source: "waybill/web.yaml",
  description: "Golden",
  distributions: [
    {
      region: "us-east-1",
      amiDistributionConfiguration: {
        name: "web {{imagebuilder:buildDate}}",
        launchPermission: { userIds: ["222222222222", "111111111111"] },
      },
    },
  ],
};
const stamps = { arn, dateCreated: "2026-11-23T10:00:00.000Z", dateUpdated: "2026-11-23T11:00:00.000Z" };
const where = { region: "us-east-1", accountId: "123456789012" };

describe("the waybill:applied record", () => {
  test("content digests compare by meaning: order of set-like lists, echoed empty lists", () => {
    const reordered = {
      ...web,
      distributions: [
        {
          region: "us-east-1",
          amiDistributionConfiguration: {
            name: "web {{imagebuilder:buildDate}}",
            launchPermission: { userIds: ["111111111111", "222222222222"] },
            targetAccountIds: [],
          },
        },
      ],
    };
    expect(contentDigest(reordered)).toBe(contentDigest(web));
    expect(contentDigest({ ...web, description: "other" })).not.toBe(contentDigest(web));
  });

  test("needs dateCreated, and changes with every stamp and the content", () => {
    const digest = contentDigest(web);
    const record = appliedRecord(digest, stamps);
    expect(record).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(appliedRecord(digest, { arn })).toBeUndefined();
    for (const other of [
      { ...stamps, dateUpdated: "2026-11-23T11:00:00.001Z" },
      { ...stamps, dateUpdated: undefined },
      { ...stamps, dateCreated: "2026-11-23T10:00:00.001Z" },
      { ...stamps, arn: arn.replace("/web", "/web2") },
    ])
      expect(appliedRecord(digest, other)).not.toBe(record);
    expect(appliedRecord(contentDigest({ ...web, description: "x" }), stamps)).not.toBe(record);
  });

  test("a summary is trusted only with the record of this content under its own stamps", () => {
    const tags = {
      [MANAGED_BY_TAG]: "s",
      [APPLIED_TAG]: appliedRecord(contentDigest(web), stamps) as string,
    };
    const summary = { ...stamps, name: "web", tags };
    expect(trustedLiveConfiguration(web, summary, where)).toEqual({
      arn,
      name: "web",
      region: "us-east-1",
      accountId: "123456789012",
      description: "Golden",
      distributions: web.distributions,
      tags,
      dateCreated: stamps.dateCreated,
      dateUpdated: stamps.dateUpdated,
    });
    expect(trustedLiveConfiguration({ ...web, description: "changed file" }, summary, where)).toBeUndefined();
    expect(
      trustedLiveConfiguration(web, { ...summary, dateUpdated: "2026-11-23T12:00:00.000Z" }, where),
    ).toBeUndefined();
    expect(
      trustedLiveConfiguration(web, { ...summary, tags: { [MANAGED_BY_TAG]: "s" } }, where),
    ).toBeUndefined();
  });
});
