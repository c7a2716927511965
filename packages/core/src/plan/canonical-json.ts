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

/** Returns a copy of `value` whose objects have their keys in sorted order (undefined members dropped). */
export function sortKeysDeep(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value).sort(compareKeys)) {
      const member = value[key];
      if (member !== undefined) out[key] = sortKeysDeep(member);
    }
    return out;
  }
  if (value === undefined) return null;
  return value as JsonValue;
}

/**
 * Serialises with sorted keys. Integer-like keys (`"1"`) would otherwise jump ahead in
 * `JSON.stringify`'s output, so objects are written by hand rather than via a key-sorted copy.
 */
export function canonicalJson(value: unknown, indent = 0): string {
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
