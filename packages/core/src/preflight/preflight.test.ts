import { describe, expect, it } from "vitest";
import {
  CROSS_ACCOUNT_POLICY_ARN,
  CROSS_ACCOUNT_ROLE_NAME,
  evaluatePreflight,
  type Fact,
  type FactRequest,
  factKey,
  type PreflightConfiguration,
  preflightRequests,
} from "./index.js";
import { renderPreflightMarkdown, renderPreflightText } from "./render.js";

const SOURCE = "111111111111";
const keyArn = "arn:aws:kms:us-east-1:111111111111:key/k1";

function configuration(distributions: PreflightConfiguration["distributions"]): PreflightConfiguration {
  return {
    name: "web",
    region: "us-east-1",
    file: "waybill/web.yaml",
    line: 1,
    column: 1,
    positions: new Map([
      ["distributions[0].amiDistributionConfiguration.targetAccountIds[1]", { line: 9, column: 11 }],
      ["distributions[0].amiDistributionConfiguration.kmsKeyId", { line: 7, column: 17 }],
    ]),
    distributions,
  };
}

const policy = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allowAccounts = (...accounts: string[]) => ({
  Sid: "CrossAccountCopy",
  Effect: "Allow",
  Principal: { AWS: accounts.map((a) => `arn:aws:iam::${a}:root`) },
  Action: ["kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
  Resource: "*",
});
const trust = (account: string) =>
  policy([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }]);

const found = (value: Extract<Fact, { status: "found" }>["value"]): Fact => ({
  status: "found",
  value,
  evidence: "test",
});

function facts(entries: [FactRequest, Fact][]): Map<string, Fact> {
  return new Map([
    [factKey({ kind: "caller-identity" }), found({ kind: "caller-identity", account: SOURCE, arn: "arn" })],
    [
      factKey({ kind: "enabled-regions", region: "us-east-1" }),
      found({ kind: "enabled-regions", regions: ["us-east-1", "eu-west-1"] }),
    ],
    ...entries.map(([request, fact]): [string, Fact] => [factKey(request), fact]),
  ]);
}

const role = (account: string): FactRequest => ({ kind: "role", account, roleName: CROSS_ACCOUNT_ROLE_NAME });
const goodRole = (account = SOURCE) =>
  found({
    kind: "role",
    arn: "r",
    trustPolicy: trust(account),
    attachedPolicyArns: [CROSS_ACCOUNT_POLICY_ARN],
  });
const kmsRequest: FactRequest = { kind: "kms-key", region: "us-east-1", keyId: keyArn };

const shared = configuration([
  {
    region: "us-east-1",
    amiDistributionConfiguration: { kmsKeyId: keyArn, targetAccountIds: ["222222222222", "333333333333"] },
  },
]);

describe("preflight", () => {
  it("asks for each fact once: identity, regions, the key, each target's role", () => {
    const requests = preflightRequests({ configurations: [shared, shared] });
    expect(requests.map(factKey)).toEqual([
      "caller-identity",
      "enabled-regions/us-east-1",
      `kms-key/us-east-1/${keyArn}`,
      `role/222222222222/${CROSS_ACCOUNT_ROLE_NAME}`,
      `role/333333333333/${CROSS_ACCOUNT_ROLE_NAME}`,
    ]);
  });

  it("is clean when the key policy allows every target and every role is right", () => {
    const result = evaluatePreflight(
      { configurations: [shared] },
      facts([
        [
          kmsRequest,
          found({
            kind: "kms-key",
            arn: keyArn,
            enabled: true,
            policy: policy([allowAccounts("222222222222", "333333333333")]),
            grants: [],
          }),
        ],
        [role("222222222222"), goodRole()],
        [role("333333333333"), goodRole()],
      ]),
    );
    expect(result).toEqual([]);
  });

  it("locates a key policy that omits a target account at that account, naming the missing actions", () => {
    const [finding, ...rest] = evaluatePreflight(
      { configurations: [shared] },
      facts([
        [
          kmsRequest,
          found({
            kind: "kms-key",
            arn: keyArn,
            enabled: true,
            policy: policy([allowAccounts("222222222222")]),
            grants: [],
          }),
        ],
        [role("222222222222"), goodRole()],
        [role("333333333333"), goodRole()],
      ]),
    );
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: "kms-key-policy-omits-account",
      severity: "error",
      file: "waybill/web.yaml",
      line: 9,
      column: 11,
      path: "distributions[0].amiDistributionConfiguration.targetAccountIds[1]",
    });
    expect(finding?.message).toContain("333333333333");
    expect(finding?.hint).toContain("arn:aws:iam::333333333333:root");
  });

  it("accepts a grant for the missing account, and lets an unconditional Deny win over an Allow", () => {
    const grant = {
      granteePrincipal: "arn:aws:iam::333333333333:root",
      operations: [
        "Decrypt",
        "DescribeKey",
        "CreateGrant",
        "ReEncryptFrom",
        "GenerateDataKeyWithoutPlaintext",
      ],
    };
    const deny = { Sid: "NoDecrypt", Effect: "Deny", Principal: "*", Action: "kms:Decrypt", Resource: "*" };
    const base = { kind: "kms-key" as const, arn: keyArn, enabled: true, grants: [grant] };
    const roles: [FactRequest, Fact][] = [
      [role("222222222222"), goodRole()],
      [role("333333333333"), goodRole()],
    ];
    const granted = evaluatePreflight(
      { configurations: [shared] },
      facts([[kmsRequest, found({ ...base, policy: policy([allowAccounts("222222222222")]) })], ...roles]),
    );
    expect(granted).toEqual([]);
    const denied = evaluatePreflight(
      { configurations: [shared] },
      facts([
        [
          kmsRequest,
          found({
            ...base,
            grants: [],
            policy: policy([allowAccounts("222222222222", "333333333333"), deny]),
          }),
        ],
        ...roles,
      ]),
    );
    expect(denied.map((f) => f.code)).toEqual([
      "kms-key-policy-omits-account",
      "kms-key-policy-omits-account",
    ]);
    expect(denied[0]?.message).toContain("denied by statement 1 (Sid NoDecrypt)");
  });

  it("reports a missing key, a missing role, an untrusting role and one without the managed policy", () => {
    const result = evaluatePreflight(
      { configurations: [shared] },
      facts([
        [kmsRequest, { status: "missing", evidence: "KMS DescribeKey" }],
        [role("222222222222"), { status: "missing", evidence: "IAM GetRole" }],
        [
          role("333333333333"),
          found({ kind: "role", arn: "r", trustPolicy: trust("999999999999"), attachedPolicyArns: [] }),
        ],
      ]),
    );
    expect(result.map((f) => f.code).sort()).toEqual([
      "cross-account-role-missing",
      "cross-account-role-policy-missing",
      "cross-account-role-untrusted",
      "kms-key-missing",
    ]);
    const missing = result.find((f) => f.code === "cross-account-role-missing");
    expect(missing?.hint).toContain(`trusting ${SOURCE}`);
  });

  it("turns a denied read into a warning naming the permission, and a severity setting into its severity", () => {
    const denied: Fact = {
      status: "denied",
      permission: "iam:GetRole",
      evidence: "IAM GetRole in 222222222222",
      message: "AccessDenied",
    };
    const entries: [FactRequest, Fact][] = [
      [kmsRequest, found({ kind: "kms-key", arn: keyArn, enabled: false, policy: undefined, grants: [] })],
      [role("222222222222"), denied],
      [role("333333333333"), goodRole()],
    ];
    const result = evaluatePreflight({ configurations: [shared] }, facts(entries), { "kms-key": "warning" });
    expect(result.map((f) => [f.code, f.severity])).toEqual([
      ["preflight-access-denied", "warning"],
      ["kms-key-disabled", "warning"],
    ]);
    expect(result[0]?.message).toContain("iam:GetRole");
  });

  it("checks launch templates in their account, the export bucket and role, license ARNs and the caller", () => {
    const configured: PreflightConfiguration = {
      ...configuration([
        {
          region: "eu-west-1",
          launchTemplateConfigurations: [
            { launchTemplateId: "lt-0123456789abcdef0", accountId: "222222222222" },
          ],
          s3ExportConfiguration: { roleName: "vmimport", diskImageFormat: "RAW", s3Bucket: "exports" },
          licenseConfigurationArns: [
            "arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-0123456789abcdef0123456789abcdef",
          ],
        },
        { region: "ap-east-1", amiDistributionConfiguration: {} },
      ]),
      accountId: "444444444444",
    };
    const requests = preflightRequests({ configurations: [configured] });
    expect(requests.map(factKey)).toContain("launch-template/222222222222/eu-west-1/lt-0123456789abcdef0/");
    const result = evaluatePreflight(
      { configurations: [configured], expectedAccount: "555555555555" },
      facts([
        [
          requests.find((r) => r.kind === "launch-template") as FactRequest,
          { status: "missing", evidence: "EC2" },
        ],
        [
          { kind: "bucket", bucket: "exports" },
          { status: "missing", evidence: "S3 HeadBucket" },
        ],
        [
          { kind: "role", account: "source", roleName: "vmimport" },
          { status: "missing", evidence: "IAM GetRole" },
        ],
      ]),
    );
    expect(result.map((f) => f.code).sort()).toEqual([
      "caller-account-mismatch",
      "caller-account-mismatch",
      "caller-region-not-enabled",
      "export-bucket-missing",
      "launch-template-missing",
      "license-configuration-foreign",
      "vm-import-role-missing",
    ]);
  });

  it("renders findings with location, hint and evidence in text and markdown", () => {
    const findings = evaluatePreflight(
      { configurations: [shared] },
      facts([
        [
          kmsRequest,
          found({
            kind: "kms-key",
            arn: keyArn,
            enabled: true,
            policy: policy([allowAccounts("222222222222", "333333333333")]),
            grants: [],
          }),
        ],
        [role("222222222222"), { status: "missing", evidence: "IAM GetRole in 222222222222" }],
        [role("333333333333"), goodRole()],
      ]),
    );
    const report = {
      findings,
      accountSets: [{ name: "workloads", source: "list" as const, accounts: ["222222222222"] }],
      factsGathered: 5,
      calls: 7,
    };
    const text = renderPreflightText(report);
    expect(text).toContain("Preflight: 1 error (5 facts read in 7 calls)");
    expect(text).toContain("set:workloads: 222222222222");
    expect(text).toMatch(/waybill\/web\.yaml:1:1: error cross-account-role-missing: account 222222222222/);
    expect(text).toContain("evidence: IAM GetRole in 222222222222");
    const markdown = renderPreflightMarkdown(report);
    expect(markdown).toContain("### Preflight: 1 error");
    expect(markdown).toContain("`cross-account-role-missing`");
  });
});
