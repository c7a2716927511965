// `pnpm bench`: measures Waybill at scale against the emulator, next to the lower bound and to the
// AWS CLI done by hand, and writes the results to docs/benchmarks.md. Nothing here is a test.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs, promisify } from "node:util";
import {
  type DesiredConfiguration,
  defaultPolicy,
  desiredTags,
  type LiveConfiguration,
  plan,
  validateConfigFiles,
} from "@waybill/core";
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from "@waybill/core/render";
import { type Emulator, startEmulator } from "@waybill/emulator";
import { parseAllDocuments } from "yaml";
import { benchRegions, configurationYaml, perRegionCounts, writeEstate } from "./bench/estate.js";

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    sizes: { type: "string" },
    sections: { type: "string", default: "core,scale,awscli,startup,action" },
    // Narrow the scale section to some rows (for paired comparisons): home region counts, modes
    // (apply,plan,refresh) and limits (operation,account). A plan row needs its apply row before it.
    regions: { type: "string" },
    modes: { type: "string", default: "apply,plan,refresh" },
    limits: { type: "string", default: "operation,account" },
    out: { type: "string", default: join(repoRoot, "docs", "benchmarks.md") },
  },
});
const sections = new Set(flags.sections.split(","));

/** The service as the benchmarks model it: latency per call and a request rate per operation. */
const service = { latencyMs: 40, throttleRps: 50, concurrency: 8 };
/**
 * The same service behind one limit shared by every operation and region of the account (an
 * account-wide quota, or a proxy): the emulator's `throttleScope: "account"`.
 */
const sharedService = { latencyMs: 40, throttleRps: 100, concurrency: 8 };
const sizes = flags.sizes
  ? flags.sizes.split(",").map((size) => Number.parseInt(size, 10))
  : flags.quick
    ? [10, 100]
    : [10, 100, 1000, 5000];
const regionCounts = flags.regions
  ? flags.regions.split(",").map((count) => Number.parseInt(count, 10))
  : [1, 4];
const modes = flags.modes
  .split(",")
  .filter((mode): mode is Mode => ["apply", "plan", "refresh"].includes(mode));
const limits = new Set(flags.limits.split(","));

const log = (line: string) => process.stderr.write(`${line}\n`);
const ms = (value: number) =>
  value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const ratio = (value: number, bound: number) => (bound > 0 ? `${(value / bound).toFixed(2)}×` : "–");
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? 0;

async function timeMedian(runs: number, work: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
}

// ---------------------------------------------------------------------------------------------
// Core alone: validate, plan and render 10,000 configurations in memory.

async function benchCore(): Promise<{
  markdown: string;
  planMs: number;
  validateMs: number;
  validateJsonMs: number;
  yamlParserMs: number;
  validateThousandMs: number;
}> {
  const count = 10_000;
  const files = Array.from({ length: count }, (_, index) => ({
    path: `waybill/bench-${index}.yaml`,
    text: configurationYaml(index, benchRegions.length),
  }));
  let validated = validateConfigFiles(files, { policy: defaultPolicy });
  const validateMs = await timeMedian(3, () => {
    validated = validateConfigFiles(files, { policy: defaultPolicy });
  });
  if (!validated.ok) throw new Error("the benchmark estate does not validate");
  const thousand = files.slice(0, 1000);
  const validateThousandMs = await timeMedian(3, () =>
    validateConfigFiles(thousand, { policy: defaultPolicy }),
  );
  // The same estate as JSON files (what `--cli-input-json` users keep): JSON.parse reads them.
  const jsonFiles = validated.documents.map((document) => ({
    path: document.file.replace(/\.yaml$/, ".json"),
    text: JSON.stringify(document.document, null, 2),
  }));
  let validatedJson = validateConfigFiles(jsonFiles, { policy: defaultPolicy });
  const validateJsonMs = await timeMedian(3, () => {
    validatedJson = validateConfigFiles(jsonFiles, { policy: defaultPolicy });
  });
  if (!validatedJson.ok) throw new Error("the benchmark estate as JSON does not validate");
  // The floor for YAML: the yaml library's parser alone over the same files, nothing else.
  const yamlParserMs = await timeMedian(3, () => {
    for (const file of files)
      parseAllDocuments(file.text, { version: "1.2", uniqueKeys: true, merge: false });
  });
  const desired: DesiredConfiguration[] = validated.documents.map((document) => ({
    name: document.document.name,
    region: document.region,
    description: document.document.description ?? "",
    distributions: document.document.distributions,
    source: document.file,
    accountId: "123456789012",
    ...(document.document.tags ? { tags: document.document.tags } : {}),
  }));
  const live: LiveConfiguration[] = desired.map((configuration, index) => ({
    arn: `arn:aws:imagebuilder:${configuration.region}:123456789012:distribution-configuration/${configuration.name}`,
    name: configuration.name,
    region: configuration.region,
    accountId: "123456789012",
    // Every tenth configuration differs live, so the plan has updates to render.
    description: index % 10 === 0 ? "changed by hand" : (configuration.description ?? ""),
    distributions: [...configuration.distributions].reverse(),
    tags: desiredTags(configuration, "bench"),
    timeoutMinutes: 720,
  }));
  const options = { stack: "bench", now: new Date("2026-11-23T10:15:30.123Z") };
  let planned = plan(desired, live, options);
  const planMs = await timeMedian(5, () => {
    planned = plan(desired, live, options);
  });
  const textMs = await timeMedian(5, () => renderPlanText(planned, { color: false }));
  const markdownMs = await timeMedian(5, () => renderPlanMarkdown(planned));
  const jsonMs = await timeMedian(5, () => renderPlanJson(planned));
  log(`core: validate ${ms(validateMs)} (JSON ${ms(validateJsonMs)}), plan ${ms(planMs)}`);
  const markdown = [
    "## Core alone: 10,000 configurations",
    "",
    "In memory, no I/O: `validateConfigFiles` over 10,000 YAML files (two distributions each), the same",
    "estate as 10,000 JSON files, the `yaml` library's `parseAllDocuments` alone over the YAML files (the",
    "floor for YAML: Waybill keeps that library for YAML, and validation cannot be faster than its parser;",
    "it runs as patched by patches/yaml@2.9.1.patch, without its debug reads of `process.env` per token), `plan`",
    "against 10,000 live configurations (distributions in another order, every tenth description",
    "changed: 1,000 updates), and the three renderers on that plan. Median of 3–5 runs.",
    "",
    "| step | time |",
    "| --- | --- |",
    `| validate 10,000 YAML files | ${ms(validateMs)} |`,
    `| validate 1,000 of them | ${ms(validateThousandMs)} |`,
    `| validate 10,000 JSON files | ${ms(validateJsonMs)} |`,
    `| the \`yaml\` library's parser alone, 10,000 YAML files | ${ms(yamlParserMs)} |`,
    `| plan 10,000 configurations | ${ms(planMs)} |`,
    `| render text | ${ms(textMs)} |`,
    `| render markdown (capped at 65,536 characters) | ${ms(markdownMs)} |`,
    `| render JSON | ${ms(jsonMs)} |`,
    "",
  ].join("\n");
  return { markdown, planMs, validateMs, validateJsonMs, yamlParserMs, validateThousandMs };
}

// ---------------------------------------------------------------------------------------------
// Plan and apply at scale against the emulator with latency and a rate limit.

interface RowResult {
  status: string;
  wallMs: number;
  /**
   * From the start to when the plan reads its first List page: Lists start while the files are
   * validated, so this is when validation passed or the first page came, whichever is later.
   */
  firstPageMs?: number;
  summary?: Record<string, number>;
  failures: number;
  /** Calls Waybill made (List pages, Gets, Creates, Tags...), each accepted once. */
  calls?: number;
  /** The same, per operation. */
  callsByOperation?: Record<string, number>;
  maxRssBytes: number;
}

/** `plan` trusts `waybill:applied` records (list-only); `refresh` is `plan --refresh` (a Get each). */
type Mode = "apply" | "plan" | "refresh";

async function runRow(mode: Mode, root: string, endpoint: string): Promise<RowResult> {
  const { stdout } = await run(
    process.execPath,
    [
      "--conditions=@waybill/source",
      "--import",
      "tsx",
      join(repoRoot, "scripts", "bench", "row.ts"),
      "--mode",
      mode === "apply" ? "apply" : "plan",
      ...(mode === "refresh" ? ["--refresh"] : []),
      "--root",
      root,
      "--endpoint",
      endpoint,
      "--concurrency",
      String(service.concurrency),
    ],
    { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as RowResult;
}

/**
 * The fastest any client could go, given the calls it cannot avoid. Regions run side by side, so
 * the bound is the slowest region's. In a region with n configurations:
 * - plan --refresh (nothing changed): ceil(n/25) List pages, one after another (each needs the last
 *   page's token), then at least one Get round trip; n Gets, at most `concurrency` in flight and
 *   at most `throttleRps` a second after the bucket's first second of burst;
 * - plan (list-only: every record trusted): the List pages, one after another, and nothing else;
 * - apply (all new): one List page, then n Creates, bounded the same way.
 */
function lowerBoundMs(mode: Mode, perRegion: number[], throttleRps = service.throttleRps): number {
  const { latencyMs, concurrency } = service;
  return Math.max(
    ...perRegion.map((n) => {
      const pages = mode === "apply" ? 1 : Math.max(1, Math.ceil(n / 25));
      if (mode === "plan") return pages * latencyMs;
      const chain = (pages + (n > 0 ? 1 : 0)) * latencyMs;
      const byConcurrency = latencyMs + Math.ceil(n / concurrency) * latencyMs;
      const byRate = latencyMs + (Math.max(0, n - throttleRps) / throttleRps) * 1000;
      return Math.max(chain, byConcurrency, byRate);
    }),
  );
}

/**
 * Under the shared limit: the time the calls a run made need at that limit (the bucket's first
 * second of burst, then `throttleRps` a second for all of them together), or the bound without a
 * rate limit (List pages one after another, the concurrency over the latency), whichever is larger.
 */
function sharedBoundMs(mode: Mode, perRegion: number[], calls: number): number {
  const { latencyMs, throttleRps } = sharedService;
  const byRate = latencyMs + (Math.max(0, calls - throttleRps) / throttleRps) * 1000;
  return Math.max(byRate, lowerBoundMs(mode, perRegion, Number.POSITIVE_INFINITY));
}

function unavoidableCalls(mode: Mode, perRegion: number[]): number {
  return perRegion.reduce((sum, n) => {
    const pages = Math.max(1, Math.ceil(n / 25));
    return sum + (mode === "plan" ? pages : mode === "refresh" ? pages + n : 1 + n);
  }, 0);
}

function countsCell(counts: Record<string, number>): string {
  const short: Record<string, string> = {
    ListDistributionConfigurations: "List",
    GetDistributionConfiguration: "Get",
    CreateDistributionConfiguration: "Create",
    UpdateDistributionConfiguration: "Update",
    DeleteDistributionConfiguration: "Delete",
    TagResource: "Tag",
    UntagResource: "Untag",
    ListTagsForResource: "ListTags",
  };
  return (
    Object.entries(counts)
      .filter(([, value]) => value > 0)
      .map(([operation, value]) => `${short[operation] ?? operation} ${value}`)
      .join(", ") || "none"
  );
}

interface ScaleRow {
  /** The emulator's throttle scope: a limit per operation (`service`) or shared (`sharedService`). */
  limit: "operation" | "account";
  mode: Mode;
  count: number;
  regions: number;
  result: RowResult;
  requests: Record<string, number>;
  lowerBound: number;
  calls: number;
  duplicates: number;
}

async function benchScale(): Promise<{ markdown: string; rows: ScaleRow[] }> {
  const rows: ScaleRow[] = [];
  for (const regions of limits.has("operation") ? regionCounts : []) {
    for (const count of sizes) {
      const root = await mkdtemp(join(tmpdir(), "waybill-bench-"));
      const emulator = await startEmulator({
        latencyMs: service.latencyMs,
        throttleRps: service.throttleRps,
      });
      try {
        await writeEstate(root, count, regions);
        const perRegion = perRegionCounts(count, regions);
        for (const mode of modes) {
          emulator.resetCounts();
          const result = await runRow(mode, root, emulator.url);
          const requests = emulator.requestCounts();
          const stored = emulator.snapshot();
          const duplicates = countDuplicates(stored);
          rows.push({
            limit: "operation",
            mode,
            count,
            regions,
            result,
            requests,
            lowerBound: lowerBoundMs(mode, perRegion),
            calls: unavoidableCalls(mode, perRegion),
            duplicates,
          });
          log(`${mode} ${count} × ${regions} region(s): ${ms(result.wallMs)} (${countsCell(requests)})`);
        }
      } finally {
        await emulator.close();
        await rm(root, { recursive: true, force: true });
      }
    }
  }
  // The same estates under one limit shared by the account: 4 home regions, up to 1,000.
  for (const count of limits.has("account") ? sizes.filter((size) => size >= 100 && size <= 1000) : []) {
    const regions = 4;
    const root = await mkdtemp(join(tmpdir(), "waybill-bench-"));
    const emulator = await startEmulator({
      latencyMs: sharedService.latencyMs,
      throttleRps: sharedService.throttleRps,
      throttleScope: "account",
    });
    try {
      await writeEstate(root, count, regions);
      const perRegion = perRegionCounts(count, regions);
      for (const mode of modes) {
        emulator.resetCounts();
        const result = await runRow(mode, root, emulator.url);
        const requests = emulator.requestCounts();
        rows.push({
          limit: "account",
          mode,
          count,
          regions,
          result,
          requests,
          lowerBound: sharedBoundMs(mode, perRegion, result.calls ?? 0),
          calls: unavoidableCalls(mode, perRegion),
          duplicates: countDuplicates(emulator.snapshot()),
        });
        log(
          `${mode} ${count} × ${regions} region(s), shared limit: ${ms(result.wallMs)} (${countsCell(requests)})`,
        );
      }
    } finally {
      await emulator.close();
      await rm(root, { recursive: true, force: true });
    }
  }
  const sharedTable = [
    "| run | configurations | home regions | wall time | calls made | calls per configuration | requests received (throttled included) | bound: those calls at the limit | ratio | result |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |",
    ...rows
      .filter((row) => row.limit === "account")
      .map((row) => {
        const label =
          row.mode === "plan" ? "plan (list-only)" : row.mode === "refresh" ? "plan --refresh" : "apply";
        const outcome =
          row.mode === "apply"
            ? `${row.result.summary?.create ?? 0} created, ${row.result.failures} failed, ${row.duplicates} duplicates`
            : `${row.result.summary?.["no-op"] ?? 0} unchanged`;
        return `| ${label} | ${row.count.toLocaleString("en")} | ${row.regions} | ${ms(row.result.wallMs)} | ${(row.result.calls ?? 0).toLocaleString("en")} | ${((row.result.calls ?? 0) / row.count).toFixed(2)} | ${countsCell(row.requests)} | ${ms(row.lowerBound)} | ${ratio(row.result.wallMs, row.lowerBound)} | ${outcome} |`;
      }),
  ].join("\n");
  const table = (mode: Mode) =>
    [
      "| configurations | home regions | wall time | per configuration | lower bound | ratio | first List page read | requests received (throttled included) | unavoidable calls | peak memory | result |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |",
      ...rows
        .filter((row) => row.mode === mode && row.limit === "operation")
        .map((row) => {
          const outcome =
            row.mode === "apply"
              ? `${row.result.summary?.create ?? 0} created, ${row.result.failures} failed, ${row.duplicates} duplicates`
              : `${row.result.summary?.["no-op"] ?? 0} unchanged`;
          const first = row.result.firstPageMs === undefined ? "–" : ms(row.result.firstPageMs);
          return `| ${row.count.toLocaleString("en")} | ${row.regions} | ${ms(row.result.wallMs)} | ${(row.result.wallMs / row.count).toFixed(1)} ms | ${ms(row.lowerBound)} | ${ratio(row.result.wallMs, row.lowerBound)} | ${first} | ${countsCell(row.requests)} | ${row.calls.toLocaleString("en")} | ${mib(row.result.maxRssBytes)} | ${outcome} |`;
        }),
    ].join("\n");
  const markdown = [
    "## Plan and apply at scale",
    "",
    `Against the emulator with ${service.latencyMs} ms added to every call and a rate limit of ${service.throttleRps}`,
    "requests a second per operation, account and region (429 CallRateLimitExceededException past it,",
    `with one second of burst). Waybill runs with ${service.concurrency} requests in flight per region, paced by its`,
    "pacer once throttled (packages/aws/src/pacer.ts: budgets per operation, region and account, blamed by where",
    "throttles land). Each row runs in a process of its own (wall time from reading the settings to the result;",
    "Node's start-up is not counted; peak memory is that process's maximum resident set). Each estate",
    "has two distributions per configuration; `apply` creates them all, then `plan` reads them back",
    "unchanged.",
    "",
    "The lower bound is what any client must spend on the calls it cannot avoid: per region, the List",
    "pages one after another (each needs the previous page's token) plus one round trip, or the Gets",
    "(Creates for apply) at the concurrency over the latency, or at the rate limit after the first",
    "second's burst, whichever is largest; regions run side by side.",
    "",
    `"First List page read" is when the plan reads its first List page. Lists carry nothing from the files, so`,
    "each home region's List starts while the files are still read and validated (the settings' regions at",
    "once, a file's region as soon as a document of it passes); every other call waits for validation to",
    "pass. So that column is when validation passed, or the first page came back (one latency,",
    `${service.latencyMs} ms, after the first call), whichever is later.`,
    "",
    "### Apply: every configuration new",
    "",
    table("apply"),
    "",
    "### Plan: nothing changed (list-only: records trusted)",
    "",
    "Right after the apply above, so every configuration carries its `waybill:applied` record: the plan",
    "Lists and Gets nothing (docs/plans.md). Its lower bound is the List pages alone.",
    "",
    table("plan"),
    "",
    "### Plan: nothing changed, `--refresh` (a Get each)",
    "",
    table("refresh"),
    "",
    "### Under one limit shared by the account",
    "",
    `The emulator with ${sharedService.latencyMs} ms a call and one limit of ${sharedService.throttleRps} requests a second shared by every`,
    'operation and region of the account (`throttleScope: "account"`; an account-wide quota, or a proxy',
    "in front of the service). Waybill cannot know the limit's scope; its pacer learns it from where",
    "throttles land (docs/settings.md, Throttling). The bound is what the calls the run made need at",
    "that limit (after the first second's burst), or the bound without a limit, whichever is larger.",
    "",
    sharedTable,
    "",
  ].join("\n");
  return { markdown, rows };
}

function countDuplicates(snapshot: ReturnType<Emulator["snapshot"]>): number {
  const seen = new Map<string, number>();
  const visit = (value: unknown) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    if (typeof record.arn === "string" && typeof record.name === "string" && "distributions" in record) {
      seen.set(record.arn, (seen.get(record.arn) ?? 0) + 1);
      return;
    }
    for (const child of Object.values(record)) visit(child);
  };
  visit(snapshot);
  return [...seen.values()].reduce((sum, copies) => sum + (copies - 1), 0);
}

// ---------------------------------------------------------------------------------------------
// The same work the way a user would do it without Waybill: the AWS CLI, once per configuration.

async function hasAwsCli(): Promise<boolean> {
  try {
    await run("aws", ["--version"]);
    return true;
  } catch {
    return false;
  }
}

async function benchAwsCli(rows: ScaleRow[]): Promise<string> {
  if (!(await hasAwsCli()))
    return "## Without Waybill: the AWS CLI\n\nNot measured: `aws` is not installed.\n";
  const count = flags.quick ? 5 : 20;
  const emulator = await startEmulator({ latencyMs: service.latencyMs, throttleRps: service.throttleRps });
  const home = await mkdtemp(join(tmpdir(), "waybill-bench-aws-"));
  const env = {
    ...process.env,
    HOME: home,
    AWS_ACCESS_KEY_ID: "AKIDBENCH",
    AWS_SECRET_ACCESS_KEY: "bench",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_PAGER: "",
  };
  const aws = (args: string[]) =>
    run("aws", ["--endpoint-url", emulator.url, "--region", "us-east-1", "--output", "json", ...args], {
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
  try {
    // Apply the way the docs show: one create-distribution-configuration per file, in sequence.
    const createStarted = performance.now();
    for (let index = 0; index < count; index += 1) {
      const input = join(home, `input-${index}.json`);
      const name = `bench-${index}`;
      await writeFile(
        input,
        JSON.stringify({
          name,
          description: `Golden AMI ${index}`,
          distributions: [
            {
              region: "us-east-1",
              amiDistributionConfiguration: {
                name: `${name} {{imagebuilder:buildDate}}`,
                launchPermission: { userIds: ["111111111111", "222222222222"] },
              },
            },
            {
              region: "eu-west-1",
              amiDistributionConfiguration: { name: `${name} {{imagebuilder:buildDate}}` },
            },
          ],
          tags: { team: "platform" },
        }),
      );
      await aws(["imagebuilder", "create-distribution-configuration", "--cli-input-json", `file://${input}`]);
    }
    const createMs = (performance.now() - createStarted) / count;
    // Plan the way a user would check: list, then get each configuration to compare by eye or jq.
    const readStarted = performance.now();
    const { stdout } = await aws(["imagebuilder", "list-distribution-configurations"]);
    const arns = (
      JSON.parse(stdout) as { distributionConfigurationSummaryList: { arn: string }[] }
    ).distributionConfigurationSummaryList.map((summary) => summary.arn);
    for (const arn of arns) {
      await aws(["imagebuilder", "get-distribution-configuration", "--distribution-configuration-arn", arn]);
    }
    const readMs = (performance.now() - readStarted) / count;
    const waybill = (mode: Mode, size: number) =>
      rows.find((row) => row.mode === mode && row.count === size && row.regions === 1);
    const lines = [
      "## Without Waybill: the AWS CLI, once per configuration",
      "",
      `The same work as a script that calls the AWS CLI (\`aws --version\`: ${(await run("aws", ["--version"])).stdout.trim() || "see stderr"})`,
      `once per configuration, one after another, as the AWS docs show, against the same emulator. Measured`,
      `over ${count} configurations in one region; larger sizes are that per-configuration cost multiplied`,
      '(the script is sequential, so it grows linearly), marked "extrapolated".',
      "",
      `| work | AWS CLI per configuration | configurations | AWS CLI | Waybill | Waybill is faster by |`,
      "| --- | ---: | ---: | ---: | ---: | ---: |",
    ];
    for (const size of sizes) {
      for (const [mode, perConfiguration] of [
        ["apply", createMs],
        ["refresh", readMs],
      ] as const) {
        const mine = waybill(mode, size);
        if (!mine) continue;
        const cli = perConfiguration * size;
        lines.push(
          `| ${mode === "apply" ? "create all" : "read all back (Waybill: plan --refresh)"} | ${ms(perConfiguration)} | ${size.toLocaleString("en")} | ${ms(cli)}${size > count ? " (extrapolated)" : ""} | ${ms(mine.result.wallMs)} | ${(cli / mine.result.wallMs).toFixed(1)}× |`,
        );
      }
    }
    lines.push(
      "",
      "The CLI script also has no diff, no validation before the call, no idempotency across re-runs",
      "and no handling of throttling beyond the CLI's own retries.",
      "",
    );
    return lines.join("\n");
  } finally {
    await emulator.close();
    await rm(home, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The Action: bundle size and cold start (process start to its first request).

async function directorySize(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    total += entry.isDirectory() ? await directorySize(child) : (await stat(child)).size;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// A small run in a fresh process: the CLI as published (its built dist/), `waybill plan` of 10 files.

/**
 * A local server that answers every request with a 500: `heard` settles when its first request
 * arrives (the moment a fresh process makes its first call).
 */
async function firstRequestListener(): Promise<{ url: string; heard: Promise<void>; close(): void }> {
  let hear: () => void = () => {};
  const heard = new Promise<void>((resolve) => {
    hear = resolve;
  });
  const server = createServer((_request, response) => {
    hear();
    response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { url: `http://127.0.0.1:${address.port}`, heard, close: () => server.close() };
}

/** Milliseconds from spawning `node <args>` to the first request a local server hears (NaN: none). */
async function timeToFirstRequest(args: string[], cwd: string, env: Record<string, string>): Promise<number> {
  const listener = await firstRequestListener();
  try {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd,
      stdio: "ignore",
      env: {
        PATH: process.env.PATH,
        ...env,
        AWS_ENDPOINT_URL_IMAGEBUILDER: listener.url,
      },
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const first = await Promise.race([
      listener.heard.then(() => performance.now() - started),
      exited.then(() => Number.NaN),
    ]);
    child.kill();
    await exited;
    return first;
  } finally {
    listener.close();
  }
}

/** Milliseconds from spawning `node <args>` to its exit. */
async function timeToExit(args: string[]): Promise<number> {
  const started = performance.now();
  await run(process.execPath, args);
  return performance.now() - started;
}

async function benchStartup(): Promise<{ markdown: string; firstCallMs: number }> {
  const cli = join(repoRoot, "apps", "cli", "dist", "main.js");
  const engine = join(repoRoot, "packages", "engine", "dist", "index.js");
  try {
    await stat(cli);
    await stat(engine);
  } catch {
    return {
      markdown: "## A small run in a fresh process\n\nNot measured: build the CLI first (`pnpm build`).\n",
      firstCallMs: Number.NaN,
    };
  }
  const root = await mkdtemp(join(tmpdir(), "waybill-bench-start-"));
  try {
    await writeEstate(root, 10, 1);
    const env = { AWS_ACCESS_KEY_ID: "AKIDBENCH", AWS_SECRET_ACCESS_KEY: "bench", AWS_REGION: "us-east-1" };
    const runs = 7;
    const firstCalls: number[] = [];
    const nodeFirstCalls: number[] = [];
    const nodeAlone: number[] = [];
    const versions: number[] = [];
    const imports: number[] = [];
    // Interleaved, so that a change in the machine's load touches every measure alike. Like is
    // subtracted from like: times to a first request from each other, times to exit from each other.
    const oneRequest =
      "require('node:http').get(process.env.AWS_ENDPOINT_URL_IMAGEBUILDER).on('error', () => {})";
    for (let index = 0; index < runs; index += 1) {
      firstCalls.push(await timeToFirstRequest([cli, "plan"], root, env));
      nodeFirstCalls.push(await timeToFirstRequest(["-e", oneRequest], root, env));
      nodeAlone.push(await timeToExit(["-e", "0"]));
      versions.push(await timeToExit([cli, "--version"]));
      imports.push(
        await timeToExit([
          "--input-type=module",
          "-e",
          `await import(${JSON.stringify(pathToFileURL(engine).href)})`,
        ]),
      );
    }
    const firstCallMs = median(firstCalls.filter((value) => Number.isFinite(value)));
    const nodeFirstMs = median(nodeFirstCalls.filter((value) => Number.isFinite(value)));
    const codeMs = median(versions.map((value, index) => value - (nodeAlone[index] ?? 0)));
    const engineMs = median(imports.map((value, index) => value - (nodeAlone[index] ?? 0)));
    log(
      `startup: first call ${ms(firstCallMs)} (node alone ${ms(nodeFirstMs)}, the bin's code ${ms(codeMs)}; @waybill/engine unbundled ${ms(engineMs)})`,
    );
    const markdown = [
      "## A small run in a fresh process",
      "",
      "`waybill plan` of 10 files (the CLI's built `dist/`, as installed from npm: one bundle, apps/cli/scripts/bundle.mjs),",
      "from spawning the process to the first request a local server hears, and where that time goes: Node",
      "starting and sending one request (a one-line script), loading the bin's code (`waybill --version`, which",
      "loads the bundle's entry and what it imports: the CLI, core with zod and yaml, the engine, the AWS SDK;",
      "a command's own code loads when it runs; less `node -e 0`), and the rest (plan's code, settings, reading",
      "the files, starting the Lists, the SDK's first request; the files are validated while the Lists run).",
      "For comparison, Node loading `@waybill/engine` unbundled (its dist/ and its dependencies' files, one",
      `module at a time, as the CLI did before it was bundled; less \`node -e 0\`). Median of ${runs}, interleaved.`,
      "",
      "In a CPU profile of the bundled run, the bin's code time is V8 compiling the bundle's source and the",
      "modules' top-level code: the AWS SDK's client with the Node built-ins it loads (http, crypto, ...),",
      "zod building its schemas, yaml and core. In paired runs neither minifying the bundle nor Node 24's",
      "compile cache (`NODE_COMPILE_CACHE`; Node 20 has none) shortened it, so neither is used.",
      "",
      "| measure | time |",
      "| --- | --- |",
      `| process start to the first call | ${ms(firstCallMs)} |`,
      `| Node alone: start to one request from a one-line script | ${ms(nodeFirstMs)} |`,
      `| loading the bin's code (\`waybill --version\` less \`node -e 0\`) | ${ms(codeMs)} |`,
      `| the rest: plan's code, settings, reading the files, the SDK's first request | ${ms(Math.max(0, firstCallMs - nodeFirstMs - codeMs))} |`,
      `| for comparison: loading \`@waybill/engine\` unbundled (less \`node -e 0\`) | ${ms(engineMs)} |`,
      "",
    ].join("\n");
    return { markdown, firstCallMs };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

interface ActionStart {
  /** Process start to the first request anyone hears, NaN when none came. */
  firstRequestMs: number;
  /** The files of dist/ the run loaded (only with a load hook). */
  loaded: string[];
}

/**
 * Starts the bundle in drift mode (the run that plans against live state) and times it to its first
 * request. With `recordLoads`, a module load hook lists every file the run loads, so the size a run
 * pays for is measured rather than assumed (chunks behind import() count only when loaded).
 */
async function startAction(bundle: string, recordLoads: boolean): Promise<ActionStart> {
  const work = await mkdtemp(join(tmpdir(), "waybill-bench-action-"));
  // Whatever the Action calls first (GitHub or Image Builder), this server hears it.
  const listener = await firstRequestListener();
  const url = listener.url;
  const loadLog = join(work, "loaded.txt");
  const nodeArgs: string[] = [];
  if (recordLoads) {
    await writeFile(
      join(work, "hooks.mjs"),
      `import { appendFileSync } from "node:fs";\nexport async function load(url, context, next) {\n  if (url.startsWith("file:")) appendFileSync(${JSON.stringify(loadLog)}, url + "\\n");\n  return next(url, context);\n}\n`,
    );
    await writeFile(
      join(work, "register.mjs"),
      `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(work, "hooks.mjs")).href)});\n`,
    );
    await writeFile(loadLog, "");
    nodeArgs.push("--import", pathToFileURL(join(work, "register.mjs")).href);
  }
  try {
    await writeFile(join(work, "event.json"), JSON.stringify({ schedule: "0 6 * * *" }));
    // One configuration file: a run with none stops before it asks AWS anything.
    await writeEstate(join(work, "repo"), 1, 1);
    await writeFile(join(work, "output"), "");
    await writeFile(join(work, "summary"), "");
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, bundle], {
      cwd: work,
      stdio: "ignore",
      env: {
        PATH: process.env.PATH,
        GITHUB_EVENT_NAME: "schedule",
        GITHUB_EVENT_PATH: join(work, "event.json"),
        GITHUB_OUTPUT: join(work, "output"),
        GITHUB_STEP_SUMMARY: join(work, "summary"),
        GITHUB_WORKSPACE: join(work, "repo"),
        GITHUB_REPOSITORY: "acme/images",
        GITHUB_API_URL: url,
        GITHUB_SHA: "0".repeat(40),
        GITHUB_REF: "refs/heads/main",
        INPUT_MODE: "drift",
        INPUT_REGION: "us-east-1",
        "INPUT_ENDPOINT-URL": url,
        "INPUT_GITHUB-TOKEN": "bench",
        AWS_ACCESS_KEY_ID: "AKIDBENCH",
        AWS_SECRET_ACCESS_KEY: "bench",
        AWS_REGION: "us-east-1",
      },
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const first = await Promise.race([
      listener.heard.then(() => performance.now() - started),
      exited.then(() => Number.NaN),
    ]);
    // Let the run go on to its end when listing what it loads (a failed List ends it quickly).
    if (!recordLoads) child.kill();
    await exited;
    const loaded = recordLoads
      ? [...new Set((await readFile(loadLog, "utf8")).split("\n").filter(Boolean))].map((href) =>
          fileURLToPath(href),
        )
      : [];
    return { firstRequestMs: first, loaded };
  } finally {
    listener.close();
    await rm(work, { recursive: true, force: true });
  }
}

async function benchAction(): Promise<{
  markdown: string;
  bundleBytes: number;
  loadedBytes: number;
  coldStartMs: number;
}> {
  const dist = join(repoRoot, "apps", "action", "dist");
  const bundle = join(dist, "index.js");
  const size = await directorySize(dist);
  const bundleSize = (await stat(bundle)).size;
  const chunks = (await readdir(dist)).filter((file) => file.endsWith(".js") && file !== "index.js");
  const starts: number[] = [];
  for (let index = 0; index < 7; index += 1) starts.push((await startAction(bundle, false)).firstRequestMs);
  const valid = starts.filter((value) => Number.isFinite(value));
  const { loaded } = await startAction(bundle, true);
  const loadedFromDist = loaded.filter((file) => file.startsWith(`${dist}/`));
  let loadedBytes = 0;
  for (const file of loadedFromDist) loadedBytes += (await stat(file)).size;
  const coldStart = valid.length ? median(valid) : Number.NaN;
  const markdown = [
    "## The GitHub Action",
    "",
    "The bundle is `ncc build --minify` of apps/action/src/main.ts. A run loads `dist/index.js`; chunks",
    "that `import()` brings in (preflight's SDK clients) load only when a run asks for them, so the",
    "size a run pays for is measured: a module load hook lists the files a drift run loads.",
    "",
    "| measure | value |",
    "| --- | --- |",
    `| \`dist/index.js\` | ${(bundleSize / 1024).toFixed(0)} KiB |`,
    `| other chunks in \`dist/\` (loaded through \`import()\` only) | ${chunks.length === 0 ? "none" : chunks.join(", ")} |`,
    `| JavaScript a drift run loads from \`dist/\` | ${(loadedBytes / 1024).toFixed(0)} KiB (${loadedFromDist.map((file) => file.slice(dist.length + 1)).join(", ") || "nothing recorded"}) |`,
    `| all of \`dist/\` (with licenses.txt) | ${(size / 1024).toFixed(0)} KiB |`,
    `| cold start: process start to first request (median of ${valid.length}, drift mode) | ${Number.isFinite(coldStart) ? ms(coldStart) : "no request seen"} |`,
    "",
  ].join("\n");
  return { markdown, bundleBytes: bundleSize, loadedBytes, coldStartMs: coldStart };
}

// ---------------------------------------------------------------------------------------------

/** What a run of the bench measured, for the Targets table (each section may be left out). */
interface Measured {
  corePlanMs?: number;
  coreValidateMs?: number;
  coreValidateJsonMs?: number;
  yamlParserMs?: number;
  coreValidateThousandMs?: number;
  startupFirstCallMs?: number;
  rows: readonly ScaleRow[];
  action?: { bundleBytes: number; loadedBytes: number; coldStartMs: number };
}

/** The targets the issues set, checked against this run's numbers (reported, never asserted). */
function targetsMarkdown({
  rows,
  corePlanMs,
  coreValidateMs,
  coreValidateJsonMs,
  yamlParserMs,
  coreValidateThousandMs,
  startupFirstCallMs,
  action,
}: Measured): string {
  const mark = (ok: boolean) => (ok ? "met" : "**missed**");
  const lines = ["## Targets", "", "| target | this run | |", "| --- | --- | --- |"];
  if (coreValidateMs !== undefined && coreValidateJsonMs !== undefined) {
    lines.push(
      `| validate 10,000 files in under a second (issue 15): JSON files | ${ms(coreValidateJsonMs)} | ${mark(coreValidateJsonMs < 1000)} |`,
      `| validate 10,000 files in under a second (issue 15): YAML files | ${ms(coreValidateMs)} (the \`yaml\` parser alone: ${yamlParserMs === undefined ? "–" : ms(yamlParserMs)}) | ${mark(coreValidateMs < 1000)} |`,
    );
  }
  if (coreValidateThousandMs !== undefined) {
    lines.push(
      `| validate 1,000 YAML files in under 300 ms (issue 23; in a warm process) | ${ms(coreValidateThousandMs)} | ${mark(coreValidateThousandMs < 300)} |`,
    );
  }
  if (startupFirstCallMs !== undefined) {
    lines.push(
      `| a 10-file plan in a fresh process: its first call within 80 ms of start (issue 23) | ${Number.isFinite(startupFirstCallMs) ? ms(startupFirstCallMs) : "not measured"} | ${mark(startupFirstCallMs <= 80)} |`,
    );
  }
  if (corePlanMs !== undefined) {
    lines.push(
      `| plan 10,000 configurations well under a second | ${ms(corePlanMs)} | ${mark(corePlanMs < 1000)} |`,
    );
  }
  const regionsText = (regions: number) => `${regions} region${regions === 1 ? "" : "s"}`;
  for (const row of rows.filter((r) => r.mode === "plan" && r.count === 1000 && r.limit === "operation")) {
    const ok = row.result.wallMs / row.lowerBound <= 1.5 && row.result.failures === 0;
    lines.push(
      `| plan of 1,000 unchanged configurations within 1.5× of the List-only bound, ${regionsText(row.regions)}${row.regions === 4 ? " (issue 15)" : ""} | ${ratio(row.result.wallMs, row.lowerBound)} (${ms(row.result.wallMs)}; ${countsCell(row.requests)}) | ${mark(ok)} |`,
    );
  }
  for (const [mode, what] of [
    ["refresh", "plan --refresh of 1,000 unchanged configurations"],
    ["apply", "apply of 1,000 new configurations (throttled), no duplicates"],
  ] as const) {
    for (const row of rows.filter((r) => r.mode === mode && r.count === 1000 && r.limit === "operation")) {
      // Issue 23 asks 1.3× of an apply under limits per operation.
      const target = mode === "apply" ? 1.3 : 1.5;
      const ratioValue = row.result.wallMs / row.lowerBound;
      const ok = ratioValue <= target && row.duplicates === 0 && row.result.failures === 0;
      lines.push(
        `| ${what} within ${target}× of the lower bound, ${regionsText(row.regions)}${mode === "apply" ? " (limits per operation; issue 23)" : ""} | ${ratio(row.result.wallMs, row.lowerBound)}${mode === "apply" ? `, ${row.duplicates} duplicates` : ""} | ${mark(ok)} |`,
      );
    }
  }
  for (const row of rows.filter((r) => r.mode === "apply" && r.count === 1000 && r.limit === "account")) {
    const perCreated = (row.result.calls ?? 0) / Math.max(1, row.result.summary?.create ?? 0);
    const ratioValue = row.result.wallMs / row.lowerBound;
    lines.push(
      `| apply of 1,000 new configurations under a limit shared by the account, ${regionsText(row.regions)}: within 1.5× of the time its own calls need at that limit (issue 23) | ${ratio(row.result.wallMs, row.lowerBound)} (${ms(row.result.wallMs)}; ${row.result.failures} failed, ${row.duplicates} duplicates) | ${mark(ratioValue <= 1.5 && row.result.failures === 0 && row.duplicates === 0)} |`,
      `| … and at most 2 calls per created configuration (issue 23) | ${perCreated.toFixed(2)} (calls made, each counted once: ${countsCell(Object.fromEntries(Object.entries(row.result.callsByOperation ?? {}).sort()))})${perCreated > 2 ? "; the record's read-back Get is what lets it vouch only for content Waybill wrote (docs/plans.md)" : ""} | ${mark(perCreated <= 2)} |`,
    );
  }
  for (const mode of ["refresh", "apply"] as const) {
    for (const regions of regionCounts) {
      const small = rows.find(
        (r) => r.mode === mode && r.regions === regions && r.count === 1000 && r.limit === "operation",
      );
      const large = rows.find(
        (r) => r.mode === mode && r.regions === regions && r.count === 5000 && r.limit === "operation",
      );
      if (!small || !large) continue;
      const growth = large.result.wallMs / large.lowerBound / (small.result.wallMs / small.lowerBound);
      lines.push(
        `| ${mode === "refresh" ? "plan --refresh" : mode} cost grows linearly: ratio to the bound at 5,000 over its ratio at 1,000, ${regionsText(regions)} | ${growth.toFixed(2)} | ${mark(growth <= 1.25)} |`,
      );
    }
  }
  // Issue 15 asks small runs to come "near" their bound; 1.5×, the bar of the large runs, is the reading here.
  for (const mode of ["apply", "refresh", "plan"] as const) {
    for (const row of rows.filter(
      (r) => r.mode === mode && (r.count === 10 || r.count === 100) && r.limit === "operation",
    )) {
      const label = mode === "apply" ? "apply" : mode === "refresh" ? "plan --refresh" : "plan (list-only)";
      lines.push(
        `| small runs near the bound (issue 15; read as within 1.5×): ${label} of ${row.count}, ${regionsText(row.regions)} | ${ratio(row.result.wallMs, row.lowerBound)} (${ms(row.result.wallMs)} for a bound of ${ms(row.lowerBound)}) | ${mark(row.result.wallMs / row.lowerBound <= 1.5)} |`,
      );
    }
  }
  if (action !== undefined) {
    lines.push(
      `| the Action's bundle at most 2.5 MB, with @actions/core: what a run without preflight loads (issue 22) | ${(action.loadedBytes / 1e6).toFixed(2)} MB (\`dist/index.js\` ${(action.bundleBytes / 1e6).toFixed(2)} MB) | ${mark(action.loadedBytes > 0 && action.loadedBytes <= 2_500_000)} |`,
      `| the Action's cold start at most 300 ms (issues 15, 22) | ${Number.isFinite(action.coldStartMs) ? ms(action.coldStartMs) : "no request seen"} | ${mark(action.coldStartMs <= 300)} |`,
    );
  }
  lines.push("", ...whereTheTimeGoes({ rows, coreValidateMs, coreValidateJsonMs, yamlParserMs }));
  return lines.join("\n");
}

/**
 * For the targets above that compare a run with a bound: where its time went, from this run's own
 * numbers (the time before the plan reads its first List page is mostly validating the files).
 */
function whereTheTimeGoes({
  rows,
  coreValidateMs,
  coreValidateJsonMs,
  yamlParserMs,
}: Pick<Measured, "rows" | "coreValidateMs" | "coreValidateJsonMs" | "yamlParserMs">): string[] {
  const lines: string[] = [];
  if (coreValidateMs !== undefined && yamlParserMs !== undefined && coreValidateMs >= 1000) {
    lines.push(
      `- **Validating YAML**: the \`yaml\` library's parser alone takes ${ms(yamlParserMs)} for the 10,000 files, ${Math.round((100 * yamlParserMs) / coreValidateMs)}% of the ${ms(coreValidateMs)} validation takes; Waybill keeps that library for YAML (it gives every value its position; patched to drop its debug reads of \`process.env\` per token, which took over a third of its time), so under a second is out of reach for YAML on one core of this machine. The same files as JSON take ${coreValidateJsonMs === undefined ? "–" : ms(coreValidateJsonMs)} (\`JSON.parse\` first, positions only when a diagnostic needs them).`,
    );
  }
  const missed = rows.filter(
    (row) => row.result.wallMs / row.lowerBound > 1.5 && row.result.firstPageMs !== undefined,
  );
  if (missed.length > 0) {
    const before = (row: ScaleRow) => Math.max(0, (row.result.firstPageMs ?? 0) - service.latencyMs);
    const shares = missed
      .filter((row) => row.mode === "plan" && row.count >= 1000)
      .map((row) => Math.round((100 * before(row)) / row.result.wallMs));
    const largeListOnly =
      shares.length === 0
        ? ""
        : ` In large list-only runs the time before the plan reads its first page (validating YAML files, see above, while the Lists run) is ${Math.min(...shares)}–${Math.max(...shares)}% of the whole.`;
    lines.push(
      "- **Runs over 1.5× their bound**: the time before the plan reads its first List page (less one latency) is what Waybill spends before it may use an answer: starting the run, reading and validating every file (Lists run meanwhile; nothing else may); the rest is the calls and the plan. For each:",
      "",
      "  | run | configurations | home regions | wall time | before the first page is read | after it | lower bound |",
      "  | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...missed.map((row) => {
        const label =
          row.mode === "plan" ? "plan (list-only)" : row.mode === "refresh" ? "plan --refresh" : "apply";
        return `  | ${label}${row.limit === "account" ? " (shared limit)" : ""} | ${row.count.toLocaleString("en")} | ${row.regions} | ${ms(row.result.wallMs)} | ${ms(before(row))} | ${ms(row.result.wallMs - before(row))} | ${ms(row.lowerBound)} |`;
      }),
      "",
      '  Small runs pay a fixed cost in a fresh process, mostly loading code (see "A small run in a fresh',
      `  process"), of the order of a bound of 40–120 ms by itself.${largeListOnly} Apply makes two`,
      "  calls per write beyond the bound (the read-back Get and the `waybill:applied` record's Tag,",
      "  docs/plans.md), which let the next plan skip every Get. Create's answer carries no `dateCreated`, which",
      "  the record must hold, so the record cannot ride on Create's own `tags`; nor can the dates come from one",
      "  List per region after the writes (about 2.04 calls per create): no summary proves its dates are those",
      "  of Waybill's own write, not of a re-creation with every tag copied (docs/plans.md).",
      "",
    );
  }
  return lines.length === 0 ? [] : ["### Where the time goes", "", ...lines, ""];
}

async function main(): Promise<void> {
  const parts: string[] = [];
  const started = new Date();
  const loadAtStart = loadavg()[0] ?? 0;
  const measured: Measured = { rows: [] };
  if (sections.has("core")) {
    const core = await benchCore();
    measured.corePlanMs = core.planMs;
    measured.coreValidateMs = core.validateMs;
    measured.coreValidateJsonMs = core.validateJsonMs;
    measured.yamlParserMs = core.yamlParserMs;
    measured.coreValidateThousandMs = core.validateThousandMs;
    parts.push(core.markdown);
  }
  if (sections.has("scale")) {
    const scale = await benchScale();
    measured.rows = scale.rows;
    parts.push(scale.markdown);
  }
  if (sections.has("awscli")) parts.push(await benchAwsCli([...measured.rows]));
  if (sections.has("startup")) {
    const startup = await benchStartup();
    measured.startupFirstCallMs = startup.firstCallMs;
    parts.push(startup.markdown);
  }
  if (sections.has("action")) {
    const action = await benchAction();
    measured.action = action;
    parts.push(action.markdown);
  }
  parts.unshift(targetsMarkdown(measured));
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const header = [
    "# Benchmarks",
    "",
    "Written by `pnpm bench` (scripts/bench.ts); every number below comes from its last run.",
    "",
    `- date: ${started.toISOString().slice(0, 10)}`,
    `- command: \`pnpm bench${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(" ")}` : ""}\``,
    `- machine: ${cpus().length} × ${cpu}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node.js ${process.version}, ${process.platform}`,
    `- load: 1-minute load average ${loadAtStart.toFixed(1)} at the start and ${(loadavg()[0] ?? 0).toFixed(1)} at the end, on ${cpus().length} cores${Math.max(loadAtStart, loadavg()[0] ?? 0) > cpus().length ? " (other work was running: the machine was loaded, so times are longer than on a quiet machine)" : ""}`,
    "",
  ].join("\n");
  await writeFile(flags.out, `${header}\n${parts.join("\n").trimEnd()}\n`);
  log(`written: ${flags.out}`);
}

await main();
