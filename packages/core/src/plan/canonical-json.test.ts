import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { canonicalJson, jsonEqual } from "./canonical-json.js";

describe("canonicalJson", () => {
  test("sorts keys at every depth, index-like keys included", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":1,"z":0}]},"b":1}',
    );
    expect(canonicalJson({ b: 1, "10": 2, "9": 3 })).toBe('{"10":2,"9":3,"b":1}');
    expect(canonicalJson({ b: 1, "10": 2 }, 2)).toBe('{\n  "10": 2,\n  "b": 1\n}');
  });

  test('a "__proto__" member is kept when its object is reordered (fast-check\'s counterexample)', () => {
    const sorted = JSON.parse('[{"":0,"__proto__":0}]');
    const reversed = JSON.parse('[{"__proto__":0,"":0}]');
    expect(canonicalJson(reversed)).toBe('[{"":0,"__proto__":0}]');
    expect(canonicalJson(reversed)).toBe(canonicalJson(sorted));
  });

  test("equal values give equal text, whatever the key order; unequal ones differ", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        // Keys reversed as own properties (Object.fromEntries would turn a "__proto__" key into the prototype).
        const reversed = (value: object) => {
          const out = {};
          for (const [key, item] of Object.entries(value).reverse())
            Object.defineProperty(out, key, {
              value: item,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          return out;
        };
        const shuffled = JSON.parse(JSON.stringify(a), (_key, value) =>
          value !== null && typeof value === "object" && !Array.isArray(value) ? reversed(value) : value,
        );
        expect(canonicalJson(shuffled)).toBe(canonicalJson(a));
        expect(jsonEqual(shuffled, a)).toBe(true);
        expect(canonicalJson(a) === canonicalJson(b)).toBe(jsonEqual(a, b));
        expect(JSON.parse(canonicalJson(a, 2))).toEqual(JSON.parse(JSON.stringify(a)));
      }),
    );
  });

  test("is the sorted serialisation, also for undefined members, index-like keys and shared parts", () => {
    const reference = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map((item) => reference(item ?? null)).join(",")}]`;
      if (value !== null && typeof value === "object") {
        const object = value as Record<string, unknown>;
        const keys = Object.keys(object)
          .filter((key) => object[key] !== undefined)
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${keys.map((key) => `${JSON.stringify(key)}:${reference(object[key])}`).join(",")}}`;
      }
      return JSON.stringify(value);
    };
    const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom("1", "10", "9", "01", "a", "b"));
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null)),
        fc.array(fc.option(tie("value"), { nil: undefined }), { maxLength: 4 }),
        fc.dictionary(key, fc.option(tie("value"), { nil: undefined }), { maxKeys: 4 }),
      ),
    }));
    fc.assert(
      fc.property(value, (v) => {
        const shared = { part: v, again: [v, v] };
        expect(canonicalJson(shared)).toBe(reference(shared));
        expect(JSON.parse(canonicalJson(shared, 2))).toEqual(JSON.parse(reference(shared)));
      }),
      { numRuns: 500 },
    );
  });
});
