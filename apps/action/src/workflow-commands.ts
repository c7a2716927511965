/**
 * The runner's workflow commands (annotations, outputs, job summary, failure) as GitHub documents
 * them: https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions.
 *
 * Written here instead of importing @actions/core: that package loads @actions/http-client and with it
 * undici (about 900 KB of the bundle) for OIDC tokens, which Waybill never asks for. The protocol
 * is a few lines: `::command key=value::message` on stdout, and `name<<delimiter` blocks appended to
 * the files the runner names in GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { EOL } from "node:os";

export type AnnotationLevel = "error" | "warning" | "notice";

export interface AnnotationProperties {
  title?: string | undefined;
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
}

export interface WorkflowCommands {
  info(message: string): void;
  annotate(level: AnnotationLevel, message: string, properties?: AnnotationProperties): void;
  setOutput(name: string, value: string): void;
  /** Appends markdown to the job summary; without GITHUB_STEP_SUMMARY, logs it. */
  appendSummary(markdown: string): void;
  /** An error annotation, and the step's exit code 1. */
  setFailed(message: string): void;
}

export interface WorkflowCommandsOptions {
  env: Record<string, string | undefined>;
  write: (text: string) => void;
  setExitCode: (code: number) => void;
}

/** `%`, CR and LF escaped, as the runner unescapes a command's message. */
export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A property value also escapes `:` and `,`, the property list's separators. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function formatCommand(command: string, properties: Record<string, string>, message: string): string {
  const list = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(",");
  return `::${command}${list === "" ? "" : ` ${list}`}::${escapeData(message)}`;
}

/** One `name<<delimiter` block of a file command; the delimiter is random, so a value cannot end it early. */
export function fileCommandBlock(
  name: string,
  value: string,
  delimiter = `ghadelimiter_${randomUUID()}`,
): string {
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`The output ${name} contains its own delimiter.`);
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

export function createWorkflowCommands({
  env,
  write,
  setExitCode,
}: WorkflowCommandsOptions): WorkflowCommands {
  const annotate = (level: AnnotationLevel, message: string, properties: AnnotationProperties = {}) => {
    const listed: Record<string, string> = {};
    if (properties.title !== undefined) listed.title = properties.title;
    if (properties.file !== undefined) listed.file = properties.file;
    if (properties.line !== undefined) listed.line = String(properties.line);
    if (properties.column !== undefined) listed.col = String(properties.column);
    write(`${formatCommand(level, listed, message)}${EOL}`);
  };
  return {
    info: (message) => write(`${message}${EOL}`),
    annotate,
    setOutput(name, value) {
      const file = env.GITHUB_OUTPUT;
      if (file) appendFileSync(file, fileCommandBlock(name, value), "utf8");
      else write(`${EOL}${formatCommand("set-output", { name }, value)}${EOL}`);
    },
    appendSummary(markdown) {
      const file = env.GITHUB_STEP_SUMMARY;
      if (file) appendFileSync(file, `${markdown}${EOL}`, "utf8");
      else write(`${markdown}${EOL}`);
    },
    setFailed(message) {
      setExitCode(1);
      annotate("error", message);
    },
  };
}
