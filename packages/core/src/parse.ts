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
  const at = diagnosticAt(file.path);
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

  const json = parseJsonFast(text, file.path, max);
  if (json !== undefined) return { ok: true, documents: [json], diagnostics: [] };
  return parseYamlText(text, file.path, max, keptTags);
}

/** An error diagnostic at a position of one file, at its top (path ""). */
function diagnosticAt(file: string) {
  return (code: DiagnosticCode, message: string, position: SourcePosition, hint?: string): Diagnostic => ({
    code,
    severity: "error",
    file,
    line: position.line,
    column: position.column,
    path: "",
    message,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** The YAML parser's reading of a file's text (checked for size and encoding already); exported for tests, not from the package. */
export function parseYamlText(
  text: string,
  path: string,
  max: ParseLimits,
  keptTags: KeptTags = {},
): ParseResult {
  const at = diagnosticAt(path);
  const start = { line: 1, column: 1 };
  const lineCounter = new LineCounter();
  const nesting = nestingAtMost(text, max.maxDepth * 2) ? undefined : estimateNesting(text);
  if (nesting !== undefined && nesting.depth > max.maxDepth * 2) {
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
    // Values first, without positions; positions only when a diagnostic asks for one (or when
    // converting fails, to say where).
    // (Kept tags, for the importers, take the positioned conversion: they are no hot path.)
    const fast =
      Object.keys(keptTags).length === 0 ? convertValue(yamlDocument, max) : { ok: false as const };
    if (fast.ok) {
      const documentIndex = index;
      const { line, column } = position(documentOffsetOf(yamlDocument));
      const located = lazily(() => {
        const converted = convertDocument(yamlDocument, path, documentIndex, max, position, keptTags, text);
        if (!converted.ok) throw new Error("a document converted without positions failed with them");
        return converted.document;
      });
      documents.push({ file: path, index, line, column, value: fast.value, ...located });
    } else {
      const converted = convertDocument(yamlDocument, path, index, max, position, keptTags, text);
      if (converted.ok) documents.push(converted.document);
      else diagnostics.push(...converted.diagnostics);
    }
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
 * Whether {@link estimateNesting} must stay within `limit`, from a bound that is cheap to compute:
 * every flow bracket in the text (quoted or not) plus the deepest indentation of any line. Most
 * files pass here, so the character-by-character estimate runs only for the few that might not.
 */
function nestingAtMost(text: string, limit: number): boolean {
  let brackets = 0;
  for (let i = text.indexOf("["); i !== -1; i = text.indexOf("[", i + 1)) brackets++;
  for (let i = text.indexOf("{"); i !== -1; i = text.indexOf("{", i + 1)) brackets++;
  if (brackets > limit) return false;
  let deepest = 0;
  for (let start = 0; start <= text.length; ) {
    let spaces = 0;
    while (text.charCodeAt(start + spaces) === 0x20) spaces++;
    if (spaces > deepest) deepest = spaces;
    const end = text.indexOf("\n", start);
    if (end === -1) break;
    start = end + 1;
  }
  return brackets + Math.floor(deepest / 2) <= limit;
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
    const afterSeparator = i === 0 || isSeparator(text.charCodeAt(i - 1));
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

/** `/[\s[{,:]/` for one character, without a regular expression per character of the file. */
function isSeparator(code: number): boolean {
  if (code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d) return true;
  if (code === 0x5b || code === 0x7b || code === 0x2c || code === 0x3a) return true;
  if (code < 0x80) return code === 0x0b || code === 0x0c;
  return /\s/.test(String.fromCharCode(code));
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

  const documentOffset = documentOffsetOf(yamlDocument);
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

function documentOffsetOf(yamlDocument: Document.Parsed): number {
  return (yamlDocument.contents as YamlNode | null)?.range?.[0] ?? yamlDocument.range[0];
}

type Located = Pick<ParsedDocument, "valuePositions" | "keyPositions" | "plainScalars">;

/**
 * The three position maps of a document, computed on first use: most documents are valid and no
 * diagnostic ever asks where one of their values is written, so most never pay for them.
 */
function lazily(locate: () => Located): Located {
  let located: Located | undefined;
  const get = () => {
    located ??= locate();
    return located;
  };
  return {
    valuePositions: new LazyMap(() => get().valuePositions),
    keyPositions: new LazyMap(() => get().keyPositions),
    plainScalars: new LazyMap(() => get().plainScalars),
  };
}

/** A read-only map whose entries are computed the first time anyone reads it. */
class LazyMap<K, V> implements ReadonlyMap<K, V> {
  #map: ReadonlyMap<K, V> | undefined;
  constructor(private readonly compute: () => ReadonlyMap<K, V>) {}
  private get map(): ReadonlyMap<K, V> {
    this.#map ??= this.compute();
    return this.#map;
  }
  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  has(key: K): boolean {
    return this.map.has(key);
  }
  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.map) callback.call(thisArg, value, key, this);
  }
  entries(): MapIterator<[K, V]> {
    return this.map.entries();
  }
  keys(): MapIterator<K> {
    return this.map.keys();
  }
  values(): MapIterator<V> {
    return this.map.values();
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.map[Symbol.iterator]();
  }
}

class NeedsPositions extends Error {}

/**
 * A document's plain value, converted as `convertDocument` converts it but without a path or a
 * position per node. Anything `convertDocument` would report (limits, odd keys, unresolved aliases)
 * gives `ok: false`, and the caller converts again with positions to say where.
 */
function convertValue(
  yamlDocument: Document.Parsed,
  max: ParseLimits,
): { ok: true; value: unknown } | { ok: false } {
  let aliases = 0;
  let nodes = 0;
  const convert = (node: unknown, depth: number): unknown => {
    if (++nodes > max.maxNodes) throw new NeedsPositions();
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      if (++aliases > max.maxAliases) throw new NeedsPositions();
      const target = node.resolve(yamlDocument);
      if (target === undefined) throw new NeedsPositions();
      return convert(target, depth);
    }
    const yamlNode = node as YamlNode;
    if (isScalar(yamlNode)) {
      const value = yamlNode.value;
      return typeof value === "bigint" ? Number(value) : value;
    }
    if (depth >= max.maxDepth) throw new NeedsPositions();
    if (isSeq(yamlNode)) return yamlNode.items.map((item) => convert(item, depth + 1));
    if (isMap(yamlNode)) {
      const object: Record<string, unknown> = {};
      for (const pair of yamlNode.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        if (!isScalar(keyNode) || (typeof keyNode.value !== "string" && typeof keyNode.value !== "number"))
          throw new NeedsPositions();
        const key = String(keyNode.value);
        if (key === "__proto__") throw new NeedsPositions();
        object[key] = convert(pair.value, depth + 1);
      }
      return object;
    }
    throw new NeedsPositions();
  };
  try {
    return { ok: true, value: convert(yamlDocument.contents, 0) };
  } catch (error) {
    if (error instanceof NeedsPositions) return { ok: false };
    throw error;
  }
}

/**
 * A JSON file through `JSON.parse`, many times faster than a YAML parser. Only a clean file takes
 * this path: anything JSON.parse would let pass but YAML refuses (a duplicate key, `__proto__`,
 * nesting or size past the limits) or any syntax error returns undefined, and the YAML parser
 * (JSON is YAML 1.2) reads the file and reports it with positions. Positions of a clean file are
 * computed by that parser too, on first use.
 */
function parseJsonFast(text: string, path: string, max: ParseLimits): ParsedDocument | undefined {
  const start = firstNonSpace(text);
  const first = text.charCodeAt(start);
  // Only a JSON object or array; YAML that happens to start with "{" fails JSON.parse and goes on.
  if (first !== 0x7b && first !== 0x5b) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!jsonKeysAndLimitsClean(text, start, max)) return undefined;
  const before = text.slice(0, start);
  const line = countLines(before);
  const column = start - before.lastIndexOf("\n");
  const located = lazily(() => {
    const parsed = parseYamlText(text, path, max);
    const document = parsed.ok ? parsed.documents[0] : undefined;
    if (document === undefined) throw new Error("a file JSON.parse read cleanly failed as YAML");
    return document;
  });
  return { file: path, index: 0, line, column, value, ...located };
}

function firstNonSpace(text: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

function countLines(text: string): number {
  let lines = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

/**
 * One pass over text JSON.parse accepted: no object repeats a key, no key is `__proto__`, nesting
 * and the number of values stay within the limits. Strings are skipped, escapes included.
 */
function jsonKeysAndLimitsClean(text: string, start: number, max: ParseLimits): boolean {
  // One entry per open container: the keys seen so far for an object, undefined for an array.
  const open: (Set<string> | undefined)[] = [];
  let nodes = 0;
  let expectKey = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: find its end, skipping escaped characters.
      let end = i + 1;
      let escaped = false;
      while (end < text.length) {
        const d = text.charCodeAt(end);
        if (d === 0x5c) {
          escaped = true;
          end += 2;
          continue;
        }
        if (d === 0x22) break;
        end++;
      }
      if (expectKey) {
        const raw = text.slice(i + 1, end);
        const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        const keys = open.at(-1);
        if (key === "__proto__" || keys === undefined || keys.has(key)) return false;
        keys.add(key);
        expectKey = false;
      } else if (++nodes > max.maxNodes) return false;
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      if (++nodes > max.maxNodes || open.length >= max.maxDepth) return false;
      open.push(c === 0x7b ? new Set() : undefined);
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = open.at(-1) !== undefined;
    } else if (c === 0x3a) {
      expectKey = false;
    } else if (
      c > 0x20 &&
      !expectKey &&
      (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e)
    ) {
      // A number, true, false or null: one value; skip to its end.
      if (++nodes > max.maxNodes) return false;
      while (i + 1 < text.length && !/[\s,\]}]/.test(text[i + 1] ?? "")) i++;
    }
  }
  return true;
}
