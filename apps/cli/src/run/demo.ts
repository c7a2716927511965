// `waybill demo`: the README's main job against an in-process emulator, with no AWS credentials.
import { existsSync } from "node:fs";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type DesiredConfiguration,
  hasChanges,
  type Policy,
  renderPlanMarkdown,
  renderPlanText,
} from "@waybill/core";
import { startEmulator } from "@waybill/emulator";
import { applyRepository, openRun, planRepository, validateRepository } from "@waybill/engine";
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
    const emulator = await startEmulator();
    try {
      say(`==> Emulator: EC2 Image Builder at ${emulator.url} (in-process, fake credentials)`);
      // The run's environment is the demo's own: fake credentials, us-west-2 unless the example says.
      const opened = await openRun({
        root,
        overrides: { endpointUrl: emulator.url },
        env: { ...demoCredentials, AWS_REGION: "us-west-2" },
      });
      if (!opened.ok) {
        for (const diagnostic of opened.diagnostics) io.stderr.write(`${formatRunDiagnostic(diagnostic)}\n`);
        throw new CliError("the example's waybill.config.yaml is not valid");
      }
      const { settings, aws } = opened.run;

      say(`\n==> waybill validate (${relative(io.cwd, example) || "."})`);
      const validation = await validateRepository({ root, settings });
      for (const diagnostic of validation.diagnostics) say(formatRunDiagnostic(diagnostic));
      if (!validation.ok) throw new CliError("the example is not valid");
      say(`${validation.files.length} files, ${validation.documents.length} configurations: valid.`);

      say("\n==> waybill plan");
      const first = await planRepository({ root, settings, aws });
      if (first.status !== "planned") throw new CliError("the example could not be planned");
      io.stdout.write(renderPlanText(first.plan, { color }));
      await writeUserFile(io, commentPath, renderPlanMarkdown(first.plan));

      say("\n==> waybill apply --yes");
      const applied = await applyRepository({ root, settings, aws, savedPlan: first.plan });
      if (applied.status !== "applied") throw new CliError(`apply did not run (${applied.status})`);
      io.stdout.write(formatResults(applied.results));

      // A day-two change: edit one file, see the update with its field diffs, apply it.
      const edit = demoEdit(validation.documents, settings.policy);
      let updated = true;
      if (edit) {
        say(`\n==> edit ${edit.configuration.source}: ${edit.summary}`);
        // JSON is YAML too; the file describes only this configuration, so nothing else is lost.
        await writeFile(join(root, edit.configuration.source), `${JSON.stringify(edit.document, null, 2)}\n`);
        say("\n==> waybill plan");
        const change = await planRepository({ root, settings, aws });
        if (change.status !== "planned") throw new CliError("the plan after the edit failed");
        io.stdout.write(renderPlanText(change.plan, { color }));
        say("\n==> waybill apply --yes");
        const update = await applyRepository({ root, settings, aws, savedPlan: change.plan });
        if (update.status !== "applied") throw new CliError(`apply did not run (${update.status})`);
        io.stdout.write(formatResults(update.results));
        updated = update.ok;
      }

      say("\n==> waybill plan (again)");
      const second = await planRepository({ root, settings, aws });
      if (second.status !== "planned") throw new CliError("the second plan failed");
      io.stdout.write(renderPlanText(second.plan, { color }));

      const calls = aws.callCounts().calls;
      say(
        `\nAPI calls: ${Object.entries(calls)
          .map(([operation, n]) => `${operation} ${n}`)
          .join(", ")}`,
      );
      say(`Pull-request comment written to ${commentPath}`);
      const converged = applied.ok && updated && !hasChanges(second.plan);
      if (!converged) io.stderr.write("waybill: the demo did not converge\n");
      return converged ? 0 : 1;
    } finally {
      await emulator.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * The demo's edit: in the first configuration that is alone in its file, shares an AMI with
 * accounts and goes to more than one region, share with one more account (one the policy allows)
 * and drop the last region other than the home region. Undefined when no configuration fits.
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
      );
    return {
      configuration,
      document: {
        name: configuration.name,
        region: configuration.region,
        ...(configuration.description === undefined ? {} : { description: configuration.description }),
        distributions,
        ...(configuration.tags === undefined ? {} : { tags: configuration.tags }),
      },
      summary: `share with ${account} in ${shared.region}, stop distributing to ${dropped.region}`,
    };
  }
  return undefined;
}
