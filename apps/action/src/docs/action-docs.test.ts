import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { ACTION_MODES } from "../inputs.js";
import { PLAN_ACTIONS } from "../runner.js";
import {
  parseActionMetadata,
  renderInputsTable,
  replaceGeneratedBlock,
  updateReadmeTables,
} from "./action-docs.js";

const actionYml = readFileSync(new URL("../../action.yml", import.meta.url), "utf8");
const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");

function metadata() {
  const parsed = parseActionMetadata(actionYml);
  if (!parsed.success) throw new Error(parsed.error);
  return parsed.metadata;
}

describe("README tables", () => {
  test("the README's input and output tables are the ones action.yml generates (run `pnpm action:docs`)", () => {
    const updated = updateReadmeTables(readme, actionYml);
    expect(updated.problems).toEqual([]);
    expect(updated.text === readme, "README.md's action tables are stale: run `pnpm action:docs`").toBe(true);
  });

  test("a changed description shows as a stale table", () => {
    const changed = actionYml.replace("Globs of configuration files", "Globs of config files");
    expect(updateReadmeTables(readme, changed).text).not.toBe(readme);
  });

  test("pipes and line breaks cannot break a row", () => {
    const table = renderInputsTable({
      inputs: { x: { description: "a | b\n  c", default: "d" } },
      outputs: {},
    });
    expect(table.split("\n")[2]).toBe("| `x` | a \\| b c | `d` |");
  });

  test("replacing keeps the text outside the block and reports missing markers", () => {
    expect(replaceGeneratedBlock("no markers", "action-inputs", "t")).toEqual({
      found: false,
      text: "no markers",
    });
  });
});

describe("action.yml", () => {
  test("declares runs.using node24 and the bundle", () => {
    expect(actionYml).toMatch(/runs:\n {2}using: node24\n {2}main: dist\/index\.js/);
  });

  test("declares every output the action sets", () => {
    const outputs = Object.keys(metadata().outputs);
    const set = [
      "has-changes",
      "plan-json",
      "summary",
      "failed-count",
      "comment-url",
      ...PLAN_ACTIONS.map((action) => `${action === "no-op" ? "unchanged" : action}-count`),
    ];
    expect([...outputs].sort()).toEqual([...set].sort());
  });

  test("documents every mode and the github.token default", () => {
    const { inputs } = metadata();
    for (const mode of ACTION_MODES) expect(inputs.mode?.description).toContain(`\`${mode}\``);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JS template
    expect(inputs["github-token"]?.default).toBe("${{ github.token }}");
  });
});

describe("docs/workflows", () => {
  const workflows = ["waybill.yml", "waybill-matrix.yml"].map((file) => ({
    file,
    text: readFileSync(new URL(`../../../../docs/workflows/${file}`, import.meta.url), "utf8"),
  }));
  const docs = readFileSync(new URL("../../../../docs/action.md", import.meta.url), "utf8");

  test.each(workflows)(
    "$file uses only inputs action.yml declares, and docs/action.md shows it whole",
    ({ text }) => {
      const declared = new Set(Object.keys(metadata().inputs));
      const workflow = parse(text) as {
        jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
      };
      const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
      const waybillSteps = steps.filter((step) => step.uses?.includes("/waybill/apps/action@"));
      expect(waybillSteps.length).toBeGreaterThan(0);
      for (const step of waybillSteps) {
        for (const input of Object.keys(step.with ?? {})) expect(declared).toContain(input);
      }
      expect(docs).toContain(text);
    },
  );
});
