/**
 * Names from other tools: CloudFormation (`AWS::ImageBuilder::DistributionConfiguration`) and
 * Cloud Control spell the API's members in PascalCase, with one rename. The importers and the
 * unknown-key hint both use this one mapping.
 */

/**
 * Where CloudFormation's property name is not the API member name in PascalCase (CloudFormation
 * resource reference, `AmiDistributionConfiguration.LaunchPermissionConfiguration`).
 */
export const cloudFormationRenames: Readonly<Record<string, string>> = {
  LaunchPermissionConfiguration: "launchPermission",
};

/**
 * The API's camelCase member name for a CloudFormation or Cloud Control property name:
 * `LaunchPermissionConfiguration` → `launchPermission`, `AmiTags` → `amiTags`,
 * `S3ExportConfiguration` → `s3ExportConfiguration`. A name that does not start with an
 * upper-case letter is returned as is. Map keys (tag keys) are data, not names: don't map them.
 */
export function apiMemberName(pascalCaseName: string): string {
  const renamed = cloudFormationRenames[pascalCaseName];
  if (renamed !== undefined) return renamed;
  const first = pascalCaseName.charAt(0);
  if (first === "" || first === first.toLowerCase()) return pascalCaseName;
  return first.toLowerCase() + pascalCaseName.slice(1);
}
