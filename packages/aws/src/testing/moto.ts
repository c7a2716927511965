// Test helper: moto (the Python AWS fake) as a server on a free local port, and ways to shape its state with the real SDK.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { CreateKeyCommand, KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { StaticCredentials } from "../credentials.js";

/** The account moto's default credentials act in. */
export const MOTO_SOURCE_ACCOUNT = "123456789012";
export const motoCredentials: StaticCredentials = {
  accessKeyId: "AKIAMOTOTEST00000001",
  secretAccessKey: "x",
};

export interface Moto {
  url: string;
  /** Environment for a run whose preflight reads moto (`AWS_ENDPOINT_URL` points at it). */
  env: Record<string, string>;
  /** Credentials acting in `account` (moto answers AssumeRole of any role and then acts in its account). */
  credentialsFor(account: string): Promise<StaticCredentials>;
  /** Forgets every resource (moto's reset API). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * The python whose moto the tests run: the one `pnpm test`'s set-up (scripts/test-setup) found or
 * installed, passed on by vitest.config.ts, else python3.
 */
const python = process.env.WAYBILL_MOTO_PYTHON || "python3";

/**
 * Starts `python -m moto.server` on 127.0.0.1 and a free port, with AWS managed policies loaded (so
 * Ec2ImageBuilderCrossAccountDistributionAccess can be attached). Resolves once it says it listens.
 */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child: ChildProcess = spawn(python, ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true", PYTHONUNBUFFERED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`Running on ${url}`)) {
        child.stdout?.off("data", onData);
        child.stderr?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) =>
      reject(
        new Error(
          `moto did not start (exit ${code}) with ${python}: run pnpm test, whose set-up finds or installs moto (scripts/test-setup)\n${output}`,
        ),
      ),
    );
    child.once("error", reject);
  });
  // Keep draining its log so the pipe never fills.
  child.stdout?.resume();
  child.stderr?.resume();
  const assumed = new Map<string, Promise<StaticCredentials>>();
  const sts = new STSClient({ region: "us-east-1", endpoint: url, credentials: motoCredentials });
  return {
    url,
    env: {
      AWS_ENDPOINT_URL: url,
      AWS_ACCESS_KEY_ID: motoCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: motoCredentials.secretAccessKey,
      AWS_REGION: "us-east-1",
    },
    credentialsFor(account) {
      if (account === MOTO_SOURCE_ACCOUNT) return Promise.resolve(motoCredentials);
      let pending = assumed.get(account);
      if (!pending) {
        pending = sts
          .send(
            new AssumeRoleCommand({
              RoleArn: `arn:aws:iam::${account}:role/moto-seed`,
              RoleSessionName: "seed",
            }),
          )
          .then(({ Credentials: c }) => ({
            accessKeyId: c?.AccessKeyId ?? "",
            secretAccessKey: c?.SecretAccessKey ?? "",
            sessionToken: c?.SessionToken ?? "",
          }));
        assumed.set(account, pending);
      }
      return pending;
    },
    async reset() {
      const response = await fetch(`${url}/moto-api/reset`, { method: "POST" });
      if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
      assumed.clear();
    },
    async stop() {
      sts.destroy();
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    },
  };
}

/** Shapes moto's state with the real SDK clients: the setups preflight tests need. */
export class MotoState {
  constructor(readonly moto: Moto) {}

  async #iam(account: string): Promise<IAMClient> {
    return new IAMClient({
      region: "us-east-1",
      endpoint: this.moto.url,
      credentials: await this.moto.credentialsFor(account),
    });
  }

  /** `EC2ImageBuilderDistributionCrossAccountRole` in `account`, trusting `trusted`, with (or without) its managed policy. */
  async createCrossAccountRole(
    account: string,
    options: { trusted?: string; managedPolicy?: boolean } = {},
  ): Promise<void> {
    const iam = await this.#iam(account);
    await iam.send(
      new CreateRoleCommand({
        RoleName: "EC2ImageBuilderDistributionCrossAccountRole",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${options.trusted ?? MOTO_SOURCE_ACCOUNT}:root` },
              Action: "sts:AssumeRole",
            },
          ],
        }),
      }),
    );
    if (options.managedPolicy !== false) {
      await iam.send(
        new AttachRolePolicyCommand({
          RoleName: "EC2ImageBuilderDistributionCrossAccountRole",
          PolicyArn: "arn:aws:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess",
        }),
      );
    }
    iam.destroy();
  }

  async deleteRole(account: string, roleName: string): Promise<void> {
    const iam = await this.#iam(account);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
    for (const policy of attached.AttachedPolicies ?? []) {
      await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.PolicyArn }));
    }
    await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
    iam.destroy();
  }

  /** A role in the source account (a VM import role, say), trusting `trustedService` when given. */
  async createRole(account: string, roleName: string, trustedService?: string): Promise<void> {
    const iam = await this.#iam(account);
    const statements =
      trustedService === undefined
        ? []
        : [{ Effect: "Allow", Principal: { Service: trustedService }, Action: "sts:AssumeRole" }];
    await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
      }),
    );
    iam.destroy();
  }

  /** A KMS key in the source account and `region` whose policy lets `accounts` use it for copies. */
  async createKey(region: string, accounts: readonly string[]): Promise<string> {
    const kms = new KMSClient({ region, endpoint: this.moto.url, credentials: motoCredentials });
    const created = await kms.send(new CreateKeyCommand({ Description: "waybill preflight test" }));
    const arn = created.KeyMetadata?.Arn ?? "";
    await this.setKeyPolicy(region, arn, accounts);
    kms.destroy();
    return arn;
  }

  async setKeyPolicy(region: string, keyArn: string, accounts: readonly string[]): Promise<void> {
    const kms = new KMSClient({ region, endpoint: this.moto.url, credentials: motoCredentials });
    const statements: object[] = [
      {
        Sid: "Owner",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${MOTO_SOURCE_ACCOUNT}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ];
    if (accounts.length > 0) {
      statements.push({
        Sid: "CrossAccountCopy",
        Effect: "Allow",
        Principal: { AWS: accounts.map((account) => `arn:aws:iam::${account}:root`) },
        Action: [
          "kms:Decrypt",
          "kms:DescribeKey",
          "kms:CreateGrant",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
        ],
        Resource: "*",
      });
    }
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: keyArn,
        PolicyName: "default",
        Policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
      }),
    );
    kms.destroy();
  }

  #organizations(): OrganizationsClient {
    return new OrganizationsClient({
      region: "us-east-1",
      endpoint: this.moto.url,
      credentials: motoCredentials,
    });
  }

  /** An organization (the source account as management account) with one OU under the root. */
  async createOrganizationalUnit(name: string): Promise<string> {
    const organizations = this.#organizations();
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: "ALL" })).catch((error: unknown) => {
      if ((error as { name?: string }).name !== "AlreadyInOrganizationException") throw error;
    });
    const roots = await organizations.send(new ListRootsCommand({}));
    const root = roots.Roots?.[0]?.Id ?? "";
    const unit = await organizations.send(
      new CreateOrganizationalUnitCommand({ ParentId: root, Name: name }),
    );
    organizations.destroy();
    return unit.OrganizationalUnit?.Id ?? "";
  }

  /** A new account, moved under `parent` (an OU id); returns its id. */
  async createAccount(name: string, parent: string): Promise<string> {
    const organizations = this.#organizations();
    const created = await organizations.send(
      new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
    );
    const account = created.CreateAccountStatus?.AccountId ?? "";
    const roots = await organizations.send(new ListRootsCommand({}));
    await organizations.send(
      new MoveAccountCommand({
        AccountId: account,
        SourceParentId: roots.Roots?.[0]?.Id ?? "",
        DestinationParentId: parent,
      }),
    );
    organizations.destroy();
    return account;
  }
}
