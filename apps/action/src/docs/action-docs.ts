/** The README's input and output tables, generated from action.yml so they cannot drift from it. */
import { parse } from "yaml";
import { z } from "zod";

const metadataSchema = z.object({
  inputs: z.record(
    z.string(),
    z.object({
      description: z.string(),
      required: z.boolean().optional(),
      default: z.string().optional(),
    }),
  ),
  outputs: z.record(z.string(), z.object({ description: z.string() })),
});

export type ActionMetadata = z.infer<typeof metadataSchema>;

export function parseActionMetadata(
  text: string,
): { success: true; metadata: ActionMetadata } | { success: false; error: string } {
  const parsed = metadataSchema.safeParse(parse(text));
  if (!parsed.success) return { success: false, error: z.prettifyError(parsed.error) };
  return { success: true, metadata: parsed.data };
}

function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, " ")
    .replace(/\|/g, "\\|")
    .trim();
}

export function renderInputsTable(metadata: ActionMetadata): string {
  const rows = Object.entries(metadata.inputs).map(([name, input]) => {
    const fallback = input.default === undefined || input.default === "" ? "" : `\`${input.default}\``;
    return `| \`${name}\` | ${cell(input.description)} | ${fallback} |`;
  });
  return ["| input | description | default |", "| --- | --- | --- |", ...rows].join("\n");
}

export function renderOutputsTable(metadata: ActionMetadata): string {
  const rows = Object.entries(metadata.outputs).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`,
  );
  return ["| output | description |", "| --- | --- |", ...rows].join("\n");
}

/** `<!-- name:start -->` ... `<!-- name:end -->`: the generated block's bounds in the README. */
export function generatedBlockMarkers(name: string): { start: string; end: string } {
  return {
    start: `<!-- ${name}:start (generated from apps/action/action.yml by pnpm action:docs) -->`,
    end: `<!-- ${name}:end -->`,
  };
}

/** Replaces the block's content; the text is returned unchanged (found: false) when the markers are missing. */
export function replaceGeneratedBlock(
  text: string,
  name: string,
  content: string,
): { found: boolean; text: string } {
  const { start, end } = generatedBlockMarkers(name);
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from === -1 || to === -1) return { found: false, text };
  return { found: true, text: `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}` };
}

/** The README with both tables regenerated, or which block markers are missing. */
export function updateReadmeTables(readme: string, actionYml: string): { text: string; problems: string[] } {
  const metadata = parseActionMetadata(actionYml);
  if (!metadata.success) return { text: readme, problems: [`action.yml: ${metadata.error}`] };
  const problems: string[] = [];
  let text = readme;
  for (const [name, table] of [
    ["action-inputs", renderInputsTable(metadata.metadata)],
    ["action-outputs", renderOutputsTable(metadata.metadata)],
  ] as const) {
    const replaced = replaceGeneratedBlock(text, name, table);
    if (!replaced.found) problems.push(`README.md has no ${generatedBlockMarkers(name).start} ... block`);
    text = replaced.text;
  }
  return { text, problems };
}
