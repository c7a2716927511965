import { readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { errorsOf, example, expectedDocuments, located, migrateExamples } from "../testing/imports.js";
import { importAlchemy } from "./alchemy.js";

const stateDirectory = "alchemy/.alchemy/imagebuilder/dev";
const stateFiles = () =>
  readdirSync(`${migrateExamples}${stateDirectory}`)
    .sort()
    .map((name) => example(`${stateDirectory}/${name}`));
const ami = "{{imagebuilder:buildDate}}";

describe("the three examples of Alchemy's DistributionConfiguration", () => {
  test("a props file maps each resource to a document in the API's camelCase", () => {
    const result = importAlchemy([example("alchemy/examples.yaml")], { region: "us-west-2" });
    expect(result.configurations.map((c) => c.document)).toEqual(
      expectedDocuments("alchemy/examples.expected.json"),
    );
    expect(result.configurations.map((c) => c.source.id)).toEqual([
      "basicDistributionConfig",
      "advancedDistributionConfig",
      "multiRegionDistributionConfig",
    ]);
  });

  test("each AMI name without {{imagebuilder:buildDate}} is an error where Alchemy's props write it, offering the fixed name; LaunchPermission (Cloud Control's name is LaunchPermissionConfiguration) a warning", () => {
    const result = importAlchemy([example("alchemy/examples.yaml")], { region: "us-west-2" });
    expect(result.diagnostics.map((d) => `${located(d)} ${d.hint}`)).toEqual([
      `9:15 ami-name-missing-build-date basicDistributionConfig.Distributions[0].AmiDistributionConfiguration.Name the service requires it so every AMI name is unique, e.g. "basic-ami ${ami}"`,
      `19:15 ami-name-missing-build-date advancedDistributionConfig.Distributions[0].AmiDistributionConfiguration.Name the service requires it so every AMI name is unique, e.g. "advanced-ami-west ${ami}"`,
      "22:9 unknown-key advancedDistributionConfig.Distributions[0].AmiDistributionConfiguration.LaunchPermission write 'LaunchPermissionConfiguration' in the other tool's file too",
      `26:15 ami-name-missing-build-date advancedDistributionConfig.Distributions[1].AmiDistributionConfiguration.Name the service requires it so every AMI name is unique, e.g. "advanced-ami-east ${ami}"`,
      "29:9 unknown-key advancedDistributionConfig.Distributions[1].AmiDistributionConfiguration.LaunchPermission write 'LaunchPermissionConfiguration' in the other tool's file too",
      `40:15 ami-name-missing-build-date multiRegionDistributionConfig.Distributions[0].AmiDistributionConfiguration.Name the service requires it so every AMI name is unique, e.g. "multi-region-ami-west ${ami}"`,
      `44:15 ami-name-missing-build-date multiRegionDistributionConfig.Distributions[1].AmiDistributionConfiguration.Name the service requires it so every AMI name is unique, e.g. "multi-region-ami-eu ${ami}"`,
    ]);
    expect(result.diagnostics.every((d) => d.file === "alchemy/examples.yaml")).toBe(true);
  });

  test("Alchemy's state files give the same documents, the home region from the ARN; other resources pass by", () => {
    const result = importAlchemy(stateFiles());
    const byName = (documents: { name: string }[]) =>
      [...documents].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(result.configurations.map((c) => c.document))).toEqual(
      byName(expectedDocuments("alchemy/examples.expected.json") as { name: string }[]),
    );
    expect(result.configurations.map((c) => c.source.file)).toEqual([
      `${stateDirectory}/advancedDistributionConfig.json`,
      `${stateDirectory}/basicDistributionConfig.json`,
      `${stateDirectory}/multiRegionDistributionConfig.json`,
    ]);
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code}`).sort()).toEqual([
      ...Array(5).fill("error ami-name-missing-build-date"),
      ...Array(2).fill("warning unknown-key"),
    ]);
    expect(result.diagnostics.map((d) => d.path)).toContain(
      "props.Distributions[0].AmiDistributionConfiguration.Name",
    );
  });
});

describe("state files", () => {
  const state = (value: Record<string, unknown>) => ({
    path: "s.json",
    text: JSON.stringify(value, null, 2),
  });
  const props = {
    Name: "web",
    Distributions: [{ Region: "us-east-1", AmiDistributionConfiguration: { Name: `web ${ami}` } }],
  };

  test("the generic CloudControlResource keeps the props under desiredState", () => {
    const result = importAlchemy([
      state({
        kind: "aws::CloudControlResource",
        id: "web",
        status: "created",
        props: {
          typeName: "AWS::ImageBuilder::DistributionConfiguration",
          desiredState: props,
          region: "eu-west-1",
        },
        output: {},
      }),
    ]);
    expect(errorsOf(result.diagnostics)).toEqual([]);
    expect(result.configurations[0]?.document).toEqual({
      name: "web",
      region: "eu-west-1",
      distributions: [{ region: "us-east-1", amiDistributionConfiguration: { name: `web ${ami}` } }],
    });
  });

  test("a deleted resource is passed over with a warning", () => {
    const result = importAlchemy([
      state({ kind: "AWS::ImageBuilder::DistributionConfiguration", id: "web", status: "deleted", props }),
    ]);
    expect(result.configurations).toEqual([]);
    expect(result.diagnostics.map((d) => `${located(d)} ${d.severity}`)).toEqual([
      "4:13 resource-skipped status warning",
    ]);
  });

  test("an unknown property is an error with a suggestion; nothing is written for that resource", () => {
    const result = importAlchemy([
      state({
        kind: "AWS::ImageBuilder::DistributionConfiguration",
        id: "web",
        props: { ...props, Descripton: "x" },
      }),
    ]);
    expect(result.configurations).toEqual([]);
    expect(result.diagnostics.map((d) => `${located(d)} ${d.hint}`)).toEqual([
      "14:5 unknown-key props.Descripton did you mean 'Description'?",
    ]);
  });

  test("files without a distribution configuration say so once", () => {
    const result = importAlchemy([state({ kind: "aws::Role", id: "r", props: {} })]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.severity}`)).toEqual(["no-configurations warning"]);
  });
});
