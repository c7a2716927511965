import { describe, expect, test } from "vitest";
import { parseConfigFile } from "../parse.js";
import { errorsOf, example, expectedDocuments, located } from "../testing/imports.js";
import { validateConfigFiles } from "../validate/validation.js";
import { cloudFormationTags, importCloudFormation } from "./cloudformation.js";

const template = (text: string) => ({ path: "template.yaml", text });
const distribution = (properties: string, extra = "") =>
  template(
    [
      "Resources:",
      "  Dist:",
      "    Type: AWS::ImageBuilder::DistributionConfiguration",
      "    DeletionPolicy: Retain",
      extra,
      "    Properties:",
      ...properties.split("\n").map((line) => `      ${line}`),
    ]
      .filter((line) => line !== "")
      .join("\n"),
  );
const ami = "{{imagebuilder:buildDate}}";

describe("the AWS documentation's examples", () => {
  test("as published, CloudFormation refuses them: each reason at its line, and no file", () => {
    for (const name of ["aws-docs-ami.yaml", "aws-docs-ami.json", "aws-docs-container.yaml"]) {
      const result = importCloudFormation(example(`cloudformation/${name}`), { region: "us-west-2" });
      expect(result.configurations, name).toEqual([]);
      expect(result.diagnostics.every((d) => d.file === `cloudformation/${name}`)).toBe(true);
    }
    const ami = importCloudFormation(example("cloudformation/aws-docs-ami.yaml"), { region: "us-west-2" });
    expect(ami.diagnostics.map((d) => `${located(d)} ${d.severity}`)).toEqual([
      "6:3 deletion-not-retained Resources.DistributionConfigurationAllParameters warning",
      "26:15 pattern-mismatch Resources.DistributionConfigurationAllParameters.Properties.Distributions[0].LicenseConfigurationArns[0] error",
      "46:5 unknown-key Resources.DistributionConfigurationAllParameters.Tags error",
    ]);
    expect(ami.diagnostics[2]?.hint).toBe("move Tags into Properties");
    const json = importCloudFormation(example("cloudformation/aws-docs-ami.json"), { region: "us-west-2" });
    expect(json.diagnostics.map((d) => d.code)).toEqual(ami.diagnostics.map((d) => d.code));
    expect(json.diagnostics.map((d) => d.path)).toEqual(ami.diagnostics.map((d) => d.path));
  });

  test("deployed (the same stack with those fixed): every resource becomes a document in the API's camelCase", () => {
    const result = importCloudFormation(example("cloudformation/aws-docs-deployable.yaml"), {
      region: "us-west-2",
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.configurations.map((c) => c.document)).toEqual(
      expectedDocuments("cloudformation/aws-docs-deployable.expected.json"),
    );
    expect(result.configurations.map((c) => [c.fileName, c.source.id, c.source.line])).toEqual([
      ["distribution-configuration-name.yaml", "AmiDistributionConfiguration", 6],
      ["distribution-configuration-all-parameters.yaml", "ContainerDistributionConfiguration", 50],
    ]);
    // LaunchPermissionConfiguration is the one property whose API name is not its camelCase.
    expect(result.configurations[0]?.text).toContain("launchPermission:\n");
    expect(result.configurations[0]?.text).not.toContain("launchPermissionConfiguration");
    expect(result.configurations[0]?.text.split("\n")[0]).toBe(
      "# Imported from CloudFormation: cloudformation/aws-docs-deployable.yaml, resource AmiDistributionConfiguration (line 6)",
    );
    const validated = validateConfigFiles(
      result.configurations.map((c) => ({ path: c.fileName, text: c.text })),
    );
    expect(validated.diagnostics).toEqual([]);
  });

  test("the JSON form of a template imports the same", () => {
    const yaml = example("cloudformation/aws-docs-deployable.yaml");
    const parsed = parseConfigFile(yaml);
    const json = {
      path: "template.json",
      text: JSON.stringify(parsed.ok ? parsed.documents[0]?.value : {}, null, 2),
    };
    const fromJson = importCloudFormation(json, { region: "us-west-2" });
    expect(fromJson.diagnostics).toEqual([]);
    expect(fromJson.configurations.map((c) => c.document)).toEqual(
      expectedDocuments("cloudformation/aws-docs-deployable.expected.json"),
    );
  });
});

describe("intrinsic functions", () => {
  const golden = example("cloudformation/golden-ami.yaml");
  const parameters = example("cloudformation/golden-ami.parameters.json");
  const stack = example("cloudformation/golden-ami.stack.json");

  test("with the parameters file and the deployed stack, everything resolves", () => {
    const result = importCloudFormation(golden, { parameters, stack });
    expect(result.diagnostics).toEqual([]);
    expect(result.configurations.map((c) => c.document)).toEqual(
      expectedDocuments("cloudformation/golden-ami.expected.json"),
    );
  });

  test("without the deployed stack, each value only it knows is an error at its template line", () => {
    const result = importCloudFormation(golden, { parameters });
    expect(result.configurations).toEqual([]);
    expect(result.diagnostics.map(located)).toEqual([
      '42:20 unresolved-reference Resources.GoldenDistribution.Properties.Description["Fn::Sub"]',
      "44:19 unresolved-reference Resources.GoldenDistribution.Properties.Distributions[0].Region.Ref",
      '47:23 unresolved-reference Resources.GoldenDistribution.Properties.Distributions[0].AmiDistributionConfiguration.KmsKeyId["Fn::GetAtt"]',
      '55:19 unresolved-reference Resources.GoldenDistribution.Properties.Distributions[0].AmiDistributionConfiguration.LaunchPermissionConfiguration.OrganizationalUnitArns[0]["Fn::Sub"]',
      '55:19 unresolved-reference Resources.GoldenDistribution.Properties.Distributions[0].AmiDistributionConfiguration.LaunchPermissionConfiguration.OrganizationalUnitArns[0]["Fn::Sub"]',
      "57:33 unresolved-reference Resources.GoldenDistribution.Properties.Distributions[0].LaunchTemplateConfigurations[0].LaunchTemplateId.Ref",
      "65:35 unresolved-reference Resources.GoldenDistribution.Properties.Distributions[0].FastLaunchConfigurations[0].LaunchTemplate.LaunchTemplateId.Ref",
    ]);
    const hints = result.diagnostics.map((d) => d.hint ?? "");
    expect(hints[1]).toContain("--region");
    expect(hints[2]).toContain("--stack-file");
    expect(hints[5]).toContain("describe-stack-resources");
  });

  test("region, account and stack name can be given without a deployed stack", () => {
    const result = importCloudFormation(
      distribution(
        [
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
          "Name: !Sub ${AWS::StackName}-dist",
          "Distributions:",
          "  - Region: !Ref AWS::Region",
          "    AmiDistributionConfiguration:",
          `      Name: !Sub "\${AWS::StackName} ${ami}"`,
          "      TargetAccountIds: [!Ref AWS::AccountId]",
        ].join("\n"),
      ),
      { region: "eu-west-1", accountId: "123456789012", stackName: "web" },
    );
    expect(errorsOf(result.diagnostics)).toEqual([]);
    expect(result.configurations[0]?.document).toEqual({
      name: "web-dist",
      region: "eu-west-1",
      distributions: [
        {
          region: "eu-west-1",
          amiDistributionConfiguration: { name: `web ${ami}`, targetAccountIds: ["123456789012"] },
        },
      ],
    });
  });

  test("the short tags and the long forms are the same template", () => {
    const short = distribution(
      [
        "Name: !Join ['-', [web, !Select [1, !Split [',', 'a,base']]]]",
        "Distributions:",
        "  - Region: !FindInMap [Regions, Home, Name]",
        "    AmiDistributionConfiguration:",
        `      Name: !Sub ['\${Prefix} ${ami}', {Prefix: !If [Big, big, small]}]`,
      ].join("\n"),
    );
    const long = distribution(
      [
        "Name: {'Fn::Join': ['-', [web, {'Fn::Select': [1, {'Fn::Split': [',', 'a,base']}]}]]}",
        "Distributions:",
        "  - Region: {'Fn::FindInMap': [Regions, Home, Name]}",
        "    AmiDistributionConfiguration:",
        `      Name: {'Fn::Sub': ['\${Prefix} ${ami}', {Prefix: {'Fn::If': [Big, big, small]}}]}`,
      ].join("\n"),
    );
    const rest =
      "\nConditions:\n  Big: !Equals [a, a]\nMappings:\n  Regions:\n    Home:\n      Name: us-east-1\n";
    const a = importCloudFormation({ ...short, text: short.text + rest }, { region: "us-east-1" });
    const b = importCloudFormation({ ...long, text: long.text + rest }, { region: "us-east-1" });
    expect(errorsOf(a.diagnostics)).toEqual([]);
    expect(a.configurations.map((c) => c.document)).toEqual(b.configurations.map((c) => c.document));
    expect(a.configurations[0]?.document).toMatchObject({
      name: "web-base",
      distributions: [{ region: "us-east-1", amiDistributionConfiguration: { name: `big ${ami}` } }],
    });
  });

  test("Fn::If with AWS::NoValue leaves the property out; numbers and booleans are coerced as CloudFormation does", () => {
    const properties = [
      "Name: web",
      "Description: !If [Never, text, !Ref AWS::NoValue]",
      "Distributions:",
      "  - Region: us-east-1",
      `    AmiDistributionConfiguration: {Name: 'web ${ami}', TargetAccountIds: [111122223333]}`,
      "    FastLaunchConfigurations:",
      "      - Enabled: 'true'",
      "        MaxParallelLaunches: '6'",
      "        LaunchTemplate: {LaunchTemplateName: fast}",
      "Tags: {Cost: 1234}",
    ].join("\n");
    const text = `${distribution(properties).text}\nConditions:\n  Never: !Equals [a, b]\n`;
    const result = importCloudFormation({ path: "t.yaml", text }, { region: "us-east-1" });
    expect(errorsOf(result.diagnostics)).toEqual([]);
    expect(result.configurations[0]?.document).toEqual({
      name: "web",
      region: "us-east-1",
      distributions: [
        {
          region: "us-east-1",
          amiDistributionConfiguration: { name: `web ${ami}`, targetAccountIds: ["111122223333"] },
          fastLaunchConfigurations: [
            { enabled: true, maxParallelLaunches: 6, launchTemplate: { launchTemplateName: "fast" } },
          ],
        },
      ],
      tags: { Cost: "1234" },
    });
  });

  test("a parameter with no value names the parameters file to fill in, at the Ref", () => {
    const result = importCloudFormation({
      path: "t.yaml",
      text: `Parameters:\n  Accounts:\n    Type: CommaDelimitedList\n${
        distribution(
          `Name: web\nDistributions:\n  - Region: us-east-1\n    AmiDistributionConfiguration: {Name: 'web ${ami}', TargetAccountIds: !Ref Accounts}`,
        ).text
      }`,
    });
    expect(result.configurations).toEqual([]);
    expect(result.diagnostics.map(located)).toEqual([
      "12:100 unresolved-reference Resources.Dist.Properties.Distributions[0].AmiDistributionConfiguration.TargetAccountIds.Ref",
    ]);
    expect(result.diagnostics[0]?.message).toBe("parameter Accounts has no value and no Default");
    expect(result.diagnostics[0]?.hint).toContain('"ParameterKey": "Accounts"');
  });

  test("a list parameter from the parameters file becomes a list; the CodePipeline and plain-map forms are read too", () => {
    const text = `Parameters:\n  Accounts:\n    Type: List<String>\n${
      distribution(
        `Name: web\nDistributions:\n  - Region: us-east-1\n    AmiDistributionConfiguration: {Name: 'web ${ami}', TargetAccountIds: !Ref Accounts}`,
      ).text
    }`;
    for (const parameters of [
      '[{"ParameterKey": "Accounts", "ParameterValue": "111122223333, 444455556666"}]',
      '{"Parameters": {"Accounts": "111122223333,444455556666"}}',
      "Accounts: 111122223333,444455556666",
    ]) {
      const result = importCloudFormation(
        { path: "t.yaml", text },
        { parameters: { path: "p", text: parameters } },
      );
      expect(errorsOf(result.diagnostics)).toEqual([]);
      expect(
        result.configurations[0]?.document.distributions[0]?.amiDistributionConfiguration?.targetAccountIds,
      ).toEqual(["111122223333", "444455556666"]);
    }
  });

  test("a NoEcho parameter reads **** in the deployed stack: an error naming the parameters file, not ****", () => {
    const text = `Parameters:\n  Secret:\n    Type: String\n    NoEcho: true\n${
      distribution(
        `Name: web\nDescription: !Ref Secret\nDistributions:\n  - Region: us-east-1\n    AmiDistributionConfiguration: {Name: 'web ${ami}'}`,
      ).text
    }`;
    const stack = {
      path: "stack.json",
      text: JSON.stringify({
        Stacks: [
          {
            StackName: "web",
            StackId: "arn:aws:cloudformation:us-east-1:123456789012:stack/web/1",
            Parameters: [{ ParameterKey: "Secret", ParameterValue: "****" }],
          },
        ],
      }),
    };
    const hidden = importCloudFormation({ path: "t.yaml", text }, { stack });
    expect(hidden.configurations).toEqual([]);
    expect(hidden.diagnostics.map((d) => `${located(d)} ${d.message}`)).toEqual([
      "11:20 unresolved-reference Resources.Dist.Properties.Description.Ref parameter Secret is NoEcho: the deployed stack shows it as ****",
    ]);
    const given = importCloudFormation(
      { path: "t.yaml", text },
      { stack, parameters: { path: "p.json", text: '{"Secret": "hidden text"}' } },
    );
    expect(errorsOf(given.diagnostics)).toEqual([]);
    expect(given.configurations[0]?.document.description).toBe("hidden text");
  });

  test("Fn::ImportValue and functions the importer does not evaluate are errors, never placeholders", () => {
    const result = importCloudFormation(
      distribution(
        `Name: !ImportValue shared-name\nDescription: !Base64 text\nDistributions:\n  - Region: us-east-1\n    AmiDistributionConfiguration: {Name: 'web ${ami}'}`,
      ),
    );
    expect(result.configurations).toEqual([]);
    expect(result.diagnostics.map((d) => `${located(d)} ${d.message}`)).toEqual([
      '6:13 unresolved-reference Resources.Dist.Properties.Name["Fn::ImportValue"] Fn::ImportValue reads another stack\'s export, which the template does not hold',
      '7:20 unsupported-intrinsic Resources.Dist.Properties.Description["Fn::Base64"] Fn::Base64 is not evaluated by the importer',
    ]);
  });
});

describe("resources and the cutover", () => {
  test("a resource without DeletionPolicy: Retain is imported with a warning at its logical id", () => {
    const text = distribution(
      `Name: web\nDistributions:\n  - Region: us-east-1\n    AmiDistributionConfiguration: {Name: 'web ${ami}'}`,
    ).text.replace("    DeletionPolicy: Retain\n", "");
    const result = importCloudFormation({ path: "t.yaml", text }, { region: "us-east-1" });
    expect(result.configurations).toHaveLength(1);
    expect(result.diagnostics.map((d) => `${located(d)} ${d.severity}`)).toEqual([
      "2:3 deletion-not-retained Resources.Dist warning",
    ]);
    expect(result.diagnostics[0]?.hint).toContain("DeletionPolicy: Retain");
  });

  test("without the stack's region the file names none, and a warning at the resource says so", () => {
    const result = importCloudFormation(
      distribution(
        `Name: web\nDistributions:\n  - Region: us-east-1\n    AmiDistributionConfiguration: {Name: 'web ${ami}'}`,
      ),
    );
    expect(result.configurations[0]?.document.region).toBeUndefined();
    expect(result.configurations[0]?.text).not.toMatch(/^region:/m);
    expect(result.diagnostics.map((d) => `${located(d)} ${d.severity}`)).toEqual([
      "2:3 region-unresolved Resources.Dist warning",
    ]);
    expect(result.diagnostics[0]?.hint).toContain("--region");
  });

  test("a resource whose condition is false is not created, so not imported", () => {
    const result = importCloudFormation(
      {
        path: "t.yaml",
        text: `Conditions:\n  No: !Equals [a, b]\n${
          distribution(
            `Name: web\nDistributions:\n  - Region: us-east-1\n    AmiDistributionConfiguration: {Name: 'web ${ami}'}`,
            "    Condition: No",
          ).text
        }`,
      },
      { region: "us-east-1" },
    );
    expect(result.configurations).toEqual([]);
    expect(result.diagnostics.map((d) => `${located(d)} ${d.severity}`)).toEqual([
      "7:16 resource-skipped Resources.Dist.Condition warning",
    ]);
  });

  test("an unknown property is an error at its key with CloudFormation's name as the suggestion", () => {
    const result = importCloudFormation(
      distribution(
        `Name: web\nDistributions:\n  - Region: us-east-1\n    AmiDistributionConfiguration:\n      Name: 'web ${ami}'\n      LaunchPermissions: {UserIds: ['111122223333']}`,
      ),
    );
    expect(result.configurations).toEqual([]);
    expect(result.diagnostics.map(located)).toEqual([
      "11:13 unknown-key Resources.Dist.Properties.Distributions[0].AmiDistributionConfiguration.LaunchPermissions",
    ]);
    expect(result.diagnostics[0]?.hint).toBe("did you mean 'LaunchPermissionConfiguration'?");
  });

  test("validation of the imported document is reported at the template line", () => {
    const result = importCloudFormation(
      distribution(
        `Name: web\nDistributions:\n  - Region: us-east-1\n    AmiDistributionConfiguration: {Name: web-ami}`,
      ),
      { region: "us-east-1" },
    );
    expect(result.configurations).toHaveLength(1);
    expect(result.diagnostics.map(located)).toEqual([
      "9:48 ami-name-missing-build-date Resources.Dist.Properties.Distributions[0].AmiDistributionConfiguration.Name",
    ]);
    expect(result.diagnostics[0]?.file).toBe("template.yaml");
    expect(result.diagnostics[0]?.hint).toContain(`"web-ami ${ami}"`);
  });

  test("a file that is not a template, or has no distribution configuration, says so", () => {
    expect(importCloudFormation(template("name: web\n")).diagnostics.map(located)).toEqual([
      "1:1 import-source-invalid ",
    ]);
    const none = importCloudFormation(template("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n"));
    expect(none.diagnostics.map((d) => `${located(d)} ${d.severity}`)).toEqual([
      "1:1 no-configurations Resources warning",
    ]);
    expect(importCloudFormation(template("Resources: [\n")).diagnostics[0]?.code).toBe("yaml-syntax");
  });
});

describe("CloudFormation's tags in the YAML parser", () => {
  test("every short form reads as its JSON form, with positions inside", () => {
    const parsed = parseConfigFile(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
      { path: "t.yaml", text: "a: !Ref X\nb: !GetAtt R.Arn\nc: !If\n  - C\n  - !Sub 'x-${A}'\n  - 1\n" },
      {},
      cloudFormationTags,
    );
    expect(parsed.ok && parsed.documents[0]?.value).toEqual({
      a: { Ref: "X" },
      b: { "Fn::GetAtt": "R.Arn" },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
      c: { "Fn::If": ["C", { "Fn::Sub": "x-${A}" }, 1] },
    });
    expect(parsed.ok && parsed.documents[0]?.valuePositions.get('c["Fn::If"][1]')).toEqual({
      line: 5,
      column: 5,
    });
    expect(Object.keys(cloudFormationTags)).toEqual(
      expect.arrayContaining([
        "!Ref",
        "!Sub",
        "!GetAtt",
        "!If",
        "!Join",
        "!FindInMap",
        "!ImportValue",
        "!Condition",
      ]),
    );
  });

  test("without the CloudFormation tags a tag stays a warning, as for config files", () => {
    const parsed = parseConfigFile({ path: "t.yaml", text: "a: !Ref X\n" });
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(["yaml-warning"]);
  });
});
