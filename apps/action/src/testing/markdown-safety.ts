/** Checks for tests: markdown that user content could have turned into mentions, HTML or a hidden tail. */
import { expect } from "vitest";

/** Code spans (a backtick run, content, the same run) show their content literally: take them out. */
export function outsideCodeSpans(markdown: string): string {
  return markdown.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
}

/** HTML the action writes itself: the marker lines, `<br>` in table cells, the `<sub>` footer. */
const OURS = new Set(["<!--", "<br", "<sub", "</sub"]);

/**
 * No live mention anywhere (every `@` is followed by a zero-width space); outside code spans, no
 * HTML but the action's own, and the only HTML comments are the closed marker lines at the top.
 */
export function expectNoInjection(markdown: string): void {
  expect(markdown).not.toMatch(/@(?!\u200b)/);
  const outside = outsideCodeSpans(markdown);
  const tags = outside.match(/<[^>\s]*/g) ?? [];
  expect(tags.filter((tag) => !OURS.has(tag))).toEqual([]);
  const lines = outside.split("\n");
  const commentLines = lines.flatMap((line, index) => (line.includes("<!--") ? [index] : []));
  for (const index of commentLines) {
    expect(index, "an HTML comment below the marker lines").toBeLessThan(2);
    expect(lines[index]).toMatch(/^<!-- waybill:(plan|review) [^<>]* -->$/);
  }
}
