import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import {
  documentedPackages,
  firstSentence,
  packageEntries,
  readApi,
  renderApiSection,
  withApiSection,
} from "./api-table.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe.each(documentedPackages)("%s", (dir) => {
  const packageDir = join(root, dir);
  const name = (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { name: string }).name;

  test("the README's API table is the one its entry points generate (run `pnpm api:docs`)", () => {
    const readme = readFileSync(join(packageDir, "README.md"), "utf8");
    expect(readme).toBe(withApiSection(readme, renderApiSection(name, readApi(packageDir))));
  }, 120_000);

  test("each entry lists its exports by name: no `export *`", () => {
    for (const entry of packageEntries(packageDir)) {
      expect({
        entry: entry.specifier,
        exportStar: /^export \*/m.test(readFileSync(entry.file, "utf8")),
      }).toEqual({
        entry: entry.specifier,
        exportStar: false,
      });
    }
  });
});

test("@waybill/core's root entry holds at most 60 run-time names (the rest is in its subpath entries or internal)", () => {
  const [rootEntry] = readApi(join(root, "packages/core"));
  expect(rootEntry?.specifier).toBe("@waybill/core");
  expect(rootEntry?.exports.filter((item) => item.runtime).length).toBeLessThanOrEqual(60);
}, 120_000);

describe("firstSentence", () => {
  test("ends at the first full stop outside code, in the first paragraph, links as code", () => {
    expect(firstSentence("Reads `a.b` files. Then more.")).toBe("Reads `a.b` files.");
    expect(firstSentence("Lists, e.g. this one, and that.\nMore")).toBe("Lists, e.g. this one, and that.");
    expect(firstSentence("What it is:\n\n- a list")).toBe("What it is:");
    expect(firstSentence("See {@link plan}.")).toBe("See `plan`.");
    expect(firstSentence("a | b")).toBe("a \\| b");
    expect(firstSentence("")).toBe("");
  });
});

describe("withApiSection", () => {
  test("replaces the API section to the next heading of its level, or to the end", () => {
    expect(withApiSection("# x\n\n## API\n\nold\n", "## API\n\nnew\n")).toBe("# x\n\n## API\n\nnew\n");
    expect(withApiSection("## API\nold\n## Next\nkept\n", "## API\nnew\n")).toBe(
      "## API\nnew\n\n## Next\nkept\n",
    );
    expect(() => withApiSection("# x\n", "## API\n")).toThrow(/no "## API"/);
  });
});
