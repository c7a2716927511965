import { describe, expect, test } from "vitest";
import { errorsOf, example, expectedDocuments, located } from "../testing/imports.js";
import { validateConfigFiles } from "../validate/validation.js";
import { importTerraform, terraformDistributionFields } from "./terraform.js";

const ami = "{{imagebuilder:buildDate}}";
const stateWith = (values: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  path: "state.json",
  text: JSON.stringify(
    {
      format_version: "1.0",
      values: {
        root_module: {
          resources: [
            {
              address: "aws_imagebuilder_distribution_configuration.web",
              mode: "managed",
              type: "aws_imagebuilder_distribution_configuration",
              name: "web",
              values: {
                name: "web",
                region: "us-east-1",
                description: "",
                distribution: [
                  { region: "us-east-1", ami_distribution_configuration: [{ name: `web ${ami}` }] },
                ],
                tags: {},
                tags_all: {},
                ...values,
              },
            },
          ],
        },
      },
      ...extra,
    },
    null,
    2,
  ),
});

describe("terraform show -json of a state", () => {
  test("every block of the provider's schema maps to the API's shape", () => {
    const result = importTerraform(example("terraform/show-state.json"));
    expect(result.diagnostics).toEqual([]);
    expect(result.configurations.map((c) => c.document)).toEqual(
      expectedDocuments("terraform/show-state.expected.json"),
    );
    expect(result.configurations.map((c) => [c.fileName, c.source.id])).toEqual([
      ["golden-linux.yaml", "aws_imagebuilder_distribution_configuration.golden"],
      ["app-containers.yaml", "module.containers.aws_imagebuilder_distribution_configuration.this"],
    ]);
    const written = validateConfigFiles(
      result.configurations.map((c) => ({ path: c.fileName, text: c.text })),
    );
    expect(written.diagnostics).toEqual([]);
  });

  test("terraform show -json prints one line: the same documents, located by column and path", () => {
    const pretty = example("terraform/show-state.json");
    const oneLine = { path: "state.json", text: JSON.stringify(JSON.parse(pretty.text)) };
    const result = importTerraform(oneLine);
    expect(result.configurations.map((c) => c.document)).toEqual(
      importTerraform(pretty).configurations.map((c) => c.document),
    );
    const brokenText = oneLine.text.replace('"name":"golden-linux"', '"name":"golden linux!"');
    const broken = importTerraform({ path: "state.json", text: brokenText });
    expect(broken.diagnostics.map((d) => [d.line, d.code, d.path])).toEqual([
      [1, "pattern-mismatch", "values.root_module.resources[0].values.name"],
    ]);
    expect(broken.diagnostics[0]?.column).toBe(brokenText.indexOf('"golden linux!"') + 1);
  });

  test("the fixture covers every block and attribute of the mapping", () => {
    const state = JSON.parse(example("terraform/show-state.json").text);
    const golden = state.values.root_module.resources[0].values.distribution[0];
    const containers = state.values.root_module.child_modules[0].resources[0].values.distribution[0];
    const covered = (
      fields: typeof terraformDistributionFields,
      blocks: Record<string, unknown>[],
    ): string[] =>
      Object.entries(fields).flatMap(([key, field]) => {
        const present = blocks.filter((block) => key in block);
        if (present.length === 0) return [key];
        if (field.fields === undefined) return [];
        const inner = present.flatMap((block) => (Array.isArray(block[key]) ? block[key] : [block[key]]));
        return covered(field.fields, inner as Record<string, unknown>[]).map((name) => `${key}.${name}`);
      });
    expect(covered(terraformDistributionFields, [golden, containers])).toEqual([]);
  });

  test("the provider's unset values ('', 0, [], {}) are left out; a false bool is kept", () => {
    const result = importTerraform(
      stateWith({
        distribution: [
          {
            region: "us-east-1",
            ami_distribution_configuration: [
              {
                name: `web ${ami}`,
                description: "",
                kms_key_id: "",
                ami_tags: {},
                target_account_ids: [],
                launch_permission: [],
              },
            ],
            fast_launch_configuration: [
              {
                account_id: "",
                enabled: false,
                max_parallel_launches: 0,
                launch_template: [],
                snapshot_configuration: [],
              },
            ],
            launch_template_configuration: [
              { launch_template_id: "lt-0abcdef1234567890", account_id: "", default: false },
            ],
            s3_export_configuration: [],
          },
        ],
      }),
    );
    expect(errorsOf(result.diagnostics)).toEqual([]);
    expect(result.configurations[0]?.document.distributions).toEqual([
      {
        region: "us-east-1",
        amiDistributionConfiguration: { name: `web ${ami}` },
        fastLaunchConfigurations: [{ enabled: false }],
        launchTemplateConfigurations: [
          { launchTemplateId: "lt-0abcdef1234567890", setDefaultVersion: false },
        ],
      },
    ]);
  });

  test("tags_all (what is live, provider default tags included) wins over tags", () => {
    const result = importTerraform(
      stateWith({ tags: { team: "web" }, tags_all: { team: "web", env: "prod" } }),
    );
    expect(result.configurations[0]?.document.tags).toEqual({ team: "web", env: "prod" });
  });

  test("the home region comes from region, else from the ARN, else from the options", () => {
    const arn = "arn:aws:imagebuilder:eu-west-1:123456789012:distribution-configuration/web";
    expect(importTerraform(stateWith({ region: "", arn })).configurations[0]?.region).toBe("eu-west-1");
    expect(
      importTerraform(stateWith({ region: undefined }), { region: "ap-south-1" }).configurations[0]?.region,
    ).toBe("ap-south-1");
  });

  test("an attribute the importer does not know is an error at its line, not dropped", () => {
    const result = importTerraform(
      stateWith({
        distribution: [
          {
            region: "us-east-1",
            ami_distribution_configuration: [{ name: `web ${ami}`, boot_mode: "uefi" }],
          },
        ],
      }),
    );
    expect(result.configurations).toEqual([]);
    expect(result.diagnostics.map(located)).toEqual([
      "21:21 unknown-key values.root_module.resources[0].values.distribution[0].ami_distribution_configuration[0].boot_mode",
    ]);
  });

  test("validation of the imported document is reported at the state's line", () => {
    const result = importTerraform(
      stateWith({
        distribution: [{ region: "us-east-1", ami_distribution_configuration: [{ name: "web" }] }],
      }),
    );
    expect(result.diagnostics.map(located)).toEqual([
      "20:29 ami-name-missing-build-date values.root_module.resources[0].values.distribution[0].ami_distribution_configuration[0].name",
    ]);
    expect(result.diagnostics[0]?.hint).toContain(`"web ${ami}"`);
  });
});

describe("terraform show -json of a plan", () => {
  const plan = (afterUnknown: Record<string, unknown>) => {
    const state = JSON.parse(stateWith({}).text);
    return {
      path: "plan.json",
      text: JSON.stringify(
        {
          format_version: "1.2",
          planned_values: state.values,
          resource_changes: [
            {
              address: "aws_imagebuilder_distribution_configuration.web",
              change: { actions: ["create"], after_unknown: afterUnknown },
            },
          ],
        },
        null,
        2,
      ),
    };
  };

  test("planned values import when everything is known", () => {
    const result = importTerraform(plan({ arn: true, id: true, tags_all: true }));
    expect(errorsOf(result.diagnostics)).toEqual([]);
    expect(result.configurations[0]?.document).toEqual({
      name: "web",
      region: "us-east-1",
      distributions: [{ region: "us-east-1", amiDistributionConfiguration: { name: `web ${ami}` } }],
    });
  });

  test("a value known only after apply is an error, never a placeholder", () => {
    const result = importTerraform(
      plan({ distribution: [{ ami_distribution_configuration: [{ kms_key_id: true }] }] }),
    );
    expect(result.configurations).toEqual([]);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      "aws_imagebuilder_distribution_configuration.web: distribution.0.ami_distribution_configuration.0.kms_key_id is known only after terraform apply",
    ]);
  });
});

test("a file that is not terraform show -json says so", () => {
  const result = importTerraform({ path: "main.tf.json", text: '{"resource": {}}' });
  expect(result.diagnostics.map(located)).toEqual(["1:1 import-source-invalid "]);
  expect(result.diagnostics[0]?.hint).toContain("terraform show -json");
});
