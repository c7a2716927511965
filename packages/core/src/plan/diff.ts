/** Semantic field diffs between two configurations' content and tags, addressed by region and key. */
import type { Distribution } from "../schema.js";
import { canonicalJson, isJsonObject, type JsonObject, type JsonValue, jsonEqual } from "./canonical-json.js";
import {
  type ConfigurationContent,
  KEYED_LIST_PATHS,
  keyedMembers,
  normalizeContent,
  SET_PATHS,
} from "./normalize.js";
import { APPLIED_TAG, type FieldDiff, REPLACES_TAG, type TagChanges } from "./plan-model.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `a.b` for identifiers, `a["waybill:source"]` otherwise. */
export function memberPath(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function schemaJoin(schemaPath: string, key: string): string {
  return schemaPath === "" ? key : `${schemaPath}.${key}`;
}

function walk(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  schemaPath: string,
  path: string,
  out: FieldDiff[],
): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    out.push({ after, kind: "added", path });
    return;
  }
  if (after === undefined) {
    out.push({ before, kind: "removed", path });
    return;
  }
  if (jsonEqual(before, after)) return;

  if (Array.isArray(before) && Array.isArray(after)) {
    if (SET_PATHS.has(schemaPath)) {
      const beforeSet = new Set(before.map((item) => canonicalMember(item)));
      const afterSet = new Set(after.map((item) => canonicalMember(item)));
      const added = [...afterSet].filter((item) => !beforeSet.has(item)).sort();
      const removed = [...beforeSet].filter((item) => !afterSet.has(item)).sort();
      out.push({ added, kind: "set", path, removed });
      return;
    }
    const keyOf = KEYED_LIST_PATHS[schemaPath];
    if (keyOf !== undefined) {
      const beforeByKey = new Map(keyedMembers(before, keyOf).map((entry) => [entry.key, entry.member]));
      const afterByKey = new Map(keyedMembers(after, keyOf).map((entry) => [entry.key, entry.member]));
      const keys = [...new Set([...beforeByKey.keys(), ...afterByKey.keys()])].sort();
      for (const key of keys) {
        walk(beforeByKey.get(key), afterByKey.get(key), `${schemaPath}[]`, `${path}[${key}]`, out);
      }
      return;
    }
  }
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      walk(before[key], after[key], schemaJoin(schemaPath, key), memberPath(path, key), out);
    }
    return;
  }
  out.push({ after, before, kind: "changed", path });
}

function canonicalMember(item: JsonValue): string {
  return typeof item === "string" ? item : canonicalJson(item);
}

function byRegion(distributions: readonly Distribution[]): Map<string, JsonValue> {
  const map = new Map<string, JsonValue>();
  const seen = new Map<string, number>();
  for (const distribution of distributions) {
    const count = (seen.get(distribution.region) ?? 0) + 1;
    seen.set(distribution.region, count);
    const key = count === 1 ? distribution.region : `${distribution.region}#${count}`;
    // Already normalised by the caller; the region is the key, not a field to compare.
    const { region: _region, ...rest } = distribution;
    map.set(key, rest as JsonValue);
  }
  return map;
}

/** A whole distribution for a diff: its normalised members with `region` put back in key order. */
function withRegion(region: string, rest: JsonValue): JsonValue {
  const out: JsonObject = {};
  let placed = false;
  for (const [key, value] of Object.entries(rest as JsonObject)) {
    if (!placed && key > "region") {
      out.region = region;
      placed = true;
    }
    out[key] = value;
  }
  if (!placed) out.region = region;
  return out;
}

/**
 * The semantic differences from `before` (live) to `after` (desired): description, then each
 * distribution by region (`distributions[eu-west-1]` when a whole region comes or goes).
 * Order of distributions and of set-like lists, empty values and defaults do not count.
 */
export function diffContent(before: ConfigurationContent, after: ConfigurationContent): FieldDiff[] {
  const left = normalizeContent(before);
  const right = normalizeContent(after);
  const out: FieldDiff[] = [];
  walk(left.description, right.description, "description", "description", out);
  const leftRegions = byRegion(left.distributions);
  const rightRegions = byRegion(right.distributions);
  const regions = [...new Set([...leftRegions.keys(), ...rightRegions.keys()])].sort();
  for (const region of regions) {
    const path = `distributions[${region}]`;
    const l = leftRegions.get(region);
    const r = rightRegions.get(region);
    if (l !== undefined && r !== undefined) walk(l, r, "", path, out);
    else if (l !== undefined) out.push({ before: withRegion(region, l), kind: "removed", path });
    else if (r !== undefined) out.push({ after: withRegion(region, r), kind: "added", path });
  }
  return out;
}

/** Tags the service reserves (`aws:` prefix): users can neither set nor remove them. */
export function isReservedTagKey(key: string): boolean {
  return key.toLowerCase().startsWith("aws:");
}

/**
 * Tag operations that turn `live` tags into `desired` ones. Reserved `aws:` tags,
 * `waybill:replaces` (set only by a replace's Create, then kept: see `REPLACES_TAG`) and
 * `waybill:applied` (written by apply after each write: see `APPLIED_TAG`) are left alone.
 */
export function tagChanges(live: Record<string, string>, desired: Record<string, string>): TagChanges {
  const add: Record<string, string> = {};
  for (const key of Object.keys(desired).sort()) {
    const value = desired[key] as string;
    if (isUntouchedTagKey(key)) continue;
    if (live[key] !== value) add[key] = value;
  }
  const remove = Object.keys(live)
    .filter((key) => !isUntouchedTagKey(key) && !Object.hasOwn(desired, key))
    .sort();
  return { add, remove };
}

function isUntouchedTagKey(key: string): boolean {
  return key === REPLACES_TAG || key === APPLIED_TAG || isReservedTagKey(key);
}

/** Field diffs for tag changes, under `tags` (`tags.team`, `tags["waybill:source"]`). */
export function diffTags(live: Record<string, string>, changes: TagChanges): FieldDiff[] {
  const out: FieldDiff[] = [];
  const keys = [...new Set([...Object.keys(changes.add), ...changes.remove])].sort();
  for (const key of keys) {
    const path = memberPath("tags", key);
    const after = changes.add[key];
    const before = Object.hasOwn(live, key) ? live[key] : undefined;
    if (after === undefined) out.push({ before: before ?? null, kind: "removed", path });
    else if (before === undefined) out.push({ after, kind: "added", path });
    else out.push({ after, before, kind: "changed", path });
  }
  return out;
}
