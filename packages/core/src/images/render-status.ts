/** `waybill status` as terminal text and as one self-contained HTML page (a coverage grid). */
import { escapeUnsafe } from "../plan/describe.js";
import { compareTargets, statusCounts, targetKey } from "./coverage.js";
import type { CoverageState, ImageStatus, Target } from "./image-model.js";

/** One line of counts: `3 configurations, 2 pipelines: 5 present, 1 missing, 0 extra`. */
export function statusSummaryLine(status: ImageStatus): string {
  const counts = statusCounts(status);
  const configurations = status.configurations.length;
  return `${configurations} configuration${configurations === 1 ? "" : "s"}, ${counts.pipelines} pipeline${counts.pipelines === 1 ? "" : "s"}: ${counts.present} present, ${counts.missing} missing, ${counts.extra} extra`;
}

/** The status for a terminal: each configuration, its pipelines, each target's state. */
export function renderStatusText(status: ImageStatus): string {
  const lines: string[] = [statusSummaryLine(status), ""];
  for (const configuration of status.configurations) {
    lines.push(`${escapeUnsafe(configuration.name)} (${escapeUnsafe(configuration.region)})`);
    if (configuration.pipelines.length === 0) lines.push("  no image pipeline uses it");
    for (const pipeline of configuration.pipelines) {
      if (pipeline.image === null) {
        lines.push(`  ${escapeUnsafe(pipeline.name)}: no available image yet`);
        continue;
      }
      lines.push(`  ${escapeUnsafe(pipeline.name)} image ${escapeUnsafe(pipeline.image.version)}`);
      for (const target of pipeline.targets) {
        const ami = target.ami === undefined ? "" : ` ${escapeUnsafe(target.ami)}`;
        lines.push(
          `    ${target.state.padEnd(7)} ${escapeUnsafe(target.region)} (${escapeUnsafe(target.accountId)})${ami}`,
        );
      }
    }
    lines.push("");
  }
  if (status.configurations.length > 0) lines.pop();
  return `${lines.join("\n")}\n`;
}

function html(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const SYMBOLS: Readonly<Record<CoverageState, string>> = { present: "✓", missing: "✗", extra: "+" };

/**
 * The status as one HTML page with no outside resource: a summary, then a grid with a row per
 * configuration and pipeline and a column per target (region and account), each cell marked
 * present, missing or extra. Rows with a gap come first; a filter box and a "gaps only" switch
 * keep hundreds of rows readable.
 */
export function renderStatusHtml(
  status: ImageStatus,
  options: { title?: string; generatedAt?: Date } = {},
): string {
  const title = options.title ?? "Waybill image status";
  const columns = new Map<string, Target>();
  for (const configuration of status.configurations)
    for (const pipeline of configuration.pipelines)
      for (const target of pipeline.targets)
        columns.set(targetKey(target), { region: target.region, accountId: target.accountId });
  const ordered = [...columns.values()].sort(compareTargets);
  const rows: { gap: boolean; html: string }[] = [];
  for (const configuration of status.configurations) {
    const pipelines = configuration.pipelines.length === 0 ? [undefined] : configuration.pipelines;
    for (const pipeline of pipelines) {
      const states = new Map((pipeline?.targets ?? []).map((target) => [targetKey(target), target]));
      const gap = (pipeline?.targets ?? []).some((target) => target.state !== "present");
      const cells = ordered.map((column) => {
        const target = states.get(targetKey(column));
        if (target === undefined) return "<td></td>";
        const label = `${target.state}${target.ami === undefined ? "" : ` ${target.ami}`}`;
        return `<td class="${target.state}" title="${html(`${column.region} ${column.accountId}: ${label}`)}">${SYMBOLS[target.state]}</td>`;
      });
      const image =
        pipeline === undefined
          ? "no pipeline"
          : pipeline.image === null
            ? "no image yet"
            : pipeline.image.version;
      rows.push({
        gap,
        html: `<tr data-gap="${gap}"><th scope="row">${html(configuration.name)} <small>${html(configuration.region)}</small></th><td class="pipeline">${html(pipeline?.name ?? "—")}</td><td class="image">${html(image)}</td>${cells.join("")}</tr>`,
      });
    }
  }
  rows.sort((a, b) => Number(b.gap) - Number(a.gap));
  const counts = statusCounts(status);
  const header = ordered
    .map(
      (column) =>
        `<th scope="col"><span>${html(column.region)}</span><small>${html(column.accountId)}</small></th>`,
    )
    .join("");
  const generated = options.generatedAt === undefined ? "" : ` · ${html(options.generatedAt.toISOString())}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1rem;color:#1f2328}
.summary span{display:inline-block;margin-right:1rem;padding:.2rem .5rem;border-radius:4px}
.present{background:#dafbe1;color:#116329}.missing{background:#ffebe9;color:#a40e26;font-weight:bold}.extra{background:#fff8c5;color:#7d4e00}
table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:.15rem .35rem;text-align:center;white-space:nowrap}
thead th{position:sticky;top:0;background:#f6f8fa}thead th small,th small{display:block;color:#57606a;font-weight:normal}
tbody th{text-align:left;position:sticky;left:0;background:#fff}td.pipeline,td.image{text-align:left}
.controls{margin:.5rem 0}
</style>
</head>
<body>
<h1>${html(title)}</h1>
<p class="summary" id="summary">${status.configurations.length} configurations · ${counts.pipelines} pipelines${generated}<br>
<span class="present" id="count-present">${counts.present} present</span><span class="missing" id="count-missing">${counts.missing} missing</span><span class="extra" id="count-extra">${counts.extra} extra</span></p>
<p>✓ present (the AMI is there) · ✗ missing (added after the build: <code>waybill rollout</code> fills it) · + extra (removed from the configuration since)</p>
<div class="controls"><label>Filter <input id="filter" type="search" placeholder="configuration or pipeline"></label>
<label><input id="gaps" type="checkbox"> only rows with a gap</label></div>
<table id="grid">
<thead><tr><th scope="col">Configuration</th><th scope="col">Pipeline</th><th scope="col">Image</th>${header}</tr></thead>
<tbody>
${rows.map((row) => row.html).join("\n")}
</tbody>
</table>
<script>
(function () {
  var filter = document.getElementById("filter");
  var gaps = document.getElementById("gaps");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#grid tbody tr"));
  function apply() {
    var text = filter.value.toLowerCase();
    rows.forEach(function (row) {
      var show = row.textContent.toLowerCase().indexOf(text) !== -1 && (!gaps.checked || row.getAttribute("data-gap") === "true");
      row.hidden = !show;
    });
  }
  filter.addEventListener("input", apply);
  gaps.addEventListener("change", apply);
})();
</script>
</body>
</html>
`;
}
