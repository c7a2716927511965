import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { defaultParseLimits, parseConfigFile, parseConfigFileWithYaml } from "./parse.js";
import { parseSimpleYaml } from "./parse-simple.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Both paths give the same result, to the order of the position maps. */
function expectSamePaths(text: string, limits = {}) {
  const file = { path: "f.yaml", text };
  const fast = parseConfigFile(file, limits);
  const full = parseConfigFileWithYaml(file, limits);
  expect(fast).toEqual(full);
  if (fast.ok && full.ok) {
    fast.documents.forEach((document, i) => {
      const other = full.documents[i];
      expect([...document.valuePositions]).toEqual([...(other?.valuePositions ?? [])]);
      expect([...document.keyPositions]).toEqual([...(other?.keyPositions ?? [])]);
      expect([...document.plainScalars]).toEqual([...(other?.plainScalars ?? [])]);
    });
  }
}

function yamlFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (name === "node_modules" || name.startsWith(".")) return [];
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const typical = `# A typical file
name: golden-ami
region: us-east-1
description: Golden AMI, built nightly
distributions:
  - region: us-east-1
    amiDistributionConfiguration:
      name: "golden {{imagebuilder:buildDate}}"
      amiTags:
        team: platform   # owners
        "cost center": '12''34'
      launchPermission:
        userIds: ["111111111111", '222222222222']
  - region: eu-west-1
    amiDistributionConfiguration:
      name: golden-{{ imagebuilder:buildDate }}
      targetAccountIds: []
    launchTemplateConfigurations:
    - launchTemplateId: lt-0123456789abcdef0
      setDefaultVersion: true
      accountId: 012345678901
tags:
  team: platform
  waybill:note: a:b
`;

describe("the fast path for plain YAML", () => {
  test("reads a typical file itself, with the same result as the yaml library", () => {
    expect(parseSimpleYaml(typical, "f.yaml", defaultParseLimits)).toBeDefined();
    expectSamePaths(typical);
  });

  test("leaves what it does not handle to the yaml library", () => {
    for (const text of [
      "---\nname: a\n",
      "name: &a x\nother: *a\n",
      "name: |\n  text\n",
      "name: a\n  continued\n",
      'name: "a\\tb"\n',
      "name: a\nname: b\n",
      "__proto__: x\n",
      "a:\n  - - x\n",
      "a: {b: c}\n",
      "a: 1.5\n",
      "a:\tb\n",
      "a: b\r\nc: d\r\n",
      "# only a comment\n",
      "- a\n- b\n",
      "a: b: c\n",
      "a: [x, ]\n",
    ]) {
      expect(parseSimpleYaml(text, "f.yaml", defaultParseLimits), text).toBeUndefined();
      expectSamePaths(text);
    }
  });

  test("leaves input beyond the depth and node limits to the yaml library", () => {
    const deep = "a:\n  b:\n    c:\n      d: x\n";
    expect(parseSimpleYaml(deep, "f.yaml", { ...defaultParseLimits, maxDepth: 3 })).toBeUndefined();
    expectSamePaths(deep, { maxDepth: 3 });
    expect(parseSimpleYaml(deep, "f.yaml", { ...defaultParseLimits, maxNodes: 4 })).toBeUndefined();
    expectSamePaths(deep, { maxNodes: 4 });
    expect(parseSimpleYaml(deep, "f.yaml", { ...defaultParseLimits, maxNodes: 5 })).toBeDefined();
    expectSamePaths(deep, { maxNodes: 5 });
  });

  test("agrees with the yaml library on every YAML file in the repository", () => {
    const files = [...yamlFiles(join(repoRoot, "examples")), ...yamlFiles(join(repoRoot, "packages"))];
    expect(files.length).toBeGreaterThan(0);
    for (const path of files) expectSamePaths(readFileSync(path, "utf8"));
  });

  const scalarText = fc.oneof(
    { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
    { arbitrary: fc.stringMatching(/^[a-z][a-z0-9 .:/-]{0,10}[a-z0-9]$/), weight: 3 },
    fc.constantFrom(
      "x",
      "us-east-1",
      "012345678901",
      "-3",
      "+7",
      "1e3",
      "0x1F",
      "0o17",
      ".inf",
      "null",
      "~",
      "True",
      "no",
      "a #b",
      "a#b",
      "a: b",
      "a:b",
      "{{imagebuilder:buildDate}}",
      "1234567890123456789",
      "[a]",
      "'q'",
      '"q"',
      "it''s",
      "- x",
      "",
      " ",
      "é ü",
    ),
  );
  const scalar = fc
    .tuple(
      scalarText,
      fc.constantFrom("plain", "plain", "double", "single"),
      fc.nat(9).map((n) => n < 2),
    )
    .map(([text, quote, comment]) => {
      const written = quote === "double" ? `"${text}"` : quote === "single" ? `'${text}'` : text;
      return written + (comment ? " # note" : "");
    });
  const key = fc.oneof(
    { arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_:-]{0,8}$/), weight: 4 },
    fc.constantFrom("name", "region", "a", "b", "waybill:source", "Key Name", "1", "true", "__proto__", "-k"),
    fc.string({ maxLength: 6 }),
  );
  type Node = { kind: "scalar"; text: string } | { kind: "flow"; items: string[] } | Block;
  type Block =
    | { kind: "map"; entries: [string, Node][]; indent: number }
    | { kind: "list"; items: Node[]; indent: number; compact: boolean };
  const { node } = fc.letrec<{ node: Node; block: Block }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      scalar.map((text): Node => ({ kind: "scalar", text })),
      fc.array(scalar, { maxLength: 3 }).map((items): Node => ({ kind: "flow", items })),
      tie("block"),
    ),
    block: fc.oneof(
      fc
        .record({
          entries: fc.array(fc.tuple(key, tie("node")), { minLength: 1, maxLength: 4 }),
          indent: fc.constantFrom(1, 2, 4),
        })
        .map((m): Block => ({ kind: "map", ...m })),
      fc
        .record({
          items: fc.array(tie("node"), { minLength: 1, maxLength: 3 }),
          indent: fc.constantFrom(1, 2, 3),
          compact: fc.boolean(),
        })
        .map((l): Block => ({ kind: "list", ...l })),
    ),
  }));

  /** Writes `value` after `prefix` (`key:` or `- `, owned by an entry at `column`) and below it. */
  function write(value: Node, column: number, out: string[], prefix: string): void {
    const dash = prefix.endsWith("- ");
    if (value.kind === "scalar") out.push(`${prefix}${dash ? "" : " "}${value.text}`);
    else if (value.kind === "flow") out.push(`${prefix}${dash ? "" : " "}[${value.items.join(", ")}]`);
    else if (value.kind === "map") {
      const inner = dash ? prefix.length : column + value.indent;
      if (!dash) out.push(prefix);
      value.entries.forEach(([k, v], i) => {
        write(v, inner, out, `${i === 0 && dash ? prefix : " ".repeat(inner)}${k}:`);
      });
    } else {
      const inner = value.compact && !dash ? column : column + value.indent;
      out.push(dash ? prefix.trimEnd() : prefix);
      for (const item of value.items) write(item, inner, out, `${" ".repeat(inner)}- `);
    }
  }

  test("agrees with the yaml library on generated block YAML", () => {
    const documents = fc
      .tuple(
        fc.array(fc.tuple(key, node), { minLength: 1, maxLength: 5 }),
        fc.constantFrom("", "# c\n", "\n"),
      )
      .map(([entries, lead]) => {
        const out: string[] = [];
        for (const [k, v] of entries) write(v, 0, out, `${k}:`);
        return `${lead}${out.join("\n")}\n`;
      });
    let taken = 0;
    fc.assert(
      fc.property(documents, (text) => {
        if (parseSimpleYaml(text, "f.yaml", defaultParseLimits) !== undefined) taken++;
        expectSamePaths(text);
      }),
      { numRuns: 1500 },
    );
    // The generator must exercise the fast path, not only the fallback.
    expect(taken).toBeGreaterThan(200);
  });

  test("agrees with the yaml library on fragments of YAML syntax", () => {
    const fragments = fc
      .array(
        fc.constantFrom(
          "a:",
          "b: x",
          " ",
          "  ",
          "- ",
          "-",
          "[",
          "]",
          ", ",
          "{",
          "\n",
          "\n  ",
          '"',
          "'",
          "#",
          " #c",
          ": ",
          "name: n",
          "1",
          "&x ",
          "*x",
          "---\n",
        ),
        { maxLength: 30 },
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(fragments, (text) => expectSamePaths(text)),
      { numRuns: 1500 },
    );
  });
});
