import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type Diagnostic, formatDiagnostic } from "../diagnostics.js";
import type { Policy } from "../policy.js";
import { codesAndPaths, everyMember, readFixture, validateJson, withValue } from "../testing/documents.js";

const everyMemberDocument = everyMember();

import { validateConfigFiles } from "./validation.js";

const seed = (name: string) => ({ path: `seeds/${name}`, text: readFixture(`seeds/${name}`) });
const located = (d: Diagnostic) => `${d.line}:${d.column} ${d.code} ${d.path} ${d.hint ?? ""}`.trim();

const buildDate = "{{imagebuilder:buildDate}}";
const amiDistribution = (region: string, extra: Record<string, unknown> = {}) => ({
  region,
  amiDistributionConfiguration: { name: `web ${buildDate}`, ...extra },
});
const documentWith = (distributions: unknown[], extra: Record<string, unknown> = {}) => ({
  name: "web-base",
  region: "us-west-2",
  distributions,
  ...extra,
});

describe("the AWS documentation's examples", () => {
  test.each([
    "create-accounts.json",
    "create-organizations.json",
    "update-cli-reference.json",
    "update-user-guide.json",
  ])("%s parses", (name) => {
    const result = validateConfigFiles([seed(name)], { defaultRegion: "us-east-1" });
    expect(result.diagnostics.filter((d) => d.code === "yaml-syntax" || d.code === "duplicate-key")).toEqual(
      [],
    );
  });

  test("the create examples are valid configurations as is", () => {
    const result = validateConfigFiles([seed("create-accounts.json"), seed("create-organizations.json")], {
      defaultRegion: "us-west-2",
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.ok && result.documents.map((d) => [d.document.name, d.kind, d.region])).toEqual([
      ["MyExampleAccountDistribution", "create", "us-west-2"],
      ["MyExampleAWSOrganizationDistribution", "create", "us-west-2"],
    ]);
  });

  test("the CLI reference's update example can update the configuration with its ARN", () => {
    const result = validateConfigFiles([seed("update-cli-reference.json")]);
    expect(result.diagnostics).toEqual([]);
    expect(result.ok && result.documents[0]).toMatchObject({
      kind: "update",
      region: "us-west-2",
      distributionConfigurationArn:
        "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/myexampledistribution",
      document: { name: "myexampledistribution", description: "Copies AMI to eu-west-2 and exports to S3" },
    });
  });

  test("the user guide's update example is reported with each of its mistakes, located", () => {
    const result = validateConfigFiles([seed("update-user-guide.json")]);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map(located)).toEqual([
      "2:37 pattern-mismatch distributionConfigurationArn arn:aws:imagebuilder:<region>:<account>:distribution-configuration/<lowercase name, spaces as hyphens>",
      "10:17 unknown-key distributions[0].amiDistributionConfiguration.launchPermissions did you mean 'launchPermission'?",
      "21:17 unknown-key distributions[1].amiDistributionConfiguration.tags did you mean 'amiTags'?",
      "24:17 unknown-key distributions[1].amiDistributionConfiguration.launchPermissions did you mean 'launchPermission'?",
    ]);
    expect(result.diagnostics[0]?.message).toMatch(/ends|must match pattern .*got ".*\.json"/);
  });
});

describe("documents and files", () => {
  test("every document of a YAML file is validated, with its position", () => {
    const result = validateConfigFiles([{ path: "two.yaml", text: readFixture("yaml/two-documents.yaml") }]);
    expect(result.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      `two.yaml:16:11: error invalid-type: 'targetAccountIds[0]' must be a string, not number 12345678901 (at distributions[0].amiDistributionConfiguration.targetAccountIds[0])\n  hint: quote it: "012345678901"`,
      "two.yaml:17:7: error unknown-key: unknown key 'launchPermision' in AmiDistributionConfiguration (at distributions[0].amiDistributionConfiguration.launchPermision)\n  hint: did you mean 'launchPermission'?",
    ]);
  });

  test("a wrong-typed value is quoted cut to 60 characters, so a whole file never is", () => {
    const secret = `TOKEN=${"s3cr3t".repeat(40)}`;
    const result = validateConfigFiles([{ path: "environ.yaml", text: `${secret}\n` }]);
    const messages = result.diagnostics.map((d) => formatDiagnostic(d)).join("\n");
    expect(messages).toContain(`not string "TOKEN=s3cr3t`);
    expect(messages).toContain("…");
    expect(messages).not.toContain(secret.slice(0, 80));
    const quoted = /not string (".*?…)/.exec(messages)?.[1] ?? "";
    expect(quoted).toHaveLength(60);
  });

  test("a valid YAML file yields typed documents with file, index and position", () => {
    const result = validateConfigFiles([{ path: "anchors.yaml", text: readFixture("yaml/anchors.yaml") }]);
    expect(result.ok && result.documents.map((d) => [d.file, d.index, d.line, d.column, d.kind])).toEqual([
      ["anchors.yaml", 0, 2, 1, "create"],
    ]);
  });

  test("formatDiagnostic without a hint or path is one line", () => {
    const text = formatDiagnostic({
      code: "empty-file",
      severity: "warning",
      file: "a.yaml",
      line: 1,
      column: 1,
      path: "",
      message: "file holds no configuration document",
    });
    expect(text).toBe("a.yaml:1:1: warning empty-file: file holds no configuration document");
  });

  test("warnings do not fail validation", () => {
    const result = validateConfigFiles([
      { path: "empty.yaml", text: "" },
      { path: "anchors.yaml", text: readFixture("yaml/anchors.yaml") },
    ]);
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([["empty-file", "warning"]]);
  });

  test("bad input of any kind returns diagnostics instead of throwing", () => {
    for (const text of [
      "",
      "null",
      "[]",
      "42",
      "name: [",
      '{"distributions": null}',
      "- a\n- b",
      "? [a]\n: b",
    ]) {
      const result = validateConfigFiles([{ path: "x.yaml", text }], { defaultRegion: "us-east-1" });
      expect(Array.isArray(result.diagnostics)).toBe(true);
    }
  });
});

describe("identity: name, ARN and home region", () => {
  const arn = "arn:aws:imagebuilder:eu-west-1:123456789012:distribution-configuration/web-base";
  test.each([
    ["name-or-arn-required", { distributions: [amiDistribution("us-west-2")] }, ""],
    [
      "arn-name-mismatch",
      {
        ...documentWith([amiDistribution("eu-west-1")]),
        region: undefined,
        distributionConfigurationArn: arn,
        name: "other",
      },
      "name",
    ],
    [
      "arn-region-mismatch",
      { ...documentWith([amiDistribution("eu-west-1")]), distributionConfigurationArn: arn },
      "region",
    ],
    ["region-unresolved", { name: "web-base", distributions: [amiDistribution("us-west-2")] }, ""],
  ])("%s", (code, document, path) => {
    const result = validateJson(JSON.parse(JSON.stringify(document)));
    expect(codesAndPaths(result)).toEqual([`${code} ${path}`]);
  });

  test("the home region is the document's, else the ARN's, else the default", () => {
    const options = { defaultRegion: "ap-south-1" };
    const region = (document: unknown) => {
      const result = validateJson(document, options);
      return result.ok ? result.documents[0]?.region : result.diagnostics;
    };
    expect(region(documentWith([amiDistribution("us-west-2")]))).toBe("us-west-2");
    expect(region({ distributionConfigurationArn: arn, distributions: [amiDistribution("us-west-2")] })).toBe(
      "eu-west-1",
    );
    expect(region({ name: "web-base", distributions: [amiDistribution("us-west-2")] })).toBe("ap-south-1");
  });

  test("a name that matches the ARN is kept as written", () => {
    const result = validateJson({
      name: "Web Base",
      distributionConfigurationArn: arn.replace("web-base", "web-base"),
      distributions: [amiDistribution("eu-west-1")],
    });
    expect(result.ok && [result.documents[0]?.kind, result.documents[0]?.document.name]).toEqual([
      "update",
      "Web Base",
    ]);
  });

  test("an enum value in the wrong case gets the exact spelling (diskImageFormat: vmdk → VMDK); other values get none", () => {
    const withFormat = (format: string) =>
      validateJson(
        documentWith([
          {
            region: "us-west-2",
            s3ExportConfiguration: { roleName: "r", diskImageFormat: format, s3Bucket: "b" },
          },
        ]),
      ).diagnostics.map((d) => [d.code, d.hint]);
    expect(withFormat("vmdk")).toEqual([["invalid-enum", "the values are case-sensitive: write VMDK"]]);
    expect(withFormat("Vhd")).toEqual([["invalid-enum", "the values are case-sensitive: write VHD"]]);
    expect(withFormat("qcow2")).toEqual([["invalid-enum", undefined]]);
  });

  test("clientToken, dryRun and $schema are accepted and left out of the document", () => {
    const result = validateJson({
      ...documentWith([amiDistribution("us-west-2")]),
      clientToken: "abc",
      dryRun: true,
      $schema: "./s.json",
    });
    expect(result.ok && Object.keys(result.documents[0]?.document ?? {})).toEqual([
      "name",
      "region",
      "distributions",
    ]);
  });
});

describe("service rules", () => {
  const ssm = (amiAccountId: string, targets?: string[]) => ({
    region: "us-west-2",
    amiDistributionConfiguration: {
      name: `web ${buildDate}`,
      ...(targets ? { targetAccountIds: targets } : {}),
    },
    ssmParameterConfigurations: [{ parameterName: "/ami/web", amiAccountId }],
  });
  const fastLaunch = (launchTemplate: Record<string, string>) => ({
    ...amiDistribution("us-west-2"),
    fastLaunchConfigurations: [{ enabled: true, launchTemplate }],
  });
  const ami = "distributions[0].amiDistributionConfiguration.name";

  /** [rule, distributions that break it, expected diagnostics, distributions that keep it]. */
  const rules: [string, unknown[], string[], unknown[]][] = [
    [
      "distribution-without-output",
      [{ region: "us-west-2" }],
      ["distribution-without-output distributions[0]"],
      [
        {
          region: "us-west-2",
          s3ExportConfiguration: { roleName: "r", diskImageFormat: "RAW", s3Bucket: "b" },
        },
      ],
    ],
    ["no-distributions", [], ["no-distributions distributions"], [amiDistribution("us-west-2")]],
    [
      "duplicate-region",
      [amiDistribution("us-west-2"), amiDistribution("us-west-2")],
      ["duplicate-region distributions[1].region"],
      [amiDistribution("us-west-2"), amiDistribution("eu-west-1")],
    ],
    [
      "ami-name-missing-build-date",
      [{ region: "us-west-2", amiDistributionConfiguration: { name: "web {{imagebuilder:buildVersion}}" } }],
      [`ami-name-missing-build-date ${ami}`],
      [{ region: "us-west-2", amiDistributionConfiguration: { name: "web {{ imagebuilder:buildDate }}" } }],
    ],
    [
      "unknown-template-variable",
      [
        {
          region: "us-west-2",
          amiDistributionConfiguration: { name: `web ${buildDate} {{imagebuilder:buildNumber}}` },
        },
      ],
      [`unknown-template-variable ${ami}`],
      [
        {
          region: "us-west-2",
          amiDistributionConfiguration: { name: `web ${buildDate} {{imagebuilder:buildVersion}}` },
        },
      ],
    ],
    [
      "malformed-template",
      [{ region: "us-west-2", amiDistributionConfiguration: { name: `web ${buildDate} {x` } }],
      [`malformed-template ${ami}`],
      [{ region: "us-west-2", amiDistributionConfiguration: { name: `web ${buildDate} x` } }],
    ],
    [
      "rendered-ami-name-invalid",
      [{ region: "us-west-2", amiDistributionConfiguration: { name: `web:${buildDate}` } }],
      [`rendered-ami-name-invalid ${ami}`],
      [{ region: "us-west-2", amiDistributionConfiguration: { name: `web-${buildDate}` } }],
    ],
    [
      "rendered-ami-name-too-long",
      [
        {
          region: "us-west-2",
          amiDistributionConfiguration: { name: `${"x".repeat(23)}${buildDate.repeat(4)}` },
        },
      ],
      [`rendered-ami-name-too-long ${ami}`],
      [{ region: "us-west-2", amiDistributionConfiguration: { name: `${"x".repeat(101)}${buildDate}` } }],
    ],
    [
      "ssm-account-not-target (no targets)",
      [ssm("111111111111")],
      ["ssm-account-not-target distributions[0].ssmParameterConfigurations[0].amiAccountId"],
      [ssm("111111111111", ["111111111111"])],
    ],
    [
      "ssm-account-not-target (other targets)",
      [ssm("111111111111", ["222222222222"])],
      ["ssm-account-not-target distributions[0].ssmParameterConfigurations[0].amiAccountId"],
      [ssm("222222222222", ["222222222222"])],
    ],
    [
      "fast-launch-template-id-and-name (both)",
      [fastLaunch({ launchTemplateId: "lt-0123456789abcdef0", launchTemplateName: "n" })],
      ["fast-launch-template-id-and-name distributions[0].fastLaunchConfigurations[0].launchTemplate"],
      [fastLaunch({ launchTemplateName: "n" })],
    ],
    [
      "fast-launch-template-unnamed (neither: a warning)",
      [fastLaunch({ launchTemplateVersion: "1" })],
      ["fast-launch-template-unnamed distributions[0].fastLaunchConfigurations[0].launchTemplate"],
      [fastLaunch({ launchTemplateId: "lt-0123456789abcdef0", launchTemplateVersion: "1" })],
    ],
    [
      "fast-launch-parallel-launches",
      [
        {
          ...amiDistribution("us-west-2"),
          fastLaunchConfigurations: [{ enabled: true, maxParallelLaunches: 5 }],
        },
      ],
      ["fast-launch-parallel-launches distributions[0].fastLaunchConfigurations[0].maxParallelLaunches"],
      [
        {
          ...amiDistribution("us-west-2"),
          fastLaunchConfigurations: [{ enabled: false, maxParallelLaunches: 5 }],
        },
      ],
    ],
    [
      "license-only, fast-launch-only and SSM-only distributions have an output",
      [{ region: "us-west-2" }],
      ["distribution-without-output distributions[0]"],
      [
        {
          region: "us-west-2",
          licenseConfigurationArns: [
            "arn:aws:license-manager:us-west-2:111111111111:license-configuration:lic-0123456789abcdef0123456789abcdef",
          ],
        },
        { region: "eu-west-1", fastLaunchConfigurations: [{ enabled: true }] },
        { region: "eu-west-2", ssmParameterConfigurations: [{ parameterName: "/ami/web" }] },
      ],
    ],
  ];

  test.each(rules)("%s", (_rule, breaking, expected, keeping) => {
    expect(codesAndPaths(validateJson(documentWith(breaking)))).toEqual(expected);
    expect(codesAndPaths(validateJson(documentWith(keeping)))).toEqual([]);
  });

  test("template problems carry hints", () => {
    const result = validateJson(
      documentWith([
        { region: "us-west-2", amiDistributionConfiguration: { name: "web {{imagebuilder:builddate}}" } },
      ]),
    );
    // One typo, one error, whose hint is the corrected name (not the typo plus a second variable).
    expect(result.diagnostics.map((d) => [d.code, d.hint])).toEqual([
      ["unknown-template-variable", 'did you mean "web {{imagebuilder:buildDate}}"?'],
    ]);
    const spaced = validateJson(
      documentWith([
        {
          region: "us-west-2",
          amiDistributionConfiguration: {
            name: "web {{ imagebuilder:builddate }} v{{imagebuilder:buildversion}}",
          },
        },
      ]),
    );
    expect(spaced.diagnostics.map((d) => [d.code, d.hint])).toEqual([
      [
        "unknown-template-variable",
        'did you mean "web {{imagebuilder:buildDate}} v{{imagebuilder:buildversion}}"?',
      ],
      [
        "unknown-template-variable",
        'did you mean "web {{ imagebuilder:builddate }} v{{imagebuilder:buildVersion}}"?',
      ],
    ]);
    const missing = validateJson(
      documentWith([
        { region: "us-west-2", amiDistributionConfiguration: { name: "web {{imagebuilder:date}}" } },
      ]),
    );
    expect(missing.diagnostics.map((d) => d.code)).toEqual([
      "ami-name-missing-build-date",
      "unknown-template-variable",
    ]);
  });

  describe("arn-collision across documents and files", () => {
    test("names that lowercase to the same ARN in one region collide", () => {
      const result = validateJson([
        documentWith([amiDistribution("us-west-2")], { name: "Web Base" }),
        documentWith([amiDistribution("us-west-2")], { name: "web-base" }),
      ]);
      expect(result.diagnostics.map((d) => `${d.file} ${d.code} ${d.path}`)).toEqual([
        "1-test.json arn-collision name",
      ]);
      expect(result.diagnostics[0]?.message).toBe(
        "configuration 'web-base' in us-west-2 has the same ARN as 'Web Base' (0-test.json:1:1)",
      );
    });

    test("an update document naming a configuration another document creates collides", () => {
      const result = validateJson([
        documentWith([amiDistribution("us-west-2")]),
        {
          distributionConfigurationArn:
            "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/web-base",
          distributions: [amiDistribution("us-west-2")],
        },
      ]);
      expect(codesAndPaths(result)).toEqual(["arn-collision distributionConfigurationArn"]);
    });

    test("the same name in two home regions does not collide", () => {
      const result = validateJson([
        documentWith([amiDistribution("us-west-2")]),
        documentWith([amiDistribution("us-west-2")], { region: "eu-west-1" }),
      ]);
      expect(codesAndPaths(result)).toEqual([]);
    });
  });
});

describe("policy", () => {
  const org = "arn:aws:organizations::123456789012:organization/o-abcdefghij";
  const otherOrg = "arn:aws:organizations::123456789012:organization/o-zzzzzzzzzz";
  const ouInOrg = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-abcdefgh";
  const ouElsewhere = "arn:aws:organizations::123456789012:ou/o-zzzzzzzzzz/ou-ab12-abcdefgh";
  const permission = (launchPermission: Record<string, string[]>) => [
    amiDistribution("us-west-2", { launchPermission }),
  ];
  const allowed = "111111111111";
  const other = "999999999999";
  const p = "distributions[0]";

  /** [case, policy, distributions, expected diagnostics]. */
  const cases: [string, Policy | undefined, unknown[], string[]][] = [
    [
      "public sharing is refused by default",
      undefined,
      permission({ userGroups: ["all"] }),
      [`public-launch-permission ${p}.amiDistributionConfiguration.launchPermission.userGroups[0]`],
    ],
    [
      "public sharing is refused when not allowed",
      { allowPublicLaunchPermission: false },
      permission({ userGroups: ["All"] }),
      [`public-launch-permission ${p}.amiDistributionConfiguration.launchPermission.userGroups[0]`],
    ],
    [
      "public sharing may be allowed",
      { allowPublicLaunchPermission: true },
      permission({ userGroups: ["all"] }),
      [],
    ],
    ["other groups are not public", undefined, permission({ userGroups: ["developers"] }), []],
    [
      "target accounts outside the allow-list",
      { allowedAccounts: [allowed] },
      [amiDistribution("us-west-2", { targetAccountIds: [allowed, other] })],
      [`account-not-allowed ${p}.amiDistributionConfiguration.targetAccountIds[1]`],
    ],
    [
      "launch permission accounts outside the allow-list",
      { allowedAccounts: [allowed] },
      permission({ userIds: [other] }),
      [`account-not-allowed ${p}.amiDistributionConfiguration.launchPermission.userIds[0]`],
    ],
    [
      "launch template accounts outside the allow-list",
      { allowedAccounts: [allowed] },
      [
        {
          ...amiDistribution("us-west-2"),
          launchTemplateConfigurations: [{ launchTemplateId: "lt-0123456789abcdef0", accountId: other }],
        },
      ],
      [`account-not-allowed ${p}.launchTemplateConfigurations[0].accountId`],
    ],
    [
      "fast launch accounts outside the allow-list",
      { allowedAccounts: [allowed] },
      [{ ...amiDistribution("us-west-2"), fastLaunchConfigurations: [{ enabled: true, accountId: other }] }],
      [`account-not-allowed ${p}.fastLaunchConfigurations[0].accountId`],
    ],
    [
      "SSM parameter accounts outside the allow-list",
      { allowedAccounts: [other] },
      [
        {
          ...amiDistribution("us-west-2", { targetAccountIds: [other] }),
          ssmParameterConfigurations: [{ parameterName: "p", amiAccountId: other }],
        },
      ],
      [],
    ],
    ["accounts on the allow-list", { allowedAccounts: [allowed] }, permission({ userIds: [allowed] }), []],
    ["no allow-list allows every account", undefined, permission({ userIds: [other] }), []],
    [
      "organizations outside the allow-list",
      { allowedOrganizationArns: [org] },
      permission({ organizationArns: [otherOrg] }),
      [`organization-not-allowed ${p}.amiDistributionConfiguration.launchPermission.organizationArns[0]`],
    ],
    [
      "organizations on the allow-list",
      { allowedOrganizationArns: [org] },
      permission({ organizationArns: [org] }),
      [],
    ],
    [
      "OUs outside the allow-list",
      { allowedOrganizationalUnitArns: [ouInOrg] },
      permission({ organizationalUnitArns: [ouElsewhere] }),
      [
        `organizational-unit-not-allowed ${p}.amiDistributionConfiguration.launchPermission.organizationalUnitArns[0]`,
      ],
    ],
    [
      "OUs on the allow-list",
      { allowedOrganizationalUnitArns: [ouInOrg] },
      permission({ organizationalUnitArns: [ouInOrg] }),
      [],
    ],
    [
      "OUs inside an allowed organization",
      { allowedOrganizationArns: [org] },
      permission({ organizationalUnitArns: [ouInOrg] }),
      [],
    ],
  ];

  test.each(cases)("%s", (_case, policy, distributions, expected) => {
    const result = validateJson(documentWith(distributions), policy === undefined ? {} : { policy });
    expect(codesAndPaths(result)).toEqual(expected);
  });

  test("the SSM account check also applies the allow-list", () => {
    const distributions = [
      {
        ...amiDistribution("us-west-2", { targetAccountIds: [other] }),
        ssmParameterConfigurations: [{ parameterName: "p", amiAccountId: other }],
      },
    ];
    expect(
      codesAndPaths(validateJson(documentWith(distributions), { policy: { allowedAccounts: [allowed] } })),
    ).toEqual([
      `account-not-allowed ${p}.amiDistributionConfiguration.targetAccountIds[0]`,
      `account-not-allowed ${p}.ssmParameterConfigurations[0].amiAccountId`,
    ]);
  });
});

describe("withValue", () => {
  test("removes a key when given undefined", () => {
    expect(withValue({ a: 1, b: 2 }, ["a"], undefined)).toEqual({ b: 2 });
  });
});

describe("robustness", () => {
  test("any text or JSON value gives diagnostics, never an exception", () => {
    const texts = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
      fc
        .array(
          fc.constantFrom("a:", " - ", "[", "{", "}", "]", "*x", "&x ", "\n", "---\n", '"', "name: n", ": "),
          { maxLength: 40 },
        )
        .map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const result = validateConfigFiles([{ path: "f.yaml", text }], { defaultRegion: "us-east-1" });
        for (const d of result.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });

  test("a valid document with any member replaced by any value gives diagnostics, never an exception", () => {
    const paths = fc.constantFrom<PropertyKey[]>(
      ["name"],
      ["tags"],
      ["distributions"],
      ["distributions", 0],
      ["distributions", 0, "region"],
      ["distributions", 0, "amiDistributionConfiguration"],
      ["distributions", 0, "amiDistributionConfiguration", "name"],
      ["distributions", 0, "amiDistributionConfiguration", "launchPermission"],
      ["distributions", 0, "fastLaunchConfigurations", 0, "launchTemplate"],
      ["distributions", 0, "ssmParameterConfigurations"],
    );
    fc.assert(
      fc.property(paths, fc.jsonValue({ maxDepth: 3 }), (path, value) => {
        const document = withValue(everyMemberDocument, path, value);
        const lines = JSON.stringify(document, null, 2).split("\n").length;
        for (const d of validateJson(document).diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 300 },
    );
  });
});
