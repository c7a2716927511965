// Service rules the API model does not state but the real service enforces on distributions.
import { invalidParameterValue, type ServiceError } from "./service-error.js";

/** One entry of a configuration's `distributions` list (already checked against the model). */
export type Distribution = { region: string } & Record<string, unknown>;

// Members that make a distribution produce something in its region. Each counts alone:
// terraform-provider-aws's acceptance tests create distributions with only license
// configurations, only fast launch or only SSM parameters against the real service and expect
// success; a region alone is refused (terraform-provider-aws #17390, aws-cdk #12882).
const outputMembers = [
  "amiDistributionConfiguration",
  "containerDistributionConfiguration",
  "licenseConfigurationArns",
  "launchTemplateConfigurations",
  "s3ExportConfiguration",
  "fastLaunchConfigurations",
  "ssmParameterConfigurations",
] as const;

const buildDateVariable = /\{\{\s*imagebuilder:buildDate\s*\}\}/;
// Two to four letters first: eusc-de-east-1 (the European Sovereign Cloud) is a region too.
const regionName = /^[a-z]{2,4}(?:-[a-z]+)+-\d+$/;

/**
 * Checks the rules the service applies to a distributions list after model validation:
 * at least one distribution, a well-formed region, one distribution per region, at least one
 * output per distribution, and an AMI name containing `{{imagebuilder:buildDate}}`.
 * Returns the first violation in the service's wording, or undefined.
 */
export function checkDistributionRules(distributions: readonly Distribution[]): ServiceError | undefined {
  if (distributions.length === 0) {
    return invalidParameterValue("distributions", "At least one distribution must be provided.");
  }
  const seen = new Set<string>();
  for (const [index, distribution] of distributions.entries()) {
    const here = `distributions[${index}]`;
    if (!regionName.test(distribution.region)) {
      return invalidParameterValue(
        `${here}.region`,
        `The region '${distribution.region}' is not a valid region.`,
      );
    }
    if (seen.has(distribution.region)) {
      return invalidParameterValue(
        `${here}.region`,
        `The region '${distribution.region}' appears in more than one distribution. Only one distribution is allowed per region.`,
      );
    }
    seen.add(distribution.region);
    if (!outputMembers.some((member) => distribution[member] !== undefined)) {
      return invalidParameterValue(
        here,
        "One or more outputs should be provided for each region in a distribution configuration.",
      );
    }
    const ami = distribution.amiDistributionConfiguration as { name?: string } | undefined;
    if (ami?.name !== undefined && !buildDateVariable.test(ami.name)) {
      return invalidParameterValue(
        `${here}.amiDistributionConfiguration.name`,
        "The EC2 AMI name must contain '{{ imagebuilder:buildDate }}' to ensure that the name will be unique.",
      );
    }
  }
  return undefined;
}
