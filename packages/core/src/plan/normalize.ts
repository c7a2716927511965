/**
 * Canonical form of distributions, so that live and desired state compare by meaning: driven by
 * the tables below of which lists are sets, which are keyed, and which values are defaults.
 */
import type { Distribution } from "../schema.js";
import { canonicalJson, isJsonObject, type JsonObject, type JsonValue, jsonEqual } from "./canonical-json.js";

/**
 * Lists the API treats as sets (order and duplicates carry no meaning), by path below a
 * distribution. Canonical form: sorted, without duplicates.
 */
export const SET_PATHS: ReadonlySet<string> = new Set([
  "amiDistributionConfiguration.targetAccountIds",
  "amiDistributionConfiguration.launchPermission.userIds",
  "amiDistributionConfiguration.launchPermission.userGroups",
  "amiDistributionConfiguration.launchPermission.organizationArns",
  "amiDistributionConfiguration.launchPermission.organizationalUnitArns",
  "containerDistributionConfiguration.containerTags",
  "licenseConfigurationArns",
]);

function stringMember(member: JsonObject, key: string): string | undefined {
  const value = member[key];
  return typeof value === "string" ? value : undefined;
}

/**
 * Lists of objects whose order carries no meaning, by path below a distribution, with the key
 * that names a member in diff paths (`launchTemplateConfigurations[111111111111]`). A member
 * without an account applies to the distribution's own account: key `default`.
 */
export const KEYED_LIST_PATHS: Readonly<Record<string, (member: JsonObject) => string>> = {
  launchTemplateConfigurations: (member) => stringMember(member, "accountId") ?? "default",
  fastLaunchConfigurations: (member) => stringMember(member, "accountId") ?? "default",
  ssmParameterConfigurations: (member) => {
    const name = stringMember(member, "parameterName") ?? "";
    const account = stringMember(member, "amiAccountId");
    return account === undefined ? name : `${account}:${name}`;
  },
};

/**
 * Values equal to what the service assumes when the member is absent, by path below a
 * distribution (`[]` stands for a member of a keyed list). Canonical form: absent.
 */
export const DEFAULT_VALUES: Readonly<Record<string, JsonValue>> = {
  // The newest model makes setDefaultVersion an optional (boxed) boolean: "If you don't set a
  // value, Image Builder treats it as true." So absent equals true, and false is a real change.
  "launchTemplateConfigurations[].setDefaultVersion": true,
};

/** Orders values by their canonical JSON: only needed to break ties, so computed only then. */
function compareContent(a: JsonValue, b: JsonValue): number {
  const left = canonicalJson(a);
  const right = canonicalJson(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

const joined = new Map<string, Map<string, string>>();
/** `path.key` (or `path[]` for a list member), memoised: the schema has few paths and normalisation visits them very often. */
function join(path: string, key: string): string {
  let byKey = joined.get(path);
  if (byKey === undefined) {
    byKey = new Map();
    joined.set(path, byKey);
  }
  let result = byKey.get(key);
  if (result === undefined) {
    // An empty key names a list member: `launchTemplateConfigurations[]`.
    result = key === "" ? `${path}[]` : path === "" ? key : `${path}.${key}`;
    if (byKey.size < 1_000) byKey.set(key, result);
  }
  return result;
}

/**
 * The members of a keyed list with their keys, sorted by key (then by content, so the order
 * never depends on the input's). Members that share a key get `#2`, `#3`, ... after it.
 */
export function keyedMembers(list: readonly JsonValue[], keyOf: (member: JsonObject) => string) {
  const entries = list.map((member) => ({ key: isJsonObject(member) ? keyOf(member) : "", member }));
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : compareContent(a.member, b.member)));
  const seen = new Map<string, number>();
  return entries.map((entry) => {
    const count = (seen.get(entry.key) ?? 0) + 1;
    seen.set(entry.key, count);
    return { key: count === 1 ? entry.key : `${entry.key}#${count}`, member: entry.member };
  });
}

/**
 * Canonical form of any value below a distribution, or `undefined` when it means "absent":
 * null, empty lists, empty objects and defaults are absent; sets are sorted and deduplicated;
 * keyed lists are sorted by key; object keys are sorted. Idempotent.
 */
export function normalizeValue(value: unknown, path: string): JsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    if (SET_PATHS.has(path)) {
      const members = [...new Set(value.filter((item): item is string => typeof item === "string"))].sort();
      const others = value.filter((item) => typeof item !== "string");
      const all: JsonValue[] = [
        ...members,
        ...others.map((item) => normalizeValue(item, join(path, "")) ?? null),
      ];
      return all.length === 0 ? undefined : all;
    }
    const items = value
      .map((item) => normalizeValue(item, join(path, "")))
      .filter((item): item is JsonValue => item !== undefined);
    if (items.length === 0) return undefined;
    const keyOf = KEYED_LIST_PATHS[path];
    return keyOf === undefined ? items : keyedMembers(items, keyOf).map((entry) => entry.member);
  }
  if (typeof value === "object") {
    const out: JsonObject = {};
    for (const key of Object.keys(value).sort()) {
      const memberPath = join(path, key);
      const member = normalizeValue((value as Record<string, unknown>)[key], memberPath);
      if (member === undefined) continue;
      const defaultValue = DEFAULT_VALUES[memberPath];
      if (defaultValue !== undefined && jsonEqual(defaultValue, member)) continue;
      out[key] = member;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value as JsonValue;
}

/** Canonical form of one distribution: `region` always kept, everything else as `normalizeValue`. */
export function normalizeDistribution(distribution: Distribution): Distribution {
  const normalized = normalizeValue(distribution, "");
  return { ...(isJsonObject(normalized) ? normalized : {}), region: distribution.region } as Distribution;
}

const normalizedLists = new WeakMap<readonly Distribution[], Distribution[]>();

/**
 * Canonical form of a distribution list: each distribution normalised, sorted by region.
 * Remembered per list object, as a plan normalises the same live list for diff and fingerprint.
 */
export function normalizeDistributions(distributions: readonly Distribution[]): Distribution[] {
  const known = normalizedLists.get(distributions);
  if (known !== undefined) return known;
  const normalized = distributions
    .map(normalizeDistribution)
    .sort((a, b) =>
      a.region < b.region ? -1 : a.region > b.region ? 1 : compareContent(a as JsonValue, b as JsonValue),
    );
  normalizedLists.set(distributions, normalized);
  normalizedLists.set(normalized, normalized);
  return normalized;
}

/** The content Update replaces: description and distributions. */
export interface ConfigurationContent {
  description?: string;
  distributions: readonly Distribution[];
}

/** Canonical form of a configuration's content. */
export function normalizeContent(content: ConfigurationContent): ConfigurationContent {
  const distributions = normalizeDistributions(content.distributions);
  return content.description === undefined || content.description === ""
    ? { distributions }
    : { description: content.description, distributions };
}
