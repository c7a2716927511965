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

  const lineStarts = starts.map((start, index) => start - (indents[index] as number));
  const valuePositions = new Map<string, SourcePosition>();
  const keyPositions = new Map<string, SourcePosition>();
  const plainScalars = new Map<string, string>();
  let nodes = 0;
  let line = 0;

  const at = (offset: number): SourcePosition => ({
    line: lineNumbers[line] as number,
    column: offset - (lineStarts[line] as number) + 1,
  });
  const count = () => {
    if (++nodes > max.maxNodes) giveUp();
  };
  const lineEnd = () => ends[line] as number;

  /** After a value on the current line: only spaces, then the end or a comment. */
  const finishLine = (from: number) => {
    const end = lineEnd();
    let i = from;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    if (i < end && (text.charCodeAt(i) !== HASH || i === from)) giveUp();
    line++;
  };

  /** A one-line scalar at `start`: quoted, or plain up to a comment or the line end (in a flow list, also `,` and `]`). */
  const scalar = (start: number, flow: boolean): Scalar => {
    const end = lineEnd();
    const first = text.charCodeAt(start);
    if (first === DOUBLE_QUOTE) {
      const close = text.indexOf('"', start + 1);
      if (close === -1 || close >= end) giveUp();
      const value = text.slice(start + 1, close);
      if (value.includes("\\")) giveUp();
      return { value, plain: undefined, start, end: close + 1 };
    }
    if (first === SINGLE_QUOTE) {
      let value = "";
      let i = start + 1;
      for (;;) {
        const close = text.indexOf("'", i);
        if (close === -1 || close >= end) giveUp();
        value += text.slice(i, close);
        if (text.charCodeAt(close + 1) !== SINGLE_QUOTE)
          return { value, plain: undefined, start, end: close + 1 };
        value += "'";
        i = close + 2;
      }
    }
    if (INDICATOR.has(first)) giveUp();
    let i = start;
    let last = start;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === SPACE) {
        if (text.charCodeAt(i + 1) === HASH) break;
        continue;
      }
      if (c === COLON) {
        const next = i + 1 < end ? text.charCodeAt(i + 1) : SPACE;
        if (next === SPACE || flow) giveUp();
      }
      if (flow && (c === COMMA || c === CLOSE_BRACKET)) break;
      if (flow && (c === OPEN_BRACKET || c === 123 || c === 125 || c === HASH)) giveUp();
      last = i + 1;
    }
    const source = text.slice(start, last);
    return { value: resolvePlain(source), plain: source, start, end: last };
  };

  const record = (path: string, node: Scalar) => {
    count();
    if (!valuePositions.has(path)) valuePositions.set(path, at(node.start));
    if (node.plain !== undefined) plainScalars.set(path, node.plain);
    return node.value;
  };

  /** A one-line flow list of scalars at `start` (`[`); returns it and where it ends. */
  const flowList = (start: number, path: string): { value: unknown[]; end: number } => {
    count();
    if (!valuePositions.has(path)) valuePositions.set(path, at(start));
    const end = lineEnd();
    const items: unknown[] = [];
    let i = start + 1;
    for (;;) {
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (i >= end) giveUp();
      if (text.charCodeAt(i) === CLOSE_BRACKET) {
        // `[a, ]` and `[,]` are left to the full parser.
        if (items.length > 0) giveUp();
        return { value: items, end: i + 1 };
      }
      const item = scalar(i, true);
      items.push(record(`${path}[${items.length}]`, item));
      i = item.end;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      const c = text.charCodeAt(i);
      if (i < end && c === CLOSE_BRACKET) return { value: items, end: i + 1 };
      if (i >= end || c !== COMMA) giveUp();
      i++;
    }
  };

  /** The key of a map entry at `start` and where its `:` is, or `undefined` when the line is no map entry. */
  const keyAt = (start: number): { key: Scalar; colon: number } | undefined => {
    const end = lineEnd();
    const first = text.charCodeAt(start);
    if (first === DOUBLE_QUOTE || first === SINGLE_QUOTE) {
      const key = scalar(start, false);
      const colon = key.end;
      if (colon < end && text.charCodeAt(colon) === COLON) {
        const next = colon + 1 < end ? text.charCodeAt(colon + 1) : SPACE;
        if (next === SPACE) return { key, colon };
      }
      return undefined;
    }
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) {
        if (INDICATOR.has(first) || text.charCodeAt(i - 1) === SPACE) giveUp();
        const source = text.slice(start, i);
        if (source.includes(" #")) giveUp();
        return { key: { value: resolvePlain(source), plain: source, start, end: i }, colon: i };
      }
    }
    return undefined;
  };

  /** Whether the current line is a list item at column `column`. */
  const isItem = (column: number) => {
    if (line >= starts.length || indents[line] !== column) return false;
    const start = starts[line] as number;
    if (text.charCodeAt(start) !== DASH) return false;
    return start + 1 === lineEnd() || text.charCodeAt(start + 1) === SPACE;
  };

  /** A value that starts after a key or `- ` at `from` on the current line, or on the lines below. */
  const valueAfter = (from: number, path: string, depth: number, parentColumn: number, compact: boolean) => {
    const end = lineEnd();
    let i = from;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    if (i < end && text.charCodeAt(i) === HASH && i === from) giveUp();
    if (i >= end || text.charCodeAt(i) === HASH) {
      // The value is a block below.
      line++;
      if (line >= starts.length) giveUp();
      const indent = indents[line] as number;
      if (indent > parentColumn) return block(starts[line] as number, path, depth);
      if (compact && isItem(parentColumn)) return list(parentColumn, path, depth);
      giveUp();
    }
    if (text.charCodeAt(i) === OPEN_BRACKET) {
      if (depth >= max.maxDepth) giveUp();
      const flow = flowList(i, path);
      finishLine(flow.end);
      return flow.value;
    }
    const node = scalar(i, false);
    const value = record(path, node);
    finishLine(node.end);
    return value;
  };

  /** A block map or list whose first entry starts at `start` on the current line. */
  const block = (start: number, path: string, depth: number): unknown => {
    if (depth >= max.maxDepth) giveUp();
    const column = start - (lineStarts[line] as number);
    if (text.charCodeAt(start) === DASH) {
      if (start !== starts[line]) giveUp();
      return list(column, path, depth);
    }
    return map(start, column, path, depth);
  };

  const list = (column: number, path: string, depth: number): unknown[] => {
    if (depth >= max.maxDepth) giveUp();
    count();
    if (!valuePositions.has(path)) valuePositions.set(path, at(starts[line] as number));
    const items: unknown[] = [];
    while (isItem(column)) {
      const dash = starts[line] as number;
      const end = lineEnd();
      let i = dash + 1;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (i >= end || text.charCodeAt(i) === HASH || text.charCodeAt(i) === DASH) giveUp();
      const itemPath = `${path}[${items.length}]`;
      if (keyAt(i) !== undefined) items.push(map(i, i - (lineStarts[line] as number), itemPath, depth + 1));
      else items.push(valueAfter(i, itemPath, depth + 1, column, false));
      if (line < starts.length && (indents[line] as number) > column) giveUp();
    }
    return items;
  };

  const map = (start: number, column: number, path: string, depth: number): Record<string, unknown> => {
    if (depth >= max.maxDepth) giveUp();
    count();
    if (!valuePositions.has(path)) valuePositions.set(path, at(start));
    const object: Record<string, unknown> = {};
    let entryStart = start;
    for (;;) {
      const entry = keyAt(entryStart);
      if (entry === undefined || typeof entry.key.value !== "string") giveUp();
      const key = entry.key.value;
      if (key === "__proto__" || Object.hasOwn(object, key)) giveUp();
      const childPath = keyPath(path, key);
      keyPositions.set(childPath, at(entry.key.start));
      object[key] = valueAfter(entry.colon + 1, childPath, depth + 1, column, true);
      if (line >= starts.length) break;
      const indent = indents[line] as number;
      if (indent < column) break;
      if (indent > column || isItem(column)) giveUp();
      entryStart = starts[line] as number;
    }
    return object;
  };

  try {
    const documentStart = starts[0] as number;
    const position = at(documentStart);
    if (text.charCodeAt(documentStart) === DASH) return undefined;
    const value = block(documentStart, "", 0);
    if (line < starts.length) return undefined;
    return {
      file,
      index: 0,
      line: position.line,
      column: position.column,
      value,
      valuePositions,
      keyPositions,
      plainScalars,
    };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
