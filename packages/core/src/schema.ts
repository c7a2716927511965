/**
 * The configuration document's schema, with every constraint the newest EC2 Image Builder API
 * model states (patterns, lengths, list sizes, enums), and the TypeScript types inferred from it.
 *
 * Objects are strict: unknown keys are schema issues, which `validateConfigFiles` reports with a
 * did-you-mean suggestion. Patterns are the model's, rewritten only where a character class has a
 * stray range hyphen (`A-Za-z-0-9`) so the same expression also compiles with the `u` flag that
 * JSON Schema validators use; the set of accepted strings is unchanged.
 */
import { z } from "zod";
import { regionPattern } from "./regions.js";

/** Regular expressions of the API model's string shapes, by shape name. */
export const apiPatterns = {
  AccountId: /^[0-9]{12}$/,
  AmiNameString: /^[-_A-Za-z0-9{][-_A-Za-z0-9\s:{}.]+[-_A-Za-z0-9}]$/,
  DistributionConfigurationArn:
    /^arn:aws[^:]*:imagebuilder:[^:]+:(?:[0-9]{12}|aws):distribution-configuration\/[a-z0-9-_]+$/,
  LaunchTemplateId: /^lt-[a-z0-9-_]{17}$/,
  LicenseConfigurationArn:
    /^arn:aws[^:]*:license-manager:[^:]+:[0-9]{12}:license-configuration:lic-[a-z0-9-_]{32}$/,
  OrganizationArn: /^arn:aws[^:]*:organizations::[0-9]{12}:organization\/o-[a-z0-9]{10,32}$/,
  OrganizationalUnitArn:
    /^arn:aws[^:]*:organizations::[0-9]{12}:ou\/o-[a-z0-9]{10,32}\/ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}/,
  // The model writes [-_A-Za-z-0-9]: the second hyphen is a literal, already in the class.
  ResourceName: /^[-_A-Za-z0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z0-9]$/,
  SsmParameterName: /^[a-zA-Z0-9_.\-/]+$/,
  TagKey: /^(?!aws:)[a-zA-Z0-9\s_.:/=+\-@]*$/,
} as const;

/** Length and size limits of the API model, by shape name. */
export const apiLimits = {
  AccountList: { min: 1, max: 1536 },
  AmiNameString: { min: 1, max: 127 },
  ClientToken: { min: 1, max: 64 },
  FastLaunchConfigurationList: { min: 1, max: 1000 },
  LaunchTemplateConfigurationList: { min: 1, max: 100 },
  LicenseConfigurationArnList: { min: 1, max: 50 },
  // The model's integer is 32-bit (it states only the min).
  MaxParallelLaunches: { min: 1, max: 2_147_483_647 },
  NonEmptyString: { min: 1, max: 1024 },
  OrganizationArnList: { min: 1, max: 25 },
  OrganizationalUnitArnList: { min: 1, max: 25 },
  SsmParameterName: { min: 1, max: 1011 },
  TagKey: { min: 1, max: 128 },
  TagMap: { min: 1, max: 50 },
  TagValue: { max: 256 },
  TargetResourceCount: { min: 1, max: 10000 },
} as const;

const nonEmptyString = z.string().min(apiLimits.NonEmptyString.min).max(apiLimits.NonEmptyString.max);
const accountId = z.string().regex(apiPatterns.AccountId);
const accountList = z.array(accountId).min(apiLimits.AccountList.min).max(apiLimits.AccountList.max);
const stringList = z.array(nonEmptyString);
const launchTemplateId = z.string().regex(apiPatterns.LaunchTemplateId);

/** TagMap: 1–50 entries; keys 1–128 characters, not starting with `aws:`; values up to 256. */
export const tagMapSchema = z
  .record(
    z.string().min(apiLimits.TagKey.min).max(apiLimits.TagKey.max).regex(apiPatterns.TagKey),
    z.string().max(apiLimits.TagValue.max),
  )
  .refine((tags) => Object.keys(tags).length >= apiLimits.TagMap.min, {
    message: `must have at least ${apiLimits.TagMap.min} entry`,
    params: { code: "too-few", limit: apiLimits.TagMap.min },
  })
  .refine((tags) => Object.keys(tags).length <= apiLimits.TagMap.max, {
    message: `must have at most ${apiLimits.TagMap.max} entries`,
    params: { code: "too-many", limit: apiLimits.TagMap.max },
  })
  // Refinements do not reach the JSON Schema; state the map size there too.
  .meta({ minProperties: apiLimits.TagMap.min, maxProperties: apiLimits.TagMap.max });
export type TagMap = z.infer<typeof tagMapSchema>;

export const launchPermissionConfigurationSchema = z
  .strictObject({
    userIds: accountList.optional(),
    userGroups: stringList.optional(),
    organizationArns: z
      .array(z.string().regex(apiPatterns.OrganizationArn))
      .min(apiLimits.OrganizationArnList.min)
      .max(apiLimits.OrganizationArnList.max)
      .optional(),
    organizationalUnitArns: z
      .array(z.string().regex(apiPatterns.OrganizationalUnitArn))
      .min(apiLimits.OrganizationalUnitArnList.min)
      .max(apiLimits.OrganizationalUnitArnList.max)
      .optional(),
  })
  .meta({ title: "LaunchPermissionConfiguration" });
export type LaunchPermissionConfiguration = z.infer<typeof launchPermissionConfigurationSchema>;

export const amiDistributionConfigurationSchema = z
  .strictObject({
    name: z
      .string()
      .min(apiLimits.AmiNameString.min)
      .max(apiLimits.AmiNameString.max)
      .regex(apiPatterns.AmiNameString)
      .optional(),
    description: nonEmptyString.optional(),
    targetAccountIds: accountList.optional(),
    amiTags: tagMapSchema.optional(),
    kmsKeyId: nonEmptyString.optional(),
    launchPermission: launchPermissionConfigurationSchema.optional(),
  })
  .meta({ title: "AmiDistributionConfiguration" });
export type AmiDistributionConfiguration = z.infer<typeof amiDistributionConfigurationSchema>;

export const containerRepositoryServices = ["ECR"] as const;
export const targetContainerRepositorySchema = z
  .strictObject({
    service: z.enum(containerRepositoryServices),
    repositoryName: nonEmptyString,
  })
  .meta({ title: "TargetContainerRepository" });
export type TargetContainerRepository = z.infer<typeof targetContainerRepositorySchema>;

export const containerDistributionConfigurationSchema = z
  .strictObject({
    description: nonEmptyString.optional(),
    containerTags: stringList.optional(),
    targetRepository: targetContainerRepositorySchema,
  })
  .meta({ title: "ContainerDistributionConfiguration" });
export type ContainerDistributionConfiguration = z.infer<typeof containerDistributionConfigurationSchema>;

export const launchTemplateConfigurationSchema = z
  .strictObject({
    launchTemplateId,
    accountId: accountId.optional(),
    setDefaultVersion: z.boolean().optional(),
  })
  .meta({ title: "LaunchTemplateConfiguration" });
export type LaunchTemplateConfiguration = z.infer<typeof launchTemplateConfigurationSchema>;

export const diskImageFormats = ["VMDK", "RAW", "VHD"] as const;
export const s3ExportConfigurationSchema = z
  .strictObject({
    roleName: nonEmptyString,
    diskImageFormat: z.enum(diskImageFormats),
    s3Bucket: nonEmptyString,
    s3Prefix: nonEmptyString.optional(),
  })
  .meta({ title: "S3ExportConfiguration" });
export type S3ExportConfiguration = z.infer<typeof s3ExportConfigurationSchema>;

export const fastLaunchSnapshotConfigurationSchema = z
  .strictObject({
    targetResourceCount: z
      .number()
      .int()
      .min(apiLimits.TargetResourceCount.min)
      .max(apiLimits.TargetResourceCount.max)
      .optional(),
  })
  .meta({ title: "FastLaunchSnapshotConfiguration" });
export type FastLaunchSnapshotConfiguration = z.infer<typeof fastLaunchSnapshotConfigurationSchema>;

export const fastLaunchLaunchTemplateSpecificationSchema = z
  .strictObject({
    launchTemplateId: launchTemplateId.optional(),
    launchTemplateName: nonEmptyString.optional(),
    launchTemplateVersion: nonEmptyString.optional(),
  })
  .meta({ title: "FastLaunchLaunchTemplateSpecification" });
export type FastLaunchLaunchTemplateSpecification = z.infer<
  typeof fastLaunchLaunchTemplateSpecificationSchema
>;

export const fastLaunchConfigurationSchema = z
  .strictObject({
    enabled: z.boolean(),
    snapshotConfiguration: fastLaunchSnapshotConfigurationSchema.optional(),
    maxParallelLaunches: z
      .number()
      .int()
      .min(apiLimits.MaxParallelLaunches.min)
      .max(apiLimits.MaxParallelLaunches.max)
      .optional(),
    launchTemplate: fastLaunchLaunchTemplateSpecificationSchema.optional(),
    accountId: accountId.optional(),
  })
  .meta({ title: "FastLaunchConfiguration" });
export type FastLaunchConfiguration = z.infer<typeof fastLaunchConfigurationSchema>;

export const ssmParameterDataTypes = ["text", "aws:ec2:image"] as const;
export const ssmParameterConfigurationSchema = z
  .strictObject({
    amiAccountId: accountId.optional(),
    parameterName: z
      .string()
      .min(apiLimits.SsmParameterName.min)
      .max(apiLimits.SsmParameterName.max)
      .regex(apiPatterns.SsmParameterName),
    dataType: z.enum(ssmParameterDataTypes).optional(),
  })
  .meta({ title: "SsmParameterConfiguration" });
export type SsmParameterConfiguration = z.infer<typeof ssmParameterConfigurationSchema>;

export const distributionSchema = z
  .strictObject({
    region: nonEmptyString,
    amiDistributionConfiguration: amiDistributionConfigurationSchema.optional(),
    containerDistributionConfiguration: containerDistributionConfigurationSchema.optional(),
    licenseConfigurationArns: z
      .array(z.string().regex(apiPatterns.LicenseConfigurationArn))
      .min(apiLimits.LicenseConfigurationArnList.min)
      .max(apiLimits.LicenseConfigurationArnList.max)
      .optional(),
    launchTemplateConfigurations: z
      .array(launchTemplateConfigurationSchema)
      .min(apiLimits.LaunchTemplateConfigurationList.min)
      .max(apiLimits.LaunchTemplateConfigurationList.max)
      .optional(),
    s3ExportConfiguration: s3ExportConfigurationSchema.optional(),
    fastLaunchConfigurations: z
      .array(fastLaunchConfigurationSchema)
      .min(apiLimits.FastLaunchConfigurationList.min)
      .max(apiLimits.FastLaunchConfigurationList.max)
      .optional(),
    ssmParameterConfigurations: z.array(ssmParameterConfigurationSchema).optional(),
  })
  .meta({ title: "Distribution" });
export type Distribution = z.infer<typeof distributionSchema>;

/** The configuration's name (ResourceName): 3–128 letters, digits, `-`, `_` and inner spaces. */
export const resourceNameSchema = z.string().regex(apiPatterns.ResourceName);
export const distributionConfigurationArnSchema = z.string().regex(apiPatterns.DistributionConfigurationArn);

/**
 * Waybill's own home-region field: a well-formed AWS region code such as `us-west-2`,
 * `cn-north-1`, `us-gov-west-1` or `eusc-de-east-1`. (The API takes the home region from the
 * endpoint, not the body.) Validation also checks it against the regions the SDK knows.
 */
export const regionSchema = z.string().regex(regionPattern);

/**
 * One distribution configuration, as Waybill manages it: the API's create request without
 * `clientToken`, plus an optional home `region`.
 */
export const distributionConfigurationDocumentSchema = z
  .strictObject({
    name: resourceNameSchema,
    region: regionSchema.optional(),
    description: nonEmptyString.optional(),
    distributions: z.array(distributionSchema),
    tags: tagMapSchema.optional(),
  })
  .meta({ title: "DistributionConfigurationDocument" });
export type DistributionConfigurationDocument = z.infer<typeof distributionConfigurationDocumentSchema>;

/**
 * What a config file's document may contain: a `DistributionConfigurationDocument`, or an AWS
 * CLI `--cli-input-json` file as is (a current `--generate-cli-skeleton` included). `clientToken`
 * and `dryRun` are accepted and ignored (Waybill sends its own token and never a dry run);
 * `distributionConfigurationArn` (an update request) may stand in for `name`; `$schema` lets
 * editors find the JSON Schema. Whether `name` or the ARN is present is checked by validation.
 */
export const configFileDocumentSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: resourceNameSchema.optional(),
    distributionConfigurationArn: distributionConfigurationArnSchema.optional(),
    clientToken: z.string().min(apiLimits.ClientToken.min).max(apiLimits.ClientToken.max).optional(),
    dryRun: z.boolean().optional(),
    region: regionSchema.optional(),
    description: nonEmptyString.optional(),
    distributions: z.array(distributionSchema),
    tags: tagMapSchema.optional(),
  })
  .meta({ title: "DistributionConfigurationFile" });
export type ConfigFileDocument = z.infer<typeof configFileDocumentSchema>;
