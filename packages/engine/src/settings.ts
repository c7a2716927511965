// Repository settings: waybill.config.yaml at the root, parsed with zod, then flags/inputs on top.
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import {
  ACCOUNT_SET_NAME,
  type Diagnostic,
  defaultPolicy,
  formatRegionSuggestions,
  nearestRegions,
  policySchema,
  regionSchema,
  suggestKey,
} from "@waybill/core";
import { preflightChecks } from "@waybill/core/preflight";
import { isMap, LineCounter, type Node, parseDocument } from "yaml";
import { z } from "zod";

/** The settings file's name, at the configuration repository's root. */
export const settingsFileName = "waybill.config.yaml";

/** Where config files are looked for when neither the settings file nor the caller says. */
export const defaultConfigGlobs = ["waybill/**/*.{yml,yaml,json}"];

/** The stack (value of the `waybill:managed-by` tag) when none is configured. */
export const defaultStack = "waybill";

/**
 * A region code, by core's rule (the same as a config file's `region`), for the settings file,
 * flags, inputs and the environment alike. A malformed one is refused with the nearest known
 * regions as a hint (`us-east1` → `us-east-1`), as a config file's would be.
 */
export const regionSetting = z.string().superRefine((value, context) => {
  if (regionSchema.safeParse(value).success) return;
  const suggestions = nearestRegions(value);
  context.addIssue({
    code: "custom",
    message: "must be a region like us-west-2",
    ...(suggestions.length > 0
      ? { params: { hint: `did you mean ${formatRegionSuggestions(suggestions)}?` } }
      : {}),
  });
});

/** The hint an issue carries (see {@link regionSetting}), if any. */
export function issueHint(issue: { code: string; params?: unknown }): string | undefined {
  if (issue.code !== "custom") return undefined;
  const hint = (issue.params as { hint?: unknown } | undefined)?.hint;
  return typeof hint === "string" ? hint : undefined;
}

const accountId = z.string().regex(/^[0-9]{12}$/, "must be a 12-digit account id");

/** An account set: the accounts themselves, or every active account under an OU (resolved at plan time). */
const accountSetSchema = z.union([
  z.array(accountId).min(1, "must name at least one account"),
  z.strictObject({
    organizationalUnit: z
      .string()
      .regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, "must be an OU id like ou-ab12-cdef3456"),
  }),
]);
export type AccountSetSetting = z.infer<typeof accountSetSchema>;

const roleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/, "must be an IAM role ARN");

/** Preflight's settings (docs/preflight.md), defaults filled in when the key is present. */
const preflightSchema = z.strictObject({
  /** Run preflight in every plan (the CLI's `waybill preflight` runs it regardless). */
  enabled: z.boolean().default(false),
  /** The account the run's credentials must be in. */
  account: accountId.optional(),
  /** The read-only role in each target account; `{account}` stands for the account id. */
  readRole: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:iam::(\{account\}|[0-9]{12}):role\/[\w+=,.@/-]{1,512}$/,
      "must be an IAM role ARN, with {account} for the account id, like arn:aws:iam::{account}:role/WaybillPreflightRead",
    )
    .optional(),
  /** Read-only roles of single accounts, winning over `readRole`. */
  readRoles: z.record(accountId, roleArn).default({}),
  /** Severity of each check's findings. */
  severity: z.partialRecord(z.enum(preflightChecks), z.enum(["error", "warning"])).default({}),
  /** Limit of each call, retries included. */
  timeoutSeconds: z.number().int("must be a whole number").min(1).max(120).default(10),
});
export type PreflightSettings = z.output<typeof preflightSchema>;

/**
 * The settings: every key of waybill.config.yaml, its rule and its default, in one zod object.
 * Flags, inputs and the environment are checked with the same rules. A new setting is one key
 * here (and a line in docs/settings.md); `Settings` follows from it.
 */
const settingsSchema = z
  .object({
    /** The managed-by name: the value of the `waybill:managed-by` tag on what this repository owns. */
    stack: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "must be 1-63 letters, digits, '.', '_' or '-'")
      .default(defaultStack),
    /** Home region for configurations that name none; else the environment's default region. */
    defaultRegion: regionSetting.optional(),
    /** Globs (relative to the root) that find config files. */
    paths: z
      .array(z.string().min(1))
      .min(1)
      .default(() => [...defaultConfigGlobs]),
    /**
     * Home regions always read, besides those the files name and the default region, so that
     * removing every file of a region still lets prune see (and delete) what is left there.
     */
    regions: z.array(regionSetting).optional(),
    /** Requests in flight per region. */
    concurrency: z
      .number()
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(64, "must be at most 64")
      .default(8),
    /** Allow deleting managed configurations whose files are gone. */
    prune: z.boolean().default(false),
    /** Allow taking over existing, unmanaged configurations of the same name. */
    adopt: z.boolean().default(false),
    policy: policySchema.default(defaultPolicy),
    /** Account sets by name (`set:<name>` in config files; docs/settings.md). */
    accounts: z
      .record(
        z
          .string()
          .regex(ACCOUNT_SET_NAME, "a set's name is a letter or digit, then letters, digits, '_' or '-'"),
        accountSetSchema,
      )
      .optional(),
    /** Checks in AWS of what a build will need (docs/preflight.md); absent: off. */
    preflight: preflightSchema.optional(),
    /** Image pipelines and images (docs/rollout.md): `read: false` skips reading them. */
    images: z.strictObject({ read: z.boolean().default(true) }).optional(),
    /** `waybill rollout` (docs/rollout.md). */
    rollout: z
      .strictObject({
        /** The role Image Builder assumes to distribute: a role name or ARN. */
        executionRole: z
          .string()
          .regex(
            /^(arn:aws[a-z-]*:iam::[0-9]{12}:role\/)?[\w+=,.@/-]{1,512}$/,
            "must be an IAM role name or ARN, like arn:aws:iam::123456789012:role/WaybillRollout",
          )
          .optional(),
        /** Images distributed at once. */
        concurrency: z
          .number()
          .int("must be a whole number")
          .min(1, "must be at least 1")
          .max(16, "must be at most 16")
          .default(4),
      })
      .optional(),
  })
  .strict();

/** The settings of one run: the file's values (or defaults) with flags and inputs laid over them. */
export type Settings = z.output<typeof settingsSchema> & {
  /** An explicit endpoint (never read from the settings file, only from flags, inputs or env). */
  endpointUrl?: string | undefined;
  /** Where each account set is written in the settings file, to locate what goes wrong with it. */
  accountSetPositions?: Record<string, { line: number; column: number }> | undefined;
  /** Where `prune` is written in the settings file, when the file (not a flag or input) set it. */
  prunePosition?: { line: number; column: number } | undefined;
  /** Where `rollout.executionRole` is written in the settings file. */
  rolloutRolePosition?: { line: number; column: number } | undefined;
};

/** Values that win over the settings file; `undefined` means "not given". */
export type SettingsOverrides = { [K in keyof Settings]?: Settings[K] | undefined };

export type SettingsResult =
  | { ok: true; settings: Settings; file: string | undefined }
  | { ok: false; diagnostics: Diagnostic[] };

/** Reads `waybill.config.yaml` (optional) under `root`, validates it and applies `overrides`. */
export async function loadSettings(options: {
  root: string;
  overrides?: SettingsOverrides;
  /** The run's environment: when given, an endpoint taken from it is checked too. */
  env?: Readonly<Record<string, string | undefined>>;
}): Promise<SettingsResult> {
  const path = join(options.root, settingsFileName);
  let text: string | undefined;
  try {
    // Never through a link: the file's text may be quoted back in diagnostics (see findConfigFiles).
    const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const refuse = (diagnosticCode: string, message: string): SettingsResult => ({
      ok: false,
      diagnostics: [
        {
          file: settingsFileName,
          line: 1,
          column: 1,
          path: "",
          severity: "error",
          code: diagnosticCode,
          message,
        },
      ],
    });
    if (code === "ELOOP") {
      return refuse(
        "symlink-refused",
        `${settingsFileName} is a symbolic link; Waybill does not follow symbolic links, so it was not read`,
      );
    }
    if (code !== "ENOENT") {
      return refuse("settings-unreadable", `cannot read ${settingsFileName}: ${(error as Error).message}`);
    }
  }
  const parsed = parseSettingsText(text ?? "");
  if (!parsed.ok) return parsed;
  const overrides = Object.fromEntries(
    Object.entries(options.overrides ?? {}).filter(([, value]) => value !== undefined),
  ) as SettingsOverrides;
  // Flags and inputs obey the file's rules: a bad one must never reach AWS.
  const problems = checkSettingsValues(overrides);
  const endpoint = options.env && checkEndpointUrl(overrides.endpointUrl, options.env);
  if (endpoint && endpoint.key !== "endpointUrl") problems.push(endpoint);
  if (problems.length > 0) {
    return {
      ok: false,
      diagnostics: problems.map((problem) => ({
        file: "",
        line: 1,
        column: 1,
        path: problem.path,
        severity: "error" as const,
        code: "settings-override-invalid",
        message: `${problem.path}: ${problem.message}, got '${String(problem.value)}'`,
      })),
    };
  }
  const settings: Settings = {
    ...parsed.values,
    ...overrides,
    endpointUrl: overrides.endpointUrl,
    ...(parsed.accountSetPositions ? { accountSetPositions: parsed.accountSetPositions } : {}),
    ...(parsed.prunePosition && overrides.prune === undefined ? { prunePosition: parsed.prunePosition } : {}),
    ...(parsed.rolloutRolePosition && overrides.rollout === undefined
      ? { rolloutRolePosition: parsed.rolloutRolePosition }
      : {}),
  };
  return { ok: true, settings, file: text === undefined ? undefined : settingsFileName };
}

/** A settings file's values, defaults filled in. */
type SettingsFileValues = z.output<typeof settingsSchema>;

/** One value that breaks the settings' rules. */
export interface SettingsProblem {
  /** The setting (`stack`, `defaultRegion`, ...). */
  key: string;
  /** Where in it: the key, or e.g. `regions[1]`. */
  path: string;
  message: string;
  /** The offending value. */
  value: unknown;
  /** What it may have meant (a region's nearest known ones). */
  hint?: string;
}

/**
 * Checks settings values (any subset) with the same rules as the settings file, so flags, inputs
 * and the environment cannot bring in what the file refuses; `endpointUrl` (never in the file)
 * must be an http(s) URL.
 */
export function checkSettingsValues(values: SettingsOverrides): SettingsProblem[] {
  const { endpointUrl, ...checked } = values;
  const defined = Object.fromEntries(Object.entries(checked).filter(([, value]) => value !== undefined));
  const result = settingsSchema.safeParse(defined);
  const problems: SettingsProblem[] = result.success
    ? []
    : result.error.issues.map((issue) => {
        const path = issue.path.filter((part): part is string | number => typeof part !== "symbol");
        let value: unknown = defined;
        for (const part of path) value = (value as Record<string | number, unknown> | undefined)?.[part];
        const hint = issueHint(issue);
        return {
          key: String(path[0] ?? ""),
          path: formatPath(path),
          message: issue.message,
          value,
          ...(hint === undefined ? {} : { hint }),
        };
      });
  const endpoint = checkEndpointUrl(endpointUrl, {});
  return endpoint ? [...problems, endpoint] : problems;
}

/**
 * Checks the endpoint a run would use: `endpointUrl` (the flag or input), else
 * `AWS_ENDPOINT_URL_IMAGEBUILDER`, else `AWS_ENDPOINT_URL` of `env` (the order of
 * `resolveEndpoint`). It must be an http:// or https:// URL: anything else would reach the SDK
 * (an invalid URL fails inside it, another scheme tries to connect). The problem's `key` is
 * `endpointUrl` or the variable's name.
 */
export function checkEndpointUrl(
  endpointUrl: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): SettingsProblem | undefined {
  const resolved = resolveEndpoint(endpointUrl, env);
  return resolved && endpointProblem(resolved);
}

/** The problem of a resolved endpoint that is no http(s) URL, named by where it came from. */
export function endpointProblem(resolved: {
  url: string;
  source: EndpointSource;
}): SettingsProblem | undefined {
  if (isHttpUrl(resolved.url)) return undefined;
  const key = resolved.source === "option" ? "endpointUrl" : resolved.source;
  return {
    key,
    path: key,
    message: "must be an http:// or https:// URL such as https://imagebuilder.us-west-2.amazonaws.com",
    value: resolved.url,
  };
}

/** Where an endpoint came from: the flag or input, or the variable's name. */
export type EndpointSource = "option" | "AWS_ENDPOINT_URL_IMAGEBUILDER" | "AWS_ENDPOINT_URL";

/**
 * The endpoint a run uses: the explicit option, else the service-specific variable, else the
 * global one (blank values are skipped), with where it came from. The one place it is chosen.
 */
export function resolveEndpoint(
  endpointUrl: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { url: string; source: EndpointSource } | undefined {
  const candidates: [EndpointSource, string | undefined][] = [
    ["option", endpointUrl],
    ["AWS_ENDPOINT_URL_IMAGEBUILDER", env.AWS_ENDPOINT_URL_IMAGEBUILDER],
    ["AWS_ENDPOINT_URL", env.AWS_ENDPOINT_URL],
  ];
  for (const [source, value] of candidates) {
    if (value !== undefined && value.trim() !== "") return { url: value.trim(), source };
  }
  return undefined;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** Parses and validates the text of a settings file; diagnostics point into it. */
export function parseSettingsText(
  text: string,
  file = settingsFileName,
):
  | {
      ok: true;
      values: SettingsFileValues;
      accountSetPositions?: Record<string, { line: number; column: number }> | undefined;
      prunePosition?: { line: number; column: number } | undefined;
      rolloutRolePosition?: { line: number; column: number } | undefined;
    }
  | { ok: false; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => {
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  };
  if (document.errors.length > 0) {
    return {
      ok: false,
      diagnostics: document.errors.map((error) => ({
        file,
        ...at(error.pos[0]),
        path: "",
        severity: "error" as const,
        code: "settings-syntax",
        message: error.message.split("\n")[0] ?? error.message,
      })),
    };
  }
  const value: unknown = document.toJS() ?? {};
  const result = settingsSchema.safeParse(value);
  if (result.success) {
    const pruneNode = result.data.prune ? locate(document.contents, ["prune"]) : undefined;
    const roleNode = result.data.rollout?.executionRole
      ? locate(document.contents, ["rollout", "executionRole"])
      : undefined;
    const pruned = {
      ...(pruneNode === undefined ? {} : { prunePosition: at(pruneNode) }),
      ...(roleNode === undefined ? {} : { rolloutRolePosition: at(roleNode) }),
    };
    const names = Object.keys(result.data.accounts ?? {});
    if (names.length === 0) return { ok: true, values: result.data, ...pruned };
    const accountSetPositions = Object.fromEntries(
      names.map((name) => {
        const offset = locate(document.contents, ["accounts"], name);
        return [name, offset === undefined ? { line: 1, column: 1 } : at(offset)];
      }),
    );
    return { ok: true, values: result.data, accountSetPositions, ...pruned };
  }
  const diagnostics = result.error.issues.flatMap((issue) => {
    const path = issue.path.filter((part): part is string | number => typeof part !== "symbol");
    // One diagnostic per unknown key, at the key, with the setting it most likely meant.
    const unknownKeys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    return unknownKeys.map((unknownKey) => {
      const node = locate(document.contents, path, unknownKey);
      const suggestion =
        unknownKey === undefined ? undefined : suggestKey(unknownKey, knownKeysAt(settingsSchema, path));
      const message = unknownKey === undefined ? issue.message : `unknown setting '${unknownKey}'`;
      const hint = suggestion === undefined ? issueHint(issue) : `did you mean '${suggestion}'?`;
      return {
        file,
        ...(node ? at(node) : { line: 1, column: 1 }),
        path: formatPath(path),
        severity: "error" as const,
        code: "settings-invalid",
        message:
          path.length > 0 && issue.code !== "unrecognized_keys" ? `${formatPath(path)}: ${message}` : message,
        ...(hint === undefined ? {} : { hint }),
      };
    });
  });
  // In the file's order, as a reader fixes them.
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, diagnostics };
}

/** The keys the settings schema allows at `path` (through optional, default and pipe wrappers), for did-you-mean. */
function knownKeysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  type Def = {
    type?: string;
    innerType?: z.ZodType;
    in?: z.ZodType;
    shape?: Record<string, z.ZodType>;
    element?: z.ZodType;
    valueType?: z.ZodType;
  };
  const defOf = (node: z.ZodType | undefined): Def | undefined => {
    let def = node?._zod.def as Def | undefined;
    while (def !== undefined && (def.innerType !== undefined || def.in !== undefined))
      def = (def.innerType ?? def.in)?._zod.def as Def | undefined;
    return def;
  };
  let def = defOf(schema);
  for (const part of path) {
    if (def?.type === "object") def = defOf(def.shape?.[String(part)]);
    else if (def?.type === "array") def = defOf(def.element);
    else if (def?.type === "record") def = defOf(def.valueType);
    else return [];
  }
  return def?.type === "object" ? Object.keys(def.shape ?? {}) : [];
}

/** The source offset of the node at `path` (or of the key `key` inside it). */
function locate(root: unknown, path: (string | number)[], key?: string): number | undefined {
  let node = root as Node | null | undefined;
  let offset = node?.range?.[0];
  for (const part of path) {
    if (!node || typeof node !== "object" || !("get" in node)) break;
    const child = (node as unknown as { get(key: unknown, keepScalar: boolean): Node | undefined }).get(
      part,
      true,
    );
    if (!child) break;
    node = child;
    offset = child.range?.[0] ?? offset;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
    const keyNode = pair?.key as Node | undefined;
    if (keyNode?.range) offset = keyNode.range[0];
  }
  return offset;
}

function formatPath(path: (string | number)[]): string {
  return path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join("");
}
