// One benchmark row, run in a child process of its own so that its peak memory is its own:
// `plan` or `apply` of a configuration repository against an endpoint, reported as one JSON line.
import { parseArgs } from "node:util";
import { applyRepository, openRun, planRepository } from "@waybill/engine";

const { values } = parseArgs({
  options: {
    mode: { type: "string" },
    root: { type: "string" },
    endpoint: { type: "string" },
    concurrency: { type: "string", default: "8" },
    refresh: { type: "boolean", default: false },
  },
});
const { mode, root, endpoint } = values;
if ((mode !== "plan" && mode !== "apply") || !root || !endpoint) {
  throw new Error(
    "usage: row.ts --mode plan|apply --root <dir> --endpoint <url> [--concurrency n] [--refresh]",
  );
}

const started = performance.now();
// Opened as the CLI and the Action open a run: settings, overrides and environment checked once.
const opened = await openRun({
  root,
  overrides: { concurrency: Number(values.concurrency) },
  env: {
    AWS_ACCESS_KEY_ID: "AKIDBENCH",
    AWS_SECRET_ACCESS_KEY: "bench",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_IMAGEBUILDER: endpoint,
  },
});
if (!opened.ok) throw new Error(`settings: ${JSON.stringify(opened.diagnostics)}`);
const { settings, aws } = opened.run;
// When the first List page came back: everything before it (settings, files, validation, which
// all happen before any call, so invalid files never reach AWS) is Waybill's own time.
let firstPageMs: number | undefined;
const options = {
  root,
  settings,
  aws,
  refresh: values.refresh,
  onReadProgress: () => {
    firstPageMs ??= performance.now() - started;
  },
};
const result = mode === "plan" ? await planRepository(options) : await applyRepository(options);
const wallMs = performance.now() - started;
if (result.status === "invalid")
  throw new Error(`the estate is invalid: ${JSON.stringify(result.diagnostics[0])}`);

const failures = result.status === "applied" ? result.results.filter((r) => r.status === "failed").length : 0;
// Calls Waybill made (one per List page, Get, Create, Tag...): each accepted once, whatever its resends.
const calls = Object.values(aws.callCounts().calls).reduce((sum, count) => sum + (count ?? 0), 0);
process.stdout.write(
  `${JSON.stringify({
    status: result.status,
    wallMs,
    firstPageMs,
    summary: "plan" in result ? result.plan.summary : undefined,
    failures,
    calls,
    callsByOperation: aws.callCounts().calls,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
