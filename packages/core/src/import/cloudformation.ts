/**
 * CloudFormation templates (YAML with the short `!Ref`/`!Sub`/... tags, or JSON) → Waybill
 * documents: every `AWS::ImageBuilder::DistributionConfiguration` becomes one, with `Ref`,
 * `Fn::Sub`, `Fn::GetAtt`, `Fn::If`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap` and
 * conditions resolved from a parameters file, the deployed stack (its parameters, outputs and
 * resources) and the template's defaults. What cannot be resolved is an error at its template line
 * saying what to give; nothing is ever filled in with a placeholder.
 */
import { type Diagnostic, formatJsonPath, hasErrors } from "../diagnostics.js";
import { type KeptTags, type ParsedDocument, parseConfigFile } from "../parse.js";
import type { Policy } from "../policy.js";
import type { DistributionConfigurationDocument } from "../schema.js";
import {
  type ImportResult,
  type ImportSource,
  importedConfiguration,
  importResult,
  type SourceLocation,
} from "./imported.js";
import { LocatedSource } from "./located-source.js";
import { documentFromPascalCase, isRecord } from "./pascal-case-document.js";

export const cloudFormationResourceType = "AWS::ImageBuilder::DistributionConfiguration";

/** CloudFormation's short-form tags and the functions they stand for. */
export const cloudFormationTags: KeptTags = Object.fromEntries(
  [
    ["!Ref", "Ref"],
    ["!Condition", "Condition"],
    ...[
      "Base64",
      "Cidr",
      "FindInMap",
      "GetAtt",
      "GetAZs",
      "ImportValue",
      "Join",
      "Select",
      "Split",
      "Sub",
      "Transform",
      "And",
      "Equals",
      "If",
      "Not",
      "Or",
      "Length",
      "ToJsonString",
    ].map((name) => [`!${name}`, `Fn::${name}`]),
  ].map(([tag, name]) => [tag as string, name as string]),
);

export interface CloudFormationImportOptions {
  /**
   * A parameters file, JSON or YAML: the AWS CLI's `[{"ParameterKey": ..., "ParameterValue": ...}]`,
   * a CodePipeline template configuration `{"Parameters": {...}}`, or a plain `{name: value}` map.
   */
  parameters?: ImportSource;
  /**
   * The deployed stack: `aws cloudformation describe-stacks` output (its parameters, outputs,
   * name, region and account) and/or `describe-stack-resources` output (physical ids), in one
   * JSON or YAML file.
   */
  stack?: ImportSource;
  /** The stack's region (`AWS::Region`, and the documents' home region) when the stack file gives none. */
  region?: string;
  /** `AWS::AccountId` when the stack file gives none. */
  accountId?: string;
  /** `AWS::StackName` when the stack file gives none. */
  stackName?: string;
  /** Policy for validating the imported documents (the repository's). */
  policy?: Policy;
}

/** What the deployed stack and the parameters file say. */
interface StackFacts {
  parameters: Map<string, string>;
  /** Parameters whose value came from the deployed stack (a NoEcho one reads `****` there). */
  deployedParameters: Set<string>;
  outputs: Map<string, string>;
  resources: Map<string, string>;
  stackName?: string;
  stackId?: string;
  region?: string;
  accountId?: string;
}

const noValue = Symbol("AWS::NoValue");
type Resolved = { ok: true; value: unknown } | { ok: false };
const unresolved: Resolved = { ok: false };

/**
 * Imports every `AWS::ImageBuilder::DistributionConfiguration` of a template. Pure: the caller
 * reads the template, the parameters file and the stack description.
 */
export function importCloudFormation(
  template: ImportSource,
  options: CloudFormationImportOptions = {},
): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const parsed = parseConfigFile(template, {}, cloudFormationTags);
  diagnostics.push(...parsed.diagnostics.filter((d) => d.code !== "empty-file"));
  if (!parsed.ok) return importResult([], diagnostics);
  const document = parsed.documents[0];
  if (document === undefined || !isRecord(document.value) || !isRecord(document.value.Resources)) {
    const at = document ?? { line: 1, column: 1 };
    diagnostics.push({
      code: "import-source-invalid",
      severity: "error",
      file: template.path,
      line: at.line,
      column: at.column,
      path: "",
      message: "not a CloudFormation template: it has no Resources map",
    });
    return importResult([], diagnostics);
  }
  const source = new LocatedSource(document);
  const facts: StackFacts = {
    parameters: new Map(),
    deployedParameters: new Set(),
    outputs: new Map(),
    resources: new Map(),
  };
  if (options.stack !== undefined) readStackFile(options.stack, facts, diagnostics);
  const fromParametersFile =
    options.parameters === undefined
      ? new Map<string, string>()
      : readParametersFile(options.parameters, diagnostics);
  for (const [key, value] of fromParametersFile) {
    facts.parameters.set(key, value);
    facts.deployedParameters.delete(key);
  }
  facts.region ??= options.region;
  facts.accountId ??= options.accountId;
  facts.stackName ??= options.stackName;

  const templateValue = document.value as Record<string, unknown>;
  const resolver = new Resolver(templateValue, facts, source);
  const configurations = [];
  const resources = templateValue.Resources as Record<string, unknown>;
  let found = 0;
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || resource.Type !== cloudFormationResourceType) continue;
    found++;
    const at = ["Resources", logicalId];
    if (typeof resource.Condition === "string") {
      const condition = resolver.condition(resource.Condition, [...at, "Condition"]);
      if (condition === undefined) continue;
      if (!condition) {
        source.report(
          "resource-skipped",
          [...at, "Condition"],
          `${logicalId} is not created: its condition ${resource.Condition} is false with these parameters`,
          { severity: "warning" },
        );
        continue;
      }
    }
    const misplaced = misplacedAttributes(resource, at, source);
    if (resource.DeletionPolicy !== "Retain") {
      source.report(
        "deletion-not-retained",
        at,
        `CloudFormation deletes ${logicalId} when it leaves the stack (DeletionPolicy is ${typeof resource.DeletionPolicy === "string" ? resource.DeletionPolicy : "Delete, the default"})`,
        {
          severity: "warning",
          prefer: "key",
          hint: "set DeletionPolicy: Retain and UpdateReplacePolicy: Retain and update the stack before removing the resource from it (docs/migrate.md)",
        },
      );
    }
    const before = source.diagnostics.filter((d) => d.severity === "error").length;
    const properties = resolver.resolve(resource.Properties ?? {}, [...at, "Properties"]);
    if (!properties.ok || source.diagnostics.filter((d) => d.severity === "error").length > before) continue;
    if (!isRecord(properties.value)) {
      source.report("invalid-type", [...at, "Properties"], `${logicalId}'s Properties must be a map`);
      continue;
    }
    const propertiesPath = [...at, "Properties"];
    const converted = documentFromPascalCase(properties.value, template.path, (segments, prefer) =>
      resolver.origin(propertiesPath, segments, prefer),
    );
    diagnostics.push(...converted.diagnostics);
    if (hasErrors(converted.diagnostics)) continue;
    const resourceAt = source.locate(at, "key");
    const imported = importedConfiguration({
      document: withRegion(converted.value, facts.region),
      origin: `Imported from CloudFormation: ${template.path}, resource ${logicalId} (line ${resourceAt.line})`,
      source: { ...resourceAt, file: template.path, id: logicalId },
      map: converted.map,
      validate: {
        ...(facts.region === undefined ? {} : { defaultRegion: facts.region }),
        ...(options.policy === undefined ? {} : { policy: options.policy }),
      },
    });
    // A template CloudFormation refuses was never deployed as written: report, but write nothing.
    if (misplaced === 0) configurations.push(imported.configuration);
    diagnostics.push(...imported.diagnostics);
  }
  if (found === 0) {
    source.report("no-configurations", ["Resources"], `the template has no ${cloudFormationResourceType}`, {
      severity: "warning",
      prefer: "key",
    });
  }
  diagnostics.push(...source.diagnostics);
  return importResult(configurations, diagnostics);
}

/** The attributes a resource may have beside Type and Properties (CloudFormation refuses others). */
const resourceAttributes = new Set([
  "Type",
  "Properties",
  "Condition",
  "DependsOn",
  "DeletionPolicy",
  "UpdateReplacePolicy",
  "Metadata",
  "CreationPolicy",
  "UpdatePolicy",
]);

/** Reports keys beside Properties that CloudFormation refuses (the docs' examples put Tags there). */
function misplacedAttributes(
  resource: Record<string, unknown>,
  at: PropertyKey[],
  source: LocatedSource,
): number {
  let count = 0;
  for (const key of Object.keys(resource)) {
    if (resourceAttributes.has(key)) continue;
    count++;
    const property = ["Name", "Description", "Distributions", "Tags"].includes(key);
    source.report(
      "unknown-key",
      [...at, key],
      `${key} is not a resource attribute: CloudFormation refuses this template ("Invalid template resource property '${key}'")`,
      {
        prefer: "key",
        hint: property
          ? `move ${key} into Properties`
          : `resource attributes are ${[...resourceAttributes].join(", ")}`,
      },
    );
  }
  return count;
}

/** The document with the home region first after the name, as Waybill's own import writes it. */
export function withRegion(
  value: Record<string, unknown>,
  region: string | undefined,
): DistributionConfigurationDocument {
  const { name, ...rest } = value;
  return {
    name,
    ...(region === undefined ? {} : { region }),
    ...rest,
  } as DistributionConfigurationDocument;
}

// ---------------------------------------------------------------------------------------------
// Intrinsic functions

class Resolver {
  readonly #conditions = new Map<string, boolean | undefined>();
  readonly #evaluating = new Set<string>();
  /** Resolved path (below a resource's Properties) → the template path it came from. */
  readonly #origins = new Map<string, PropertyKey[]>();

  constructor(
    readonly template: Record<string, unknown>,
    readonly facts: StackFacts,
    readonly source: LocatedSource,
  ) {}

  /** Where a resolved value (by its path below `base`) was written in the template. */
  origin(
    base: readonly PropertyKey[],
    segments: readonly PropertyKey[],
    prefer?: "key" | "value",
  ): SourceLocation {
    for (let n = segments.length; n >= 0; n--) {
      const from = this.#origins.get(formatJsonPath([...base, ...segments.slice(0, n)]));
      if (from !== undefined) {
        // A key below a value that came out of a function is written at the function.
        const exact = n === segments.length;
        const path = exact ? from : [...from, ...segments.slice(n)];
        return {
          ...this.source.locate(exact ? from : from, exact ? prefer : "value"),
          path: formatJsonPath(path),
        };
      }
    }
    return this.source.locate(base);
  }

  /** Resolves every intrinsic in `value`, written at template path `at`. */
  resolve(value: unknown, at: PropertyKey[], out: PropertyKey[] = at): Resolved {
    this.#origins.set(formatJsonPath(out), at);
    const call = intrinsic(value);
    if (call !== undefined) {
      return this.#call(call.name, call.argument, [...at, call.name], value, out);
    }
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      let ok = true;
      value.forEach((item, index) => {
        const resolved = this.resolve(item, [...at, index], [...out, items.length]);
        if (!resolved.ok) ok = false;
        else if (resolved.value !== noValue) items.push(resolved.value);
      });
      return ok ? { ok: true, value: items } : unresolved;
    }
    if (isRecord(value)) {
      const object: Record<string, unknown> = {};
      let ok = true;
      for (const [key, member] of Object.entries(value)) {
        const resolved = this.resolve(member, [...at, key], [...out, key]);
        if (!resolved.ok) ok = false;
        else if (resolved.value !== noValue) object[key] = resolved.value;
      }
      return ok ? { ok: true, value: object } : unresolved;
    }
    return { ok: true, value };
  }

  /** Evaluates a named condition; undefined (with a diagnostic) when it cannot be. */
  condition(name: string, at: PropertyKey[]): boolean | undefined {
    if (this.#conditions.has(name)) return this.#conditions.get(name);
    const conditions = isRecord(this.template.Conditions) ? this.template.Conditions : {};
    if (!Object.hasOwn(conditions, name)) {
      this.source.report("unresolved-reference", at, `no condition named ${name} in Conditions`);
      this.#conditions.set(name, undefined);
      return undefined;
    }
    if (this.#evaluating.has(name)) {
      this.source.report("unresolved-reference", at, `condition ${name} refers to itself`);
      return undefined;
    }
    this.#evaluating.add(name);
    const result = this.#conditionValue(conditions[name], ["Conditions", name]);
    this.#evaluating.delete(name);
    this.#conditions.set(name, result);
    return result;
  }

  #conditionValue(expression: unknown, at: PropertyKey[]): boolean | undefined {
    const call = intrinsic(expression);
    if (call === undefined) {
      this.source.report(
        "unsupported-intrinsic",
        at,
        "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition",
      );
      return undefined;
    }
    const argumentAt = [...at, call.name];
    const list = Array.isArray(call.argument) ? call.argument : [];
    switch (call.name) {
      case "Condition":
        return typeof call.argument === "string" ? this.condition(call.argument, argumentAt) : undefined;
      case "Fn::Equals": {
        if (list.length !== 2) {
          this.source.report("unsupported-intrinsic", argumentAt, "Fn::Equals takes two values");
          return undefined;
        }
        const left = this.resolve(list[0], [...argumentAt, 0]);
        const right = this.resolve(list[1], [...argumentAt, 1]);
        if (!left.ok || !right.ok) return undefined;
        return JSON.stringify(scalarText(left.value)) === JSON.stringify(scalarText(right.value));
      }
      case "Fn::Not": {
        const inner = this.#conditionValue(list[0], [...argumentAt, 0]);
        return inner === undefined ? undefined : !inner;
      }
      case "Fn::And":
      case "Fn::Or": {
        const values = list.map((item, index) => this.#conditionValue(item, [...argumentAt, index]));
        if (values.some((v) => v === undefined)) return undefined;
        return call.name === "Fn::And" ? values.every(Boolean) : values.some(Boolean);
      }
      default:
        this.source.report("unsupported-intrinsic", argumentAt, `${call.name} is not a condition function`);
        return undefined;
    }
  }

  /** Calls a function written at `at`; `out` is where its value goes (for the value's origins). */
  #call(name: string, argument: unknown, at: PropertyKey[], whole: unknown, out: PropertyKey[]): Resolved {
    // A value the deployed stack reports as an output is known whatever function computes it.
    const output = this.#fromOutputs(whole);
    if (output !== undefined) return { ok: true, value: output };
    const list = Array.isArray(argument) ? argument : undefined;
    switch (name) {
      case "Ref":
        if (typeof argument !== "string") return this.#malformed(at, "Ref takes a name");
        return this.#ref(argument, at);
      case "Fn::GetAtt": {
        const parts: [string, string] | undefined =
          typeof argument === "string"
            ? splitOnce(argument, ".")
            : list?.length === 2 && typeof list[0] === "string" && typeof list[1] === "string"
              ? [list[0], list[1]]
              : undefined;
        if (parts === undefined) return this.#malformed(at, "Fn::GetAtt takes [resource, attribute]");
        return this.#getAtt(parts[0], parts[1], at);
      }
      case "Fn::Sub":
        return this.#sub(argument, at);
      case "Fn::If": {
        if (list?.length !== 3 || typeof list[0] !== "string")
          return this.#malformed(at, "Fn::If takes [condition, value if true, value if false]");
        const condition = this.condition(list[0], [...at, 0]);
        if (condition === undefined) return unresolved;
        const index = condition ? 1 : 2;
        return this.resolve(list[index], [...at, index], out);
      }
      case "Fn::Join": {
        if (list?.length !== 2 || typeof list[0] !== "string")
          return this.#malformed(at, "Fn::Join takes [delimiter, [values]]");
        const values = this.resolve(list[1], [...at, 1]);
        if (!values.ok) return unresolved;
        if (!Array.isArray(values.value))
          return this.#malformed([...at, 1], "Fn::Join needs a list of values");
        return { ok: true, value: values.value.map(scalarText).join(list[0]) };
      }
      case "Fn::Select": {
        if (list?.length !== 2) return this.#malformed(at, "Fn::Select takes [index, [values]]");
        const index = this.resolve(list[0], [...at, 0]);
        const values = this.resolve(list[1], [...at, 1]);
        if (!index.ok || !values.ok) return unresolved;
        const position = Number(index.value);
        if (
          !Array.isArray(values.value) ||
          !Number.isInteger(position) ||
          position < 0 ||
          position >= values.value.length
        )
          return this.#malformed(at, `Fn::Select: index ${String(index.value)} is not in the list`);
        return { ok: true, value: values.value[position] };
      }
      case "Fn::Split": {
        if (list?.length !== 2 || typeof list[0] !== "string")
          return this.#malformed(at, "Fn::Split takes [delimiter, text]");
        const text = this.resolve(list[1], [...at, 1]);
        if (!text.ok) return unresolved;
        return { ok: true, value: scalarText(text.value).split(list[0]) };
      }
      case "Fn::FindInMap": {
        if (list === undefined || list.length < 3)
          return this.#malformed(at, "Fn::FindInMap takes [map, key, key]");
        const keys = list.slice(0, 3).map((item, index) => this.resolve(item, [...at, index]));
        if (keys.some((k) => !k.ok)) return unresolved;
        const [mapName, top, second] = keys.map((k) => scalarText((k as { value: unknown }).value));
        const mappings = isRecord(this.template.Mappings) ? this.template.Mappings : {};
        const map = mappings[mapName ?? ""];
        const entry = isRecord(map) ? map[top ?? ""] : undefined;
        if (!isRecord(entry) || !Object.hasOwn(entry, second ?? "")) {
          this.source.report("unresolved-reference", at, `Mappings has no ${mapName} → ${top} → ${second}`, {
            hint: "add the entry to the template's Mappings, or write the value",
          });
          return unresolved;
        }
        return this.resolve(entry[second ?? ""], ["Mappings", mapName ?? "", top ?? "", second ?? ""], out);
      }
      case "Fn::ImportValue":
        this.source.report(
          "unresolved-reference",
          at,
          "Fn::ImportValue reads another stack's export, which the template does not hold",
          { hint: "write the exported value here (aws cloudformation list-exports shows it)" },
        );
        return unresolved;
      default:
        this.source.report("unsupported-intrinsic", at, `${name} is not evaluated by the importer`, {
          hint: "write the value it produces, or give it as a stack output",
        });
        return unresolved;
    }
  }

  #malformed(at: PropertyKey[], message: string): Resolved {
    this.source.report("unsupported-intrinsic", at, message);
    return unresolved;
  }

  #ref(name: string, at: PropertyKey[]): Resolved {
    const pseudo = this.#pseudo(name, at);
    if (pseudo !== undefined) return pseudo;
    const parameters = isRecord(this.template.Parameters) ? this.template.Parameters : {};
    if (Object.hasOwn(parameters, name)) {
      const declaration = isRecord(parameters[name]) ? parameters[name] : {};
      const given = this.facts.parameters.get(name);
      const text = given ?? (declaration.Default === undefined ? undefined : scalarText(declaration.Default));
      if (text === undefined) {
        this.source.report("unresolved-reference", at, `parameter ${name} has no value and no Default`, {
          hint: `give it in a parameters file (--parameters): [{"ParameterKey": "${name}", "ParameterValue": "..."}], or the deployed stack (--stack-file)`,
        });
        return unresolved;
      }
      if (
        given === "****" &&
        this.facts.deployedParameters.has(name) &&
        String(declaration.NoEcho) === "true"
      ) {
        this.source.report(
          "unresolved-reference",
          at,
          `parameter ${name} is NoEcho: the deployed stack shows it as ****`,
          {
            hint: `give its value in a parameters file (--parameters): [{"ParameterKey": "${name}", "ParameterValue": "..."}]`,
          },
        );
        return unresolved;
      }
      const type = typeof declaration.Type === "string" ? declaration.Type : "String";
      if (type.startsWith("AWS::SSM::Parameter::Value") && given === undefined) {
        this.source.report(
          "unresolved-reference",
          at,
          `parameter ${name} is read from SSM parameter ${text} when the stack deploys`,
          {
            hint: "give the deployed stack (--stack-file: describe-stacks shows its ResolvedValue), or the value in --parameters",
          },
        );
        return unresolved;
      }
      const isList = type === "CommaDelimitedList" || /^List<|^AWS::SSM::Parameter::Value<List</.test(type);
      return { ok: true, value: isList ? text.split(",").map((part) => part.trim()) : text };
    }
    const resources = isRecord(this.template.Resources) ? this.template.Resources : {};
    if (Object.hasOwn(resources, name)) {
      const physical = this.facts.resources.get(name);
      if (physical !== undefined) return { ok: true, value: physical };
      const type = isRecord(resources[name]) ? String(resources[name].Type) : "resource";
      this.source.report(
        "unresolved-reference",
        at,
        `Ref ${name} is the id of resource ${name} (${type}), known only once the stack is deployed`,
        {
          hint: "give the deployed stack's resources (aws cloudformation describe-stack-resources --stack-name <stack> > stack.json; --stack-file stack.json), or write the id",
        },
      );
      return unresolved;
    }
    this.source.report("unresolved-reference", at, `Ref ${name}: no parameter or resource has this name`);
    return unresolved;
  }

  #pseudo(name: string, at: PropertyKey[]): Resolved | undefined {
    if (!name.startsWith("AWS::")) return undefined;
    if (name === "AWS::NoValue") return { ok: true, value: noValue };
    const region = this.facts.region;
    const known: Record<string, string | undefined> = {
      "AWS::Region": region,
      "AWS::AccountId": this.facts.accountId,
      "AWS::StackName": this.facts.stackName,
      "AWS::StackId": this.facts.stackId,
      "AWS::Partition":
        region === undefined
          ? undefined
          : region.startsWith("cn-")
            ? "aws-cn"
            : region.startsWith("us-gov-")
              ? "aws-us-gov"
              : "aws",
      "AWS::URLSuffix":
        region === undefined ? undefined : region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com",
    };
    if (!Object.hasOwn(known, name)) {
      this.source.report(
        "unsupported-intrinsic",
        at,
        `pseudo parameter ${name} is not evaluated by the importer`,
      );
      return unresolved;
    }
    const value = known[name];
    if (value !== undefined) return { ok: true, value };
    const what: Record<string, string> = {
      "AWS::Region": "give the stack's region (--region), or the deployed stack (--stack-file)",
      "AWS::Partition": "give the stack's region (--region): the partition follows from it",
      "AWS::URLSuffix": "give the stack's region (--region): the suffix follows from it",
      "AWS::AccountId": "give the stack's account (--account-id), or the deployed stack (--stack-file)",
      "AWS::StackName": "give the stack's name (--stack-name), or the deployed stack (--stack-file)",
      "AWS::StackId": "give the deployed stack (--stack-file)",
    };
    this.source.report("unresolved-reference", at, `${name} is known only for a deployed stack`, {
      hint: what[name] ?? "give the deployed stack (--stack-file)",
    });
    return unresolved;
  }

  #getAtt(resource: string, attribute: string, at: PropertyKey[]): Resolved {
    const resources = isRecord(this.template.Resources) ? this.template.Resources : {};
    if (!Object.hasOwn(resources, resource)) {
      this.source.report(
        "unresolved-reference",
        at,
        `Fn::GetAtt ${resource}.${attribute}: no resource ${resource}`,
      );
      return unresolved;
    }
    this.source.report(
      "unresolved-reference",
      at,
      `Fn::GetAtt ${resource}.${attribute} is known only to the deployed stack`,
      {
        hint: `give the deployed stack (--stack-file) with an Output whose Value is this Fn::GetAtt, or write the value`,
      },
    );
    return unresolved;
  }

  #sub(argument: unknown, at: PropertyKey[]): Resolved {
    let text: unknown = argument;
    const variables = new Map<string, unknown>();
    if (Array.isArray(argument)) {
      if (argument.length !== 2 || typeof argument[0] !== "string" || !isRecord(argument[1]))
        return this.#malformed(at, "Fn::Sub takes a string or [string, {variables}]");
      text = argument[0];
      for (const [key, value] of Object.entries(argument[1])) {
        const resolved = this.resolve(value, [...at, 1, key]);
        if (!resolved.ok) return unresolved;
        variables.set(key, resolved.value);
      }
    }
    if (typeof text !== "string")
      return this.#malformed(at, "Fn::Sub takes a string or [string, {variables}]");
    let ok = true;
    const where = Array.isArray(argument) ? [...at, 0] : at;
    const result = text.replace(/\$\{([^}]*)\}/g, (match, inner: string) => {
      if (inner.startsWith("!")) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      let resolved: Resolved;
      if (variables.has(name)) resolved = { ok: true, value: variables.get(name) };
      else if (name.includes(".") && !name.startsWith("AWS::")) {
        const [resource, attribute] = splitOnce(name, ".");
        const output = this.#fromOutputs({ "Fn::GetAtt": [resource, attribute] });
        resolved =
          output !== undefined ? { ok: true, value: output } : this.#getAtt(resource, attribute, where);
      } else {
        const output = this.#fromOutputs({ Ref: name });
        resolved = output !== undefined ? { ok: true, value: output } : this.#ref(name, where);
      }
      if (!resolved.ok) {
        ok = false;
        return match;
      }
      return scalarText(resolved.value);
    });
    return ok ? { ok: true, value: result } : unresolved;
  }

  /** The deployed value of an expression the template also declares as an Output's Value. */
  #fromOutputs(expression: unknown): string | undefined {
    if (this.facts.outputs.size === 0) return undefined;
    const outputs = isRecord(this.template.Outputs) ? this.template.Outputs : {};
    const wanted = canonical(expression);
    for (const [key, output] of Object.entries(outputs)) {
      if (!isRecord(output) || canonical(output.Value) !== wanted) continue;
      const value = this.facts.outputs.get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  }
}

function intrinsic(value: unknown): { name: string; argument: unknown } | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const name = keys[0] as string;
  if (name === "Ref" || name === "Condition" || name.startsWith("Fn::"))
    return { name, argument: value[name] };
  return undefined;
}

/** An expression's canonical text, so `!GetAtt Key.Arn` equals `{"Fn::GetAtt": ["Key", "Arn"]}`. */
function canonical(expression: unknown): string {
  const call = intrinsic(expression);
  if (call?.name === "Fn::GetAtt" && typeof call.argument === "string")
    return JSON.stringify({ "Fn::GetAtt": splitOnce(call.argument, ".") });
  return JSON.stringify(expression);
}

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, ""] : [text.slice(0, index), text.slice(index + 1)];
}

function scalarText(value: unknown): string {
  return typeof value === "string"
    ? value
    : Array.isArray(value)
      ? value.map(scalarText).join(",")
      : String(value);
}

// ---------------------------------------------------------------------------------------------
// Parameters file and stack description

function readParametersFile(file: ImportSource, diagnostics: Diagnostic[]): Map<string, string> {
  const values = new Map<string, string>();
  const document = parseSide(file, diagnostics);
  if (document === undefined) return values;
  const source = new LocatedSource(document);
  const value = document.value;
  const container = isRecord(value) && isRecord(value.Parameters) ? value.Parameters : value;
  if (Array.isArray(container)) {
    container.forEach((entry, index) => {
      if (isRecord(entry) && typeof entry.ParameterKey === "string" && entry.ParameterValue !== undefined)
        values.set(entry.ParameterKey, scalarText(entry.ParameterValue));
      else source.report("import-source-invalid", [index], "expected {ParameterKey, ParameterValue}");
    });
  } else if (isRecord(container)) {
    for (const [key, entry] of Object.entries(container)) values.set(key, scalarText(entry));
  } else {
    source.report(
      "import-source-invalid",
      [],
      "a parameters file is a list of {ParameterKey, ParameterValue} or a map",
    );
  }
  diagnostics.push(...source.diagnostics);
  return values;
}

function readStackFile(file: ImportSource, facts: StackFacts, diagnostics: Diagnostic[]): void {
  const document = parseSide(file, diagnostics);
  if (document === undefined) return;
  const source = new LocatedSource(document);
  const value = isRecord(document.value) ? document.value : {};
  const stacks = Array.isArray(value.Stacks) ? value.Stacks : [];
  const resources = Array.isArray(value.StackResources)
    ? value.StackResources
    : Array.isArray(value.StackResourceSummaries)
      ? value.StackResourceSummaries
      : [];
  if (stacks.length === 0 && resources.length === 0) {
    source.report(
      "import-source-invalid",
      [],
      "expected the output of aws cloudformation describe-stacks (Stacks) or describe-stack-resources (StackResources)",
    );
  }
  if (stacks.length > 1)
    source.report(
      "import-source-invalid",
      ["Stacks"],
      "the file describes more than one stack; keep the template's",
    );
  const stack = isRecord(stacks[0]) ? stacks[0] : undefined;
  if (stack !== undefined) {
    if (typeof stack.StackName === "string") facts.stackName = stack.StackName;
    if (typeof stack.StackId === "string") {
      facts.stackId = stack.StackId;
      const [, , , region, accountId] = stack.StackId.split(":");
      if (region) facts.region = region;
      if (accountId) facts.accountId = accountId;
    }
    for (const parameter of Array.isArray(stack.Parameters) ? stack.Parameters : []) {
      if (!isRecord(parameter) || typeof parameter.ParameterKey !== "string") continue;
      const resolvedValue = parameter.ResolvedValue ?? parameter.ParameterValue;
      if (resolvedValue !== undefined) {
        facts.parameters.set(parameter.ParameterKey, scalarText(resolvedValue));
        facts.deployedParameters.add(parameter.ParameterKey);
      }
    }
    for (const output of Array.isArray(stack.Outputs) ? stack.Outputs : []) {
      if (isRecord(output) && typeof output.OutputKey === "string" && output.OutputValue !== undefined)
        facts.outputs.set(output.OutputKey, scalarText(output.OutputValue));
    }
  }
  for (const resource of resources) {
    if (
      isRecord(resource) &&
      typeof resource.LogicalResourceId === "string" &&
      typeof resource.PhysicalResourceId === "string"
    )
      facts.resources.set(resource.LogicalResourceId, resource.PhysicalResourceId);
  }
  diagnostics.push(...source.diagnostics);
}

function parseSide(file: ImportSource, diagnostics: Diagnostic[]): ParsedDocument | undefined {
  const parsed = parseConfigFile(file);
  diagnostics.push(...parsed.diagnostics);
  return parsed.ok ? parsed.documents[0] : undefined;
}
