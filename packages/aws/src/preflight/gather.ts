// Gathers the facts core's preflight asks for: reads only, each call with a timeout, paced, concurrent.
import {
  DescribeLaunchTemplatesCommand,
  type DescribeLaunchTemplatesCommandOutput,
  DescribeRegionsCommand,
  type DescribeRegionsCommandOutput,
} from "@aws-sdk/client-ec2";
import {
  GetRoleCommand,
  type GetRoleCommandOutput,
  ListAttachedRolePoliciesCommand,
  type ListAttachedRolePoliciesCommandOutput,
} from "@aws-sdk/client-iam";
import {
  DescribeKeyCommand,
  type DescribeKeyCommandOutput,
  GetKeyPolicyCommand,
  type GetKeyPolicyCommandOutput,
  ListGrantsCommand,
  type ListGrantsCommandOutput,
} from "@aws-sdk/client-kms";
import {
  ListAccountsForParentCommand,
  type ListAccountsForParentCommandOutput,
  ListOrganizationalUnitsForParentCommand,
  type ListOrganizationalUnitsForParentCommandOutput,
} from "@aws-sdk/client-organizations";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from "@aws-sdk/client-sts";
import { type Fact, type FactRequest, factKey, type KmsGrant } from "@waybill/core/preflight";
import { mapWithConcurrency } from "../concurrency.js";
import { type AccountScope, type PreflightClientOptions, PreflightClients } from "./clients.js";
import { errorMeaning, errorMessage } from "./errors.js";

export interface PreflightGathererOptions extends PreflightClientOptions {
  /** The region of the global services' calls (IAM, STS, S3's HeadBucket, Organizations). */
  region: string;
  /** Facts gathered at once. */
  concurrency: number;
  /** The read-only role to assume in `account` (a target account), or undefined when none is set. */
  readRoleFor(account: string): string | undefined;
}

/** A set resolved from Organizations, or why not. */
export type OrganizationalUnitResult =
  | { ok: true; accounts: string[] }
  | { ok: false; message: string; permission?: string };

/** Thrown inside a gatherer to end one fact as `denied`/`failed`/`missing`. */
class FactEnd extends Error {
  constructor(readonly fact: Fact) {
    super("fact ended");
  }
}

/**
 * For a call after a fact's first one: an access denied ends the fact as `denied`, naming the
 * permission this call needs (`kms:ListGrants`) and the call; any other error goes on as it was.
 */
function deniedAs(permission: string, evidence: string): (error: unknown) => never {
  return (error) => {
    throw errorMeaning(error) === "denied"
      ? new FactEnd({ status: "denied", permission, evidence, message: errorMessage(error) })
      : error;
  };
}

/**
 * Reads facts about AWS for preflight with IAM, KMS, EC2, S3, STS and Organizations. Never
 * writes. Missing permissions become `denied` facts naming the IAM action, timeouts and other
 * failures `failed` facts: none of them throws.
 */
export class PreflightGatherer {
  readonly #options: PreflightGathererOptions;
  readonly #clients: PreflightClients;
  #sourceAccount: string | undefined;

  constructor(options: PreflightGathererOptions) {
    this.#options = options;
    this.#clients = new PreflightClients(options);
  }

  /** Read calls made so far. */
  calls(): number {
    return this.#clients.calls();
  }

  destroy(): void {
    this.#clients.destroy();
  }

  /** Gathers every request's fact (the caller's identity first: it tells which account is the source). */
  async gather(requests: readonly FactRequest[]): Promise<Map<string, Fact>> {
    const facts = new Map<string, Fact>();
    const identity = requests.find((request) => request.kind === "caller-identity");
    if (identity) facts.set(factKey(identity), await this.#fact(identity));
    const rest = requests.filter((request) => request.kind !== "caller-identity");
    const gathered = await mapWithConcurrency(rest, this.#options.concurrency, (request) =>
      this.#fact(request),
    );
    rest.forEach((request, index) => {
      facts.set(factKey(request), gathered[index] as Fact);
    });
    return facts;
  }

  /** Every active account under `organizationalUnit`, recursively. */
  async resolveOrganizationalUnit(organizationalUnit: string): Promise<OrganizationalUnitResult> {
    const accounts = new Set<string>();
    const visit = async (parent: string): Promise<void> => {
      let token: string | undefined;
      do {
        const page = await this.#send<ListAccountsForParentCommandOutput>(
          "organizations",
          new ListAccountsForParentCommand({ ParentId: parent, NextToken: token }),
        );
        for (const account of page.Accounts ?? []) {
          const state = account.State ?? account.Status;
          if (account.Id && state === "ACTIVE") accounts.add(account.Id);
        }
        token = page.NextToken;
      } while (token);
      const children: string[] = [];
      do {
        const page = await this.#send<ListOrganizationalUnitsForParentCommandOutput>(
          "organizations",
          new ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken: token }),
        );
        for (const unit of page.OrganizationalUnits ?? []) if (unit.Id) children.push(unit.Id);
        token = page.NextToken;
      } while (token);
      await Promise.all(children.map(visit));
    };
    try {
      await visit(organizationalUnit);
      return { ok: true, accounts: [...accounts].sort() };
    } catch (error) {
      const meaning = errorMeaning(error);
      if (meaning === "denied") {
        return {
          ok: false,
          message: `access denied: ${errorMessage(error)}`,
          permission: "organizations:ListAccountsForParent, organizations:ListOrganizationalUnitsForParent",
        };
      }
      if (meaning === "missing")
        return { ok: false, message: `no organizational unit ${organizationalUnit}` };
      return { ok: false, message: errorMessage(error) };
    }
  }

  #send<Output>(
    service: "iam" | "kms" | "ec2" | "s3" | "sts" | "organizations",
    command: unknown,
    scope: AccountScope = { account: "source" },
    region = this.#options.region,
  ): Promise<Output> {
    return this.#clients.send(service, region, scope, command as never);
  }

  /** The scope to read `account` in: the source's own credentials, or its read role. */
  #scope(account: string, evidence: string): AccountScope {
    if (account === "source" || account === this.#sourceAccount) return { account: "source" };
    const roleArn = this.#options.readRoleFor(account);
    if (!roleArn) {
      throw new FactEnd({
        status: "failed",
        reason: "no-read-role",
        evidence,
        message: `no read-only role is set for account ${account}`,
      });
    }
    return { account, roleArn };
  }

  async #fact(request: FactRequest): Promise<Fact> {
    const evidence = describe(request);
    try {
      return await this.#read(request, evidence);
    } catch (error) {
      if (error instanceof FactEnd) return error.fact;
      const meaning = errorMeaning(error);
      const assuming = (error as { $waybillAssume?: string }).$waybillAssume;
      if (meaning === "missing") return { status: "missing", evidence };
      if (meaning === "denied") {
        return {
          status: "denied",
          permission: assuming ? `sts:AssumeRole on ${assuming}` : permissionFor(request),
          evidence,
          message: errorMessage(error),
        };
      }
      return {
        status: "failed",
        reason: "unreachable",
        evidence,
        message:
          meaning === "timeout"
            ? `no answer within ${(this.#options.timeoutMs ?? 10_000) / 1000} s`
            : errorMessage(error),
      };
    }
  }

  async #read(request: FactRequest, evidence: string): Promise<Fact> {
    switch (request.kind) {
      case "caller-identity": {
        const output = await this.#send<GetCallerIdentityCommandOutput>(
          "sts",
          new GetCallerIdentityCommand({}),
        );
        this.#sourceAccount = output.Account;
        return {
          status: "found",
          value: { kind: "caller-identity", account: output.Account ?? "", arn: output.Arn ?? "" },
          evidence,
        };
      }
      case "enabled-regions": {
        const output = await this.#send<DescribeRegionsCommandOutput>(
          "ec2",
          new DescribeRegionsCommand({}),
          { account: "source" },
          request.region,
        );
        const regions = (output.Regions ?? [])
          .filter((region) => region.OptInStatus !== "not-opted-in" && region.RegionName)
          .map((region) => region.RegionName as string);
        return { status: "found", value: { kind: "enabled-regions", regions }, evidence };
      }
      case "kms-key": {
        const scope: AccountScope = { account: "source" };
        const described = await this.#send<DescribeKeyCommandOutput>(
          "kms",
          new DescribeKeyCommand({ KeyId: request.keyId }),
          scope,
          request.region,
        );
        const metadata = described.KeyMetadata;
        const arn = metadata?.Arn ?? request.keyId;
        const policy = await this.#send<GetKeyPolicyCommandOutput>(
          "kms",
          new GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" }),
          scope,
          request.region,
        ).catch(deniedAs("kms:GetKeyPolicy", `KMS GetKeyPolicy ${request.keyId} in ${request.region}`));
        const grants: KmsGrant[] = [];
        let marker: string | undefined;
        do {
          const page = await this.#send<ListGrantsCommandOutput>(
            "kms",
            new ListGrantsCommand({ KeyId: arn, Marker: marker }),
            scope,
            request.region,
          ).catch(deniedAs("kms:ListGrants", `KMS ListGrants ${request.keyId} in ${request.region}`));
          for (const grant of page.Grants ?? []) {
            grants.push({ granteePrincipal: grant.GranteePrincipal, operations: grant.Operations ?? [] });
          }
          marker = page.Truncated ? page.NextMarker : undefined;
        } while (marker);
        return {
          status: "found",
          value: {
            kind: "kms-key",
            arn,
            enabled: metadata?.Enabled !== false && (metadata?.KeyState ?? "Enabled") === "Enabled",
            policy: policy.Policy,
            grants,
          },
          evidence: `KMS DescribeKey, GetKeyPolicy (default), ListGrants of ${arn}`,
        };
      }
      case "role": {
        const scope = this.#scope(request.account, evidence);
        const role = await this.#withAssume(scope, () =>
          this.#send<GetRoleCommandOutput>("iam", new GetRoleCommand({ RoleName: request.roleName }), scope),
        );
        const attached: string[] = [];
        let marker: string | undefined;
        do {
          const page = await this.#send<ListAttachedRolePoliciesCommandOutput>(
            "iam",
            new ListAttachedRolePoliciesCommand({ RoleName: request.roleName, Marker: marker }),
            scope,
          ).catch(
            deniedAs(
              "iam:ListAttachedRolePolicies",
              `IAM ListAttachedRolePolicies ${request.roleName} in ${accountName(request.account)}`,
            ),
          );
          for (const policy of page.AttachedPolicies ?? [])
            if (policy.PolicyArn) attached.push(policy.PolicyArn);
          marker = page.IsTruncated ? page.Marker : undefined;
        } while (marker);
        return {
          status: "found",
          value: {
            kind: "role",
            arn: role.Role?.Arn ?? "",
            trustPolicy: decodePolicy(role.Role?.AssumeRolePolicyDocument),
            attachedPolicyArns: attached,
          },
          evidence: `IAM GetRole, ListAttachedRolePolicies ${request.roleName} in ${accountName(request.account)}`,
        };
      }
      case "launch-template": {
        const scope = this.#scope(request.account, evidence);
        const output = await this.#withAssume(scope, () =>
          this.#send<DescribeLaunchTemplatesCommandOutput>(
            "ec2",
            new DescribeLaunchTemplatesCommand(
              request.id
                ? { LaunchTemplateIds: [request.id] }
                : { LaunchTemplateNames: [request.name ?? ""] },
            ),
            scope,
            request.region,
          ),
        );
        const template = output.LaunchTemplates?.[0];
        if (!template) return { status: "missing", evidence };
        return {
          status: "found",
          value: {
            kind: "launch-template",
            id: template.LaunchTemplateId ?? "",
            name: template.LaunchTemplateName ?? "",
          },
          evidence,
        };
      }
      case "bucket": {
        await this.#send("s3", new HeadBucketCommand({ Bucket: request.bucket }));
        return { status: "found", value: { kind: "bucket" }, evidence };
      }
    }
  }

  /** Runs `read` in `scope`, marking a failure to assume its role so it names sts:AssumeRole. */
  async #withAssume<T>(scope: AccountScope, read: () => Promise<T>): Promise<T> {
    if (!("roleArn" in scope)) return read();
    try {
      await this.#clients.credentialsFor(scope.roleArn);
    } catch (error) {
      if (typeof error === "object" && error !== null) {
        Object.assign(error, { $waybillAssume: scope.roleArn });
      }
      throw error;
    }
    return read();
  }
}

/** The IAM action a request's first call needs (named when it is denied). */
function permissionFor(request: FactRequest): string {
  switch (request.kind) {
    case "caller-identity":
      return "sts:GetCallerIdentity";
    case "enabled-regions":
      return "ec2:DescribeRegions";
    case "kms-key":
      return "kms:DescribeKey";
    case "role":
      return "iam:GetRole";
    case "launch-template":
      return "ec2:DescribeLaunchTemplates";
    case "bucket":
      return "s3:ListBucket";
  }
}

const accountName = (account: string) => (account === "source" ? "the source account" : `account ${account}`);

/** The call a request starts with, for evidence. */
function describe(request: FactRequest): string {
  switch (request.kind) {
    case "caller-identity":
      return "STS GetCallerIdentity";
    case "enabled-regions":
      return `EC2 DescribeRegions in ${request.region}`;
    case "kms-key":
      return `KMS DescribeKey ${request.keyId} in ${request.region}`;
    case "role":
      return `IAM GetRole ${request.roleName} in ${accountName(request.account)}`;
    case "launch-template":
      return `EC2 DescribeLaunchTemplates ${request.id ?? request.name} in ${accountName(request.account)}, ${request.region}`;
    case "bucket":
      return `S3 HeadBucket ${request.bucket}`;
  }
}

/** IAM returns trust policies URL-encoded. */
function decodePolicy(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (text.trimStart().startsWith("{")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
