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

  test("equal values give equal text, whatever the key order; unequal ones differ", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const shuffled = JSON.parse(JSON.stringify(a), (_key, value) =>
          value !== null && typeof value === "object" && !Array.isArray(value)
            ? Object.fromEntries(Object.entries(value).reverse())
            : value,
        );
        expect(canonicalJson(shuffled)).toBe(canonicalJson(a));
        expect(jsonEqual(shuffled, a)).toBe(true);
        expect(canonicalJson(a) === canonicalJson(b)).toBe(jsonEqual(a, b));
        expect(JSON.parse(canonicalJson(a, 2))).toEqual(JSON.parse(JSON.stringify(a)));
      }),
    );
  });
});
