/** The action's inputs and the runner's environment, read once from process.env and checked with zod. */
import { z } from "zod";

export const ACTION_MODES = ["auto", "plan", "apply", "drift"] as const;
export type ActionMode = (typeof ACTION_MODES)[number];
/** What an apply does when its plan differs from the one reviewed on the pull request. */
export const ON_PLAN_CHANGE = ["refuse", "apply"] as const;
export type OnPlanChange = (typeof ON_PLAN_CHANGE)[number];

// The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them.
const TRUE = ["true", "True", "TRUE"];
const FALSE = ["false", "False", "FALSE"];

const optionalBoolean = z
  .string()
  .refine((value) => value === "" || TRUE.includes(value) || FALSE.includes(value), {
    message: "must be true, false or empty",
  })
  .transform((value) => (value === "" ? undefined : TRUE.includes(value)));

const optionalText = z.string().transform((value) => (value === "" ? undefined : value));

const inputsSchema = z.object({
  path: z.string().transform((value) =>
    value
      .split(/[\n,]/)
      .map((glob) => glob.trim())
      .filter((glob) => glob !== ""),
  ),
  mode: z.enum(ACTION_MODES, { message: `must be one of ${ACTION_MODES.join(", ")}` }),
  // Checked where the CLI's --region is, by the engine's openRun (one rule, with its hint).
  region: optionalText,
  stack: optionalText,
  prune: optionalBoolean,
  adopt: optionalBoolean,
  "prune-all": optionalBoolean.transform((value) => value ?? false),
  refresh: optionalBoolean.transform((value) => value ?? false),
  rollout: optionalBoolean.transform((value) => value ?? false),
  "status-html": optionalText,
  "github-token": z.string(),
  comment: optionalBoolean.transform((value) => value ?? true),
  "comment-key": z.string(),
  "endpoint-url": optionalText.pipe(z.url({ message: "must be a URL" }).optional()),
  "on-plan-change": z.enum(ON_PLAN_CHANGE, { message: `must be one of ${ON_PLAN_CHANGE.join(", ")}` }),
});

export type ActionInputs = {
  paths: string[];
  mode: ActionMode;
  region: string | undefined;
  stack: string | undefined;
  prune: boolean | undefined;
  adopt: boolean | undefined;
  /** Files holding no configuration mean: delete the whole stack (implies prune). */
  pruneAll: boolean;
  /** Get every configuration, trusting no `waybill:applied` record. */
  refresh: boolean;
  /** After a successful apply on merge, distribute each current image to the targets it is missing. */
  rollout: boolean;
  /** Drift mode: where to write the image status page, if anywhere. */
  statusHtml: string | undefined;
  githubToken: string;
  comment: boolean;
  commentKey: string;
  endpointUrl: string | undefined;
  /** `refuse` (default): an apply whose plan differs from the reviewed one applies nothing. */
  onPlanChange: OnPlanChange;
};

const DEFAULTS: Record<keyof z.input<typeof inputsSchema>, string> = {
  path: "",
  mode: "auto",
  region: "",
  stack: "",
  prune: "",
  adopt: "",
  "prune-all": "false",
  refresh: "false",
  rollout: "false",
  "status-html": "",
  "github-token": "",
  comment: "true",
  "comment-key": "",
  "endpoint-url": "",
  "on-plan-change": "refuse",
};

export type InputsResult = { success: true; inputs: ActionInputs } | { success: false; errors: string[] };

/**
 * The inputs, read through `getInput` (@actions/core's, which reads the runner's INPUT_<NAME>
 * variables and which @github/local-action replaces with its own); an empty input takes its default.
 */
export function readActionInputs(getInput: (name: string) => string): InputsResult {
  const raw = Object.fromEntries(
    Object.entries(DEFAULTS).map(([name, fallback]) => {
      const value = getInput(name).trim();
      return [name, value === "" && fallback !== "" ? fallback : value];
    }),
  );
  const parsed = inputsSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      success: false,
      errors: parsed.error.issues.map((issue) => `Input '${issue.path.join(".")}' ${issue.message}`),
    };
  }
  const data = parsed.data;
  return {
    success: true,
    inputs: {
      paths: data.path,
      mode: data.mode,
      region: data.region,
      stack: data.stack,
      prune: data.prune,
      adopt: data.adopt,
      pruneAll: data["prune-all"],
      refresh: data.refresh,
      rollout: data.rollout,
      statusHtml: data["status-html"],
      githubToken: data["github-token"],
      comment: data.comment,
      commentKey: data["comment-key"],
      endpointUrl: data["endpoint-url"],
      onPlanChange: data["on-plan-change"],
    },
  };
}

const environmentSchema = z.object({
  GITHUB_EVENT_NAME: z.string().min(1),
  GITHUB_EVENT_PATH: z.string().min(1),
  GITHUB_REPOSITORY: z.string().regex(/^[^/]+\/[^/]+$/, "must look like owner/repo"),
  GITHUB_SHA: z.string().default(""),
  GITHUB_REF: z.string().default(""),
  GITHUB_WORKSPACE: z.string().optional(),
  GITHUB_SERVER_URL: z.string().default("https://github.com"),
  GITHUB_API_URL: z.string().default("https://api.github.com"),
  GITHUB_RUN_ID: z.string().default(""),
  RUNNER_TEMP: z.string().optional(),
});

export interface RunnerEnvironment {
  eventName: string;
  eventPath: string;
  repository: { owner: string; repo: string };
  sha: string;
  ref: string;
  /** The checked-out repository: where configuration files are found. */
  workspace: string;
  /** Where the plan JSON is written. */
  tempDirectory: string | undefined;
  /** Link to this workflow run, for comments. */
  runUrl: string | undefined;
  /** The REST API's base URL (GitHub Enterprise Server has its own). */
  apiUrl: string;
  /** GitHub's web address, for links to a file's line. */
  serverUrl: string;
}

export type EnvironmentResult =
  | { success: true; environment: RunnerEnvironment }
  | { success: false; errors: string[] };

export function readRunnerEnvironment(
  env: Record<string, string | undefined>,
  cwd: string,
): EnvironmentResult {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    return {
      success: false,
      errors: parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`),
    };
  }
  const data = parsed.data;
  const [owner = "", repo = ""] = data.GITHUB_REPOSITORY.split("/");
  return {
    success: true,
    environment: {
      eventName: data.GITHUB_EVENT_NAME,
      eventPath: data.GITHUB_EVENT_PATH,
      repository: { owner, repo },
      sha: data.GITHUB_SHA,
      ref: data.GITHUB_REF,
      workspace: data.GITHUB_WORKSPACE || cwd,
      tempDirectory: data.RUNNER_TEMP || undefined,
      runUrl:
        data.GITHUB_RUN_ID === ""
          ? undefined
          : `${data.GITHUB_SERVER_URL}/${data.GITHUB_REPOSITORY}/actions/runs/${data.GITHUB_RUN_ID}`,
      apiUrl: data.GITHUB_API_URL,
      serverUrl: data.GITHUB_SERVER_URL.replace(/\/+$/, ""),
    },
  };
}
