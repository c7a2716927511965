/**
 * The service's rules beyond the API model's shapes, described once, each with its evidence.
 * Core's validation implements them (validate/region-rules.ts, validate/service-rules.ts); the
 * emulator implements the ones the API enforces in its own code (it does not depend on core);
 * the agreement test (packages/emulator/src/agreement.test.ts) breaks each rule alone in a
 * valid document and proves both agree with this description. docs/validation.md lists them.
 */
import type { DiagnosticCode } from "./diagnostics.js";

/**
 * Where a rule is enforced:
 * - `api`: the API refuses the request (InvalidParameterValueException); core and the emulator
 *   must both refuse the document at `path`.
 * - `distribution`: EC2 or Image Builder refuses it only when a build distributes; the API
 *   accepts the request, so the emulator does too, while core refuses it before it reaches AWS.
 * - `advice`: nothing refuses it; core warns.
 */
export type RuleEnforcement = "api" | "distribution" | "advice";

/** One change to a document: the value at a JSON path (segments), or its removal (`undefined`). */
export type DocumentEdit = readonly [path: readonly (string | number)[], value: unknown];

export interface ServiceRule {
  /** The diagnostic core reports. */
  code: DiagnosticCode;
  enforcement: RuleEnforcement;
  rule: string;
  /** Where the rule comes from: a quoted error, a document, an acceptance suite. */
  evidence: string;
  /**
   * Edits that break this rule alone in a valid document with one distribution to `us-west-2`
   * that has an `amiDistributionConfiguration` (name with the build date) and whose
   * `targetAccountIds` are `["111111111111"]`; `path` is where both report it.
   */
  breaks: readonly DocumentEdit[];
  path: readonly (string | number)[];
}

const d0 = ["distributions", 0] as const;
const ami = [...d0, "amiDistributionConfiguration"] as const;
const fastLaunch = (value: Record<string, unknown>): DocumentEdit => [
  [...d0, "fastLaunchConfigurations"],
  [value],
];

export const serviceRules: readonly ServiceRule[] = [
  {
    code: "no-distributions",
    enforcement: "api",
    rule: "A configuration has at least one distribution.",
    evidence:
      "The service: 'At least one distribution must be provided.' (the model's DistributionList has no min).",
    breaks: [[["distributions"], []]],
    path: ["distributions"],
  },
  {
    code: "invalid-region",
    enforcement: "api",
    rule: "A distribution's region is a region code.",
    evidence:
      "The service: \"The region '...' is not a valid region.\" (the model types region as NonEmptyString); region codes from the AWS SDK's partition metadata.",
    breaks: [[[...d0, "region"], "us-east1"]],
    path: [...d0, "region"],
  },
  {
    code: "duplicate-region",
    enforcement: "api",
    rule: "At most one distribution per region.",
    evidence:
      "The service refuses a second distribution to a region; the CDK imagebuilder-alpha construct enforces one per region.",
    breaks: [
      [
        ["distributions", 1],
        { region: "us-west-2", amiDistributionConfiguration: { name: "second {{imagebuilder:buildDate}}" } },
      ],
    ],
    path: ["distributions", 1, "region"],
  },
  {
    code: "distribution-without-output",
    enforcement: "api",
    rule: "A distribution has an output: an AMI, container, license, launch template, S3 export, fast launch or SSM parameter configuration.",
    evidence:
      "The service: 'One or more outputs should be provided for each region in a distribution configuration' for a region alone (terraform-provider-aws #17390, aws-cdk #12882, pulumi #6343); terraform-provider-aws's acceptance tests create license-only, fast-launch-only and SSM-only distributions against the real service and expect success.",
    breaks: [[[...ami], undefined]],
    path: [...d0],
  },
  {
    code: "ami-name-missing-build-date",
    enforcement: "api",
    rule: "An AMI name contains {{imagebuilder:buildDate}}.",
    evidence:
      "The service: \"The EC2 AMI name must contain '{{ imagebuilder:buildDate }}' to ensure that the name will be unique\" (InvalidParameterValueException; terraform-provider-aws #36610).",
    breaks: [[[...ami, "name"], "web-ami"]],
    path: [...ami, "name"],
  },
  {
    code: "unknown-template-variable",
    enforcement: "distribution",
    rule: "The AMI name uses only {{imagebuilder:buildDate}} and {{imagebuilder:buildVersion}}.",
    evidence:
      "Image Builder user guide, AMI name variables; others would render verbatim into an invalid EC2 name.",
    breaks: [[[...ami, "name"], "web {{imagebuilder:buildDate}} {{imagebuilder:os}}"]],
    path: [...ami, "name"],
  },
  {
    code: "malformed-template",
    enforcement: "distribution",
    rule: "Every { or } in an AMI name is part of a {{...}} variable.",
    evidence: "EC2 AMI names allow no braces (EC2 RegisterImage/CopyImage name rules).",
    breaks: [[[...ami, "name"], "web {{imagebuilder:buildDate}} }"]],
    path: [...ami, "name"],
  },
  {
    code: "rendered-ami-name-invalid",
    enforcement: "distribution",
    rule: "The rendered AMI name uses only EC2's characters (letters, digits, ( ) [ ] space . / - ' @ _).",
    evidence: "EC2 CopyImage/RegisterImage name constraints; the API pattern lets ':' through, EC2 does not.",
    breaks: [[[...ami, "name"], "web:{{imagebuilder:buildDate}}"]],
    path: [...ami, "name"],
  },
  {
    code: "rendered-ami-name-too-long",
    enforcement: "distribution",
    rule: "Rendered with the longest build date and version, the AMI name is at most 128 characters.",
    evidence: "EC2 AMI names are 3-128 characters (EC2 RegisterImage); the build date renders to up to 27.",
    // 127 characters (the API's limit), 131 rendered: each build date renders one longer.
    breaks: [[[...ami, "name"], `${"a".repeat(23)}${"{{imagebuilder:buildDate}}".repeat(4)}`]],
    path: [...ami, "name"],
  },
  {
    code: "ssm-account-not-target",
    enforcement: "distribution",
    rule: "An SSM parameter's amiAccountId is one of the distribution's target accounts.",
    evidence:
      "Image Builder user guide, SSM parameter distribution: the AMI must be distributed to the account whose parameter is updated.",
    breaks: [
      [[...d0, "ssmParameterConfigurations"], [{ parameterName: "/ami/web", amiAccountId: "999999999999" }]],
    ],
    path: [...d0, "ssmParameterConfigurations", 0, "amiAccountId"],
  },
  {
    code: "fast-launch-template-id-and-name",
    enforcement: "distribution",
    rule: "A fast-launch launchTemplate names launchTemplateId or launchTemplateName, not both.",
    evidence:
      "The model's FastLaunchLaunchTemplateSpecification: 'You can specify either the launchTemplateName or the launchTemplateId, but not both.'; EC2 EnableFastLaunch refuses both.",
    breaks: [
      fastLaunch({
        enabled: true,
        launchTemplate: { launchTemplateId: "lt-0123456789abcdef0", launchTemplateName: "web" },
      }),
    ],
    path: [...d0, "fastLaunchConfigurations", 0, "launchTemplate"],
  },
  {
    code: "fast-launch-template-unnamed",
    enforcement: "advice",
    rule: "A fast-launch launchTemplate without launchTemplateId or launchTemplateName names no template.",
    evidence:
      "No documented rule refuses it (the model says 'not both', not 'one of'); warned because the launch template is then EC2's default.",
    breaks: [fastLaunch({ enabled: true, launchTemplate: { launchTemplateVersion: "1" } })],
    path: [...d0, "fastLaunchConfigurations", 0, "launchTemplate"],
  },
  {
    code: "fast-launch-parallel-launches",
    enforcement: "distribution",
    rule: "An enabled fast launch has maxParallelLaunches of at least 6.",
    evidence:
      "EC2 EnableFastLaunch: MaxParallelLaunches 'must be 6 or greater' (EC2 fast-launch prerequisites; the CDK construct checks it); the model's MaxParallelLaunches only says min 1.",
    breaks: [fastLaunch({ enabled: true, maxParallelLaunches: 5 })],
    path: [...d0, "fastLaunchConfigurations", 0, "maxParallelLaunches"],
  },
];
