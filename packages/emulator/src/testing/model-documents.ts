/**
 * Documents generated from the service model, for the agreement test: a valid document using
 * every member, and from it one document per constraint at and just past each bound, every enum
 * value and a value outside the enum, a wrong JSON type for every member, every required member
 * missing and an unknown key in every structure; then seeded random valid documents, each with
 * one random defect. Each document carries what the model says of it (`expect`).
 */
import { apiModel, type Shape, shapeNamed } from "../api-model.js";
import { mulberry32 } from "../faults.js";

export type Path = readonly (string | number)[];

/** What the model (and the rule description) says a document is. */
export type Expectation =
  | { kind: "valid" }
  /** The API refuses it at `path`. */
  | { kind: "invalid"; path: Path }
  /** A required member is missing: `path` is the member (core reports its parent or it). */
  | { kind: "missing"; path: Path }
  /** A `distribution` rule broken (core's rules.ts): core refuses it, the API accepts it. */
  | { kind: "refused-by-core"; path: Path }
  /** A key the model does not have: core refuses it; the SDK does not send it, so the service accepts. */
  | { kind: "unknown-key"; path: Path };

export interface GeneratedDocument {
  label: string;
  document: Record<string, unknown>;
  expect: Expectation;
  /** Send as plain JSON: the SDK would reshape this wrong type (a list for a structure) first. */
  raw?: boolean;
}

const rootShape = "CreateDistributionConfigurationRequest";
/** Members no generated document sets: the SDK fills clientToken and does not send dryRun (3.1046.0). */
const skipped = new Set(["clientToken", "dryRun"]);
const account = "111111111111";

// A valid value of each string shape whose pattern needs one; others are built from a filler.
const samples: Record<string, string> = {
  AccountId: account,
  AmiNameString: "agree {{imagebuilder:buildDate}}",
  LaunchTemplateId: "lt-0123456789abcdef0",
  LicenseConfigurationArn:
    "arn:aws:license-manager:us-west-2:111111111111:license-configuration:lic-0123456789abcdef0123456789abcdef",
  OrganizationArn: "arn:aws:organizations::123456789012:organization/o-abcdefghij",
  OrganizationalUnitArn: "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-abcdefgh",
  ResourceName: "agree",
  SsmParameterName: "/agree/ami",
  TagKey: "team",
  TagValue: "platform",
};

/** A valid string of `length` characters for a shape (undefined when the model allows none). */
function stringOfLength(shapeName: string, length: number): string | undefined {
  if (shapeName === "AmiNameString") {
    const date = " {{imagebuilder:buildDate}}";
    return length > date.length ? `${"a".repeat(length - date.length)}${date}` : undefined;
  }
  if (shapeName === "SsmParameterName") return length >= 1 ? `/${"a".repeat(length - 1)}` : "";
  return "a".repeat(length);
}

/** Members a valid document leaves out, by "Shape.member": the rules allow only one of them. */
const leftOut = new Set(["FastLaunchLaunchTemplateSpecification.launchTemplateName"]);

/** Values the service rules need (a region code, 6+ parallel launches, the SSM account a target). */
function special(parentShape: string, member: string): unknown {
  if (parentShape === "Distribution" && member === "region") return "us-west-2";
  if (parentShape === "FastLaunchConfiguration" && member === "maxParallelLaunches") return 6;
  if (parentShape === "FastLaunchSnapshotConfiguration" && member === "targetResourceCount") return 5;
  return undefined;
}

/** The valid value of a shape using every member (lists of one, maps of one). */
export function fullValue(shapeName: string, parentShape = "", member = ""): unknown {
  const forced = special(parentShape, member);
  if (forced !== undefined) return forced;
  const shape = shapeNamed(shapeName);
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      for (const [name, reference] of Object.entries(shape.members ?? {})) {
        if (shapeName === rootShape && skipped.has(name)) continue;
        if (leftOut.has(`${shapeName}.${name}`)) continue;
        out[name] = fullValue(reference.shape, shapeName, name);
      }
      return out;
    }
    case "list":
      return [fullValue(shape.member?.shape ?? "", parentShape, member)];
    case "map":
      return { [samples.TagKey as string]: samples.TagValue };
    case "string":
      if (shape.enum !== undefined) return shape.enum[0];
      return samples[shapeName] ?? stringOfLength(shapeName, Math.max(shape.min ?? 1, 1));
    case "integer":
    case "long":
      return shape.min ?? 1;
    case "boolean":
      return true;
    case "timestamp":
      return "2026-01-01T00:00:00Z";
  }
}

/** One member of the full document, with its shape and the shape that holds it. */
export interface Site {
  path: Path;
  shapeName: string;
  shape: Shape;
  parentShape: string;
  member: string;
  required: boolean;
}

function sites(document: unknown, shapeName = rootShape, path: Path = []): Site[] {
  const shape = shapeNamed(shapeName);
  const out: Site[] = [];
  if (shape.type === "structure") {
    const value = document as Record<string, unknown>;
    for (const [name, reference] of Object.entries(shape.members ?? {})) {
      if (!(name in value)) continue;
      const child = shapeNamed(reference.shape);
      out.push({
        path: [...path, name],
        shapeName: reference.shape,
        shape: child,
        parentShape: shapeName,
        member: name,
        required: (shape.required ?? []).includes(name),
      });
      out.push(...sites(value[name], reference.shape, [...path, name]));
    }
  } else if (shape.type === "list") {
    const items = document as unknown[];
    items.forEach((item, index) => {
      out.push(...sites(item, shape.member?.shape ?? "", [...path, index]));
    });
  }
  return out;
}

/** A copy of `document` with the value at `path` set, or removed when `value` is undefined. */
export function edited(document: unknown, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let parent = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = value;
  return copy as Record<string, unknown>;
}

function wrongType(shape: Shape): unknown {
  switch (shape.type) {
    case "string":
      return 42;
    case "integer":
    case "long":
      return "7";
    case "boolean":
      return "true";
    case "list":
      return { not: "a list" };
    case "structure":
    case "map":
      return ["not", "a", "map"];
    default:
      return null;
  }
}

/** Every member of a document, with its shape (`sites(document)`): where variants are made. */
export function documentSites(document: unknown): Site[] {
  return sites(document);
}

/**
 * The documents one valid document gives at the sites chosen (all by default): every bound, enum
 * value, wrong type, missing required member and unknown key there.
 */
export function variantsOf(
  base: Record<string, unknown>,
  label: string,
  at: readonly Site[] = sites(base),
): GeneratedDocument[] {
  const out: GeneratedDocument[] = [];
  const add = (what: string, document: Record<string, unknown>, expect: Expectation, raw = false) =>
    out.push({ label: `${label}: ${what}`, document, expect, ...(raw ? { raw } : {}) });
  const invalid = (path: Path): Expectation => ({ kind: "invalid", path });
  for (const site of at) {
    const { path, shape, shapeName } = site;
    const where = path.join(".");
    add(
      `${where} of the wrong type`,
      edited(base, path, wrongType(shape)),
      invalid(path),
      shape.type === "structure",
    );
    if (site.required) add(`${where} missing`, edited(base, path, undefined), { kind: "missing", path });
    // region's limits are the rule's (rules.ts invalid-region), not NonEmptyString's.
    if (special(site.parentShape, site.member) !== undefined && shape.type === "string") continue;
    if (shape.type === "structure") {
      add(`unknown key in ${where}`, edited(base, [...path, "agreeUnknown"], "x"), {
        kind: "unknown-key",
        path: [...path, "agreeUnknown"],
      });
    }
    if (shape.type === "string" && shape.enum !== undefined) {
      for (const value of shape.enum)
        add(`${where} = ${value}`, edited(base, path, value), { kind: "valid" });
      add(`${where} outside the enum`, edited(base, path, "NOT-IN-ENUM"), invalid(path));
    } else if (shape.type === "string") {
      if (shape.pattern !== undefined && samples[shapeName] !== undefined && shapeName !== "TagValue") {
        add(`${where} breaks the pattern`, edited(base, path, "!bad!"), invalid(path));
      }
      const bounds: [number | undefined, boolean][] = [
        [shape.min, true],
        [shape.min === undefined ? undefined : shape.min - 1, false],
        [shape.max, true],
        [shape.max === undefined ? undefined : shape.max + 1, false],
      ];
      for (const [bound, ok] of bounds) {
        if (bound === undefined || bound < 0 || shapeName === "ResourceName") continue;
        const value = stringOfLength(shapeName, bound);
        if (value === undefined) continue;
        add(
          `${where} of ${bound} characters`,
          edited(base, path, value),
          ok ? { kind: "valid" } : invalid(path),
        );
      }
    } else if (shape.type === "integer") {
      const max = shape.max ?? 2 ** 31 - 1;
      const cases: [number, boolean][] = [
        [max, true],
        [max + 1, false],
        [(shape.min ?? 1) + 1.5, false],
      ];
      if (shape.min !== undefined) cases.push([shape.min - 1, false]);
      if (shape.min !== undefined && special(site.parentShape, site.member) === undefined)
        cases.push([shape.min, true]);
      for (const [value, ok] of cases) {
        add(`${where} = ${value}`, edited(base, path, value), ok ? { kind: "valid" } : invalid(path));
      }
    } else if (shape.type === "list" && (shape.min !== undefined || shape.max !== undefined)) {
      const item = (valueAt(base, path) as unknown[])[0];
      if (shape.min !== undefined && shape.min > 0)
        add(`${where} empty`, edited(base, path, []), invalid(path));
      if (shape.max !== undefined) {
        add(`${where} of ${shape.max} items`, edited(base, path, Array(shape.max).fill(item)), {
          kind: "valid",
        });
        add(
          `${where} of ${shape.max + 1} items`,
          edited(base, path, Array(shape.max + 1).fill(item)),
          invalid(path),
        );
      }
    } else if (shape.type === "map") {
      const entries = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
      if (shape.min !== undefined && shape.min > 0)
        add(`${where} empty`, edited(base, path, {}), invalid(path));
      if (shape.max !== undefined) {
        add(`${where} of ${shape.max} entries`, edited(base, path, entries(shape.max)), { kind: "valid" });
        add(
          `${where} of ${shape.max + 1} entries`,
          edited(base, path, entries(shape.max + 1)),
          invalid(path),
        );
      }
      const longKey = "k".repeat(129);
      add(
        `${where} with an aws: key`,
        edited(base, path, { "aws:agree": "v" }),
        invalid([...path, "aws:agree"]),
      );
      add(`${where} with a 128-character key`, edited(base, path, { ["k".repeat(128)]: "v" }), {
        kind: "valid",
      });
      add(
        `${where} with a 129-character key`,
        edited(base, path, { [longKey]: "v" }),
        invalid([...path, longKey]),
      );
      add(`${where} with a 256-character value`, edited(base, path, { team: "v".repeat(256) }), {
        kind: "valid",
      });
      add(
        `${where} with a 257-character value`,
        edited(base, path, { team: "v".repeat(257) }),
        invalid([...path, "team"]),
      );
    }
  }
  return out;
}

function valueAt(document: unknown, path: Path): unknown {
  return path.reduce<unknown>(
    (value, segment) => (value as Record<string | number, unknown>)[segment],
    document,
  );
}

/** The fault generator's mulberry32: every run with the same seed makes the same documents. */
export const seededRandom = mulberry32;

/** A random valid document: each optional member of the full one kept or dropped, lengths varied. */
export function randomValid(
  random: () => number,
  full: unknown = fullValue(rootShape),
  shapeName = rootShape,
): unknown {
  const shape = shapeNamed(shapeName);
  if (shape.type === "structure") {
    const value = full as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [name, reference] of Object.entries(shape.members ?? {})) {
      if (!(name in value)) continue;
      const required = (shape.required ?? []).includes(name);
      if (!required && random() < 0.4) continue;
      out[name] = randomValid(random, value[name], reference.shape);
    }
    return out;
  }
  if (shape.type === "string" && shape.enum !== undefined) {
    return shape.enum[Math.floor(random() * shape.enum.length)];
  }
  if (shape.type === "string" && samples[shapeName] === undefined && full !== "us-west-2") {
    const max = Math.min(shape.max ?? 64, 64);
    const min = Math.max(shape.min ?? 1, 1);
    return stringOfLength(shapeName, min + Math.floor(random() * (max - min + 1)));
  }
  if (shape.type === "list" && shapeName !== "DistributionList") {
    const items = full as unknown[];
    return items.map((item) => randomValid(random, item, shape.member?.shape ?? ""));
  }
  if (shape.type === "list") {
    return (full as unknown[]).map((item) => randomValid(random, item, shape.member?.shape ?? ""));
  }
  return full;
}

export { rootShape };
export const modelMetadata = apiModel.metadata;
