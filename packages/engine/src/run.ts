// Opening a run: settings, environment and AWS access, checked once, for every front end.
import {
  type ApplyResult,
  type AwsAccess,
  type CallCounts,
  createAwsAccess,
  type ImportedConfiguration,
  importConfigurations,
  type LiveStateProgress,
  type StaticCredentials,
} from "@waybill/aws";
import type { Diagnostic, Plan, PreflightReport } from "@waybill/core";
import { renderPlanMarkdown, renderPreflightMarkdown } from "@waybill/core/render";
import { z } from "zod";
import {
  type RolloutRepositoryOptions,
  type RolloutRepositoryResult,
  rolloutRepository,
  type StatusRepositoryResult,
  statusRepository,
} from "./images.js";
import {
  type ApplyRepositoryOptions,
  type ApplyRepositoryResult,
  applyRepository,
  type PlanRepositoryResult,
  type PreflightRepositoryResult,
  planRepository,
  preflightRepository,
  type ValidationReport,
  validateRepository,
} from "./repository.js";
import {
  checkSettingsValues,
  endpointProblem,
  issueHint,
  loadSettings,
  regionSetting,
  resolveEndpoint,
  type Settings,
  type SettingsOverrides,
  type SettingsProblem,
} from "./settings.js";
import {
  appliedVerdict,
  invalidVerdict,
  notAppliedVerdict,
  planVerdict,
  type Verdict,
  type VerdictNames,
} from "./verdict.js";

/** A variable of the run's environment: blank is the same as unset. */
const variable = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

/**
 * The environment variables a run reads, parsed once, here. Credentials are taken from the run's
 * environment when both halves are there (else the SDK's own chain); the SDK reads nothing else
 * of it that Waybill decides.
 */
const environmentSchema = z.object({
  AWS_REGION: variable,
  AWS_DEFAULT_REGION: variable,
  AWS_PROFILE: variable,
  /** The SDK's own variable; read here because Waybill sets its own default (8). */
  AWS_MAX_ATTEMPTS: variable,
  AWS_ENDPOINT_URL_IMAGEBUILDER: variable,
  AWS_ENDPOINT_URL: variable,
  AWS_ACCESS_KEY_ID: variable,
  AWS_SECRET_ACCESS_KEY: variable,
  AWS_SESSION_TOKEN: variable,
});

const maxAttemptsSchema = z
  .string()
  .regex(/^\d+$/, "must be a positive whole number")
  .transform(Number)
  .pipe(z.number().min(1, "must be a positive whole number"));

/**
 * Where a run's config files come from, when not from the settings' globs: files or directories
 * the user named (the CLI's positional paths), or globs (the Action's `path` input, which is the
 * `paths` setting; refusals name it as `names.paths`).
 */
export type RunPaths = { named: readonly string[] } | { globs: readonly string[] };

/** Everything a front end hands the engine to open a run. */
export interface RunRequest {
  /** The configuration repository's root (where waybill.config.yaml is). */
  root: string;
  /** The config files to use instead of the settings' globs; empty or undefined: the settings'. */
  paths?: RunPaths | undefined;
  /** Flags or inputs, named as settings; they win over the settings file. `undefined` means "not given". */
  settings?: SettingsOverrides | undefined;
  /**
   * The run's own confirmation that files holding no configuration mean "delete the whole stack"
   * (`--prune-all`, the Action's `prune-all`): never a settings-file key. It also turns prune on.
   */
  pruneAll?: boolean | undefined;
  /** The run's environment (the CLI's or the Action's `process.env`); read only here. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * How the front end calls each flag or input, for messages: `--region` (CLI), `input 'region'`
   * (Action). Default: the setting's key.
   */
  names?: Partial<Record<keyof Settings, string>> | undefined;
  /**
   * Whether the run calls AWS (default true). A run that does not (validate) leaves the endpoint
   * alone: a bad `AWS_ENDPOINT_URL` is none of its business.
   */
  reachesAws?: boolean | undefined;
}

/** What opening a run found: the parts its methods work with (internal: front ends get a {@link Run}). */
export interface RunParts {
  root: string;
  /** Checked settings; `defaultRegion` is filled from the environment when neither file nor flag gave one. */
  settings: Settings;
  /** Access to EC2 Image Builder: endpoint, credentials and retries from settings and environment. */
  aws: AwsAccess;
  /** The home region of files that name none (`settings.defaultRegion`); undefined when none is configured anywhere. */
  defaultRegion: string | undefined;
  /** The files or directories named (the CLI's paths), relative to the root. */
  paths: string[] | undefined;
  pruneAll: boolean;
}

export type PreparedRun = { ok: true; run: RunParts } | { ok: false; diagnostics: Diagnostic[] };

/** A plan's options (the run's request gave the rest). */
export interface RunPlanOptions {
  /** Get every configuration the plan considers, trusting no `waybill:applied` record (`--refresh`). */
  refresh?: boolean | undefined;
  /** Run preflight's checks with the plan (default: the settings' `preflight.enabled`). */
  preflight?: boolean | undefined;
  /** The build date for AMI name previews (default: now). */
  now?: Date | undefined;
  /** Called as live state is read, for a progress display. */
  onReadProgress?: ((progress: LiveStateProgress) => void) | undefined;
}

/** An apply's options: a plan's, and the saved plan, progress and approval gate. */
export interface RunApplyOptions extends RunPlanOptions {
  /** A plan saved earlier: applied as is unless a fresh plan has another fingerprint (`stale`). */
  savedPlan?: Plan | undefined;
  /** Called as each change finishes. */
  onResult?: ((result: ApplyResult, done: number, total: number) => void) | undefined;
  /** Asked with the plan about to be applied; a refusal applies nothing and is the result. */
  approve?: ApplyRepositoryOptions["approve"];
}

/** A rollout's options. */
export interface RunRolloutOptions {
  /** Distribute (`--yes`); without it the rollout plan is only returned. */
  execute: boolean;
  onReadProgress?: ((progress: LiveStateProgress) => void) | undefined;
  onProgress?: RolloutRepositoryOptions["onProgress"];
  /** Milliseconds between two polls of a distributing image (default 15,000). */
  pollMs?: number | undefined;
}

/** How a plan's markdown is rendered (core's `renderPlanMarkdown` options). */
export type PlanMarkdownOptions = NonNullable<Parameters<typeof renderPlanMarkdown>[1]>;

/** A plan, with the run's verdict on it. */
export type RunPlanResult = (
  | Extract<PlanRepositoryResult, { status: "invalid" }>
  | (Extract<PlanRepositoryResult, { status: "planned" }> & {
      /**
       * The plan as markdown (a pull request's comment, `plan --markdown`), preflight's section
       * after it when preflight ran; within `maxLength`, the plan taking what room the section leaves.
       */
      markdown(options?: PlanMarkdownOptions): string;
    })
) & { verdict: Verdict };
/** An apply, with the run's verdict on it. */
export type RunApplyResult = ApplyRepositoryResult & { verdict: Verdict };

/**
 * An opened run: settings, environment and access checked once. Its methods do the work, over the
 * request's root, paths and settings; front ends render what they return.
 */
export interface Run {
  readonly root: string;
  /** The checked settings (to show; the methods already use them). */
  readonly settings: Readonly<Settings>;
  /** The home region of files that name none; undefined when none is configured anywhere. */
  readonly defaultRegion: string | undefined;
  /** Finds, reads and validates the config files. Never calls AWS. */
  validate(): Promise<ValidationReport>;
  /** Validates, reads live state and plans; with the verdict (exit status, reasons, headline). */
  plan(options?: RunPlanOptions): Promise<RunPlanResult>;
  /** Plans (or re-checks `savedPlan`) and applies; with the verdict. */
  apply(options?: RunApplyOptions): Promise<RunApplyResult>;
  /** Preflight alone: reads only, never plans. */
  preflight(): Promise<PreflightRepositoryResult>;
  /** Where the images are: each latest image's coverage of its configuration's targets. */
  status(options?: Pick<RunPlanOptions, "onReadProgress">): Promise<StatusRepositoryResult>;
  /** Each latest image to the targets it is missing (with `execute`), or the plan of it. */
  rollout(options: RunRolloutOptions): Promise<RolloutRepositoryResult>;
  /** Reads a region's configurations as files (`waybill import`). */
  importLive(options: { region: string; name?: string | undefined }): Promise<ImportedConfiguration[]>;
  /** Calls and HTTP requests per operation so far. */
  callCounts(): CallCounts;
}

export type OpenRunResult =
  | { ok: true; run: Run }
  /** Refused before reaching AWS: the diagnostics, and the verdict of a run that planned nothing. */
  | { ok: false; diagnostics: Diagnostic[]; verdict: Verdict };

/**
 * Opens a run (see {@link prepareRun} for what is checked, in which order): the one way into a
 * run for every front end, the CLI, the Action, the demo and the bench.
 */
export async function openRun(request: RunRequest): Promise<OpenRunResult> {
  const prepared = await prepareRun(request);
  if (!prepared.ok) return { ...prepared, verdict: invalidVerdict(prepared.diagnostics, "plan") };
  return { ok: true, run: runOver(prepared.run, { adopt: request.names?.adopt }) };
}

/** The handle over a prepared run. */
function runOver(parts: RunParts, names: VerdictNames): Run {
  const { root, settings, aws, paths, pruneAll } = parts;
  const base = { root, settings, aws, paths, pruneAll };
  return {
    root,
    settings,
    defaultRegion: parts.defaultRegion,
    validate: async () => await validateRepository(base),
    async plan(options = {}) {
      const result = await planRepository({ ...base, ...defined(options) });
      if (result.status === "invalid")
        return { ...result, verdict: invalidVerdict(result.diagnostics, "plan") };
      return {
        ...result,
        markdown: (markdown) => planMarkdown(result.plan, result.preflight, markdown),
        verdict: planVerdict(result.plan, result.preflight, result.diagnostics, names),
      };
    },
    async apply(options = {}) {
      const result = await applyRepository({ ...base, ...defined(options) });
      return { ...result, verdict: applyVerdict(result, names) };
    },
    preflight: async () => await preflightRepository(base),
    status: async (options = {}) => await statusRepository({ ...base, ...defined(options) }),
    rollout: async (options) => await rolloutRepository({ ...base, ...defined(options) }),
    importLive: (options) =>
      importConfigurations({
        region: options.region,
        clientFor: (region) => aws.clientFor(region),
        name: options.name,
        concurrency: settings.concurrency,
      }),
    callCounts: () => aws.callCounts(),
  };
}

/** The plan's markdown with preflight's section after it: assembled here, once, for every front end. */
function planMarkdown(
  plan: Plan,
  preflight: PreflightReport | undefined,
  options: PlanMarkdownOptions = {},
): string {
  const section = preflight ? `\n${renderPreflightMarkdown(preflight)}` : "";
  const { maxLength } = options;
  return (
    renderPlanMarkdown(plan, {
      ...options,
      ...(maxLength === undefined ? {} : { maxLength: Math.max(1000, maxLength - section.length) }),
    }) + section
  );
}

function applyVerdict(result: ApplyRepositoryResult, names: VerdictNames): Verdict {
  switch (result.status) {
    case "invalid":
      return invalidVerdict(result.diagnostics, "apply");
    case "stale":
      return notAppliedVerdict("stale", result.reason, []);
    case "refused":
      return notAppliedVerdict("refused", result.reason, result.diagnostics);
    case "applied":
      return appliedVerdict(result.plan, result.results, result.diagnostics, names);
  }
}

/** The options given, without those left undefined (the engine's options are exact). */
function defined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}

export async function prepareRun(options: RunRequest): Promise<PreparedRun> {
  const env = environmentSchema.parse(options.env);
  const globs = options.paths !== undefined && "globs" in options.paths ? [...options.paths.globs] : [];
  const named = options.paths !== undefined && "named" in options.paths ? [...options.paths.named] : [];
  const overrides = Object.fromEntries(
    Object.entries({ ...options.settings, ...(globs.length > 0 ? { paths: globs } : {}) }).filter(
      ([, value]) => value !== undefined,
    ),
  ) as SettingsOverrides;
  const refused = (problem: SettingsProblem) =>
    refusal(
      problem,
      options.names?.[problem.key as keyof Settings] ?? problem.key,
      "settings-override-invalid",
    );

  const overrideProblems = checkSettingsValues(overrides);
  if (overrideProblems.length > 0) return { ok: false, diagnostics: overrideProblems.map(refused) };
  // The one place the endpoint is chosen: the flag or input, else the environment's variables.
  const endpoint = options.reachesAws === false ? undefined : resolveEndpoint(overrides.endpointUrl, env);
  const badEndpoint = endpoint && endpointProblem(endpoint);
  if (badEndpoint) {
    const option = badEndpoint.key === "endpointUrl";
    const label = option ? (options.names?.endpointUrl ?? badEndpoint.key) : badEndpoint.key;
    const code = option ? "settings-override-invalid" : "environment-invalid";
    return { ok: false, diagnostics: [refusal(badEndpoint, label, code)] };
  }
  // The settings file, with the overrides (already checked) on top.
  const loaded = await loadSettings({ root: options.root, overrides });
  if (!loaded.ok) return loaded;

  const maxAttempts = parseVariable("AWS_MAX_ATTEMPTS", env.AWS_MAX_ATTEMPTS, maxAttemptsSchema);
  if (maxAttempts.problem) return { ok: false, diagnostics: [maxAttempts.problem] };
  const credentials: StaticCredentials | undefined =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  const aws = createAwsAccess({
    endpointUrl: endpoint?.url,
    // The profile (the region variables were read above) and the endpoints of preflight's
    // services (AWS_ENDPOINT_URL_<IAM|KMS|EC2|S3|STS|ORGANIZATIONS>, else AWS_ENDPOINT_URL).
    env: Object.fromEntries(
      Object.entries(env).filter(
        ([name]) =>
          name === "AWS_PROFILE" || /^AWS_ENDPOINT_URL(_(IAM|KMS|EC2|S3|STS|ORGANIZATIONS))?$/.test(name),
      ),
    ),
    credentials,
    maxAttempts: maxAttempts.value,
  });

  let settings = loaded.settings;
  if (settings.defaultRegion === undefined) {
    const [source, value] = env.AWS_REGION
      ? ["AWS_REGION", env.AWS_REGION]
      : env.AWS_DEFAULT_REGION
        ? ["AWS_DEFAULT_REGION", env.AWS_DEFAULT_REGION]
        : ["the AWS profile's region", await aws.defaultRegion()];
    if (value !== undefined) {
      // Checked like the file's defaultRegion: a bad one must never reach AWS.
      const region = parseVariable(source, value, regionSetting);
      if (region.problem) return { ok: false, diagnostics: [region.problem] };
      settings = { ...settings, defaultRegion: region.value };
    }
  }
  return {
    ok: true,
    run: {
      root: options.root,
      settings,
      aws,
      defaultRegion: settings.defaultRegion,
      paths: named.length > 0 ? named : undefined,
      pruneAll: options.pruneAll === true,
    },
  };
}

function parseVariable<T>(
  name: string,
  value: string | undefined,
  schema: z.ZodType<T, string>,
): { value?: T; problem?: Diagnostic } {
  if (value === undefined) return {};
  const parsed = schema.safeParse(value);
  if (parsed.success) return { value: parsed.data };
  const issue = parsed.error.issues[0];
  const message = issue?.message ?? "is not valid";
  const hint = issue && issueHint(issue);
  return {
    problem: refusal(
      { key: name, path: name, message, value, ...(hint === undefined ? {} : { hint }) },
      name,
      "environment-invalid",
    ),
  };
}

/** A refused flag, input or variable: one line, naming it as the user wrote it. */
function refusal(problem: SettingsProblem, label: string, code: string): Diagnostic {
  const at = problem.path === problem.key ? label : `${label}${problem.path.slice(problem.key.length)}`;
  return {
    file: "",
    line: 1,
    column: 1,
    path: problem.path,
    severity: "error",
    code,
    message: `${at} ${problem.message}, got '${String(problem.value)}'`,
    ...(problem.hint === undefined ? {} : { hint: problem.hint }),
  };
}
