/**
 * Terraform → Waybill documents: the JSON of `terraform show -json` (a state, or a saved plan)
 * for `aws_imagebuilder_distribution_configuration`, every block and attribute of the AWS
 * provider's schema mapped from snake_case to the API's shape (blocks of at most one become
 * objects, `launch_template_configuration.default` becomes `setDefaultVersion`, and the unset
 * values the provider stores — `""`, `0`, `[]` — are left out).
 *
 * Evidence for the names: the provider's schema of the resource (terraform-provider-aws,
 * internal/service/imagebuilder/distribution_configuration.go, and its data source's schema).
 */

import { parseDistributionConfigurationArn } from "../arn.js";
import type { Diagnostic } from "../diagnostics.js";
import { parseConfigFile } from "../parse.js";
import type { Policy } from "../policy.js";
import type { DistributionConfigurationDocument } from "../schema.js";
import {
  type ImportResult,
  type ImportSource,
  importedConfiguration,
  importResult,
  SourceMap,
} from "./imported.js";
import { LocatedSource } from "./located-source.js";
import { isRecord } from "./pascal-case-document.js";

export const terraformResourceType = "aws_imagebuilder_distribution_configuration";

/** How one Terraform attribute or block maps onto the API. */
interface TerraformField {
  api: string;
  /** scalar: a string, number or bool; list: a set or list of scalars; map: a map of strings;
   * block: a nested block of at most one (stored as a list of one); blocks: a list of blocks. */
  kind: "scalar" | "list" | "map" | "block" | "blocks";
  fields?: TerraformFields;
}
type TerraformFields = Readonly<Record<string, TerraformField>>;

const scalar = (api: string): TerraformField => ({ api, kind: "scalar" });
const list = (api: string): TerraformField => ({ api, kind: "list" });

/** The `distribution` block of the provider's schema, attribute by attribute. */
export const terraformDistributionFields: TerraformFields = {
  region: scalar("region"),
  ami_distribution_configuration: {
    api: "amiDistributionConfiguration",
    kind: "block",
    fields: {
      ami_tags: { api: "amiTags", kind: "map" },
      description: scalar("description"),
      kms_key_id: scalar("kmsKeyId"),
      name: scalar("name"),
      target_account_ids: list("targetAccountIds"),
      launch_permission: {
        api: "launchPermission",
        kind: "block",
        fields: {
          user_ids: list("userIds"),
          user_groups: list("userGroups"),
          organization_arns: list("organizationArns"),
          organizational_unit_arns: list("organizationalUnitArns"),
        },
      },
    },
  },
  container_distribution_configuration: {
    api: "containerDistributionConfiguration",
    kind: "block",
    fields: {
      container_tags: list("containerTags"),
      description: scalar("description"),
      target_repository: {
        api: "targetRepository",
        kind: "block",
        fields: { repository_name: scalar("repositoryName"), service: scalar("service") },
      },
    },
  },
  fast_launch_configuration: {
    api: "fastLaunchConfigurations",
    kind: "blocks",
    fields: {
      account_id: scalar("accountId"),
      enabled: scalar("enabled"),
      max_parallel_launches: scalar("maxParallelLaunches"),
      launch_template: {
        api: "launchTemplate",
        kind: "block",
        fields: {
          launch_template_id: scalar("launchTemplateId"),
          launch_template_name: scalar("launchTemplateName"),
          launch_template_version: scalar("launchTemplateVersion"),
        },
      },
      snapshot_configuration: {
        api: "snapshotConfiguration",
        kind: "block",
        fields: { target_resource_count: scalar("targetResourceCount") },
      },
    },
  },
  launch_template_configuration: {
    api: "launchTemplateConfigurations",
    kind: "blocks",
    fields: {
      launch_template_id: scalar("launchTemplateId"),
      account_id: scalar("accountId"),
      default: scalar("setDefaultVersion"),
    },
  },
  license_configuration_arns: list("licenseConfigurationArns"),
  s3_export_configuration: {
    api: "s3ExportConfiguration",
    kind: "block",
    fields: {
      role_name: scalar("roleName"),
      disk_image_format: scalar("diskImageFormat"),
      s3_bucket: scalar("s3Bucket"),
      s3_prefix: scalar("s3Prefix"),
    },
  },
  ssm_parameter_configuration: {
    api: "ssmParameterConfigurations",
    kind: "blocks",
    fields: {
      ami_account_id: scalar("amiAccountId"),
      parameter_name: scalar("parameterName"),
      data_type: scalar("dataType"),
    },
  },
};

/** Top-level attributes Terraform computes or keeps for itself; none is part of the document. */
const terraformOwnAttributes = new Set([
  "arn",
  "id",
  "date_created",
  "date_updated",
  "tags",
  "tags_all",
  "region",
]);

export interface TerraformImportOptions {
  /** Home region when neither the resource's `region` nor its ARN tells it. */
  region?: string;
  /** Policy for validating the imported documents (the repository's). */
  policy?: Policy;
}

/**
 * Imports every `aws_imagebuilder_distribution_configuration` of `terraform show -json` output
 * (root module and child modules). From a plan, the planned values are read, and a value known
 * only after apply is an error at the resource.
 */
export function importTerraform(show: ImportSource, options: TerraformImportOptions = {}): ImportResult {
  const diagnostics: Diagnostic[] = [];
  // State of a large estate is big and deep; the usual config-file limits do not fit it.
  const parsed = parseConfigFile(show, {
    maxFileBytes: 256 * 1024 * 1024,
    maxDepth: 256,
    maxNodes: 50_000_000,
  });
  diagnostics.push(...parsed.diagnostics.filter((d) => d.code !== "empty-file"));
  const document = parsed.ok ? parsed.documents[0] : undefined;
  if (!parsed.ok) return importResult([], diagnostics);
  const value = document?.value;
  const rootKey = isRecord(value)
    ? isRecord(value.planned_values)
      ? "planned_values"
      : isRecord(value.values)
        ? "values"
        : undefined
    : undefined;
  if (document === undefined || !isRecord(value) || rootKey === undefined) {
    diagnostics.push({
      code: "import-source-invalid",
      severity: "error",
      file: show.path,
      line: document?.line ?? 1,
      column: document?.column ?? 1,
      path: "",
      message: "not the output of terraform show -json: it has neither values nor planned_values",
      hint: "run terraform show -json > state.json (or terraform show -json plan.out > plan.json)",
    });
    return importResult([], diagnostics);
  }
  const source = new LocatedSource(document);
  const unknownAfterApply = new Map<string, unknown>();
  if (rootKey === "planned_values" && Array.isArray(value.resource_changes)) {
    for (const change of value.resource_changes) {
      if (isRecord(change) && typeof change.address === "string" && isRecord(change.change))
        unknownAfterApply.set(change.address, change.change.after_unknown);
    }
  }
  const configurations = [];
  const found = resourcesOf((value[rootKey] as Record<string, unknown>).root_module, [
    rootKey,
    "root_module",
  ]);
  for (const { resource, at } of found) {
    const address =
      typeof resource.address === "string"
        ? resource.address
        : `${terraformResourceType}.${String(resource.name)}`;
    const values = isRecord(resource.values) ? resource.values : {};
    const valuesAt = [...at, "values"];
    const pending = unknownPaths(unknownAfterApply.get(address)).filter(
      (path) => !terraformOwnAttributes.has(String(path[0])),
    );
    if (pending.length > 0) {
      for (const path of pending)
        source.report(
          "unresolved-reference",
          at,
          `${address}: ${path.join(".")} is known only after terraform apply`,
          { hint: "apply the plan first, then import from terraform show -json (the state)" },
        );
      continue;
    }
    const map = new SourceMap(show.path);
    const before = source.diagnostics.length;
    const document: Record<string, unknown> = {};
    const at0 = source.locate(valuesAt);
    map.set([], at0);
    const put = (key: string, segments: PropertyKey[], from: PropertyKey[]) => {
      if (!isSet(values[segments[0] as string])) return;
      document[key] = values[segments[0] as string];
      map.set([key], source.locate([...valuesAt, ...from]));
    };
    put("name", ["name"], ["name"]);
    const region = homeRegion(values) ?? options.region;
    if (region !== undefined) {
      document.region = region;
      map.set(["region"], source.locate([...valuesAt, isSet(values.region) ? "region" : "arn"]));
    }
    put("description", ["description"], ["description"]);
    const distributions = Array.isArray(values.distribution) ? values.distribution : [];
    document.distributions = distributions.map((distribution, index) =>
      convertBlock(
        distribution,
        terraformDistributionFields,
        [...valuesAt, "distribution", index],
        ["distributions", index],
        source,
        map,
      ),
    );
    const tagsKey =
      isRecord(values.tags_all) && Object.keys(values.tags_all).length > 0 ? "tags_all" : "tags";
    if (isRecord(values[tagsKey]) && Object.keys(values[tagsKey]).length > 0) {
      document.tags = values[tagsKey];
      map.set(["tags"], source.locate([...valuesAt, tagsKey]));
    }
    for (const [key, member] of Object.entries(values)) {
      if (
        key === "name" ||
        key === "description" ||
        key === "distribution" ||
        terraformOwnAttributes.has(key)
      )
        continue;
      if (isSet(member))
        source.report(
          "unknown-key",
          [...valuesAt, key],
          `${address}: attribute ${key} is not one the importer knows`,
          {
            hint: "a newer provider may have added it; write its API equivalent in the file by hand",
            prefer: "key",
          },
        );
    }
    if (source.diagnostics.length > before) continue;
    const resourceAt = source.locate(at);
    const imported = importedConfiguration({
      document: document as unknown as DistributionConfigurationDocument,
      origin: `Imported from Terraform: ${show.path}, ${address}`,
      source: { ...resourceAt, file: show.path, id: address },
      map,
      validate: {
        ...(region === undefined ? {} : { defaultRegion: region }),
        ...(options.policy === undefined ? {} : { policy: options.policy }),
      },
    });
    configurations.push(imported.configuration);
    diagnostics.push(...imported.diagnostics);
  }
  if (found.length === 0) {
    source.report(
      "no-configurations",
      [rootKey],
      `no ${terraformResourceType} in this ${rootKey === "values" ? "state" : "plan"}`,
      {
        severity: "warning",
      },
    );
  }
  diagnostics.push(...source.diagnostics);
  return importResult(configurations, diagnostics);
}

function resourcesOf(
  module: unknown,
  at: PropertyKey[],
): { resource: Record<string, unknown>; at: PropertyKey[] }[] {
  if (!isRecord(module)) return [];
  const out: { resource: Record<string, unknown>; at: PropertyKey[] }[] = [];
  (Array.isArray(module.resources) ? module.resources : []).forEach((resource, index) => {
    if (
      isRecord(resource) &&
      resource.type === terraformResourceType &&
      (resource.mode ?? "managed") === "managed"
    )
      out.push({ resource, at: [...at, "resources", index] });
  });
  (Array.isArray(module.child_modules) ? module.child_modules : []).forEach((child, index) => {
    out.push(...resourcesOf(child, [...at, "child_modules", index]));
  });
  return out;
}

function homeRegion(values: Record<string, unknown>): string | undefined {
  if (typeof values.region === "string" && values.region !== "") return values.region;
  if (typeof values.arn === "string") {
    const parsed = parseDistributionConfigurationArn(values.arn);
    if (parsed.ok) return parsed.arn.region;
  }
  return undefined;
}

/** Whether the provider stored a value (it stores `""`, `0`, `[]` and `{}` for unset ones). */
function isSet(value: unknown): boolean {
  if (value === null || value === undefined || value === "" || value === 0) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) return Object.keys(value).length > 0;
  return true;
}

function convertBlock(
  block: unknown,
  fields: TerraformFields,
  from: PropertyKey[],
  to: PropertyKey[],
  source: LocatedSource,
  map: SourceMap,
): Record<string, unknown> {
  map.set(to, source.locate(from));
  const out: Record<string, unknown> = {};
  if (!isRecord(block)) {
    source.report("invalid-type", from, "expected a block (an object)");
    return out;
  }
  for (const [key, member] of Object.entries(block)) {
    if (!Object.hasOwn(fields, key) && isSet(member))
      source.report("unknown-key", [...from, key], `attribute ${key} is not one the importer knows`, {
        hint: "a newer provider may have added it; write its API equivalent in the file by hand",
        prefer: "key",
      });
  }
  // In the API's order (the order of the table), not the provider's alphabetical one.
  for (const [key, field] of Object.entries(fields)) {
    const member = block[key];
    // A bool is always meaningful (enabled: false, default: false).
    if (typeof member !== "boolean" && !isSet(member)) continue;
    const memberFrom = [...from, key];
    const memberTo = [...to, field.api];
    map.set(memberTo, source.locate(memberFrom));
    switch (field.kind) {
      case "scalar":
      case "map":
        out[field.api] = member;
        break;
      case "list":
        out[field.api] = member;
        for (const index of (member as unknown[]).keys())
          map.set([...memberTo, index], source.locate([...memberFrom, index]));
        break;
      case "block":
        if (Array.isArray(member) && member.length > 1)
          source.report("invalid-type", memberFrom, `${key} holds at most one block`);
        out[field.api] = convertBlock(
          Array.isArray(member) ? member[0] : member,
          field.fields ?? {},
          Array.isArray(member) ? [...memberFrom, 0] : memberFrom,
          memberTo,
          source,
          map,
        );
        break;
      case "blocks":
        out[field.api] = (member as unknown[]).map((item, index) =>
          convertBlock(item, field.fields ?? {}, [...memberFrom, index], [...memberTo, index], source, map),
        );
        break;
    }
  }
  return out;
}

/** Paths marked `true` (unknown until apply) in a plan's `after_unknown`. */
function unknownPaths(afterUnknown: unknown, prefix: PropertyKey[] = []): PropertyKey[][] {
  if (afterUnknown === true) return [prefix];
  if (Array.isArray(afterUnknown))
    return afterUnknown.flatMap((item, index) => unknownPaths(item, [...prefix, index]));
  if (isRecord(afterUnknown))
    return Object.entries(afterUnknown).flatMap(([key, item]) => unknownPaths(item, [...prefix, key]));
  return [];
}
