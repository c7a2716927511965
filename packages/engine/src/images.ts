// `status` and `rollout` over a repository: coverage of the latest images, and distributing what is missing.
import {
  cleanUpRolloutConfigurations,
  type RolloutProgress,
  type RolloutResult,
  runRollout,
} from "@waybill/aws";
import {
  type CoveredConfiguration,
  type Diagnostic,
  type ImageStatus,
  imageStatus,
  type LiveConfiguration,
  type RolloutPlan,
  rolloutPlan,
  selectLiveScope,
} from "@waybill/core";
import { managed, readImages } from "./image-reads.js";
import { type PlanRepositoryOptions, readLiveScope, validateRepository } from "./repository.js";
import { settingsFileName } from "./settings.js";

function covered(configuration: LiveConfiguration): CoveredConfiguration {
  return {
    name: configuration.name,
    region: configuration.region,
    arn: configuration.arn,
    accountId: configuration.accountId,
    distributions: configuration.distributions,
  };
}

export type StatusRepositoryResult =
  | { status: "invalid"; diagnostics: Diagnostic[]; files: string[] }
  | {
      status: "read";
      /** Each managed configuration, each pipeline that uses it, its latest image's coverage. */
      report: ImageStatus;
      /** What `rollout` would do now. */
      rollout: RolloutPlan;
      /** Warnings (validation, denied reads). */
      diagnostics: Diagnostic[];
      files: string[];
      /** Home regions read. */
      regions: string[];
    };

/**
 * `waybill status`: validates the files (to know the run's scope), reads live state and the
 * pipelines and images of every managed configuration in scope, and compares each latest image
 * with its configuration as it is now. Reads only; `images.read: false` does not apply (status
 * is nothing but that read).
 */
export async function statusRepository(options: PlanRepositoryOptions): Promise<StatusRepositoryResult> {
  const validation = await validateRepository(options);
  if (!validation.ok)
    return { status: "invalid", diagnostics: validation.diagnostics, files: validation.files };
  const { settings, aws } = options;
  const scope = selectLiveScope(validation.documents, validation.files, settings);
  const { live } = await readLiveScope(aws, scope, options);
  const images = await readImages(aws, { ...settings, images: { read: true } }, live);
  const configurations = managed(live, settings.stack).map(covered);
  const facts = images.facts ?? { pipelines: [] };
  return {
    status: "read",
    report: imageStatus(configurations, facts),
    rollout: rolloutPlan(configurations, facts),
    diagnostics: [...validation.diagnostics, ...images.diagnostics],
    files: validation.files,
    regions: scope.regions,
  };
}

export interface RolloutRepositoryOptions extends PlanRepositoryOptions {
  /** Distribute (`--yes`); without it the rollout plan is only returned. */
  execute: boolean;
  onProgress?(progress: RolloutProgress): void;
  /** Milliseconds between two polls of a distributing image (default 15,000). */
  pollMs?: number;
}

export type RolloutRepositoryResult =
  | { status: "invalid"; diagnostics: Diagnostic[]; files: string[] }
  | { status: "planned"; rollout: RolloutPlan; diagnostics: Diagnostic[] }
  | {
      status: "rolled-out";
      rollout: RolloutPlan;
      results: RolloutResult[];
      /** True when no target failed. */
      ok: boolean;
      /** Temporary configurations an earlier, interrupted run left, deleted now. */
      cleanedUp: string[];
      diagnostics: Diagnostic[];
    };

/**
 * `waybill rollout`: the status read, then for each latest image the targets it is missing,
 * distributed there and only there (see `runRollout`). Without `execute` it returns the plan and
 * changes nothing. Needs settings `rollout.executionRole` to execute.
 */
export async function rolloutRepository(options: RolloutRepositoryOptions): Promise<RolloutRepositoryResult> {
  const read = await statusRepository(options);
  if (read.status === "invalid") return read;
  if (!options.execute) return { status: "planned", rollout: read.rollout, diagnostics: read.diagnostics };
  const executionRole = options.settings.rollout?.executionRole;
  if (executionRole === undefined) {
    return {
      status: "invalid",
      files: read.files,
      diagnostics: [
        ...read.diagnostics,
        {
          file: settingsFileName,
          line: 1,
          column: 1,
          path: "rollout.executionRole",
          severity: "error",
          code: "rollout-role-not-set",
          message:
            "rollout needs the role Image Builder assumes to distribute: settings rollout.executionRole",
          hint: "add rollout: { executionRole: arn:aws:iam::<account>:role/<name> } to waybill.config.yaml (docs/rollout.md)",
        },
      ],
    };
  }
  const clientFor = (region: string) => options.aws.clientFor(region);
  const cleanup = await cleanUpRolloutConfigurations({
    regions: read.regions,
    clientFor,
    stack: options.settings.stack,
    keep: read.rollout.items,
  });
  // A leftover that could not be deleted is a warning: the next rollout tries again.
  const cleanupWarnings = cleanup.failed.map(
    (failure): Diagnostic => ({
      file: "",
      line: 1,
      column: 1,
      path: "",
      severity: "warning",
      code: "rollout-cleanup-failed",
      message: `a leftover temporary configuration was not deleted: ${failure.arn}: ${failure.message}`,
      hint: "the next waybill rollout tries again; or delete it yourself (docs/rollout.md)",
    }),
  );
  const results = await runRollout(read.rollout.items, {
    clientFor,
    stack: options.settings.stack,
    executionRole,
    concurrency: options.settings.rollout?.concurrency ?? 4,
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return {
    status: "rolled-out",
    rollout: read.rollout,
    results,
    ok: results.every((result) => result.status === "distributed"),
    cleanedUp: cleanup.deleted,
    diagnostics: [...read.diagnostics, ...cleanupWarnings],
  };
}
