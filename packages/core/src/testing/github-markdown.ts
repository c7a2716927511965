/**
 * Markdown as GitHub renders it (micromark with its GFM extensions: tables, strikethrough,
 * autolinks; HTML allowed as GitHub allows `<details>` and `<sub>`), for tests of the plan comment
 * here and of the Action's comments and summaries: the structure a reviewer sees is asserted on the
 * rendered HTML, not on the markdown text.
 */
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

/** The HTML of `markdown`, with HTML allowed through as GitHub allows `<details>` and `<sub>`. */
export function githubHtml(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

/** The element names used in `html`. */
export function elementNames(html: string): string[] {
  return [...new Set([...html.matchAll(/<([a-z][a-z0-9]*)\b/g)].map((match) => match[1] ?? ""))].sort();
}

/** The text of an HTML fragment: tags removed, the entities GitHub shows decoded. */
export function htmlText(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .trim();
}

/** The top-level blocks a reader sees first: headings, paragraphs, lists and tables, as text. */
export function topBlocks(html: string): { tag: string; text: string }[] {
  return [...html.matchAll(/<(h3|p|ul|table|details)>([\s\S]*?)<\/\1>/g)].map((match) => ({
    tag: match[1] ?? "",
    text: htmlText(match[2] ?? ""),
  }));
}

/** The rows (cells as text) of the `index`th table in `html`. */
export function tableRows(html: string, index: number): string[][] {
  const table = [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)][index]?.[1] ?? "";
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => htmlText(cell[1] ?? "")),
  );
}
