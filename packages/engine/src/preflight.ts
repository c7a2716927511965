// Preflight, the engine's part: resolve account sets, decide which facts a run needs, gather them read-only, evaluate.
import type { AwsAccess } from "@waybill/aws";
import type {
  AccountSets,
  Diagnostic,
  PreflightConfiguration,
  PreflightReport,
  ResolvedAccountSet,
} from "@waybill/core";
import { evaluatePreflight, preflightRequests } from "@waybill/core/preflight";
import { type Settings, settingsFileName } from "./settings.js";

type Gatherer = Awaited<ReturnType<AwsAccess["openPreflight"]>>;

/** The account sets of a run, as far as they are known without AWS (Organizations sets: by name only). */
export function staticAccountSets(settings: Settings): AccountSets {
  return new Map(
    Object.entries(settings.accounts ?? {}).map(([name, set]) => [
      name,
      Array.isArray(set) ? set : undefined,
    ]),
  );
}

/** Whether any account set is resolved from AWS Organizations. */
export function hasOrganizationSets(settings: Settings): boolean {
  return Object.values(settings.accounts ?? {}).some((set) => !Array.isArray(set));
}

export interface AccountSetResolution {
  sets: AccountSets;
  resolved: ResolvedAccountSet[];
  /** Sets that could not be resolved, or resolved to nothing: errors, located at the set in the settings file. */
  diagnostics: Diagnostic[];
}

/**
 * Resolves every account set: the listed ones as written, the Organizations ones by reading every
 * active account under their OU. A failure or an empty result is an error diagnostic, never an
 * empty set.
 */
export async function resolveAccountSets(
  settings: Settings,
  gatherer: Gatherer | undefined,
): Promise<AccountSetResolution> {
  const sets = new Map<string, readonly string[] | undefined>();
  const resolved: ResolvedAccountSet[] = [];
  const diagnostics: Diagnostic[] = [];
  const entries = Object.entries(settings.accounts ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  await Promise.all(
    entries.map(async ([name, set]) => {
      if (Array.isArray(set)) {
        sets.set(name, set);
        resolved.push({ name, source: "list", accounts: [...set] });
        return;
      }
      const at = settings.accountSetPositions?.[name] ?? { line: 1, column: 1 };
      const problem = (code: string, message: string, hint: string): void => {
        diagnostics.push({
          file: settingsFileName,
          ...at,
          path: `accounts.${name}`,
          severity: "error",
          code,
          message,
          hint,
        });
      };
      if (!gatherer) {
        problem(
          "account-set-unresolved",
          `account set ${name} (${set.organizationalUnit}) cannot be resolved without AWS`,
          "run plan, apply or preflight, which read Organizations",
        );
        return;
      }
      const result = await gatherer.resolveOrganizationalUnit(set.organizationalUnit);
      if (!result.ok) {
        problem(
          "account-set-unresolved",
          `could not resolve account set ${name} from Organizations (${set.organizationalUnit}): ${result.message}`,
          result.permission
            ? `allow ${result.permission} to the run's identity (in the management or a delegated administrator account)`
            : "check the OU id, and that the run's account can read the organization",
        );
        return;
      }
      if (result.accounts.length === 0) {
        problem(
          "account-set-empty",
          `account set ${name} resolved to no active account under ${set.organizationalUnit}`,
          "an empty set would silently share with nobody: add accounts under the OU, or remove the set",
        );
        return;
      }
      sets.set(name, result.accounts);
      resolved.push({
        name,
        source: "organizational-unit",
        organizationalUnit: set.organizationalUnit,
        accounts: result.accounts,
      });
    }),
  );
  resolved.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { sets, resolved, diagnostics };
}

/** Opens a preflight reader with the run's settings (read roles, timeout, concurrency). */
export function openPreflight(aws: AwsAccess, settings: Settings, region: string): Promise<Gatherer> {
  const preflight = settings.preflight;
  return aws.openPreflight({
    region,
    concurrency: settings.concurrency,
    timeoutMs: (preflight?.timeoutSeconds ?? 10) * 1000,
    readRoleFor(account) {
      const named = preflight?.readRoles[account];
      if (named) return named;
      return preflight?.readRole?.replaceAll("{account}", account);
    },
  });
}

/** Gathers what the checks need for `configurations` and evaluates it. Reads only. */
export async function runPreflightChecks(options: {
  gatherer: Gatherer;
  settings: Settings;
  configurations: readonly PreflightConfiguration[];
  accountSets: readonly ResolvedAccountSet[];
}): Promise<PreflightReport> {
  const role = options.settings.rollout?.executionRole;
  const context = {
    configurations: options.configurations,
    expectedAccount: options.settings.preflight?.account,
    ...(role === undefined
      ? {}
      : {
          rolloutRole: {
            role,
            file: options.settings.rolloutRolePosition ? settingsFileName : "",
            ...(options.settings.rolloutRolePosition ?? { line: 1, column: 1 }),
          },
        }),
  };
  const requests = preflightRequests(context);
  const facts = await options.gatherer.gather(requests);
  return {
    findings: evaluatePreflight(context, facts, options.settings.preflight?.severity),
    accountSets: options.accountSets,
    factsGathered: requests.length,
    calls: options.gatherer.calls(),
  };
}
