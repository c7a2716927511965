/**
 * Image facts (the pipelines that use a configuration and their latest images) and the shapes the
 * plan, `waybill status` and `waybill rollout` give them. The plan's part is a zod schema, as the
 * rest of the plan is, so a saved plan reads back with it.
 */
import { z } from "zod";

/**
 * Tag Waybill puts on what a rollout creates: the image build versions `DistributeImage` makes
 * and the temporary distribution configurations they use. Its value is the source image's ARN, so
 * a later read counts a rollout's AMIs as the source image's.
 */
export const ROLLOUT_OF_TAG = "waybill:rollout-of";

/**
 * Whether a live configuration is a rollout's temporary one (`waybill-rollout-*`): tagged
 * `waybill:rollout-of` and with no `waybill:source`, as only `waybill rollout` makes them. It is
 * no file's configuration: the plan, its fingerprint and `waybill status` leave it out, so a plan
 * with prune never deletes one a rollout is still using (the rollout deletes its own).
 */
export function isRolloutConfiguration(configuration: {
  tags?: Readonly<Record<string, string>> | undefined;
}): boolean {
  const tags = configuration.tags ?? {};
  // `SOURCE_TAG`, spelt out: plan/plan-model.ts imports this module, so importing it back would be a cycle.
  return tags[ROLLOUT_OF_TAG] !== undefined && tags["waybill:source"] === undefined;
}

/** One place an AMI can be: a region and an account. */
export const targetSchema = z.object({ region: z.string(), accountId: z.string() });
export type Target = z.infer<typeof targetSchema>;

/** One AMI of an image's `outputResources.amis`. */
export interface AmiFact {
  region: string;
  accountId: string;
  /** The AMI id (`ami-…`). */
  image: string;
}

/** An image build version that finished (`AVAILABLE`), with every AMI it and its rollouts made. */
export interface ImageFact {
  arn: string;
  /** `<major>.<minor>.<patch>/<build>`. */
  version: string;
  dateCreated?: string | undefined;
  amis: AmiFact[];
}

/** An image pipeline, as `ListImagePipelines` gives it, with its latest available image. */
export interface PipelineFact {
  name: string;
  arn: string;
  /** The pipeline's region (a pipeline uses a configuration of its own region). */
  region: string;
  distributionConfigurationArn: string;
  /** `ENABLED` or `DISABLED`. */
  status: string;
  scheduleExpression?: string | undefined;
  /** `schedule.pipelineExecutionStartCondition`, when the service gave one. */
  startCondition?: string | undefined;
  timezone?: string | undefined;
  dateNextRun?: string | undefined;
  /** The latest `AVAILABLE` image the pipeline built; null when it has none. */
  image: ImageFact | null;
}

/** What a run read of pipelines and images: every pipeline that uses a configuration in scope. */
export interface ImageFacts {
  pipelines: PipelineFact[];
}

const imageRefSchema = z.object({ arn: z.string(), version: z.string() });
export type ImageRef = z.infer<typeof imageRefSchema>;

/** A pipeline as the plan names it: enough to say when it builds next and what it last built. */
const planPipelineSchema = z.object({
  name: z.string(),
  arn: z.string(),
  status: z.string(),
  schedule: z.string().optional(),
  /** `pipelineExecutionStartCondition`; absent is the service's default (builds only on dependency updates). */
  startCondition: z.string().optional(),
  dateNextRun: z.string().optional(),
  image: imageRefSchema.nullable(),
  /** The targets this plan adds that the pipeline's latest image is not in. */
  missing: z.array(targetSchema),
});
export type PlanPipeline = z.infer<typeof planPipelineSchema>;

/** One changed configuration (update, adopt, replace, delete) and the pipelines that use it. */
const planImageConfigurationSchema = z.object({
  name: z.string(),
  region: z.string(),
  /** The ARN the pipelines use (a replace's: the old one). */
  arn: z.string(),
  action: z.string(),
  /** Targets (region × account, the owner included) the change adds. */
  addedTargets: z.array(targetSchema),
  pipelines: z.array(planPipelineSchema),
  /** True for a delete that apply would execute while a pipeline uses the configuration. */
  blocked: z.boolean(),
});
export type PlanImageConfiguration = z.infer<typeof planImageConfigurationSchema>;

/** The plan's consequences for image pipelines (plan JSON version 3); absent when they were not read. */
export const planImagesSchema = z.object({ configurations: z.array(planImageConfigurationSchema) });
export type PlanImages = z.infer<typeof planImagesSchema>;

/** A target's state for one image: `present` (with its AMI), `missing` (added since), `extra` (removed since). */
export type CoverageState = "present" | "missing" | "extra";
export interface TargetCoverage extends Target {
  state: CoverageState;
  ami?: string;
}

/** `waybill status --json`: each managed configuration, each pipeline that uses it, its image's coverage. */
export interface ImageStatus {
  configurations: Array<{
    name: string;
    region: string;
    pipelines: Array<{
      name: string;
      arn: string;
      image: ImageRef | null;
      targets: TargetCoverage[];
    }>;
  }>;
}
