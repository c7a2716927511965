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

/** A name or region as table cells show it: hyphens non-breaking (U+2011), so no column wraps inside. */
const nb = (text: string) => text.replace(/-/g, "\u2011");

function elements(html: string): Set<string> {
  return new Set(elementNames(html));
}

describe("the plan comment, rendered as GitHub renders it", () => {
  const html = githubHtml(renderPlanMarkdown(realisticPlan(), { onMerge: true }));
  const blocks = topBlocks(html);

  test("opens with the headline, what merging does, a CAUTION alert for what destroys, then the sharing summary", () => {
    expect(blocks.slice(0, 5)).toEqual([
      { tag: "h3", text: 'Waybill plan for stack "platform"' },
      {
        tag: "p",
        text: "Plan: 1 to create, 1 to replace, 1 to adopt, 1 to update, 1 to retag, 1 to delete, 1 would be deleted with prune, 1 conflicting, 2 unchanged.",
      },
      {
        tag: "p",
        text: "Merging applies 6 changes; 1 delete is reported only (prune off); 1 conflict is left alone.",
      },
      {
        tag: "p",
        text: `[!CAUTION]\n2 changes destroy a configuration: delete ${nb("db-base")} (${nb("eu-west-1")}), replace ${nb("api-base-v2")} (${nb("us-west-2")}). Pipelines that use a destroyed configuration's ARN break.`,
      },
      { tag: "p", text: "Sharing · AMI copies per build: 18 → 17" },
    ]);
    // A GitHub alert: a blockquote whose first line is the alert's kind, alone.
    expect(html).toMatch(/<blockquote>\n<p>\[!CAUTION\]\n<strong>2 changes destroy/);
    const sharing = [
      ...(html.split("<p><strong>Sharing</strong>")[1] ?? "").matchAll(/<li>([\s\S]*?)<\/li>/g),
    ].map((m) => m[1] ?? "");
    // Flags, then new access to a configuration that already exists (win-2025), all of it, in bold;
    // web-base is created by this plan, so its grants come after.
    expect(sharing.slice(0, 8).map(text)).toEqual([
      "⚠️ public: web-base: anyone may launch its image in eu-west-1 (userGroups: all), new in this plan.",
      "⚠️ outside the allow-list: win-2025: 444444444444 in us-west-2 is not in the policy's allow-list.",
      "+ 444444444444 may launch win-2025 in us-west-2",
      "+ organization o-abcdefghij may launch win-2025 in us-west-2",
      "+ 123456789012 receives a copy of win-2025 in ca-central-1",
      "+ 210987654321 receives a copy of win-2025 in ca-central-1",
      "+ 333333333333 receives a copy of win-2025 in us-west-2",
      "+ everyone (public) may launch web-base in eu-west-1",
    ]);
    expect(sharing[2]).toContain("<strong>444444444444 may launch win-2025 in us-west-2</strong>");
    expect(sharing[7]).not.toContain("<strong>");
    expect(text(html)).toContain("- OU ou-abcd-12345678 may no longer launch win-2025 in us-west-2");
  });

  test("new access to an existing configuration is never folded into '… and N more'", () => {
    const image = (i: number, targetAccountIds: string[]) =>
      aDesired(`img-${i}`, {
        distributions: [
          {
            region: "us-east-1",
            amiDistributionConfiguration: { name: `img-${i} {{imagebuilder:buildDate}}`, targetAccountIds },
          },
        ],
      });
    const live = Array.from({ length: 20 }, (_, i) => aLiveFrom(image(i, [])));
    const desired = Array.from({ length: 20 }, (_, i) => image(i, ["444444444444"]));
    const created = Array.from({ length: 12 }, (_, i) => aDesired(`new-${i}`));
    const rendered = githubHtml(
      renderPlanMarkdown(plan([...desired, ...created], live, { stack: STACK, now: NOW }), { onMerge: true }),
    );
    const shown = text(
      rendered.split("<p><strong>Sharing</strong>")[1]?.split("<p><strong>Changes")[0] ?? "",
    );
    for (let i = 0; i < 20; i++)
      expect(shown).toContain(`444444444444 receives a copy of img-${i} in us-east-1`);
    // Each row names the account it adds.
    expect(tableRows(rendered, 0).find((row) => row[1] === nb("img-3"))?.[4]).toMatch(
      /targetAccountIds \+444444444444 \(us-east-1\)/,
    );
  });

  test("a drift check says each difference from the repository's side", () => {
    const image = (userIds: string[]) =>
      aDesired("web-base", {
        distributions: [
          {
            region: "us-east-1",
            amiDistributionConfiguration: {
              name: "web-base {{imagebuilder:buildDate}}",
              launchPermission: { userIds },
            },
          },
        ],
      });
    const drifted = plan([image(["111111111111"])], [aLiveFrom(image(["111111111111", "555555555555"]))], {
      stack: STACK,
      now: NOW,
    });
    const shown = text(githubHtml(renderPlanMarkdown(drifted, { drift: true })));
    expect(shown).toContain(
      "- live also lets 555555555555 launch web-base in us-east-1: not in the repository",
    );
    expect(shown).not.toContain("no longer");
    // The same plan for a pull request says what applying does.
    expect(text(githubHtml(renderPlanMarkdown(drifted)))).toContain(
      "- 555555555555 may no longer launch web-base in us-east-1",
    );
  });

  test("the per-region table is folded away, after the changes", () => {
    const folded = html.split("<details>")[1] ?? "";
    expect(text(/<summary>([\s\S]*?)<\/summary>/.exec(folded)?.[1] ?? "")).toBe(
      "Who gets the images, per configuration and region (after apply)",
    );
    expect(tableRows(html, 1)[0]).toEqual([
      "",
      "Configuration",
      "Region",
      "Copies in",
      "May launch",
      "Writes and exports",
    ]);
    // Rows the plan changes are marked.
    expect(tableRows(html, 1)).toContainEqual([
      "✎",
      nb("win-2025"),
      nb("us-west-2"),
      "210987654321, 333333333333",
      "444444444444, o-abcdefghij",
      "SSM /golden/win-2025/latest in 210987654321, launch template lt-0123456789abcdef0 in 210987654321, fast launch in 210987654321",
    ]);
    expect(tableRows(html, 1)).toContainEqual([
      "",
      nb("ci-runner"),
      nb("us-west-2"),
      "123456789012",
      "210987654321",
      "",
    ]);
    expect(text(html)).toContain("✎ marks the 5 rows this plan changes.");
  });

  test("destructive rows come first, each with its warning on the next row", () => {
    const rows = tableRows(html, 0);
    expect(rows[0]).toEqual(["", "Configuration", "Home region", "Action", "What changes"]);
    const changes = rows.slice(1).filter((row) => row[3] !== "warning");
    expect(changes.map((row) => [row[0], row[1], row[3]])).toEqual([
      ["⚠️ -", nb("db-base"), "delete (finishes a replace)"],
      ["⚠️ ±", nb("api-base-v2"), "replace"],
      ["⏸ -", nb("old-base"), "delete (not executed: prune is off)"],
      ["~", nb("legacy-base"), "adopt"],
      ["!", nb("shared-base"), "conflict: managed-by-other-stack (data-platform)"],
      ["~", nb("batch-base"), "tag"],
      ["+", nb("web-base"), "create"],
      ["~", nb("win-2025"), "update"],
    ]);
    // Names and regions never wrap inside: no plain hyphen left in those cells.
    for (const row of changes) expect(`${row[1]}${row[2]}`).not.toContain("-");
    expect(rows[2]?.[3]).toBe("warning");
    expect(rows[2]?.[4]).toMatch(/^db-base \(eu-west-1\) was replaced by db-base-v2/);
    expect(rows[4]?.[4]).toMatch(/^api-base-v2 replaces api-base/);
    // Regions gained and lost read as such, not as a bare distributions[...] path.
    // The accounts a set gains or loses are named first.
    expect(rows.find((row) => row[1] === nb("win-2025"))?.[4]).toBe(
      "launch organizations +o-abcdefghij (us-west-2), launch OUs -ou-abcd-12345678 (us-west-2), launch accounts +444444444444 (us-west-2), and 5 more",
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
