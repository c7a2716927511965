// Opening a run: settings, environment and AWS access, checked once, for every front end.
import { type AwsAccess, createAwsAccess, type StaticCredentials } from "@waybill/aws";
import type { Diagnostic } from "@waybill/core";
import { z } from "zod";
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

export interface OpenRunOptions {
  /** The configuration repository's root (where waybill.config.yaml is). */
  root: string;
  /** Flags or inputs; they win over the settings file. `undefined` means "not given". */
  overrides?: SettingsOverrides | undefined;
  /** The run's environment (the CLI's or the Action's `process.env`); read only here. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * How the front end calls each override, for messages: `--region` (CLI), `region` (Action).
   * Default: the setting's key.
   */
  names?: Partial<Record<keyof Settings, string>> | undefined;
  /**
   * Whether the run calls AWS (default true). A run that does not (validate) leaves the endpoint
   * alone: a bad `AWS_ENDPOINT_URL` is none of its business.
   */
  reachesAws?: boolean | undefined;
}

/** A prepared run: what the engine's plan, apply and validate take. */
export interface Run {
  root: string;
  /** Checked settings; `defaultRegion` is filled from the environment when neither file nor flag gave one. */
  settings: Settings;
  /** Access to EC2 Image Builder: endpoint, credentials and retries from settings and environment. */
  aws: AwsAccess;
  /** The home region of files that name none (`settings.defaultRegion`); undefined when none is configured anywhere. */
  defaultRegion: string | undefined;
}

export type OpenRunResult = { ok: true; run: Run } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Prepares a run: reads and checks waybill.config.yaml (diagnostics point into it), checks the
 * overrides and the environment with the same rules, builds AWS access and settles the default
 * region (`defaultRegion` of flags or file, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the
 * AWS profile's region). Nothing reaches AWS from here but the profile's region lookup; a refused
 * run has reached nothing. The CLI and the Action both open their runs here, so they accept and
 * refuse the same settings with the same diagnostics.
 *
 * Refusals come in order, each stage only when the one before passed: overrides, the endpoint
 * (when the run reaches AWS), the settings file, `AWS_MAX_ATTEMPTS`, the default region.
 */
export async function openRun(options: OpenRunOptions): Promise<OpenRunResult> {
  const env = environmentSchema.parse(options.env);
  const overrides = Object.fromEntries(
    Object.entries(options.overrides ?? {}).filter(([, value]) => value !== undefined),
  ) as SettingsOverrides;
  const named = (problem: SettingsProblem) =>
    refusal(
      problem,
      options.names?.[problem.key as keyof Settings] ?? problem.key,
      "settings-override-invalid",
    );

  const overrideProblems = checkSettingsValues(overrides);
  if (overrideProblems.length > 0) return { ok: false, diagnostics: overrideProblems.map(named) };
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
  return { ok: true, run: { root: options.root, settings, aws, defaultRegion: settings.defaultRegion } };
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
