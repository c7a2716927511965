// `waybill render <template>`: the AMI name a template gives, checked against EC2's rules.
import { checkAmiName, parseNameTemplate, renderAmiName, renderLongestAmiName } from "@waybill/core";
import { CliError } from "../errors.js";
import type { CliIo, ParsedCommand } from "../io.js";
import { stringFlag } from "./context.js";

export async function runRender(parsed: ParsedCommand, io: CliIo): Promise<number> {
  const [source, ...extra] = parsed.positionals;
  if (source === undefined)
    throw new CliError("render needs a template, e.g. waybill render 'web {{imagebuilder:buildDate}}'");
  if (extra.length > 0) throw new CliError("render takes one template; quote it if it contains spaces");
  const dateText = stringFlag(parsed, "build-date");
  const buildDate = dateText === undefined ? new Date() : new Date(dateText);
  if (Number.isNaN(buildDate.getTime()))
    throw new CliError(`--build-date must be an ISO date, got '${dateText}'`);
  const versionText = stringFlag(parsed, "build-version") ?? "1";
  if (!/^\d+$/.test(versionText) || Number(versionText) < 1) {
    throw new CliError(`--build-version must be a positive whole number, got '${versionText}'`);
  }
  const template = parseNameTemplate(source);
  const name = renderAmiName(template, { buildDate, buildVersion: Number(versionText) });
  io.stdout.write(`${name}\n`);
  const problems = [
    ...template.problems.map((problem) => `${problem.message}${problem.hint ? ` (${problem.hint})` : ""}`),
    ...checkAmiName(name).map((problem) => problem.message),
    ...checkAmiName(renderLongestAmiName(template))
      .filter((problem) => problem.kind === "too-long")
      .map((problem) => `with the longest build date and version: ${problem.message}`),
  ];
  if (!/\{\{\s*imagebuilder:buildDate\s*\}\}/.test(source)) {
    problems.push("the template must contain {{imagebuilder:buildDate}} so that every AMI name is unique");
  }
  for (const problem of [...new Set(problems)]) io.stderr.write(`waybill: ${problem}\n`);
  return problems.length === 0 ? 0 : 1;
}
