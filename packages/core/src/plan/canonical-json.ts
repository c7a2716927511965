/** Canonical JSON: object keys sorted by code unit, so equal values always serialise to equal text. */

/** A JSON value as the plan engine handles it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Deep equality of JSON values; object key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const leftKeys = Object.keys(left).filter((key) => left[key] !== undefined);
  const rightKeys = Object.keys(right).filter((key) => right[key] !== undefined);
  if (leftKeys.length !== rightKeys.length) return false;
  for (const key of leftKeys) if (!jsonEqual(left[key], right[key])) return false;
  return true;
}

/** Keys that JavaScript objects order before all others (array indices), whatever the insertion order. */
const INDEX_KEY = /^(?:0|[1-9][0-9]{0,9})$/;

/**
 * A copy of `value` with object keys inserted in sorted order, or `undefined` when some object
 * has an index-like key (`"1"`), which `JSON.stringify` would write first whatever the order.
 */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const copy = item === undefined ? null : sortedCopy(item);
      if (copy === undefined) return undefined;
      out.push(copy);
    }
    return out;
  }
  if (isJsonObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareKeys)) {
      const member = value[key];
      if (member === undefined) continue;
      if (INDEX_KEY.test(key) && Number(key) < 4_294_967_295) return undefined;
      const copy = sortedCopy(member);
      if (copy === undefined) return undefined;
      out[key] = copy;
    }
    return out;
  }
  return value;
}

/** Whether `JSON.stringify` would already write `value` canonically (normalised values usually are). */
function inCanonicalOrder(value: unknown): boolean {
  if (Array.isArray(value)) {
    for (const item of value) if (item === undefined || !inCanonicalOrder(item)) return false;
    return true;
  }
  if (isJsonObject(value)) {
    let previous: string | undefined;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const member = value[key];
      if (member === undefined || (previous !== undefined && previous >= key)) return false;
      if (INDEX_KEY.test(key)) return false;
      if (!inCanonicalOrder(member)) return false;
      previous = key;
    }
    return true;
  }
  return true;
}

/**
 * Serialises with sorted keys. Usually through `JSON.stringify` on a key-sorted copy; objects with
 * index-like keys (`"1"`), which would jump ahead there, are written by hand.
 */
export function canonicalJson(value: unknown, indent = 0): string {
  if (value !== undefined && inCanonicalOrder(value)) return JSON.stringify(value, null, indent);
  const copy = value === undefined ? null : sortedCopy(value);
  if (copy !== undefined) return JSON.stringify(copy, null, indent);
  return write(value, indent, "");
}

function write(value: unknown, indent: number, pad: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = pad + " ".repeat(indent);
    const items = value.map((item) => write(item === undefined ? null : item, indent, inner));
    return indent === 0 ? `[${items.join(",")}]` : `[\n${inner}${items.join(`,\n${inner}`)}\n${pad}]`;
  }
  if (isJsonObject(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort(compareKeys);
    if (keys.length === 0) return "{}";
    const inner = pad + " ".repeat(indent);
    const sep = indent === 0 ? ":" : ": ";
    const members = keys.map((key) => `${JSON.stringify(key)}${sep}${write(value[key], indent, inner)}`);
    return indent === 0 ? `{${members.join(",")}}` : `{\n${inner}${members.join(`,\n${inner}`)}\n${pad}}`;
  }
  if (value === undefined) return "null";
  return JSON.stringify(value);
}
