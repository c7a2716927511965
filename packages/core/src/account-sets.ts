/**
 * Account sets: `waybill.config.yaml` names lists of accounts (`accounts: { workloads: [...] }`);
 * a config file refers to one as `set:workloads` inside an account list, and validation expands the
 * reference before the schema sees the list.
 */
import { type Diagnostic, formatJsonPath } from "./diagnostics.js";
import type { ParsedDocument, SourcePosition } from "./parse.js";
import { suggestKey } from "./suggest.js";

/** `set:<name>`: a prefix no account id (12 digits) can carry. */
export const ACCOUNT_SET_REFERENCE = /^set:(.*)$/;
/** A set's name: a letter or digit, then letters, digits, `_`, `-` (1-64). */
export const ACCOUNT_SET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * The sets a run knows, by name: the accounts, or `undefined` for a set that is only resolved from
 * AWS Organizations when a run reaches AWS (`waybill validate` never does: such a reference is
 * accepted by name and contributes no account).
 */
export type AccountSets = ReadonlyMap<string, readonly string[] | undefined>;

/** The account lists a set may stand in, relative to a distribution. */
const accountListPaths: readonly (readonly string[])[] = [
  ["amiDistributionConfiguration", "targetAccountIds"],
  ["amiDistributionConfiguration", "launchPermission", "userIds"],
];

/** Returns `source` with every `set:<name>` of its account lists replaced by the set's accounts. */
export function expandAccountSetReferences(
  source: ParsedDocument,
  sets: AccountSets,
): { document: ParsedDocument; diagnostics: Diagnostic[]; accountSetOf?: Record<string, string> } {
  const diagnostics: Diagnostic[] = [];
  // Which set brought each account in (not listed by id too), so a plan can name it.
  const accountSetOf: Record<string, string> = {};
  const value = source.value as { distributions?: unknown } | null;
  if (typeof value !== "object" || value === null || !Array.isArray(value.distributions)) {
    return { document: source, diagnostics };
  }
  let copy: { distributions: unknown[] } | undefined;
  // Copied only for a document that names a set: reading a document's positions computes them
  // (parse.ts computes positions lazily, for diagnostics), which most documents never need.
  let positions: Map<string, SourcePosition> | undefined;
  const ownPositions = () => {
    positions ??= new Map(source.valuePositions);
    return positions;
  };
  value.distributions.forEach((distribution, index) => {
    for (const listPath of accountListPaths) {
      let parent: unknown = distribution;
      for (const key of listPath.slice(0, -1)) parent = (parent as Record<string, unknown> | null)?.[key];
      const lastKey = listPath[listPath.length - 1] as string;
      const list = (parent as Record<string, unknown> | null | undefined)?.[lastKey];
      if (!Array.isArray(list) || !list.some((item) => typeof item === "string" && item.startsWith("set:"))) {
        continue;
      }
      const segments = ["distributions", index, ...listPath];
      const listKey = formatJsonPath(segments);
      const expanded: unknown[] = [];
      const expandedAt: SourcePosition[] = [];
      list.forEach((item, j) => {
        const at = source.valuePositions.get(formatJsonPath([...segments, j])) ?? {
          line: source.line,
          column: source.column,
        };
        const match = typeof item === "string" ? ACCOUNT_SET_REFERENCE.exec(item) : null;
        if (!match) {
          expanded.push(item);
          expandedAt.push(at);
          return;
        }
        const name = match[1] ?? "";
        if (!sets.has(name)) {
          const suggestion = suggestKey(name, [...sets.keys()]);
          diagnostics.push({
            code: "account-set-unknown",
            severity: "error",
            file: source.file,
            ...at,
            path: formatJsonPath([...segments, j]),
            message:
              sets.size === 0
                ? `no account set '${name}': waybill.config.yaml names no account sets`
                : `no account set '${name}' in waybill.config.yaml (known: ${[...sets.keys()].join(", ")})`,
            hint: suggestion
              ? `did you mean 'set:${suggestion}'?`
              : "name the set under accounts: in waybill.config.yaml, or list the account ids here",
          });
          return;
        }
        for (const account of sets.get(name) ?? []) {
          if (expanded.includes(account)) continue;
          expanded.push(account);
          expandedAt.push(at);
          if (!list.includes(account)) accountSetOf[account] ??= name;
        }
      });
      copy ??= structuredClone(value) as { distributions: unknown[] };
      let target: Record<string, unknown> = copy.distributions[index] as Record<string, unknown>;
      for (const key of listPath.slice(0, -1)) target = target[key] as Record<string, unknown>;
      const moved = ownPositions();
      for (const key of [...moved.keys()]) if (key.startsWith(`${listKey}[`)) moved.delete(key);
      if (expanded.length === 0) {
        // Only unresolved sets (a run that does not reach AWS): nothing to check in this list.
        delete target[lastKey];
      } else {
        target[lastKey] = expanded;
        expandedAt.forEach((at, k) => {
          moved.set(formatJsonPath([...segments, k]), at);
        });
      }
    }
  });
  if (copy === undefined) return { document: source, diagnostics };
  return {
    document: { ...source, value: copy, valuePositions: ownPositions() },
    diagnostics,
    ...(Object.keys(accountSetOf).length === 0 ? {} : { accountSetOf }),
  };
}
