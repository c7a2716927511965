import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type ParseResult, parseConfigFile, parseYamlText } from "./parse.js";
import { readFixture } from "./testing/documents.js";

function codes(result: ParseResult): string[] {
  return result.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);
}

describe("parseConfigFile", () => {
  test("reads every document of a YAML file with positions of keys and values", () => {
    const result = parseConfigFile({ path: "two.yaml", text: readFixture("yaml/two-documents.yaml") });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.documents.map((d) => [d.index, d.line, d.column])).toEqual([
      [0, 2, 1],
      [1, 9, 1],
    ]);
    const second = result.documents[1];
    expect(second?.valuePositions.get("distributions[0].amiDistributionConfiguration.name")).toEqual({
      line: 14,
      column: 13,
    });
    expect(second?.keyPositions.get("distributions[0].amiDistributionConfiguration.launchPermision")).toEqual(
      {
        line: 17,
        column: 7,
      },
    );
    expect(
      second?.plainScalars.get("distributions[0].amiDistributionConfiguration.targetAccountIds[0]"),
    ).toBe("012345678901");
  });

  test("reads JSON as YAML 1.2, with positions", () => {
    const text = '{\n\t"name": "web",\n\t"distributions": [\n\t\t{ "region": "us-west-2" }\n\t]\n}\n';
    const result = parseConfigFile({ path: "tabs.json", text });
    expect(result.ok && result.documents[0]?.value).toEqual({
      name: "web",
      distributions: [{ region: "us-west-2" }],
    });
    expect(result.ok && result.documents[0]?.valuePositions.get("distributions[0].region")).toEqual({
      line: 4,
      column: 15,
    });
  });

  test("expands anchors and aliases within the limits", () => {
    const result = parseConfigFile({ path: "anchors.yaml", text: readFixture("yaml/anchors.yaml") });
    expect(codes(result)).toEqual([]);
    const value = result.ok
      ? (result.documents[0]?.value as { distributions: { amiDistributionConfiguration: unknown }[] })
      : undefined;
    expect(value?.distributions[1]?.amiDistributionConfiguration).toEqual(
      value?.distributions[0]?.amiDistributionConfiguration,
    );
  });

  test("a duplicate key is an error at the second occurrence", () => {
    const result = parseConfigFile({ path: "dup.json", text: readFixture("yaml/duplicate-key.json") });
    expect(result.ok).toBe(false);
    expect(codes(result)).toEqual(["duplicate-key 4:3"]);
  });

  test("a syntax error is located", () => {
    const result = parseConfigFile({ path: "bad.yaml", text: readFixture("yaml/syntax-error.yaml") });
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({
      code: "yaml-syntax",
      file: "bad.yaml",
      line: 4,
      column: 1,
    });
    expect(result.diagnostics[0]?.message).toMatch(/closing "quote/);
  });

  test("an empty file is a warning, not an error", () => {
    const result = parseConfigFile({ path: "empty.yaml", text: "# nothing here\n---\n" });
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([["empty-file", "warning"]]);
  });

  test("a byte-order mark is ignored", () => {
    const result = parseConfigFile({ path: "bom.json", text: '\uFEFF{"name": "web"}' });
    expect(result.ok && result.documents[0]?.value).toEqual({ name: "web" });
  });

  test("bytes are decoded as UTF-8", () => {
    const result = parseConfigFile({ path: "b.yaml", text: new TextEncoder().encode("name: wéb\n") });
    expect(result.ok && result.documents[0]?.value).toEqual({ name: "wéb" });
  });
});

describe("hostile input is refused with a diagnostic", () => {
  test("a YAML alias bomb", () => {
    const result = parseConfigFile({ path: "bomb.yaml", text: readFixture("yaml/alias-bomb.yaml") });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["too-many-aliases"]);
  });

  test("an alias bomb within the alias count is stopped by the value budget", () => {
    const text = readFixture("yaml/alias-bomb.yaml");
    const result = parseConfigFile({ path: "bomb.yaml", text }, { maxAliases: 1_000_000 });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["too-many-aliases", "document expands to more than 100000 values"],
    ]);
  });

  test("a __proto__ key, without polluting any prototype", () => {
    const result = parseConfigFile({ path: "proto.json", text: readFixture("yaml/proto.json") });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => `${d.code} ${d.path} ${d.line}:${d.column}`)).toEqual([
      "forbidden-key __proto__ 3:3",
    ]);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  test("a 10 MB file", () => {
    const text = `name: big\ndescription: "${"x".repeat(10 * 1024 * 1024)}"\n`;
    const result = parseConfigFile({ path: "big.yaml", text });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["file-too-large"]);
  });

  test("invalid UTF-8 bytes", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("name: web"), 0xc3, 0x28, 0x0a]);
    const result = parseConfigFile({ path: "bad.yaml", text: bytes });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["invalid-utf8"]);
  });

  test("text that was decoded leniently from invalid UTF-8", () => {
    const text = new TextDecoder().decode(new Uint8Array([0x6e, 0x3a, 0x0a, 0x61, 0x3a, 0x20, 0xff]));
    const result = parseConfigFile({ path: "bad.yaml", text });
    expect(result.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual(["invalid-utf8 2:4"]);
  });

  test("deeply nested flow collections", () => {
    const depth = 100_000;
    const result = parseConfigFile({ path: "deep.json", text: "[".repeat(depth) + "]".repeat(depth) });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["too-deep"]);
  });

  test("nesting deeper than the limit, short of the parser's", () => {
    const result = parseConfigFile({ path: "deep.json", text: `{"a":${"[".repeat(40)}${"]".repeat(40)}}` });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([["too-deep", 1, 37]]);
  });

  test("deeply nested block maps", () => {
    const text = Array.from({ length: 1000 }, (_, i) => `${" ".repeat(i)}a:`).join("\n");
    const result = parseConfigFile({ path: "deep.yaml", text });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["too-deep"]);
  });
});

describe("JSON through JSON.parse, positions only when asked", () => {
  const limits = { maxFileBytes: 1024 * 1024, maxDepth: 32, maxAliases: 100, maxNodes: 100_000 };
  /** What the YAML parser makes of the same text: the reading the fast path must not change. */
  const asYaml = (text: string) => parseYamlText(text, "f.json", limits);
  const summary = (result: ParseResult) =>
    result.ok
      ? {
          ok: true,
          documents: result.documents.map((d) => ({
            index: d.index,
            line: d.line,
            column: d.column,
            value: d.value,
            valuePositions: [...d.valuePositions],
            keyPositions: [...d.keyPositions],
            plainScalars: [...d.plainScalars],
          })),
          diagnostics: result.diagnostics,
        }
      : result;

  test("any JSON object or array reads as the YAML parser reads it: values, positions, diagnostics", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue())),
        fc.constantFrom(0, 2, "\t"),
        fc.constantFrom("", "\n", "  \n"),
        (value, indent, leading) => {
          const text = leading + JSON.stringify(value, null, indent);
          const fast = parseConfigFile({ path: "f.json", text });
          expect(summary(fast)).toEqual(summary(asYaml(text)));
        },
      ),
      { numRuns: 300 },
    );
  });

  test("what JSON.parse lets pass but YAML refuses goes to the YAML parser and is reported there", () => {
    const cases: [string, string][] = [
      ['{\n  "name": "a",\n  "name": "b"\n}', "duplicate-key 3:3"],
      ['{"a": {"b": 1, "c": 2, "b": 3}}', "duplicate-key 1:24"],
      ['{"\\u005f_proto__": {}}', "forbidden-key 1:2"],
      [`${"[".repeat(40)}${"]".repeat(40)}`, "too-deep 1:33"],
    ];
    for (const [text, expected] of cases) {
      const result = parseConfigFile({ path: "f.json", text });
      expect(codes(result), text).toEqual([expected]);
      expect(summary(result)).toEqual(summary(asYaml(text)));
    }
  });

  test("a JSON file's positions come from the YAML parser, on first use", () => {
    const text = '{\n  "name": "web",\n  "tags": {"team": "x"}\n}\n';
    const result = parseConfigFile({ path: "f.json", text });
    if (!result.ok) throw new Error("expected the file to parse");
    const document = result.documents[0];
    expect(document?.value).toEqual({ name: "web", tags: { team: "x" } });
    expect(document?.keyPositions.get("tags.team")).toEqual({ line: 3, column: 12 });
    expect(document?.valuePositions.get("tags.team")).toEqual({ line: 3, column: 20 });
    expect(document?.valuePositions.size).toBe(4);
  });

  test("YAML documents too: values at once, the same positions as before on first use", () => {
    const text = readFixture("yaml/two-documents.yaml");
    const result = parseConfigFile({ path: "two.yaml", text });
    expect(summary(result)).toEqual(summary(parseYamlText(text, "two.yaml", limits)));
  });
});
