/**
 * AMI name templates: parse, check and render `{{imagebuilder:buildDate}}` and
 * `{{imagebuilder:buildVersion}}` (spaces inside the braces allowed), as Image Builder does.
 */

export const templateVariables = ["buildDate", "buildVersion"] as const;
export type TemplateVariable = (typeof templateVariables)[number];

export type NameTemplatePart =
  | { kind: "text"; text: string }
  | { kind: "variable"; variable: TemplateVariable; source: string; offset: number };

export interface NameTemplateProblem {
  kind: "unknown-variable" | "malformed";
  /** The offending text and its 0-based offset in the template. */
  source: string;
  offset: number;
  message: string;
  hint?: string;
  /** For an unknown variable that is a known one misspelt (`builddate`): that variable. */
  meant?: TemplateVariable;
}

export interface NameTemplate {
  source: string;
  parts: NameTemplatePart[];
  /** Unknown variables and unmatched braces; unknown variables render verbatim. */
  problems: NameTemplateProblem[];
}

const placeholder = /\{\{([^{}]*)\}\}/g;

/** Splits a template into text and variables, noting unknown variables and stray braces. */
export function parseNameTemplate(source: string): NameTemplate {
  const parts: NameTemplatePart[] = [];
  const problems: NameTemplateProblem[] = [];
  let cursor = 0;
  for (const match of source.matchAll(placeholder)) {
    const offset = match.index ?? 0;
    pushText(parts, problems, source.slice(cursor, offset), cursor);
    cursor = offset + match[0].length;
    const inner = (match[1] ?? "").trim();
    const variable = inner.startsWith("imagebuilder:") ? inner.slice("imagebuilder:".length) : undefined;
    if (variable === "buildDate" || variable === "buildVersion") {
      parts.push({ kind: "variable", variable, source: match[0], offset });
      continue;
    }
    const suggestion = templateVariables.find(
      (known) => known.toLowerCase() === variable?.replace(/\s+/g, "").toLowerCase(),
    );
    problems.push({
      kind: "unknown-variable",
      source: match[0],
      offset,
      message: `unknown template variable ${match[0]}`,
      ...(suggestion === undefined
        ? { hint: "known variables: {{imagebuilder:buildDate}}, {{imagebuilder:buildVersion}}" }
        : {
            // The whole name corrected, so the hint can be pasted back as it is.
            hint: `did you mean "${correctedTemplate(source, offset, match[0], suggestion)}"?`,
            meant: suggestion,
          }),
    });
    const last = parts.at(-1);
    if (last?.kind === "text") last.text += match[0];
    else parts.push({ kind: "text", text: match[0] });
  }
  pushText(parts, problems, source.slice(cursor), cursor);
  return { source, parts, problems };
}

/** `source` with the placeholder at `offset` written as `{{imagebuilder:<variable>}}`. */
function correctedTemplate(source: string, offset: number, placeholder: string, variable: string): string {
  return `${source.slice(0, offset)}{{imagebuilder:${variable}}}${source.slice(offset + placeholder.length)}`;
}

/** Adds text outside variables to `parts`, noting stray braces in it. */
function pushText(parts: NameTemplatePart[], problems: NameTemplateProblem[], text: string, offset: number) {
  if (text === "") return;
  if (text.includes("{") || text.includes("}")) {
    for (const match of text.matchAll(/[{}]/g)) {
      problems.push({
        kind: "malformed",
        source: match[0],
        offset: offset + (match.index ?? 0),
        message: `unmatched '${match[0]}' at character ${offset + (match.index ?? 0) + 1}`,
        hint: "variables are written {{imagebuilder:buildDate}} or {{imagebuilder:buildVersion}}",
      });
    }
  }
  const last = parts.at(-1);
  if (last?.kind === "text") last.text += text;
  else parts.push({ kind: "text", text });
}

/** Whether the template uses the given variable. */
export function usesVariable(template: NameTemplate, variable: TemplateVariable): boolean {
  return template.parts.some((part) => part.kind === "variable" && part.variable === variable);
}

/**
 * The build date as Image Builder renders it: ISO-8601 in UTC with `:` replaced by `-`
 * (`2026-11-23T10-15-30.123Z`). An invalid Date is a programming error and throws.
 */
export function formatBuildDate(date: Date): string {
  return date.toISOString().replaceAll(":", "-");
}

/**
 * The longest rendered build date: the service has been seen rendering microseconds
 * (`2023-05-17T21-17-23.099935Z`), so length checks assume that form.
 */
export const longestBuildDate = "9999-12-31T23-59-59.999999Z";

/**
 * The longest build version assumed for length checks. The build version is the image's build
 * number, counted up from 1 per semantic version; six digits is a generous bound.
 */
export const longestBuildVersion = 999_999;

export interface BuildValues {
  /** A Date is formatted with `formatBuildDate`; a string is used as given (already rendered). */
  buildDate: Date | string;
  buildVersion: number;
}

/** Renders an AMI name template; unknown variables and stray braces are left as written. */
export function renderAmiName(template: string | NameTemplate, values: BuildValues): string {
  const buildDate =
    typeof values.buildDate === "string" ? values.buildDate : formatBuildDate(values.buildDate);
  if (typeof template === "string") return renderTemplateText(template, buildDate, values.buildVersion);
  const parsed = template;
  let out = "";
  for (const part of parsed.parts) {
    out +=
      part.kind === "text"
        ? part.text
        : part.variable === "buildDate"
          ? buildDate
          : String(values.buildVersion);
  }
  return out;
}

/** `renderAmiName` of a template's text, without building its parts: variables replaced in place. */
function renderTemplateText(source: string, buildDate: string, buildVersion: number): string {
  if (!source.includes("{{")) return source;
  let out = "";
  let cursor = 0;
  for (const match of source.matchAll(placeholder)) {
    const offset = match.index ?? 0;
    const inner = (match[1] ?? "").trim();
    out += source.slice(cursor, offset);
    out +=
      inner === "imagebuilder:buildDate"
        ? buildDate
        : inner === "imagebuilder:buildVersion"
          ? String(buildVersion)
          : match[0];
    cursor = offset + match[0].length;
  }
  return out + source.slice(cursor);
}

/** EC2's AMI name rules: 3–128 characters of letters, digits, `( ) [ ] space . / - ' @ _`. */
export const amiNameRules = {
  minLength: 3,
  maxLength: 128,
  allowedCharacter: /[A-Za-z0-9()[\] ./\-'@_]/,
} as const;

export type AmiNameProblem =
  | { kind: "too-short" | "too-long"; length: number; message: string }
  | { kind: "invalid-characters"; characters: string[]; message: string };

/** Checks a rendered AMI name against EC2's rules; an empty list means the name is valid. */
export function checkAmiName(name: string): AmiNameProblem[] {
  const problems: AmiNameProblem[] = [];
  const length = [...name].length;
  if (length < amiNameRules.minLength) {
    problems.push({
      kind: "too-short",
      length,
      message: `AMI name '${name}' is ${length} characters; EC2 needs at least ${amiNameRules.minLength}`,
    });
  }
  if (length > amiNameRules.maxLength) {
    problems.push({
      kind: "too-long",
      length,
      message: `AMI name is ${length} characters; EC2 allows at most ${amiNameRules.maxLength}`,
    });
  }
  const invalid = [...new Set([...name].filter((c) => !amiNameRules.allowedCharacter.test(c)))];
  if (invalid.length > 0) {
    problems.push({
      kind: "invalid-characters",
      characters: invalid,
      message: `AMI name '${name}' contains ${invalid.map((c) => JSON.stringify(c)).join(", ")}, which EC2 does not allow`,
    });
  }
  return problems;
}

/** The template rendered with the longest build date and version, for length checks. */
export function renderLongestAmiName(template: string | NameTemplate): string {
  return renderAmiName(template, { buildDate: longestBuildDate, buildVersion: longestBuildVersion });
}
