// Reading IAM-style policy documents (KMS key policies, role trust policies): who may do what.

/** One statement, normalised: lists instead of string-or-list, its index and Sid for evidence. */
export interface PolicyStatement {
  index: number;
  sid: string | undefined;
  effect: "Allow" | "Deny";
  /** AWS principals (`*`, account ids, ARNs) and service principals; `*` also for `"Principal": "*"`. */
  principals: string[];
  services: string[];
  actions: string[];
  /** True when the statement uses NotPrincipal/NotAction or a Condition: read, but not relied on. */
  conditional: boolean;
}

export type ParsedPolicy = { ok: true; statements: PolicyStatement[] } | { ok: false; message: string };

const asList = (value: unknown): string[] =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
      ? value.filter((v) => typeof v === "string")
      : [];

/** Parses a policy document's JSON text. Never throws. */
export function parsePolicyDocument(text: string | undefined): ParsedPolicy {
  if (text === undefined || text.trim() === "") return { ok: false, message: "the policy is empty" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: "the policy is not JSON" };
  }
  const raw = (value as { Statement?: unknown } | null)?.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const statements: PolicyStatement[] = [];
  list.forEach((entry, index) => {
    if (typeof entry !== "object" || entry === null) return;
    const s = entry as Record<string, unknown>;
    if (s.Effect !== "Allow" && s.Effect !== "Deny") return;
    const principal = s.Principal;
    const principals =
      principal === "*" ? ["*"] : asList((principal as { AWS?: unknown } | undefined)?.AWS ?? []);
    const services = asList((principal as { Service?: unknown } | undefined)?.Service ?? []);
    statements.push({
      index,
      sid: typeof s.Sid === "string" ? s.Sid : undefined,
      effect: s.Effect,
      principals,
      services,
      actions: asList(s.Action),
      conditional: s.Condition !== undefined || s.NotPrincipal !== undefined || s.NotAction !== undefined,
    });
  });
  return { ok: true, statements };
}

/** Whether an IAM action pattern (`kms:*`, `kms:ReEncrypt*`, `*`) covers `action`; case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  const expression = new RegExp(
    `^${pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return expression.test(action);
}

/**
 * Whether a principal names `account`: `*`, the account id, its root ARN, or (with `roleName`) that
 * role in the account.
 */
export function principalCoversAccount(principal: string, account: string, roleName?: string): boolean {
  if (principal === "*" || principal === account || principal === `arn:aws:iam::${account}:root`) return true;
  return roleName !== undefined && principal === `arn:aws:iam::${account}:role/${roleName}`;
}

/** "statement 2 (Sid AllowUse)" for evidence. */
export function describeStatement(statement: PolicyStatement): string {
  return statement.sid
    ? `statement ${statement.index} (Sid ${statement.sid})`
    : `statement ${statement.index}`;
}

/**
 * The actions of `required` that the policy's unconditional Allow statements grant to `account`,
 * less any an unconditional Deny names, with the statements that granted them.
 */
export function allowedActions(
  statements: readonly PolicyStatement[],
  account: string,
  required: readonly string[],
  roleName?: string,
): { allowed: Set<string>; by: PolicyStatement[]; deniedBy: PolicyStatement[] } {
  const allowed = new Set<string>();
  const by: PolicyStatement[] = [];
  const deniedBy: PolicyStatement[] = [];
  const covers = (s: PolicyStatement) =>
    s.principals.some((p) => principalCoversAccount(p, account, roleName));
  for (const statement of statements) {
    if (statement.effect !== "Allow" || !covers(statement)) continue;
    let used = false;
    for (const action of required) {
      if (statement.actions.some((pattern) => actionMatches(pattern, action))) {
        allowed.add(action);
        used = true;
      }
    }
    if (used) by.push(statement);
  }
  for (const statement of statements) {
    if (statement.effect !== "Deny" || statement.conditional || !covers(statement)) continue;
    for (const action of required) {
      if (statement.actions.some((pattern) => actionMatches(pattern, action)) && allowed.delete(action)) {
        if (!deniedBy.includes(statement)) deniedBy.push(statement);
      }
    }
  }
  return { allowed, by, deniedBy };
}
