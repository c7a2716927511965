/**
 * Parsing of config files (YAML with several documents, or JSON, which is YAML 1.2) into plain
 * values with the source position of every key and value, refusing hostile input with
 * diagnostics rather than crashing.
 */

import type { Node as YamlNode } from "yaml";
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Tags,
} from "yaml";
import { type Diagnostic, type DiagnosticCode, formatJsonPath } from "./diagnostics.js";

/** A config file's path (as it should appear in diagnostics) and its contents. */
export interface ConfigFile {
  path: string;
  /** The file's text; bytes are decoded as UTF-8 and refused when they are not valid UTF-8. */
  text: string | Uint8Array;
}

export interface ParseLimits {
  /** Largest accepted file, in bytes (UTF-8) or UTF-16 units for text. Default 1 MiB. */
  maxFileBytes: number;
  /** Deepest accepted nesting of maps and lists. Default 32. */
  maxDepth: number;
  /** Most aliases (`*name`) accepted in one document. Default 100. */
  maxAliases: number;
  /** Most values in one document after aliases are expanded. Default 100,000. */
  maxNodes: number;
}

export const defaultParseLimits: ParseLimits = {
  maxFileBytes: 1024 * 1024,
  maxDepth: 32,
  maxAliases: 100,
  maxNodes: 100_000,
};

export interface SourcePosition {
  line: number;
  column: number;
}

/** One document of a config file, as plain data, with where each part of it is written. */
export interface ParsedDocument {
  file: string;
  /** 0-based index of the document in its file. */
  index: number;
  /** Where the document starts. */
  line: number;
  column: number;
  value: unknown;
  /** Positions of values by JSON path (`""` is the document). */
  valuePositions: ReadonlyMap<string, SourcePosition>;
  /** Positions of map keys by the JSON path of their value. */
  keyPositions: ReadonlyMap<string, SourcePosition>;
  /** The source text of plain scalars by JSON path (to explain `012345678901` read as a number). */
  plainScalars: ReadonlyMap<string, string>;
}

/**
 * YAML local tags to keep, by tag (`!Ref`): each tagged value becomes a one-key map under the
 * given name, so CloudFormation's short form `!Ref Bucket` reads as its JSON form
 * `{ "Ref": "Bucket" }` and `!If [c, a, b]` as `{ "Fn::If": ["c", "a", "b"] }`, with positions
 * kept for what is inside. Other tags stay warnings, as without this option.
 */
export type KeptTags = Readonly<Record<string, string>>;

export type ParseResult =
  | { ok: true; documents: ParsedDocument[]; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * Parses one config file: every non-empty YAML document (or the JSON value) becomes a
 * `ParsedDocument`. Syntax errors, duplicate keys, oversized or deeply nested input, alias bombs,
 * `__proto__` keys and invalid UTF-8 are diagnostics; the file then yields no documents.
 */
export function parseConfigFile(
  file: ConfigFile,
  limits: Partial<ParseLimits> = {},
  keptTags: KeptTags = {},
): ParseResult {
  const max = { ...defaultParseLimits, ...limits };
  const at = (
    code: DiagnosticCode,
    message: string,
    position: SourcePosition,
    hint?: string,
  ): Diagnostic => ({
    code,
    severity: "error",
    file: file.path,
    line: position.line,
    column: position.column,
    path: "",
    message,
    ...(hint === undefined ? {} : { hint }),
  });
  const start = { line: 1, column: 1 };

  const size = typeof file.text === "string" ? file.text.length : file.text.byteLength;
  if (size > max.maxFileBytes) {
    return {
      ok: false,
      diagnostics: [
        at(
          "file-too-large",
          `file is ${size} bytes, more than the ${max.maxFileBytes} accepted`,
          start,
          "split the configurations into several files",
        ),
      ],
    };
  }

  let text: string;
  if (typeof file.text === "string") text = file.text;
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(file.text);
    } catch {
      return { ok: false, diagnostics: [at("invalid-utf8", "file is not valid UTF-8", start)] };
    }
  }
  if (text.startsWith("\uFEFF")) text = text.slice(1);

  const lineCounter = new LineCounter();
  const replacement = text.indexOf("\uFFFD");
  if (replacement >= 0) {
    // A decoder that was not fatal left U+FFFD where the bytes were not UTF-8.
    const before = text.slice(0, replacement);
    const line = before.split("\n").length;
    const column = replacement - before.lastIndexOf("\n");
    return {
      ok: false,
      diagnostics: [
        at(
          "invalid-utf8",
          "file is not valid UTF-8 (it contains the replacement character U+FFFD)",
          { line, column },
          "save the file as UTF-8",
        ),
      ],
    };
  }

  const nesting = estimateNesting(text);
  if (nesting.depth > max.maxDepth * 2) {
    // The parser recurses per level; refuse before it can exhaust the stack.
    const before = text.slice(0, nesting.offset);
    return {
      ok: false,
      diagnostics: [
        at("too-deep", `input is nested more than ${max.maxDepth * 2} levels deep`, {
          line: before.split("\n").length,
          column: nesting.offset - before.lastIndexOf("\n"),
        }),
      ],
    };
  }

  const yamlDocuments = parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    version: "1.2",
    merge: false,
    customTags: customTagsFor(keptTags),
  });
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const documents: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const list = Array.isArray(yamlDocuments) ? yamlDocuments : [];
  let index = 0;
  for (const yamlDocument of list) {
    const errors = syntaxDiagnostics(yamlDocument, (code, message, offset) =>
      at(code, message, position(offset)),
    );
    if (errors.length > 0) {
      diagnostics.push(...errors);
      index++;
      continue;
    }
    for (const warning of yamlDocument.warnings) {
      diagnostics.push({
        ...at("yaml-warning", firstLine(warning.message), position(warning.pos[0])),
        severity: "warning",
      });
    }
    const contents = yamlDocument.contents;
    if (contents === null || (isScalar(contents) && contents.value === null && contents.source === "")) {
      // An empty document (a trailing `---`, or only comments) holds no configuration.
      continue;
    }
    const converted = convertDocument(yamlDocument, file.path, index, max, position, keptTags, text);
    if (converted.ok) documents.push(converted.document);
    else diagnostics.push(...converted.diagnostics);
    index++;
  }
  if (diagnostics.some((d) => d.severity === "error")) return { ok: false, diagnostics };
  if (documents.length === 0) {
    diagnostics.push({
      ...at("empty-file", "file holds no configuration document", start),
      severity: "warning",
    });
  }
  return { ok: true, documents, diagnostics };
}

/**
 * An upper estimate of nesting, before parsing: open flow brackets outside quotes and comments,
 * plus indentation. Cheap and linear, so hostile input never reaches the recursive parser.
 */
function estimateNesting(text: string): { depth: number; offset: number } {
  let flow = 0;
  let deepest = { depth: 0, offset: 0 };
  let quote: '"' | "'" | undefined;
  let lineStart = true;
  let indentation = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "\n") {
      lineStart = true;
      indentation = 0;
      continue;
    }
    if (lineStart && c === " ") {
      indentation++;
    } else {
      lineStart = false;
    }
    const previous = i === 0 ? "\n" : text[i - 1];
    const afterSeparator = previous === undefined || /[\s[{,:]/.test(previous);
    if ((c === '"' || c === "'") && afterSeparator) quote = c;
    else if (c === "#" && afterSeparator) {
      const end = text.indexOf("\n", i);
      i = (end === -1 ? text.length : end) - 1;
    } else if (c === "[" || c === "{") flow++;
    else if ((c === "]" || c === "}") && flow > 0) flow--;
    const depth = flow + Math.floor(indentation / 2);
    if (depth > deepest.depth) deepest = { depth, offset: i };
  }
  return deepest;
}

/** The `yaml` library's custom tags that keep each kept tag's value as it is written. */
function customTagsFor(keptTags: KeptTags): Tags {
  return Object.keys(keptTags).flatMap(
    (tag): Tags => [
      { tag, resolve: (source: string) => source },
      { tag, collection: "seq", resolve: (node) => node },
      { tag, collection: "map", resolve: (node) => node },
    ],
  );
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

function syntaxDiagnostics(
  document: Document.Parsed,
  make: (code: DiagnosticCode, message: string, offset: number) => Diagnostic,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of document.errors) {
    let code: DiagnosticCode = "yaml-syntax";
    let message = firstLine(error.message);
    if (error.code === "DUPLICATE_KEY") {
      code = "duplicate-key";
      message = "duplicate key: a key may appear only once in a map";
    } else if (error.code === "RESOURCE_EXHAUSTION") {
      code = "too-deep";
      message = "input is nested too deeply to parse";
    }
    // A stack overflow is reported once per level; once is enough.
    if (code === "too-deep" && seen.has(code)) continue;
    seen.add(code);
    out.push(make(code, message, error.pos[0]));
    if (out.length >= 20) break;
  }
  return out;
}

type Conversion = { ok: true; document: ParsedDocument } | { ok: false; diagnostics: Diagnostic[] };

class ConversionLimit extends Error {}

function convertDocument(
  yamlDocument: Document.Parsed,
  file: string,
  index: number,
  max: ParseLimits,
  position: (offset: number) => SourcePosition,
  keptTags: KeptTags,
  text: string,
): Conversion {
  const valuePositions = new Map<string, SourcePosition>();
  const keyPositions = new Map<string, SourcePosition>();
  const plainScalars = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  let aliases = 0;
  let nodes = 0;

  const report = (code: DiagnosticCode, message: string, offset: number, path: string, hint?: string) => {
    const { line, column } = position(offset);
    diagnostics.push({
      code,
      severity: "error",
      file,
      line,
      column,
      path,
      message,
      ...(hint === undefined ? {} : { hint }),
    });
  };

  const convert = (
    node: unknown,
    segments: PropertyKey[],
    depth: number,
    offset: number,
    untagged = false,
  ): unknown => {
    const path = formatJsonPath(segments);
    if (++nodes > max.maxNodes) {
      report("too-many-aliases", `document expands to more than ${max.maxNodes} values`, offset, path);
      throw new ConversionLimit();
    }
    if (node === null || node === undefined) {
      if (!valuePositions.has(path)) valuePositions.set(path, position(offset));
      return null;
    }
    if (isAlias(node)) {
      if (++aliases > max.maxAliases) {
        report(
          "too-many-aliases",
          `document uses more than ${max.maxAliases} aliases`,
          node.range?.[0] ?? offset,
          path,
          "write the values out, or use fewer anchors",
        );
        throw new ConversionLimit();
      }
      const target = node.resolve(yamlDocument);
      if (target === undefined) {
        report("yaml-syntax", `unresolved alias *${node.source}`, node.range?.[0] ?? offset, path);
        return null;
      }
      // Descendants keep their anchor's positions; the alias marks where the value is used.
      valuePositions.set(path, position(node.range?.[0] ?? offset));
      return convert(target, segments, depth, node.range?.[0] ?? offset);
    }
    const yamlNode = node as YamlNode;
    const nodeOffset = yamlNode.range?.[0] ?? offset;
    if (!valuePositions.has(path)) valuePositions.set(path, position(nodeOffset));
    const keptAs = untagged || yamlNode.tag === undefined ? undefined : keptTags[yamlNode.tag];
    if (keptAs !== undefined) {
      if (depth >= max.maxDepth) {
        report("too-deep", `input is nested more than ${max.maxDepth} levels deep`, nodeOffset, path);
        throw new ConversionLimit();
      }
      // The node's range starts at its value; a diagnostic about the function points at its tag.
      const tagOffset = text.lastIndexOf(yamlNode.tag as string, nodeOffset);
      const tagAt =
        tagOffset >= 0 && /^\s*$/.test(text.slice(tagOffset + (yamlNode.tag as string).length, nodeOffset))
          ? tagOffset
          : nodeOffset;
      valuePositions.set(path, position(tagAt));
      keyPositions.set(formatJsonPath([...segments, keptAs]), position(tagAt));
      valuePositions.set(formatJsonPath([...segments, keptAs]), position(tagAt));
      return { [keptAs]: convert(yamlNode, [...segments, keptAs], depth + 1, nodeOffset, true) };
    }
    if (isScalar(yamlNode)) {
      if (yamlNode.type === "PLAIN" && typeof yamlNode.source === "string")
        plainScalars.set(path, yamlNode.source);
      const value = yamlNode.value;
      return typeof value === "bigint" ? Number(value) : value;
    }
    if (depth >= max.maxDepth) {
      report("too-deep", `input is nested more than ${max.maxDepth} levels deep`, nodeOffset, path);
      throw new ConversionLimit();
    }
    if (isSeq(yamlNode)) {
      return yamlNode.items.map((item, i) => convert(item, [...segments, i], depth + 1, nodeOffset));
    }
    if (isMap(yamlNode)) {
      const object: Record<string, unknown> = {};
      for (const pair of yamlNode.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        const keyOffset = (keyNode as YamlNode | null)?.range?.[0] ?? nodeOffset;
        if (!isScalar(keyNode) || (typeof keyNode.value !== "string" && typeof keyNode.value !== "number")) {
          report("non-scalar-key", "map keys must be strings", keyOffset, path);
          continue;
        }
        const key = String(keyNode.value);
        const childSegments = [...segments, key];
        const childPath = formatJsonPath(childSegments);
        if (key === "__proto__") {
          report("forbidden-key", "the key __proto__ is not allowed", keyOffset, childPath);
          continue;
        }
        keyPositions.set(childPath, position(keyOffset));
        const valueOffset = (pair.value as YamlNode | null)?.range?.[0] ?? keyOffset;
        object[key] = convert(pair.value, childSegments, depth + 1, valueOffset);
      }
      return object;
    }
    report("yaml-syntax", "unsupported YAML node", nodeOffset, path);
    return null;
  };

  const documentOffset = (yamlDocument.contents as YamlNode | null)?.range?.[0] ?? yamlDocument.range[0];
  let value: unknown;
  try {
    value = convert(yamlDocument.contents, [], 0, documentOffset);
  } catch (error) {
    if (!(error instanceof ConversionLimit)) throw error;
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const { line, column } = position(documentOffset);
  return {
    ok: true,
    document: { file, index, line, column, value, valuePositions, keyPositions, plainScalars },
  };
}
