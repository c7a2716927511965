/**
 * Validation of config files, in layers: syntax (parse.ts), schema (the API model), identity
 * (name or ARN, home region), service rules the API only enforces at apply time, and policy.
 */
import type { z } from "zod";
import { arnResourceName, parseDistributionConfigurationArn } from "./arn.js";
import {
  compareDiagnostics,
  type Diagnostic,
  type DiagnosticCode,
  formatJsonPath,
  hasErrors,
  type Severity,
} from "./diagnostics.js";
import {
  type ConfigFile,
  type ParsedDocument,
  type ParseLimits,
  parseConfigFile,
  type SourcePosition,
} from "./parse.js";
import { apiMemberName } from "./pascal-case.js";
import { defaultPolicy, type Policy } from "./policy.js";
import {
  apiPatterns,
  type ConfigFileDocument,
  configFileDocumentSchema,
  type Distribution,
  type DistributionConfigurationDocument,
} from "./schema.js";
import { suggestKey } from "./suggest.js";
import {
  amiNameRules,
  checkAmiName,
  parseNameTemplate,
  renderLongestAmiName,
  usesVariable,
} from "./templates.js";

/** A document that passed validation, with where it came from and its resolved home region. */
export interface ValidatedDocument {
  document: DistributionConfigurationDocument;
  /** `update` when the file names the configuration by `distributionConfigurationArn`: it can
   * update that configuration but not create it. */
  kind: "create" | "update";
  /** The ARN the file gave (update requests only). */
  distributionConfigurationArn?: string;
  file: string;
  index: number;
  line: number;
  column: number;
  /** The home region: the document's, else the ARN's, else the default. */
  region: string;
}

export interface ValidateOptions {
  /** Home region for documents that name none (and give no ARN). */
  defaultRegion?: string;
  /** Guardrails; `defaultPolicy` when absent. */
  policy?: Policy;
  limits?: Partial<ParseLimits>;
}

export type ValidationResult =
  | { ok: true; documents: ValidatedDocument[]; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * Validates config files. The result is `ok` when no diagnostic is an error; warnings come with
 * the documents either way. Bad input never throws. Names that map to the same ARN are checked
 * across all the files given.
 */
export function validateConfigFiles(
  files: readonly ConfigFile[],
  options: ValidateOptions = {},
): ValidationResult {
  const diagnostics: Diagnostic[] = [];
  const documents: { validated: ValidatedDocument; source: ParsedDocument }[] = [];
  for (const file of files) {
    const parsed = parseConfigFile(file, options.limits);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.ok) continue;
    for (const source of parsed.documents) {
      const result = validateDocument(source, options);
      diagnostics.push(...result.diagnostics);
      if (result.validated !== undefined) documents.push({ validated: result.validated, source });
    }
  }
  diagnostics.push(...arnCollisions(documents));
  diagnostics.sort(compareDiagnostics);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  return { ok: true, documents: documents.map((d) => d.validated), diagnostics };
}

/** Locates diagnostics in one parsed document. */
class Locator {
  constructor(readonly source: ParsedDocument) {}

  position(segments: readonly PropertyKey[], prefer: "key" | "value" = "value"): SourcePosition {
    for (let n = segments.length; n >= 0; n--) {
      const path = formatJsonPath(segments.slice(0, n));
      const found =
        prefer === "key" && n === segments.length
          ? (this.source.keyPositions.get(path) ?? this.source.valuePositions.get(path))
          : this.source.valuePositions.get(path);
      if (found !== undefined) return found;
    }
    return { line: this.source.line, column: this.source.column };
  }

  diagnostic(
    code: DiagnosticCode,
    segments: readonly PropertyKey[],
    message: string,
    extra: { hint?: string; severity?: Severity; prefer?: "key" | "value" } = {},
  ): Diagnostic {
    const { line, column } = this.position(segments, extra.prefer);
    return {
      code,
      severity: extra.severity ?? "error",
      file: this.source.file,
      line,
      column,
      path: formatJsonPath(segments),
      message,
      ...(extra.hint === undefined ? {} : { hint: extra.hint }),
    };
  }
}

function validateDocument(
  source: ParsedDocument,
  options: ValidateOptions,
): { validated?: ValidatedDocument; diagnostics: Diagnostic[] } {
  const at = new Locator(source);
  const parsed = configFileDocumentSchema.safeParse(source.value);
  if (!parsed.success) {
    return { diagnostics: parsed.error.issues.flatMap((issue) => schemaDiagnostics(issue, [], at)) };
  }
  const identity = resolveIdentity(parsed.data, at, options);
  if (identity.validated === undefined) return { diagnostics: identity.diagnostics };
  const diagnostics = [
    ...identity.diagnostics,
    ...serviceRuleDiagnostics(identity.validated.document, at),
    ...policyDiagnostics(identity.validated.document, options.policy ?? defaultPolicy, at),
  ];
  return { validated: identity.validated, diagnostics };
}

function resolveIdentity(
  input: ConfigFileDocument,
  at: Locator,
  options: ValidateOptions,
): { validated?: ValidatedDocument; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { $schema: _schema, clientToken: _clientToken, distributionConfigurationArn: arn, ...rest } = input;
  let name = rest.name;
  let arnRegion: string | undefined;
  if (arn !== undefined) {
    const parsedArn = parseDistributionConfigurationArn(arn);
    // The schema already checked the pattern, so the ARN parses.
    if (parsedArn.ok) {
      arnRegion = parsedArn.arn.region;
      if (name !== undefined && arnResourceName(name) !== parsedArn.arn.resourceName) {
        diagnostics.push(
          at.diagnostic(
            "arn-name-mismatch",
            ["name"],
            `name '${name}' maps to ARN resource '${arnResourceName(name)}', but the ARN names '${parsedArn.arn.resourceName}'`,
            { hint: "a configuration cannot be renamed; remove one of the two" },
          ),
        );
      }
      if (rest.region !== undefined && rest.region !== arnRegion) {
        diagnostics.push(
          at.diagnostic(
            "arn-region-mismatch",
            ["region"],
            `region '${rest.region}' differs from the ARN's region '${arnRegion}'`,
          ),
        );
      }
      name ??= parsedArn.arn.resourceName;
    }
  }
  if (name === undefined) {
    diagnostics.push(
      at.diagnostic(
        "name-or-arn-required",
        [],
        "a configuration needs a 'name' (or a 'distributionConfigurationArn')",
        {
          hint: "add name: <configuration name>",
        },
      ),
    );
    return { diagnostics };
  }
  const region = rest.region ?? arnRegion ?? options.defaultRegion;
  if (region === undefined) {
    diagnostics.push(
      at.diagnostic("region-unresolved", [], `no home region for configuration '${name}'`, {
        hint: "add region: <home region>, or give a default region to the run",
      }),
    );
  }
  if (hasErrors(diagnostics) || region === undefined) return { diagnostics };
  const document: DistributionConfigurationDocument = { ...rest, name };
  return {
    diagnostics,
    validated: {
      document,
      kind: arn === undefined ? "create" : "update",
      ...(arn === undefined ? {} : { distributionConfigurationArn: arn }),
      file: at.source.file,
      index: at.source.index,
      line: at.source.line,
      column: at.source.column,
      region,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Schema issues → diagnostics

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

function valueAt(value: unknown, segments: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let current: unknown = value;
  for (const segment of segments) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment)) {
      return { found: false, value: undefined };
    }
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return { found: true, value: current };
}

/** The object schema at a path of the config file schema, to name it and list its keys. */
function schemaAt(segments: readonly PropertyKey[]): AnySchema | undefined {
  let schema: AnySchema | undefined = configFileDocumentSchema;
  for (const segment of segments) {
    schema = unwrap(schema);
    if (schema === undefined) return undefined;
    const def = schema._zod.def as {
      type: string;
      shape?: Record<string, AnySchema>;
      element?: AnySchema;
      valueType?: AnySchema;
    };
    if (def.type === "object" && typeof segment === "string") schema = def.shape?.[segment];
    else if (def.type === "array") schema = def.element;
    else if (def.type === "record") schema = def.valueType;
    else return undefined;
  }
  return unwrap(schema);
}

function unwrap(schema: AnySchema | undefined): AnySchema | undefined {
  let current = schema;
  while (current !== undefined && current._zod.def.type === "optional") {
    current = (current._zod.def as unknown as { innerType: AnySchema }).innerType;
  }
  return current;
}

function shapeName(segments: readonly PropertyKey[]): string {
  const schema = schemaAt(segments);
  const title = schema === undefined ? undefined : (schema as z.ZodType).meta?.()?.title;
  return typeof title === "string"
    ? title
    : segments.length === 0
      ? "the document"
      : formatJsonPath(segments);
}

function objectKeys(segments: readonly PropertyKey[]): string[] {
  const schema = schemaAt(segments);
  const def = schema?._zod.def as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === "object" && def.shape !== undefined ? Object.keys(def.shape) : [];
}

/** Longest quoted value: diagnostics may be public (annotations), and a value may be anything. */
const maxQuotedValue = 60;

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  const quoted = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${quoted.length > maxQuotedValue ? `${quoted.slice(0, maxQuotedValue - 1)}…` : quoted}`;
}

function quoted(segments: readonly PropertyKey[]): string {
  // From the last key on: 'name', 'targetAccountIds[0]'.
  let from = segments.length - 1;
  while (from > 0 && typeof segments[from] === "number") from--;
  return segments.length === 0 ? "the document" : `'${formatJsonPath(segments.slice(from))}'`;
}

function schemaDiagnostics(issue: Issue, prefix: readonly PropertyKey[], at: Locator): Diagnostic[] {
  const segments = [...prefix, ...issue.path];
  const name = quoted(segments);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const known = objectKeys(segments);
        // CloudFormation's and Cloud Control's PascalCase names first (LaunchPermissionConfiguration).
        const member = apiMemberName(key);
        const suggestion = member !== key && known.includes(member) ? member : suggestKey(key, known);
        return at.diagnostic(
          "unknown-key",
          [...segments, key],
          `unknown key '${key}' in ${shapeName(segments)}`,
          {
            prefer: "key",
            hint:
              suggestion === undefined ? `known keys: ${known.join(", ")}` : `did you mean '${suggestion}'?`,
          },
        );
      });
    case "invalid_value":
    case "invalid_type": {
      const actual = valueAt(at.source.value, segments);
      if (!actual.found) {
        const expected = issue.code === "invalid_type" ? issue.expected : issue.values.join(" | ");
        const parent = segments.slice(0, -1);
        return [
          at.diagnostic("missing-key", parent, `${shapeName(parent)} needs ${name}`, {
            hint: `add ${String(segments.at(-1))}: <${expected}>`,
          }),
        ];
      }
      if (issue.code === "invalid_value") {
        const values = issue.values.map((v) => JSON.stringify(v)).join(", ");
        return [at.diagnostic("invalid-enum", segments, `${name} must be one of ${values}`)];
      }
      if (issue.expected === "int") {
        return [
          at.diagnostic("not-integer", segments, `${name} must be a whole number, not ${actual.value}`),
        ];
      }
      const plain = at.source.plainScalars.get(formatJsonPath(segments));
      const hint = issue.expected === "string" && plain !== undefined ? `quote it: "${plain}"` : undefined;
      return [
        at.diagnostic(
          "invalid-type",
          segments,
          `${name} must be ${article(issue.expected)}, not ${describeValue(actual.value)}`,
          hint === undefined ? {} : { hint },
        ),
      ];
    }
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const limit = small
        ? (issue as { minimum: number | bigint }).minimum
        : (issue as { maximum: number | bigint }).maximum;
      const origin = issue.origin;
      if (origin === "string") {
        return [
          at.diagnostic(
            small ? "too-short" : "too-long",
            segments,
            `${name} must be ${small ? "at least" : "at most"} ${limit} characters`,
          ),
        ];
      }
      if (origin === "array" || origin === "set") {
        return [
          at.diagnostic(
            small ? "too-few" : "too-many",
            segments,
            `${name} must have ${small ? "at least" : "at most"} ${limit} ${Number(limit) === 1 ? "item" : "items"}`,
            small && Number(limit) === 1 ? { hint: "remove the key instead of leaving it empty" } : {},
          ),
        ];
      }
      return [
        at.diagnostic(
          small ? "too-small" : "too-large",
          segments,
          `${name} must be ${small ? "at least" : "at most"} ${limit}`,
        ),
      ];
    }
    case "invalid_format": {
      const pattern = ((issue as { pattern?: string }).pattern ?? "").replace(/^\/|\/[a-z]*$/g, "");
      const actual = valueAt(at.source.value, segments);
      return [
        at.diagnostic(
          "pattern-mismatch",
          segments,
          `${name} must match pattern ${pattern}${actual.found ? `, got ${JSON.stringify(actual.value)}` : ""}`,
          patternHint(pattern),
        ),
      ];
    }
    case "invalid_key":
      return issue.issues.flatMap((inner) => {
        const key = segments.at(-1);
        return schemaDiagnostics(inner, segments, at).map((d) => ({
          ...d,
          ...at.position(segments, "key"),
          message: d.message.replace(/^'[^']*'|^the document/, `key '${String(key)}'`),
        }));
      });
    case "custom": {
      const params = (issue.params ?? {}) as { code?: string };
      const code: DiagnosticCode =
        params.code === "too-few" || params.code === "too-many" ? params.code : "invalid-value";
      return [at.diagnostic(code, segments, `${name} ${issue.message}`)];
    }
    default:
      return [at.diagnostic("invalid-value", segments, `${name}: ${issue.message}`)];
  }
}

function article(expected: string): string {
  const words: Record<string, string> = {
    string: "a string",
    number: "a number",
    boolean: "true or false",
    object: "a map",
    array: "a list",
    record: "a map",
  };
  return words[expected] ?? expected;
}

function patternHint(source: string): { hint?: string } {
  const hints: [RegExp, string][] = [
    [apiPatterns.AccountId, "an account ID is 12 digits, quoted in YAML"],
    [apiPatterns.ResourceName, "3–128 letters, digits, '-', '_' and inner spaces"],
    [
      apiPatterns.AmiNameString,
      "letters, digits, '-', '_', spaces, ':', '.', and {{imagebuilder:...}} variables; it must not start or end with a space",
    ],
    [
      apiPatterns.DistributionConfigurationArn,
      "arn:aws:imagebuilder:<region>:<account>:distribution-configuration/<lowercase name, spaces as hyphens>",
    ],
    [apiPatterns.LaunchTemplateId, "a launch template ID is lt- followed by 17 characters"],
    [apiPatterns.TagKey, "tag keys must not start with 'aws:'"],
  ];
  const found = hints.find(([regex]) => regex.source === source);
  return found === undefined ? {} : { hint: found[1] };
}

// ---------------------------------------------------------------------------------------------
// Service rules

const outputKeys = [
  "amiDistributionConfiguration",
  "containerDistributionConfiguration",
  "licenseConfigurationArns",
  "launchTemplateConfigurations",
  "s3ExportConfiguration",
  "fastLaunchConfigurations",
  "ssmParameterConfigurations",
] as const satisfies readonly (keyof Distribution)[];

function serviceRuleDiagnostics(document: DistributionConfigurationDocument, at: Locator): Diagnostic[] {
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
      const template = fastLaunch.launchTemplate;
      if (template === undefined) return;
      const hasId = template.launchTemplateId !== undefined;
      const hasName = template.launchTemplateName !== undefined;
      if (hasId === hasName) {
        out.push(
          at.diagnostic(
            "fast-launch-template-id-and-name",
            [...base, "fastLaunchConfigurations", j, "launchTemplate"],
            hasId
              ? "a fast-launch launchTemplate names either launchTemplateId or launchTemplateName, not both"
              : "a fast-launch launchTemplate needs launchTemplateId or launchTemplateName",
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

function arnCollisions(
  documents: readonly { validated: ValidatedDocument; source: ParsedDocument }[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, ValidatedDocument>();
  for (const { validated, source } of documents) {
    const key = `${validated.region}\u0000${arnResourceName(validated.document.name)}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, validated);
      continue;
    }
    const at = new Locator(source);
    out.push(
      at.diagnostic(
        "arn-collision",
        validated.kind === "update" ? ["distributionConfigurationArn"] : ["name"],
        `configuration '${validated.document.name}' in ${validated.region} has the same ARN as '${first.document.name}' (${first.file}:${first.line}:${first.column})`,
        { hint: "ARNs use the name lowercased with spaces as hyphens; rename one of them" },
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Policy

function policyDiagnostics(
  document: DistributionConfigurationDocument,
  policy: Policy,
  at: Locator,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const accounts = policy.allowedAccounts === undefined ? undefined : new Set(policy.allowedAccounts);
  const organizations =
    policy.allowedOrganizationArns === undefined ? undefined : new Set(policy.allowedOrganizationArns);
  const organizationIds = new Set([...(organizations ?? [])].map((arn) => arn.split("/").at(-1)));
  const units =
    policy.allowedOrganizationalUnitArns === undefined
      ? undefined
      : new Set(policy.allowedOrganizationalUnitArns);
  const checkAccount = (account: string | undefined, segments: readonly PropertyKey[]) => {
    if (account === undefined || accounts === undefined || accounts.has(account)) return;
    out.push(
      at.diagnostic(
        "account-not-allowed",
        segments,
        `account ${account} is not in the policy's allowedAccounts`,
        {
          hint: "add it to allowedAccounts in waybill.config.yaml, or remove it here",
        },
      ),
    );
  };
  document.distributions.forEach((distribution, i) => {
    const base = ["distributions", i] as const;
    const ami = distribution.amiDistributionConfiguration;
    const amiPath = [...base, "amiDistributionConfiguration"] as const;
    const permission = ami?.launchPermission;
    const permissionPath = [...amiPath, "launchPermission"] as const;
    permission?.userGroups?.forEach((group, j) => {
      if (group.toLowerCase() === "all" && policy.allowPublicLaunchPermission !== true) {
        out.push(
          at.diagnostic(
            "public-launch-permission",
            [...permissionPath, "userGroups", j],
            `userGroups: [${group}] makes the AMI in ${distribution.region} public`,
            { hint: "set allowPublicLaunchPermission: true in the policy if this is intended" },
          ),
        );
      }
    });
    const accountUses: [string | undefined, readonly PropertyKey[]][] = [
      ...(ami?.targetAccountIds ?? []).map((account, j): [string, PropertyKey[]] => [
        account,
        [...amiPath, "targetAccountIds", j],
      ]),
      ...(permission?.userIds ?? []).map((account, j): [string, PropertyKey[]] => [
        account,
        [...permissionPath, "userIds", j],
      ]),
      ...(distribution.launchTemplateConfigurations ?? []).map(
        (c, j): [string | undefined, PropertyKey[]] => [
          c.accountId,
          [...base, "launchTemplateConfigurations", j, "accountId"],
        ],
      ),
      ...(distribution.fastLaunchConfigurations ?? []).map((c, j): [string | undefined, PropertyKey[]] => [
        c.accountId,
        [...base, "fastLaunchConfigurations", j, "accountId"],
      ]),
      ...(distribution.ssmParameterConfigurations ?? []).map((c, j): [string | undefined, PropertyKey[]] => [
        c.amiAccountId,
        [...base, "ssmParameterConfigurations", j, "amiAccountId"],
      ]),
    ];
    for (const [account, segments] of accountUses) checkAccount(account, segments);
    if (organizations !== undefined) {
      permission?.organizationArns?.forEach((arn, j) => {
        if (organizations.has(arn)) return;
        out.push(
          at.diagnostic(
            "organization-not-allowed",
            [...permissionPath, "organizationArns", j],
            `organization ${arn} is not in the policy's allowedOrganizationArns`,
          ),
        );
      });
    }
    if (units !== undefined || organizations !== undefined) {
      permission?.organizationalUnitArns?.forEach((arn, j) => {
        // An OU inside an allowed organization is allowed.
        const organizationId = arn.split("/")[1];
        if (units?.has(arn) || organizationIds.has(organizationId)) return;
        out.push(
          at.diagnostic(
            "organizational-unit-not-allowed",
            [...permissionPath, "organizationalUnitArns", j],
            `organizational unit ${arn} is not in the policy's allowedOrganizationalUnitArns or an allowed organization`,
          ),
        );
      });
    }
  });
  return out;
}
