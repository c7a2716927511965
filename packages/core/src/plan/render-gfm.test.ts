/**
 * The plan comment as GitHub renders it: micromark with its GFM extensions (tables, strikethrough,
 * autolinks), HTML allowed as GitHub allows `<details>`; the structure a reviewer sees is asserted
 * on the rendered HTML, not on the markdown text.
 */
import { describe, expect, test } from "vitest";
import {
  elementNames,
  githubHtml,
  tableRows,
  htmlText as text,
  topBlocks,
} from "../testing/github-markdown.js";
import { plan } from "./plan.js";
import { renderPlanMarkdown } from "./render-markdown.js";
import { aDesired, aLiveFrom, STACK } from "./testing/builders.js";
import { hostilePlan, NOW, realisticPlan } from "./testing/scenarios.js";

/** Every element the renderer may produce; anything else came from user content. */
const LAYOUT_ELEMENTS = new Set([
  "h3",
  "p",
  "strong",
  "ul",
  "li",
  "code",
  "pre",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "details",
  "summary",
  "blockquote",
]);

function elements(html: string): Set<string> {
  return new Set(elementNames(html));
}

describe("the plan comment, rendered as GitHub renders it", () => {
  const html = githubHtml(renderPlanMarkdown(realisticPlan(), { onMerge: true }));
  const blocks = topBlocks(html);

  test("opens with the headline, what merging does, then the sharing summary", () => {
    expect(blocks.slice(0, 4)).toEqual([
      { tag: "h3", text: 'Waybill plan for stack "platform"' },
      {
        tag: "p",
        text: "Plan: 1 to create, 1 to replace, 1 to adopt, 1 to update, 1 to retag, 1 to delete, 1 would be deleted with prune, 1 conflicting, 2 unchanged.",
      },
      {
        tag: "p",
        text: "Merging applies 6 changes; 1 delete is reported only (prune off); 1 conflict is left alone.",
      },
      { tag: "p", text: "Sharing · AMI copies per build: 18 → 17" },
    ]);
    const sharing = [
      ...(html.split("<p><strong>Sharing</strong>")[1] ?? "").matchAll(/<li>([\s\S]*?)<\/li>/g),
    ]
      .slice(0, 5)
      .map((m) => text(m[1] ?? ""));
    expect(sharing).toEqual([
      "⚠️ public: web-base: anyone may launch its image in eu-west-1 (userGroups: all), new in this plan.",
      "⚠️ outside the allow-list: win-2025: 444444444444 in us-west-2 is not in the policy's allow-list.",
      "+ everyone (public) may launch web-base in eu-west-1",
      "+ 210987654321 may launch web-base in eu-west-1, us-west-2",
      "+ 444444444444 may launch win-2025 in us-west-2",
    ]);
    expect(text(html)).toContain("- OU ou-abcd-12345678 may no longer launch win-2025 in us-west-2");
  });

  test("the per-region table is folded away, after the changes", () => {
    const folded = html.split("<details>")[1] ?? "";
    expect(text(/<summary>([\s\S]*?)<\/summary>/.exec(folded)?.[1] ?? "")).toBe(
      "Who gets the images, per configuration and region (after apply)",
    );
    expect(tableRows(html, 1)[0]).toEqual([
      "Configuration",
      "Region",
      "Copies in",
      "May launch",
      "Writes and exports",
    ]);
    expect(tableRows(html, 1)).toContainEqual([
      "win-2025",
      "us-west-2",
      "210987654321, 333333333333",
      "444444444444, o-abcdefghij",
      "SSM /golden/win-2025/latest in 210987654321, launch template lt-0123456789abcdef0 in 210987654321, fast launch in 210987654321",
    ]);
  });

  test("destructive rows come first, each with its warning on the next row", () => {
    const rows = tableRows(html, 0);
    expect(rows[0]).toEqual(["", "Configuration", "Home region", "Action", "What changes"]);
    const changes = rows.slice(1).filter((row) => row[3] !== "warning");
    expect(changes.map((row) => [row[0], row[1], row[3]])).toEqual([
      ["⚠️ -", "db-base", "delete (finishes a replace)"],
      ["⚠️ ±", "api-base-v2", "replace"],
      ["⏸ -", "old-base", "delete (not executed: prune is off)"],
      ["~", "legacy-base", "adopt"],
      ["!", "shared-base", "conflict: managed-by-other-stack (data-platform)"],
      ["~", "batch-base", "tag"],
      ["+", "web-base", "create"],
      ["~", "win-2025", "update"],
    ]);
    expect(rows[2]?.[3]).toBe("warning");
    expect(rows[2]?.[4]).toMatch(/^db-base \(eu-west-1\) was replaced by db-base-v2/);
    expect(rows[4]?.[4]).toMatch(/^api-base-v2 replaces api-base/);
    // Regions gained and lost read as such, not as a bare distributions[...] path.
    expect(rows.find((row) => row[1] === "win-2025")?.[4]).toBe(
      "description, + ca-central-1, - eu-central-1, and 5 more",
    );
  });

  test("a delete shows what it destroys; a create is a summary with the document folded", () => {
    const deleted = html.split("delete (finishes a replace) <code>db-base</code>")[1] ?? "";
    expect(text(deleted.split("</ul>")[1] ?? "")).toMatch(/^Destroys:/);
    expect(deleted).toContain("<li>regions: eu-west-1, us-west-2</li>");
    expect(deleted).toContain("<summary>The whole configuration, as it is live</summary>");
    expect(deleted).toContain("-   &quot;description&quot;: &quot;Golden db-base AMI&quot;,");
    const created = html.split("create <code>web-base</code>")[1] ?? "";
    expect(created).toContain(
      "<li>may launch: 210987654321 (every region); everyone (public) (only eu-west-1)</li>",
    );
    expect(created).toContain("<summary>The whole configuration</summary>");
  });

  test("the live-state fingerprint is only in the hidden marker", () => {
    expect(text(html)).not.toContain("sha256:");
  });
});

describe("user content, rendered as GitHub renders it", () => {
  test("adds no element, link or mention to the comment", () => {
    const hostile = renderPlanMarkdown(hostilePlan(), { title: "Plan for @octocat </details>" });
    const html = githubHtml(hostile);
    expect([...elements(html)].filter((element) => !LAYOUT_ELEMENTS.has(element))).toEqual([]);
    expect(text(html)).not.toMatch(/@[A-Za-z]/);
    expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length);
  });

  test("a configuration that only changes tags and names reports no access change", () => {
    const desired = aDesired("web-base", { description: "renamed", tags: { team: "x" } });
    const html = githubHtml(
      renderPlanMarkdown(plan([desired], [aLiveFrom(aDesired("web-base"))], { stack: STACK, now: NOW })),
    );
    expect(html).toContain("<li>no change in who receives or may launch the images</li>");
  });
});

describe("sections a caller adds", () => {
  test("come after the sharing summary and before the changes, escaped", () => {
    const sections = [{ title: "Preflight", lines: ["role missing in 444444444444 <b>@octocat</b>"] }];
    const html = githubHtml(renderPlanMarkdown(realisticPlan(), { sections }));
    const order = ["<strong>Sharing</strong>", "<strong>Preflight</strong>", "<strong>Changes</strong>"].map(
      (mark) => html.indexOf(mark),
    );
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] ?? 0)))).toBe(true);
    expect(text(html)).toContain("role missing in 444444444444 <b>@\u200boctocat</b>");
    expect([...elements(html)].filter((element) => !LAYOUT_ELEMENTS.has(element))).toEqual([]);
  });
});
