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
  // Every defined member of `left` equals `right`'s, and `right` has no more defined members.
  let defined = 0;
  for (const key in left) {
    if (!Object.hasOwn(left, key) || left[key] === undefined) continue;
    if (!Object.hasOwn(right, key) || !jsonEqual(left[key], right[key])) return false;
    defined++;
  }
  for (const key in right) {
    if (Object.hasOwn(right, key) && right[key] !== undefined) defined--;
  }
  return defined === 0;
}

/** Keys that JavaScript objects order before all others (array indices), whatever the insertion order. */
const INDEX_KEY = /^(?:0|[1-9][0-9]{0,9})$/;

function isIndexKey(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57 && INDEX_KEY.test(key) && Number(key) < 4_294_967_295;
}

/** Returned by `canonicalCopy` when some object has an index-like key. */
const INDEX_KEYS: unique symbol = Symbol("index keys");

/**
 * `value` with object keys in sorted order and undefined members dropped (in arrays, `null`),
 * sharing every part that already is so (normalised values are, and so are most parts of a
 * plan): only objects out of order, and what contains them, are copied. `INDEX_KEYS` when some
 * object has an index-like key (`"1"`), which `JSON.stringify` would write first whatever the order.
 */
function canonicalCopy(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const copy = item === undefined ? null : canonicalCopy(item);
      if (copy === INDEX_KEYS) return INDEX_KEYS;
      if (copy !== item && out === undefined) out = value.slice(0, i);
      if (out !== undefined) out.push(copy);
    }
    return out ?? value;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  // Members are only collected once something differs: canonical objects allocate nothing more.
  let members: unknown[] | undefined;
  let previous: string | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (isIndexKey(key)) return INDEX_KEYS;
    const member = object[key];
    const copy = member === undefined ? undefined : canonicalCopy(member);
    if (copy === INDEX_KEYS) return INDEX_KEYS;
    if (
      members === undefined &&
      (copy !== member || member === undefined || (previous !== undefined && previous >= key))
    ) {
      members = [];
      for (let j = 0; j < i; j++) members.push(object[keys[j] as string]);
    }
    members?.push(copy);
    if (member !== undefined) previous = key;
  }
  if (members === undefined) return value;
  const order = keys.map((_, i) => i).sort((a, b) => compareKeys(keys[a] as string, keys[b] as string));
  // No prototype: a "__proto__" key (JSON.parse makes it an own member) is then set as a member,
  // not taken as the prototype and lost.
  const out: Record<string, unknown> = Object.create(null);
  for (const i of order) if (members[i] !== undefined) out[keys[i] as string] = members[i];
  return out;
}

/**
 * Serialises with sorted keys. Usually through `JSON.stringify` on `canonicalCopy`; objects with
 * index-like keys (`"1"`), which would jump ahead there, are written by hand.
 */
export function canonicalJson(value: unknown, indent = 0): string {
  const copy = value === undefined ? null : canonicalCopy(value);
  if (copy !== INDEX_KEYS) return JSON.stringify(copy, null, indent);
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
