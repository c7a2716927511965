import { describe, expect, test } from "vitest";
import { validateConfigFiles } from "./validate/validation.js";
import { toDesiredConfiguration, toPreflightConfiguration } from "./validated.js";

const create = `name: web-base
description: Golden web AMI
tags: { team: web }
distributions:
  - region: us-west-2
    amiDistributionConfiguration:
      name: "web {{imagebuilder:buildDate}}"
`;
const update = `distributionConfigurationArn: arn:aws:imagebuilder:eu-west-1:123456789012:distribution-configuration/api
name: api
distributions:
  - region: eu-west-1
    amiDistributionConfiguration:
      name: "api {{imagebuilder:buildDate}}"
`;

function validated() {
  const result = validateConfigFiles(
    [
      { path: "web.yaml", text: create },
      { path: "api.yaml", text: update },
    ],
    { defaultRegion: "us-east-1" },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.documents;
}

describe("toDesiredConfiguration", () => {
  test("a create request: its home region, its file as the source, no ARN", () => {
    const web = validated().find((document) => document.file === "web.yaml");
    expect(web && toDesiredConfiguration(web)).toEqual({
      name: "web-base",
      region: "us-east-1",
      description: "Golden web AMI",
      tags: { team: "web" },
      distributions: [
        { region: "us-west-2", amiDistributionConfiguration: { name: "web {{imagebuilder:buildDate}}" } },
      ],
      source: "web.yaml",
      kind: "create",
    });
  });

  test("an update request: the ARN, and the account it names", () => {
    const api = validated().find((document) => document.file === "api.yaml");
    expect(api && toDesiredConfiguration(api)).toMatchObject({
      kind: "update",
      region: "eu-west-1",
      arn: "arn:aws:imagebuilder:eu-west-1:123456789012:distribution-configuration/api",
      accountId: "123456789012",
    });
  });
});

describe("toPreflightConfiguration", () => {
  test("located where the document starts, with its positions", () => {
    const api = validated().find((document) => document.file === "api.yaml");
    const located = api && toPreflightConfiguration(api);
    expect(located).toMatchObject({
      name: "api",
      region: "eu-west-1",
      accountId: "123456789012",
      file: "api.yaml",
      line: 1,
      column: 1,
    });
    expect(located?.positions.get("distributions[0].region")).toMatchObject({ line: 4 });
  });
});
