import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Sha256, sha256Hex } from "./sha256.js";

describe("sha256Hex", () => {
  test("matches the FIPS 180-2 test vectors", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  test("agrees with node:crypto at every padding boundary", () => {
    for (const length of [55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129]) {
      const text = "é".repeat(length >> 1) + "a".repeat(length & 1);
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
    }
  });

  test("agrees with node:crypto on any text, across block boundaries", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
      }),
    );
  });

  test("hashes text given in parts as the whole, also past its 64 KiB buffer", () => {
    const big = `${"a".repeat(65_533)}é€😀${"ü".repeat(70_000)}`;
    expect(sha256Hex(big)).toBe(createHash("sha256").update(big, "utf8").digest("hex"));
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 90 }), { maxLength: 12 }), (parts) => {
        const hash = new Sha256();
        for (const part of parts) hash.update(part);
        expect(hash.hex()).toBe(createHash("sha256").update(parts.join(""), "utf8").digest("hex"));
      }),
    );
  });
});
