// One Waybill run over a configuration repository: read, validate, read live state, plan, apply.
import { randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import {
  type ApplyResult,
  type AwsAccess,
  applyPlan,
  type CallCounts,
  type LiveStateProgress,
  type RegionListing,
  readLiveState,
  startListing,
} from "@waybill/aws";
import {
  type AccountSets,
  accountFromArn,
  blockedDeleteDiagnostics,
  configurationsShowingImages,
  type DesiredConfiguration,
  type Diagnostic,
  homeRegions,
  isRolloutConfiguration,
  type LiveConfiguration,
  type LiveScope,
  MANAGED_BY_TAG,
  type Plan,
  type PreflightConfiguration,
  type PreflightReport,
  plan,
  type ResolvedAccountSet,
  SOURCE_TAG,
  selectLiveScope,
  trustedFromRecords,
} from "@waybill/core";
import { validateConfigTexts } from "./core-bridge.js";
import { findConfigFiles, readConfigFiles } from "./discovery.js";
import { pruneLocation, readImages } from "./image-reads.js";
import {
  hasOrganizationSets,
  openPreflight,
  resolveAccountSets,
  runPreflightChecks,
  staticAccountSets,
} from "./preflight.js";
import type { Settings } from "./settings.js";

export interface RepositoryOptions {
  /** The configuration repository's root: globs and `waybill:source` paths are relative to it. */
  root: string;
  settings: Settings;
  /** Files or directories to use instead of the settings' globs. */
  paths?: string[] | undefined;
  /** Account sets as resolved (default: the settings' listed sets; Organizations sets by name only). */
  accountSets?: AccountSets | undefined;
  /**
   * The run's own confirmation that files holding no configuration mean "delete the whole stack"
   * (`--prune-all`, the Action's `prune-all`): never a settings-file key, so it is given per run.
   * It also turns prune on. Without it, files that hold no configuration are an error.
   */
  pruneAll?: boolean | undefined;
}

export interface ValidationReport {
  /** True when no diagnostic is an error. */
  ok: boolean;
  diagnostics: Diagnostic[];
  /** The valid configurations, with home regions resolved (empty when `ok` is false). */
  documents: DesiredConfiguration[];
  /** The files read, relative to the root. */
  files: string[];
  /** The valid configurations, located, as preflight reads them (empty when `ok` is false). */
  located: PreflightConfiguration[];
}

/**
 * Finds, reads and validates the config files. Never calls AWS. Finding no file at all is an
 * error (`no-config-files`), as are links (see `findConfigFiles`).
 */
export async function validateRepository(
  options: RepositoryOptions & {
    /** Told the home region of each document as soon as it passes (a plan starts listing it). */
    onHomeRegion?: ((region: string) => void) | undefined;
  },
): Promise<ValidationReport> {
  const discovery = await findConfigFiles({
    root: options.root,
    globs: options.settings.paths,
    paths: options.paths,
  });
  const read = readConfigFiles(options.root, discovery.files);
  const validation = await validateConfigTexts(read.texts, {
    defaultRegion: options.settings.defaultRegion,
    policy: options.settings.policy,
    accountSets: options.accountSets ?? staticAccountSets(options.settings),
    onHomeRegion: options.onHomeRegion,
  });
  const diagnostics: Diagnostic[] = [
    ...(discovery.ok ? [] : discovery.diagnostics),
    ...(discovery.files.length === 0 ? [noConfigFiles(options)] : []),
    ...read.diagnostics,
    ...validation.diagnostics,
  ];
  // Files found, all of them empty (or comments only, or empty documents), and otherwise valid:
  // an emptied file must not read as "nothing desired", which prune turns into deleting the stack.
  const valid = !diagnostics.some((diagnostic) => diagnostic.severity === "error");
  if (
    valid &&
    discovery.files.length > 0 &&
    validation.configurations.length === 0 &&
    options.pruneAll !== true
  )
    diagnostics.push(noConfigurations(discovery.files));
  const ok = !diagnostics.some((diagnostic) => diagnostic.severity === "error");
  return {
    ok,
    diagnostics,
    documents: ok ? validation.configurations : [],
    files: discovery.files,
    located: ok ? validation.located : [],
  };
}

/**
 * A run without a single config file is an error, never an empty desired state: with prune on,
 * a typo in the globs (or the Action's `path:`) would otherwise plan to delete everything the
 * stack manages. Deleting a whole stack is done by other means (or by pruning with at least one
 * file left).
 */
function noConfigFiles(options: RepositoryOptions): Diagnostic {
  const named = options.paths !== undefined && options.paths.length > 0;
  const where = (named ? (options.paths ?? []) : options.settings.paths).join(", ");
  return {
    file: "",
    line: 1,
    column: 1,
    path: "",
    severity: "error",
    code: "no-config-files",
    message: named ? `no config files in ${where}` : `no files match ${where}`,
    hint: "a run needs at least one config file; to delete a whole stack, leave one empty file and run with --prune-all (the Action's prune-all: true)",
  };
}

/**
 * The files hold no configuration at all: an error, never an empty desired state (see
 * {@link noConfigFiles}); `--prune-all` is the explicit way to delete a whole stack.
 */
function noConfigurations(files: readonly string[]): Diagnostic {
  const named = files.length === 1 ? (files[0] ?? "") : `${files.length} files`;
  return {
    file: files.length === 1 ? (files[0] ?? "") : "",
    line: 1,
    column: 1,
    path: "",
    severity: "error",
    code: "no-configurations",
    message: `no configuration in ${named}: every file is empty, comments only or empty documents`,
    hint: "a run needs at least one configuration; to delete every configuration of the stack, run with --prune-all (the Action's prune-all: true)",
  };
}

export type PlanRepositoryResult =
  | { status: "invalid"; diagnostics: Diagnostic[]; files: string[] }
  | {
      status: "planned";
      plan: Plan;
      /** Warnings from validation (errors make the result `invalid`). */
      diagnostics: Diagnostic[];
      files: string[];
      /** The account the plan is for, when known (see {@link AwsAccess.accountId}). */
      accountId: string | undefined;
      callCounts?: CallCounts;
      /** What preflight found, when it ran (settings `preflight.enabled`, or asked). */
      preflight?: PreflightReport;
      /** The account sets as this run resolved them (listed and from Organizations). */
      accountSets?: ResolvedAccountSet[];
    };

export interface PlanRepositoryOptions extends RepositoryOptions {
  /** Run preflight's checks with the plan (default: the settings' `preflight.enabled`). */
  preflight?: boolean | undefined;
  aws: AwsAccess;
  /** The build date for AMI name previews (default: now). */
  now?: Date;
  /** Called as live state is read (List pages, Gets done of known), for a progress display. */
  onReadProgress?(progress: LiveStateProgress): void;
  /**
   * Get every configuration the plan considers, trusting no `waybill:applied` record (`--refresh`).
   * Default false: a managed configuration whose record matches its List summary and its file's
   * content is taken from the summary, with no Get (see docs/plans.md, "List-only plans").
   */
  refresh?: boolean;
}

/**
 * Validates, selects the live scope ({@link selectLiveScope}), reads it and plans. The plan's
 * fingerprint covers the live state read and the scope itself, so `applyRepository` can re-check a
 * saved plan by planning again with the very same selection.
 */
export async function planRepository(options: PlanRepositoryOptions): Promise<PlanRepositoryResult> {
  const runPreflight = options.preflight ?? options.settings.preflight?.enabled ?? false;
  if (!runPreflight && !hasOrganizationSets(options.settings)) return planResolved(options, undefined);
  const gatherer = await openPreflight(
    options.aws,
    options.settings,
    options.settings.defaultRegion ?? "us-east-1",
  );
  try {
    return await planResolved(options, { gatherer, runPreflight });
  } finally {
    gatherer.destroy();
  }
}

async function planResolved(
  options: PlanRepositoryOptions,
  preflight: { gatherer: Awaited<ReturnType<typeof openPreflight>>; runPreflight: boolean } | undefined,
): Promise<PlanRepositoryResult> {
  const resolution = await resolveAccountSets(options.settings, preflight?.gatherer);
  if (resolution.diagnostics.length > 0) {
    const validation = await validateRepository(options);
    return {
      status: "invalid",
      diagnostics: [...resolution.diagnostics, ...validation.diagnostics],
      files: validation.files,
    };
  }
  // Lists carry nothing from the files, so each home region is listed while the files are still
  // being validated: the settings' regions at once, a file's region as soon as a document of it
  // passes. Every other call (Gets, preflight's reads, writes) waits for validation to pass; a run
  // with invalid files abandons the Lists and reports the files' diagnostics alone.
  const listings = new Map<string, RegionListing>();
  const listEarly = (region: string) => {
    if (!listings.has(region)) listings.set(region, startListing(options.aws.clientFor(region)));
  };
  try {
    for (const region of homeRegions([], options.settings)) listEarly(region);
    const validation = await validateRepository({
      ...options,
      accountSets: resolution.sets,
      onHomeRegion: listEarly,
    });
    if (!validation.ok)
      return { status: "invalid", diagnostics: validation.diagnostics, files: validation.files };
    return await planValidated(options, preflight, resolution, validation, listings);
  } finally {
    // Read to the end by the plan, or abandoned (invalid files, a failure elsewhere).
    for (const listing of listings.values()) listing.stop();
  }
}

async function planValidated(
  options: PlanRepositoryOptions,
  preflight: { gatherer: Awaited<ReturnType<typeof openPreflight>>; runPreflight: boolean } | undefined,
  resolution: Awaited<ReturnType<typeof resolveAccountSets>>,
  validation: ValidationReport,
  listings: ReadonlyMap<string, RegionListing>,
): Promise<PlanRepositoryResult> {
  const report =
    preflight?.runPreflight === true
      ? await runPreflightChecks({
          gatherer: preflight.gatherer,
          settings: options.settings,
          configurations: validation.located,
          accountSets: resolution.resolved,
        })
      : undefined;
  const { settings, aws } = options;
  const desired = validation.documents;
  const scope = selectLiveScope(desired, validation.files, settings);
  const trusted = options.refresh ? undefined : trustedFromRecords(desired, settings.stack, aws.accountId);
  const { live, accountId } = await readLiveScope(aws, scope, options, trusted, listings);
  const withAccount = desired.map((configuration) =>
    configuration.accountId !== undefined || accountId === undefined
      ? configuration
      : { ...configuration, accountId },
  );
  const planOptions = {
    stack: settings.stack,
    prune: settings.prune || options.pruneAll === true,
    adopt: settings.adopt,
    now: options.now ?? new Date(),
    // Client tokens derive from the plan's id: a random one, so that no other plan (even one made
    // from the same live state, as a prune's restore) is answered from an earlier one's memory.
    id: randomUUID(),
    scope: scope.fingerprint,
    // The sharing summary flags new grants outside the policy's allow-lists.
    policy: settings.policy,
  };
  // Every managed configuration's pipelines are read (a pruned delete of any must see them), but
  // images only for the configurations a change shows (a first plan, without images, says which).
  const shown = configurationsShowingImages(plan(withAccount, live, planOptions).changes);
  const images = await readImages(aws, settings, live, (arn) => shown.has(arn.toLowerCase()));
  const result = plan(withAccount, live, {
    ...planOptions,
    ...(images.facts === undefined ? {} : { images: images.facts }),
  });
  const blocked =
    result.images === undefined ? [] : blockedDeleteDiagnostics(result.images, pruneLocation(settings));
  if (blocked.length > 0) {
    return {
      status: "invalid",
      diagnostics: [...validation.diagnostics, ...images.diagnostics, ...blocked],
      files: validation.files,
    };
  }
  return {
    status: "planned",
    // The plan carries preflight's report, so its JSON (plan --json, --out, the Action's plan-json) has it.
    plan: report ? { ...result, preflight: report } : result,
    diagnostics: [...validation.diagnostics, ...images.diagnostics],
    files: validation.files,
    accountId,
    callCounts: aws.callCounts(),
    ...(report ? { preflight: report } : {}),
    ...(resolution.resolved.length > 0 ? { accountSets: resolution.resolved } : {}),
  };
}

export type PreflightRepositoryResult =
  | { status: "invalid"; diagnostics: Diagnostic[]; files: string[] }
  | { status: "checked"; report: PreflightReport; diagnostics: Diagnostic[]; files: string[] };

/**
 * Preflight alone (`waybill preflight`): resolves the account sets, validates, and runs every
 * check. Reads only; never reads or plans Image Builder's state.
 */
export async function preflightRepository(
  options: PlanRepositoryOptions,
): Promise<PreflightRepositoryResult> {
  const gatherer = await openPreflight(
    options.aws,
    options.settings,
    options.settings.defaultRegion ?? "us-east-1",
  );
  try {
    const resolution = await resolveAccountSets(options.settings, gatherer);
    const validation = await validateRepository({ ...options, accountSets: resolution.sets });
    if (resolution.diagnostics.length > 0 || !validation.ok) {
      return {
        status: "invalid",
        diagnostics: [...resolution.diagnostics, ...validation.diagnostics],
        files: validation.files,
      };
    }
    const report = await runPreflightChecks({
      gatherer,
      settings: options.settings,
      configurations: validation.located,
      accountSets: resolution.resolved,
    });
    return { status: "checked", report, diagnostics: validation.diagnostics, files: validation.files };
  } finally {
    gatherer.destroy();
  }
}

export type ApplyRepositoryResult =
  | { status: "invalid"; diagnostics: Diagnostic[]; files: string[] }
  | {
      status: "stale";
      /** A fresh plan from the files and today's live state, to show instead. */
      plan: Plan;
      reason: string;
      callCounts?: CallCounts;
    }
  | {
      /** `approve` refused the plan: nothing was applied. */
      status: "refused";
      plan: Plan;
      reason: string;
      diagnostics: Diagnostic[];
      callCounts?: CallCounts;
    }
  | {
      status: "applied";
      plan: Plan;
      results: ApplyResult[];
      /** True when no result failed. */
      ok: boolean;
      diagnostics: Diagnostic[];
      callCounts?: CallCounts;
    };

export interface ApplyRepositoryOptions extends PlanRepositoryOptions {
  /**
   * A plan saved earlier (`plan --out`). It is applied as is, unless a fresh plan of this run has
   * another fingerprint (live state changed since it was made, or this run's scope differs: other
   * files, paths, regions or stack): then nothing is applied and the result is `stale`.
   */
  savedPlan?: Plan;
  /** Called as each change finishes. */
  onResult?(result: ApplyResult, done: number, total: number): void;
  /**
   * Asked with the plan about to be applied (a gate such as the policy's sharing approval); a
   * refusal applies nothing and is the result, with its reason.
   */
  approve?(plan: Plan): Promise<{ approved: true } | { approved: false; reason: string }>;
}

/**
 * Plans and applies; or, given a saved plan, re-checks it and applies it. The re-check is a fresh
 * plan (the same selection of live state, from today's files and settings): the saved plan is
 * applied only when its fingerprint matches the fresh one's, that is when the live state and the
 * scope (stack, home regions, files, wanted configurations) are those it was made from. Otherwise
 * nothing is applied and the result is `stale`, with the fresh plan to show. Failures of single
 * changes are results, not errors.
 */
export async function applyRepository(options: ApplyRepositoryOptions): Promise<ApplyRepositoryResult> {
  const { aws, settings } = options;
  // A saved plan is re-checked against a full read (every considered configuration got), as
  // `--refresh` plans: a saved plan is only as good as the live state it is compared with.
  // Preflight belongs to review; apply still resolves account sets (they shape the plan).
  const planned = await planRepository({
    ...options,
    preflight: false,
    ...(options.savedPlan ? { refresh: true } : {}),
  });
  if (planned.status === "invalid") return planned;
  let toApply = planned.plan;
  let diagnostics = planned.diagnostics;
  if (options.savedPlan) {
    if (planned.plan.fingerprint !== options.savedPlan.fingerprint) {
      return {
        status: "stale",
        plan: planned.plan,
        reason:
          "live state changed since the plan was made (or this run covers other files, regions or a stack of its own); review the new plan and apply again",
        callCounts: aws.callCounts(),
      };
    }
    // Applied as saved, with its own id, so its tokens: applying it again does nothing twice.
    toApply = options.savedPlan;
    diagnostics = [];
  }
  const approval =
    options.approve === undefined ? { approved: true as const } : await options.approve(toApply);
  if (!approval.approved) {
    return {
      status: "refused",
      plan: toApply,
      reason: approval.reason,
      diagnostics,
      callCounts: aws.callCounts(),
    };
  }
  const results = await applyPlan(toApply, {
    clientFor: (region) => aws.clientFor(region),
    concurrency: settings.concurrency,
    ...(options.onResult ? { onResult: options.onResult } : {}),
  });
  return {
    status: "applied",
    plan: toApply,
    results,
    ok: results.every((result) => result.status !== "failed"),
    diagnostics,
    callCounts: aws.callCounts(),
  };
}

/** Reads the scope's live state: List every region, Get what the scope needs, keep what is in scope. */
export async function readLiveScope(
  aws: AwsAccess,
  scope: LiveScope,
  options: PlanRepositoryOptions,
  trusted?: (summary: Summary, region: string) => LiveConfiguration | undefined,
  listings?: ReadonlyMap<string, RegionListing>,
): Promise<{ live: LiveConfiguration[]; accountId: string | undefined }> {
  const read = await readRelevantLiveState(
    aws,
    scope,
    options.settings.concurrency,
    options.onReadProgress,
    trusted,
    listings,
  );
  const live = await inScope(read.live, {
    root: options.root,
    stack: scope.stack,
    files: scope.files,
    isWanted: (configuration) => scope.isWanted(configuration.region, configuration),
  });
  return { live, accountId: read.accountId };
}

/**
 * The live configurations a run over `files` may consider. A configuration of the stack that no
 * desired configuration names, whose `waybill:source` file is not among the run's files but
 * exists on disk (relative to the root), belongs to files this run did not read (paths given, or
 * globs that cover only part of the repository, as a matrix shard's): it is out of scope and left
 * out, so the plan neither deletes nor replaces it. Only a configuration whose source file is
 * really gone (or that has none) can become an orphan. A rollout's temporary configuration is no
 * file's and is always left out: only the rollout that made it deletes it.
 */
async function inScope(
  live: LiveConfiguration[],
  scope: {
    root: string;
    stack: string;
    files: readonly string[];
    isWanted(configuration: LiveConfiguration): boolean;
  },
): Promise<LiveConfiguration[]> {
  const files = new Set(scope.files);
  const exists = new Map<string, Promise<boolean>>();
  const keep = await Promise.all(
    live.map(async (configuration) => {
      if (isRolloutConfiguration(configuration)) return false;
      const source = configuration.tags[SOURCE_TAG];
      if (configuration.tags[MANAGED_BY_TAG] !== scope.stack || !source || files.has(source)) return true;
      if (scope.isWanted(configuration)) return true;
      let found = exists.get(source);
      if (found === undefined) {
        found = stat(resolve(scope.root, source)).then(
          () => true,
          () => false,
        );
        exists.set(source, found);
      }
      return !(await found);
    }),
  );
  return live.filter((_, index) => keep[index]);
}

type Summary = Parameters<NonNullable<Parameters<typeof readLiveState>[0]["trusted"]>>[0];

/**
 * List every region of the scope; Get those managed by its stack or wanted by it, unless `trusted`
 * takes one from its summary. Also the account seen.
 */
async function readRelevantLiveState(
  aws: AwsAccess,
  scope: LiveScope,
  concurrency: number,
  onProgress?: (progress: LiveStateProgress) => void,
  trusted?: (summary: Summary, region: string) => LiveConfiguration | undefined,
  listings?: ReadonlyMap<string, RegionListing>,
): Promise<{ live: LiveConfiguration[]; accountId: string | undefined }> {
  let accountId = aws.accountId;
  const live = await readLiveState({
    regions: scope.regions,
    clientFor: (region) => aws.clientFor(region),
    ...(listings ? { listings } : {}),
    concurrency,
    needsDetails(summary, region) {
      accountId ??= summary.arn ? accountFromArn(summary.arn) : undefined;
      return summary.tags?.[MANAGED_BY_TAG] === scope.stack || scope.isWanted(region, summary);
    },
    ...(trusted ? { trusted } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  return { live, accountId };
}
