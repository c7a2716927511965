/** What a plan does to the image pipelines that use its configurations, from the image facts. */
import type { Diagnostic } from "../diagnostics.js";
import type { Change } from "../plan/plan-model.js";
import type { Distribution } from "../schema.js";
import { configurationTargets, imageCoverage, pipelinesUsing, targetKey } from "./coverage.js";
import type {
  ImageFacts,
  PipelineFact,
  PlanImageConfiguration,
  PlanImages,
  PlanPipeline,
  Target,
} from "./image-model.js";
import { gapLine, nextBuildLine } from "./schedule.js";

/** One change as the consequences need it: what it does and the configuration before and after. */
export interface ChangeOfConfiguration {
  action: string;
  name: string;
  region: string;
  /** The ARN pipelines use today (a replace's: the old one); undefined for a create. */
  arn: string | undefined;
  accountId: string | undefined;
  source?: string | undefined;
  /** Whether apply executes it (an unexecuted delete is only reported). */
  executed: boolean;
  before: readonly Distribution[] | undefined;
  after: readonly Distribution[] | undefined;
}

/** The actions whose pipelines a plan lists: those that change or remove a configuration. */
const LISTED = new Set(["update", "adopt", "replace", "delete"]);

/**
 * The configuration ARNs (lower-cased) whose pipelines' images a plan shows: those of its listed
 * changes (a replace's old ARN). A run reads every managed configuration's pipelines (a pruned
 * delete of any must see them) but the images only of these, from a first plan made without them.
 */
export function configurationsShowingImages(changes: readonly Change[]): Set<string> {
  const arns = new Set<string>();
  for (const change of changes) {
    if (!LISTED.has(change.action)) continue;
    const arn = change.action === "replace" ? change.replaces.arn : change.arn;
    if (arn !== undefined) arns.add(arn.toLowerCase());
  }
  return arns;
}

function planPipeline(pipeline: PipelineFact, added: readonly Target[]): PlanPipeline {
  const covered = pipeline.image === null ? [] : imageCoverage(added, pipeline.image.amis);
  return {
    name: pipeline.name,
    arn: pipeline.arn,
    status: pipeline.status,
    ...(pipeline.scheduleExpression === undefined ? {} : { schedule: pipeline.scheduleExpression }),
    ...(pipeline.startCondition === undefined ? {} : { startCondition: pipeline.startCondition }),
    ...(pipeline.dateNextRun === undefined ? {} : { dateNextRun: pipeline.dateNextRun }),
    image: pipeline.image === null ? null : { arn: pipeline.image.arn, version: pipeline.image.version },
    missing: covered
      .filter((target) => target.state === "missing")
      .map(({ region, accountId }) => ({ region, accountId })),
  };
}

/**
 * The plan's consequences for pipelines: each changed configuration that a pipeline uses, with
 * those pipelines (schedule, status, next run, latest image) and the targets the change adds that
 * each latest image is not in. A delete that apply would execute is `blocked` when a pipeline uses
 * the configuration: the service refuses it (`ResourceDependencyException`).
 */
export function planImages(changes: readonly ChangeOfConfiguration[], facts: ImageFacts): PlanImages {
  const configurations: PlanImageConfiguration[] = [];
  for (const change of changes) {
    if (!LISTED.has(change.action) || change.arn === undefined) continue;
    const pipelines = pipelinesUsing(facts, change.arn);
    if (pipelines.length === 0) continue;
    const owner = change.accountId;
    const before = owner === undefined ? [] : configurationTargets(change.before ?? [], owner);
    const after = owner === undefined ? [] : configurationTargets(change.after ?? [], owner);
    const had = new Set(before.map(targetKey));
    const addedTargets =
      change.action === "delete" ? [] : after.filter((target) => !had.has(targetKey(target)));
    configurations.push({
      name: change.name,
      region: change.region,
      arn: change.arn,
      action: change.action,
      addedTargets,
      pipelines: pipelines.map((pipeline) => planPipeline(pipeline, addedTargets)),
      blocked: change.action === "delete" && change.executed,
    });
  }
  return { configurations };
}

/** The plan's image lines, for every renderer: blocked deletes first, then pipelines and gaps. */
export function imageLines(images: PlanImages): string[] {
  const lines: string[] = [];
  const ordered = [...images.configurations].sort((a, b) => Number(b.blocked) - Number(a.blocked));
  for (const configuration of ordered) {
    const names = configuration.pipelines.map((pipeline) => pipeline.name).join(", ");
    if (configuration.blocked) {
      lines.push(
        `✗ deleting ${configuration.name} (${configuration.region}) fails: used by ${names}; point them at another configuration or delete them first`,
      );
      continue;
    }
    if (configuration.action === "replace") {
      lines.push(`! ${configuration.name}: still on the old ARN ${configuration.arn}: ${names}`);
    } else if (configuration.action === "delete") {
      lines.push(`${configuration.name} (${configuration.region}) would be deleted but is used by ${names}`);
      continue;
    } else {
      lines.push(`${configuration.name} (${configuration.region}) is used by ${names}`);
    }
    for (const pipeline of configuration.pipelines) {
      lines.push(`  ${nextBuildLine(pipeline)}`);
      if (pipeline.missing.length > 0) lines.push(`  ! ${gapLine(pipeline, pipeline.missing)}`);
    }
  }
  return lines;
}

/** Where a blocked delete's diagnostic points: its file (gone), or the setting or flag that prunes. */
export interface PruneLocation {
  file: string;
  line: number;
  column: number;
  /** How the run's prune was asked for (`prune: true in waybill.config.yaml`, `--prune`, …). */
  how: string;
}

/**
 * An error for each delete apply would execute while a pipeline uses the configuration: the
 * service refuses it after merge, so the plan fails now. Located at `prune` (the settings file's
 * line, else the flag or input that asked for it): the source file whose removal made the delete
 * is gone, so there is nothing there to point at.
 */
export function blockedDeleteDiagnostics(images: PlanImages, prune: PruneLocation): Diagnostic[] {
  return images.configurations
    .filter((configuration) => configuration.blocked)
    .map((configuration) => {
      const names = configuration.pipelines.map((pipeline) => pipeline.name);
      const one = names.length === 1;
      return {
        code: "configuration-in-use",
        severity: "error",
        file: prune.file,
        line: prune.line,
        column: prune.column,
        path: "",
        message: `${configuration.name} (${configuration.region}) is to be deleted (${prune.how}) but image pipeline${one ? "" : "s"} ${names.join(", ")} use${one ? "s" : ""} it: the service refuses the delete (ResourceDependencyException)`,
        hint: `point ${one ? "the pipeline" : "each pipeline"} at another distribution configuration (or delete ${one ? "it" : "them"}) first, or restore the file`,
      } satisfies Diagnostic;
    });
}

/** The plan's image lines as a titled section for the renderers; none when there is nothing to say. */
export function imageSections(images: PlanImages | undefined): { title: string; lines: string[] }[] {
  if (images === undefined) return [];
  const lines = imageLines(images);
  return lines.length === 0 ? [] : [{ title: "Image pipelines", lines }];
}
