// `waybill demo`: the README's main job against an in-process emulator, with no AWS credentials.
import { existsSync } from "node:fs";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { createAwsAccess } from "@waybill/aws";
import {
  type DesiredConfiguration,
  distributionConfigurationArn,
  hasChanges,
  type Policy,
  statusCounts,
} from "@waybill/core";
import {
  formatTargets,
  renderPlanMarkdown,
  renderPlanText,
  renderStatusText,
  rolloutLines,
} from "@waybill/core/render";
import { startEmulator } from "@waybill/emulator";
import { openRun } from "@waybill/engine";
import { CliError } from "../errors.js";
import type { CliIo, ParsedCommand } from "../io.js";
import { formatResults } from "./apply.js";
import { formatRunDiagnostic, stringFlag, useColor, writeUserFile } from "./context.js";

/**
 * The example repository shipped with Waybill: the published package carries a copy in
 * dist/example (its build copies examples/basic there); run from sources, the repository's own.
 */
function bundledExample(): string {
  const packaged = fileURLToPath(new URL("../example", import.meta.url));
  return existsSync(packaged)
    ? packaged
    : fileURLToPath(new URL("../../../../examples/basic", import.meta.url));
}

/** Static, fake credentials for the emulator: the demo never reads or prints real ones. */
const demoCredentials = {
  AWS_ACCESS_KEY_ID: "AKIAWAYBILLDEMO00001",
  AWS_SECRET_ACCESS_KEY: "waybill-demo-not-a-secret",
};

export async function runDemo(parsed: ParsedCommand, io: CliIo): Promise<number> {
  const example = resolve(io.cwd, stringFlag(parsed, "example") ?? bundledExample());
  const commentPath = stringFlag(parsed, "comment") ?? join(".waybill", "demo-comment.md");
  const color = useColor(parsed, io);
  const say = (text: string) => io.stdout.write(`${text}\n`);

  // Work on a copy, so the demo never writes into the example (and `waybill:source` paths stay relative).
  const root = await mkdtemp(join(tmpdir(), "waybill-demo-"));
  try {
    await cp(example, root, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`cannot read the example ${example}: ${error.code ?? error.message}`);
    });
    // Builds and distributions of a few hundred milliseconds per phase: the story, not the wait.
    const emulator = await startEmulator({ buildMs: 200 });
    try {
      say(`==> Emulator: EC2 Image Builder at ${emulator.url} (in-process, fake credentials)`);
      // The run's environment is the demo's own: fake credentials, us-west-2 unless the example says.
      const opened = await openRun({
        root,
        settings: {
          endpointUrl: emulator.url,
          rollout: { executionRole: `arn:aws:iam::${DEMO_ACCOUNT}:role/WaybillRollout`, concurrency: 4 },
        },
        env: { ...demoCredentials, AWS_REGION: "us-west-2" },
      });
      if (!opened.ok) {
        for (const diagnostic of opened.diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
        throw new CliError("the example's waybill.config.yaml is not valid");
      }
      const run = opened.run;

      say(`\n==> waybill validate (${relative(io.cwd, example) || "."})`);
      const validation = await run.validate();
      for (const diagnostic of validation.diagnostics) say(formatRunDiagnostic(diagnostic));
      if (!validation.ok) throw new CliError("the example is not valid");
      say(`${validation.files.length} files, ${validation.documents.length} configurations: valid.`);

      say("\n==> waybill plan");
      const first = await run.plan();
      if (first.status !== "planned") throw new CliError("the example could not be planned");
      io.stdout.write(renderPlanText(first.plan, { color }));
      await writeUserFile(io, commentPath, renderPlanMarkdown(first.plan));

      say("\n==> waybill apply --yes");
      const applied = await run.apply({ savedPlan: first.plan });
      if (applied.status !== "applied") throw new CliError(`apply did not run (${applied.status})`);
      io.stdout.write(formatResults(applied.results));

      // A day-two change: edit one file, see the update with its field diffs, apply it.
      const edit = demoEdit(validation.documents, run.settings.policy);
      let updated = true;
      let rolledOut = true;
      if (edit) {
        const { name, region } = edit.configuration;
        const pipeline = `${name}-golden`;
        say(`\n==> an image pipeline, ${pipeline}, uses ${name} and builds (outside Waybill)`);
        const image = await demoBuild(emulator.url, region, name, pipeline);
        say(`${pipeline} built image ${image}.`);
        say(`\n==> edit ${edit.configuration.source}: ${edit.summary}`);
        // JSON is YAML too; the file describes only this configuration, so nothing else is lost.
        await writeFile(join(root, edit.configuration.source), `${JSON.stringify(edit.document, null, 2)}\n`);
        say("\n==> waybill plan");
        const change = await run.plan();
        if (change.status !== "planned") throw new CliError("the plan after the edit failed");
        io.stdout.write(renderPlanText(change.plan, { color }));
        say("\n==> waybill apply --yes");
        const update = await run.apply({ savedPlan: change.plan });
        if (update.status !== "applied") throw new CliError(`apply did not run (${update.status})`);
        io.stdout.write(formatResults(update.results));
        updated = update.ok;

        say("\n==> waybill status");
        const status = await run.status();
        if (status.status !== "read") throw new CliError("status failed");
        io.stdout.write(renderStatusText(status.report));

        say("\n==> waybill rollout --yes");
        for (const line of rolloutLines(status.rollout)) say(line);
        const rollout = await run.rollout({ execute: true, pollMs: 200 });
        if (rollout.status !== "rolled-out") throw new CliError(`rollout did not run (${rollout.status})`);
        for (const result of rollout.results) {
          const what = `${result.item.pipeline.name} ${result.item.image.version} → ${formatTargets(result.item.targets)}`;
          say(result.status === "distributed" ? `ok      ${what}` : `failed  ${what}: ${result.reason}`);
        }
        rolledOut = rollout.ok;

        say("\n==> waybill status");
        const after = await run.status();
        if (after.status !== "read") throw new CliError("status failed");
        io.stdout.write(renderStatusText(after.report));
        rolledOut &&= statusCounts(after.report).missing === 0;
      }

      say("\n==> waybill plan (again)");
      const second = await run.plan();
      if (second.status !== "planned") throw new CliError("the second plan failed");
      io.stdout.write(renderPlanText(second.plan, { color }));

      const calls = run.callCounts().calls;
      say(
        `\nAPI calls: ${Object.entries(calls)
          .map(([operation, n]) => `${operation} ${n}`)
          .join(", ")}`,
      );
      say(`Pull-request comment written to ${commentPath}`);
      const converged = applied.ok && updated && rolledOut && !hasChanges(second.plan);
      if (!converged) io.stderr.write("waybill: the demo did not converge\n");
      return converged ? 0 : 1;
    } finally {
      await emulator.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The emulator's account for the demo's access key (its default). */
const DEMO_ACCOUNT = "123456789012";

/**
 * What the demo does outside Waybill: an image pipeline on the configuration, built once. Waybill
 * manages no pipeline; the demo makes one to show what a plan, status and rollout say of it.
 * Returns the image's version.
 */
async function demoBuild(
  endpointUrl: string,
  region: string,
  configuration: string,
  name: string,
): Promise<string> {
  // The demo's own client, not the run's: a pipeline is none of Waybill's business (nor are its calls).
  const gateway = createAwsAccess({
    endpointUrl,
    credentials: {
      accessKeyId: demoCredentials.AWS_ACCESS_KEY_ID,
      secretAccessKey: demoCredentials.AWS_SECRET_ACCESS_KEY,
    },
  }).clientFor(region);
  const pipeline = await gateway.createImagePipeline({
    name,
    imageRecipeArn: `arn:aws:imagebuilder:${region}:${DEMO_ACCOUNT}:image-recipe/${name}/1.0.0`,
    infrastructureConfigurationArn: `arn:aws:imagebuilder:${region}:${DEMO_ACCOUNT}:infrastructure-configuration/build`,
    distributionConfigurationArn: distributionConfigurationArn({
      region,
      accountId: DEMO_ACCOUNT,
      name: configuration,
    }),
    schedule: { scheduleExpression: "cron(0 2 ? * sun *)" },
    clientToken: "waybill-demo-pipeline",
  });
  const arn = await gateway.startImagePipelineExecution(pipeline, "waybill-demo-build", name);
  // The emulator's build goes through its phases with time; there is nothing to wait on but the clock.
  for (;;) {
    const image = await gateway.getImage(arn, name);
    const status = image.state?.status;
    if (status === "AVAILABLE") return image.version ?? arn;
    if (status === "FAILED" || status === "CANCELLED") throw new CliError(`the demo's build ended ${status}`);
    await sleep(100);
  }
}

/**
 * The demo's edit: in the first configuration that is alone in its file, shares an AMI with
 * accounts and goes to more than one region, share with one more account (one the policy allows)
 * drop the last region other than the home region and add one with its settings. Undefined when
 * no configuration fits.
 */
export function demoEdit(
  documents: readonly DesiredConfiguration[],
  policy: Policy,
): { configuration: DesiredConfiguration; document: Record<string, unknown>; summary: string } | undefined {
  const perFile = new Map<string, number>();
  for (const document of documents) perFile.set(document.source, (perFile.get(document.source) ?? 0) + 1);
  for (const configuration of documents) {
    if (perFile.get(configuration.source) !== 1 || configuration.kind === "update") continue;
    const shared = configuration.distributions.find(
      (distribution) =>
        (distribution.amiDistributionConfiguration?.launchPermission?.userIds ?? []).length > 0,
    );
    const dropped = configuration.distributions.findLast(
      (distribution) => distribution !== shared && distribution.region !== configuration.region,
    );
    const userIds = shared?.amiDistributionConfiguration?.launchPermission?.userIds ?? [];
    const account = [...(policy.allowedAccounts ?? []), "444444444444"].find((id) => !userIds.includes(id));
    if (!shared || !dropped || account === undefined) continue;
    const used = new Set(configuration.distributions.map((distribution) => distribution.region));
    const added = ["eu-central-1", "eu-north-1", "ap-southeast-2", "ca-central-1"].find(
      (region) => !used.has(region),
    );
    if (added === undefined) continue;
    const distributions = configuration.distributions
      .filter((distribution) => distribution !== dropped)
      .map((distribution) =>
        distribution !== shared
          ? distribution
          : {
              ...distribution,
              amiDistributionConfiguration: {
                ...distribution.amiDistributionConfiguration,
                launchPermission: {
                  ...distribution.amiDistributionConfiguration?.launchPermission,
                  userIds: [...userIds, account],
                },
              },
            },
      )
      // The added region takes the dropped one's settings: the plan shows it, status finds the
      // pipeline's image missing there, rollout fills it.
      .concat({ ...dropped, region: added });
    return {
      configuration,
      document: {
        name: configuration.name,
        region: configuration.region,
        ...(configuration.description === undefined ? {} : { description: configuration.description }),
        distributions,
        ...(configuration.tags === undefined ? {} : { tags: configuration.tags }),
      },
      summary: `share with ${account} in ${shared.region}, stop distributing to ${dropped.region}, add ${added}`,
    };
  }
  return undefined;
}
