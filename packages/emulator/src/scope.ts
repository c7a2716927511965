// Where a request acts and where a resource lives: an account and a region.

/** Where a request acts: the account (from its access key) and region (from its credential scope). */
export interface Scope {
  accountId: string;
  region: string;
}

/** The key state is kept under for a scope: `<account>:<region>`. */
export function scopeKey(scope: Scope): string {
  return `${scope.accountId}:${scope.region}`;
}

/** The account and region an Image Builder ARN names, or undefined when it is not one. */
export function scopeOfArn(arn: string): Scope | undefined {
  const match = /^arn:[^:]+:imagebuilder:([^:]+):([^:]+):/.exec(arn);
  if (match === null) return undefined;
  return { region: match[1] as string, accountId: match[2] as string };
}

/** Whether an ARN is of the scope's account and region. */
export function inScope(scope: Scope, arn: string): boolean {
  const of = scopeOfArn(arn);
  return of !== undefined && of.region === scope.region && of.accountId === scope.accountId;
}
