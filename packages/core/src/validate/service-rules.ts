/**
 * Service rules: what the API model does not state but the service refuses (or EC2 refuses at
 * distribution time), checked on a schema-valid document. docs/validation.md cites each rule's
 * evidence.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { Distribution, DistributionConfigurationDocument } from "../schema.js";
import {
  amiNameRules,
  checkAmiName,
  parseNameTemplate,
  renderLongestAmiName,
  usesVariable,
} from "../templates.js";
import type { Locator } from "./locator.js";

// rules.ts distribution-without-output: every one of these counts alone (license-, fast-launch-
// and SSM-only distributions succeed against the real service in terraform-provider-aws's suites).
const outputKeys = [
  "amiDistributionConfiguration",
  "containerDistributionConfiguration",
  "licenseConfigurationArns",
  "launchTemplateConfigurations",
  "s3ExportConfiguration",
  "fastLaunchConfigurations",
  "ssmParameterConfigurations",
] as const satisfies readonly (keyof Distribution)[];

/** Every service-rule finding of one schema-valid document. */
export function serviceRuleDiagnostics(
  document: DistributionConfigurationDocument,
  at: Locator,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (document.distributions.length === 0) {
    out.push(
      at.diagnostic("no-distributions", ["distributions"], "a configuration needs at least one distribution"),
    );
  }
  const regions = new Map<string, number>();
  document.distributions.forEach((distribution, i) => {
    const base = ["distributions", i] as const;
    if (!outputKeys.some((key) => distribution[key] !== undefined)) {
      out.push(
        at.diagnostic(
          "distribution-without-output",
          [...base],
          `the distribution to ${distribution.region} has no output`,
          {
            hint: "add an amiDistributionConfiguration (or a container, S3 export, launch template, fast launch or SSM parameter configuration)",
          },
        ),
      );
    }
    const first = regions.get(distribution.region);
    if (first === undefined) regions.set(distribution.region, i);
    else {
      out.push(
        at.diagnostic(
          "duplicate-region",
          [...base, "region"],
          `region ${distribution.region} already has a distribution (distributions[${first}])`,
          { hint: "merge the two distributions into one" },
        ),
      );
    }
    const ami = distribution.amiDistributionConfiguration;
    if (ami?.name !== undefined)
      out.push(...amiNameDiagnostics(ami.name, [...base, "amiDistributionConfiguration", "name"], at));
    const targets = new Set(ami?.targetAccountIds ?? []);
    distribution.ssmParameterConfigurations?.forEach((parameter, j) => {
      if (parameter.amiAccountId !== undefined && !targets.has(parameter.amiAccountId)) {
        out.push(
          at.diagnostic(
            "ssm-account-not-target",
            [...base, "ssmParameterConfigurations", j, "amiAccountId"],
            `account ${parameter.amiAccountId} is not a target account of the distribution to ${distribution.region}`,
            { hint: "add it to amiDistributionConfiguration.targetAccountIds" },
          ),
        );
      }
    });
    distribution.fastLaunchConfigurations?.forEach((fastLaunch, j) => {
      const here = [...base, "fastLaunchConfigurations", j] as const;
      // rules.ts fast-launch-parallel-launches: EC2 EnableFastLaunch wants 6 or more.
      if (
        fastLaunch.enabled &&
        fastLaunch.maxParallelLaunches !== undefined &&
        fastLaunch.maxParallelLaunches < 6
      ) {
        out.push(
          at.diagnostic(
            "fast-launch-parallel-launches",
            [...here, "maxParallelLaunches"],
            `EC2 fast launch needs maxParallelLaunches of at least 6, not ${fastLaunch.maxParallelLaunches}`,
            { hint: "set 6 or more, or leave it out for EC2's default" },
          ),
        );
      }
      const template = fastLaunch.launchTemplate;
      if (template === undefined) return;
      const hasId = template.launchTemplateId !== undefined;
      const hasName = template.launchTemplateName !== undefined;
      // rules.ts fast-launch-template-id-and-name (the model: "not both") and
      // fast-launch-template-unnamed (no documented rule: a warning).
      if (hasId && hasName) {
        out.push(
          at.diagnostic(
            "fast-launch-template-id-and-name",
            [...here, "launchTemplate"],
            "a fast-launch launchTemplate names either launchTemplateId or launchTemplateName, not both",
          ),
        );
      } else if (!hasId && !hasName) {
        out.push(
          at.diagnostic(
            "fast-launch-template-unnamed",
            [...here, "launchTemplate"],
            "this fast-launch launchTemplate names no template (neither launchTemplateId nor launchTemplateName)",
            { severity: "warning", hint: "name the template, or remove launchTemplate" },
          ),
        );
      }
    });
  });
  return out;
}

function amiNameDiagnostics(name: string, segments: readonly PropertyKey[], at: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const template = parseNameTemplate(name);
  for (const problem of template.problems) {
    out.push(
      at.diagnostic(
        problem.kind === "unknown-variable" ? "unknown-template-variable" : "malformed-template",
        segments,
        problem.message,
        problem.hint === undefined ? {} : { hint: problem.hint },
      ),
    );
  }
  // A misspelt `{{imagebuilder:builddate}}` is one mistake: its own error says how to fix it.
  const misspelt = template.problems.some((problem) => problem.meant === "buildDate");
  if (!usesVariable(template, "buildDate") && !misspelt) {
    out.push(
      at.diagnostic(
        "ami-name-missing-build-date",
        segments,
        "the AMI name must contain {{imagebuilder:buildDate}}",
        {
          hint: `the service requires it so every AMI name is unique, e.g. "${name} {{imagebuilder:buildDate}}"`,
        },
      ),
    );
  }
  if (template.problems.length > 0) return out;
  const rendered = renderLongestAmiName(template);
  for (const problem of checkAmiName(rendered)) {
    if (problem.kind === "too-long") {
      out.push(
        at.diagnostic(
          "rendered-ami-name-too-long",
          segments,
          `rendered with the longest build date, the AMI name is ${problem.length} characters; EC2 allows ${amiNameRules.maxLength}`,
          { hint: `shorten the name by ${problem.length - amiNameRules.maxLength} characters` },
        ),
      );
    } else {
      out.push(
        at.diagnostic("rendered-ami-name-invalid", segments, problem.message, {
          hint: "EC2 AMI names allow letters, digits, spaces and ( ) [ ] . / - ' @ _",
        }),
      );
    }
  }
  return out;
}
