/**
 * A fast path for the plain YAML config files are usually written in: one document of block maps
 * and lists, one-line scalars (plain, or quoted without escapes) and one-line flow lists of
 * scalars, with comments. It yields exactly what the `yaml` library path in parse.ts yields for
 * such text (values, positions, plain scalar sources), and gives up (`undefined`) on anything
 * else, including anything that would be a diagnostic; the full parser then handles the file.
 */
import type { ParsedDocument, ParseLimits, SourcePosition } from "./parse.js";

const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;

/** Characters that cannot start a plain scalar here (YAML indicators, and `-` to stay simple). */
const INDICATOR = new Set("-?:,[]{}#&*!|>'\"%@`".split("").map((c) => c.charCodeAt(0)));

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
/** Other core-schema forms (octal, hex, floats): left to the full parser. */
const OTHER_NUMBER =
  /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

class Unsupported extends Error {}
const unsupported = new Unsupported();

function giveUp(): never {
  throw unsupported;
}

/** The JSON path of a member, as `formatJsonPath` writes it. */
function keyPath(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The core-schema value of a plain scalar. */
function resolvePlain(source: string): unknown {
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === "t" || source[0] === "T";
  // As the yaml library resolves decimal integers (without intAsBigInt).
  if (INT.test(source)) return Number.parseInt(source, 10);
  if (OTHER_NUMBER.test(source)) giveUp();
  return source;
}

interface Scalar {
  value: unknown;
  /** The source of a plain scalar. */
  plain: string | undefined;
  start: number;
  end: number;
}

/** The fast path's state: the content lines of one text, the current line, what is recorded. */
class SimpleParser {
  readonly lineStarts: number[];
  readonly valuePositions = new Map<string, SourcePosition>();
  readonly keyPositions = new Map<string, SourcePosition>();
  readonly plainScalars = new Map<string, string>();
  nodes = 0;
  /** Index of the current content line. */
  line = 0;

  constructor(
    readonly text: string,
    readonly max: ParseLimits,
    /** Content lines: where their content starts and ends, their indentation and line number. */
    readonly starts: number[],
    readonly ends: number[],
    readonly indents: number[],
    readonly lineNumbers: number[],
  ) {
    this.lineStarts = starts.map((start, index) => start - (indents[index] as number));
  }

  at(offset: number): SourcePosition {
    return {
      line: this.lineNumbers[this.line] as number,
      column: offset - (this.lineStarts[this.line] as number) + 1,
    };
  }
  count() {
    if (++this.nodes > this.max.maxNodes) giveUp();
  }
  lineEnd(): number {
    return this.ends[this.line] as number;
  }

  /** After a value on the current line: only spaces, then the end or a comment. */
  finishLine(from: number) {
    const end = this.lineEnd();
    let i = from;
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    if (i < end && (this.text.charCodeAt(i) !== HASH || i === from)) giveUp();
    this.line++;
  }

  /** A one-line scalar at `start`: quoted, or plain up to a comment or the line end (in a flow list, also `,` and `]`). */
  scalar(start: number, flow: boolean): Scalar {
    const end = this.lineEnd();
    const first = this.text.charCodeAt(start);
    if (first === DOUBLE_QUOTE) {
      const close = this.text.indexOf('"', start + 1);
      if (close === -1 || close >= end) giveUp();
      const value = this.text.slice(start + 1, close);
      if (value.includes("\\")) giveUp();
      return { value, plain: undefined, start, end: close + 1 };
    }
    if (first === SINGLE_QUOTE) {
      let value = "";
      let i = start + 1;
      for (;;) {
        const close = this.text.indexOf("'", i);
        if (close === -1 || close >= end) giveUp();
        value += this.text.slice(i, close);
        if (this.text.charCodeAt(close + 1) !== SINGLE_QUOTE)
          return { value, plain: undefined, start, end: close + 1 };
        value += "'";
        i = close + 2;
      }
    }
    if (INDICATOR.has(first)) giveUp();
    let i = start;
    let last = start;
    for (; i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === SPACE) {
        if (this.text.charCodeAt(i + 1) === HASH) break;
        continue;
      }
      if (c === COLON) {
        const next = i + 1 < end ? this.text.charCodeAt(i + 1) : SPACE;
        if (next === SPACE || flow) giveUp();
      }
      if (flow && (c === COMMA || c === CLOSE_BRACKET)) break;
      if (flow && (c === OPEN_BRACKET || c === 123 || c === 125 || c === HASH)) giveUp();
      last = i + 1;
    }
    const source = this.text.slice(start, last);
    return { value: resolvePlain(source), plain: source, start, end: last };
  }

  record(path: string, node: Scalar) {
    this.count();
    if (!this.valuePositions.has(path)) this.valuePositions.set(path, this.at(node.start));
    if (node.plain !== undefined) this.plainScalars.set(path, node.plain);
    return node.value;
  }

  /** A one-line flow list of scalars at `start` (`[`); returns it and where it ends. */
  flowList(start: number, path: string): { value: unknown[]; end: number } {
    this.count();
    if (!this.valuePositions.has(path)) this.valuePositions.set(path, this.at(start));
    const end = this.lineEnd();
    const items: unknown[] = [];
    let i = start + 1;
    for (;;) {
      while (i < end && this.text.charCodeAt(i) === SPACE) i++;
      if (i >= end) giveUp();
      if (this.text.charCodeAt(i) === CLOSE_BRACKET) {
        // `[a, ]` and `[,]` are left to the full parser.
        if (items.length > 0) giveUp();
        return { value: items, end: i + 1 };
      }
      const item = this.scalar(i, true);
      items.push(this.record(`${path}[${items.length}]`, item));
      i = item.end;
      while (i < end && this.text.charCodeAt(i) === SPACE) i++;
      const c = this.text.charCodeAt(i);
      if (i < end && c === CLOSE_BRACKET) return { value: items, end: i + 1 };
      if (i >= end || c !== COMMA) giveUp();
      i++;
    }
  }

  /** The key of a map entry at `start` and where its `:` is, or `undefined` when the line is no map entry. */
  keyAt(start: number): { key: Scalar; colon: number } | undefined {
    const end = this.lineEnd();
    const first = this.text.charCodeAt(start);
    if (first === DOUBLE_QUOTE || first === SINGLE_QUOTE) {
      const key = this.scalar(start, false);
      const colon = key.end;
      if (colon < end && this.text.charCodeAt(colon) === COLON) {
        const next = colon + 1 < end ? this.text.charCodeAt(colon + 1) : SPACE;
        if (next === SPACE) return { key, colon };
      }
      return undefined;
    }
    for (let i = start; i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === COLON && (i + 1 === end || this.text.charCodeAt(i + 1) === SPACE)) {
        if (INDICATOR.has(first) || this.text.charCodeAt(i - 1) === SPACE) giveUp();
        const source = this.text.slice(start, i);
        if (source.includes(" #")) giveUp();
        return { key: { value: resolvePlain(source), plain: source, start, end: i }, colon: i };
      }
    }
    return undefined;
  }

  /** Whether the current line is a list item at column `column`. */
  isItem(column: number) {
    if (this.line >= this.starts.length || this.indents[this.line] !== column) return false;
    const start = this.starts[this.line] as number;
    if (this.text.charCodeAt(start) !== DASH) return false;
    return start + 1 === this.lineEnd() || this.text.charCodeAt(start + 1) === SPACE;
  }

  /** A value that starts after a key or `- ` at `from` on the current line, or on the lines below. */
  valueAfter(from: number, path: string, depth: number, parentColumn: number, compact: boolean) {
    const end = this.lineEnd();
    let i = from;
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    if (i < end && this.text.charCodeAt(i) === HASH && i === from) giveUp();
    if (i >= end || this.text.charCodeAt(i) === HASH) {
      // The value is a block below.
      this.line++;
      if (this.line >= this.starts.length) giveUp();
      const indent = this.indents[this.line] as number;
      if (indent > parentColumn) return this.block(this.starts[this.line] as number, path, depth);
      if (compact && this.isItem(parentColumn)) return this.list(parentColumn, path, depth);
      giveUp();
    }
    if (this.text.charCodeAt(i) === OPEN_BRACKET) {
      if (depth >= this.max.maxDepth) giveUp();
      const flow = this.flowList(i, path);
      this.finishLine(flow.end);
      return flow.value;
    }
    const node = this.scalar(i, false);
    const value = this.record(path, node);
    this.finishLine(node.end);
    return value;
  }

  /** A block map or list whose first entry starts at `start` on the current line. */
  block(start: number, path: string, depth: number): unknown {
    if (depth >= this.max.maxDepth) giveUp();
    const column = start - (this.lineStarts[this.line] as number);
    if (this.text.charCodeAt(start) === DASH) {
      if (start !== this.starts[this.line]) giveUp();
      return this.list(column, path, depth);
    }
    return this.map(start, column, path, depth);
  }

  list(column: number, path: string, depth: number): unknown[] {
    if (depth >= this.max.maxDepth) giveUp();
    this.count();
    if (!this.valuePositions.has(path))
      this.valuePositions.set(path, this.at(this.starts[this.line] as number));
    const items: unknown[] = [];
    while (this.isItem(column)) {
      const dash = this.starts[this.line] as number;
      const end = this.lineEnd();
      let i = dash + 1;
      while (i < end && this.text.charCodeAt(i) === SPACE) i++;
      if (i >= end || this.text.charCodeAt(i) === HASH || this.text.charCodeAt(i) === DASH) giveUp();
      const itemPath = `${path}[${items.length}]`;
      if (this.keyAt(i) !== undefined)
        items.push(this.map(i, i - (this.lineStarts[this.line] as number), itemPath, depth + 1));
      else items.push(this.valueAfter(i, itemPath, depth + 1, column, false));
      if (this.line < this.starts.length && (this.indents[this.line] as number) > column) giveUp();
    }
    return items;
  }

  map(start: number, column: number, path: string, depth: number): Record<string, unknown> {
    if (depth >= this.max.maxDepth) giveUp();
    this.count();
    if (!this.valuePositions.has(path)) this.valuePositions.set(path, this.at(start));
    const object: Record<string, unknown> = {};
    let entryStart = start;
    for (;;) {
      const entry = this.keyAt(entryStart);
      if (entry === undefined || typeof entry.key.value !== "string") giveUp();
      const key = entry.key.value;
      if (key === "__proto__" || Object.hasOwn(object, key)) giveUp();
      const childPath = keyPath(path, key);
      this.keyPositions.set(childPath, this.at(entry.key.start));
      object[key] = this.valueAfter(entry.colon + 1, childPath, depth + 1, column, true);
      if (this.line >= this.starts.length) break;
      const indent = this.indents[this.line] as number;
      if (indent < column) break;
      if (indent > column || this.isItem(column)) giveUp();
      entryStart = this.starts[this.line] as number;
    }
    return object;
  }
}

/**
 * Parses `text` on the fast path, or returns `undefined` when it holds anything the fast path
 * does not handle. `text` has no byte order mark and passed the size and UTF-8 checks.
 */
export function parseSimpleYaml(text: string, file: string, max: ParseLimits): ParsedDocument | undefined {
  // Content lines: not blank, not only a comment.
  const starts: number[] = [];
  const ends: number[] = [];
  const indents: number[] = [];
  const lineNumbers: number[] = [];
  const length = text.length;
  let lineNumber = 0;
  for (let lineStart = 0; lineStart <= length; ) {
    lineNumber++;
    let end = text.indexOf("\n", lineStart);
    if (end === -1) end = length;
    let i = lineStart;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    for (let j = i; j < end; j++) {
      const c = text.charCodeAt(j);
      // Tabs, carriage returns and other controls, and anything unusual: the full parser.
      if (c < SPACE || (c >= 0x7f && c <= 0x9f) || c === 0xfeff || c >= 0xfffe) return undefined;
    }
    if (i < end && text.charCodeAt(i) !== HASH) {
      // Directives and document markers (`%YAML`, `---`, `...`): the full parser.
      if (i === lineStart) {
        const c = text.charCodeAt(i);
        if (c === 37 || text.startsWith("---", i) || text.startsWith("...", i)) return undefined;
      }
      starts.push(i);
      ends.push(end);
      indents.push(i - lineStart);
      lineNumbers.push(lineNumber);
    }
    lineStart = end + 1;
  }
  if (starts.length === 0) return undefined;

  const parser = new SimpleParser(text, max, starts, ends, indents, lineNumbers);
  try {
    const documentStart = starts[0] as number;
    const position = parser.at(documentStart);
    if (text.charCodeAt(documentStart) === DASH) return undefined;
    const value = parser.block(documentStart, "", 0);
    if (parser.line < starts.length) return undefined;
    return {
      file,
      index: 0,
      line: position.line,
      column: position.column,
      value,
      valuePositions: parser.valuePositions,
      keyPositions: parser.keyPositions,
      plainScalars: parser.plainScalars,
    };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
