// The gatherer against moto over real HTTP, with the real SDK clients.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateLaunchTemplateCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CROSS_ACCOUNT_POLICY_ARN,
  CROSS_ACCOUNT_ROLE_NAME,
  type FactRequest,
  factKey,
} from "@waybill/core/preflight";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MOTO_SOURCE_ACCOUNT, type Moto, MotoState, motoCredentials, startMoto } from "../testing/moto.js";
import { PreflightGatherer } from "./gather.js";

let moto: Moto;
let state: MotoState;
beforeAll(async () => {
  moto = await startMoto();
  state = new MotoState(moto);
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

const readRole = (account: string) => `arn:aws:iam::${account}:role/WaybillPreflightRead`;
function gatherer(options: { readRoles?: boolean; env?: Record<string, string>; timeoutMs?: number } = {}) {
  return new PreflightGatherer({
    env: options.env ?? { AWS_ENDPOINT_URL: moto.url },
    credentials: motoCredentials,
    region: "us-east-1",
    concurrency: 4,
    timeoutMs: options.timeoutMs ?? 10_000,
    readRoleFor: (account) => (options.readRoles === false ? undefined : readRole(account)),
  });
}

describe("PreflightGatherer (moto)", () => {
  it("reads the caller, the enabled regions, roles in target accounts through their read role, and a key", async () => {
    await state.createCrossAccountRole("222222222222");
    const key = await state.createKey("us-east-1", ["222222222222"]);
    const requests: FactRequest[] = [
      { kind: "caller-identity" },
      { kind: "enabled-regions", region: "us-east-1" },
      { kind: "role", account: "222222222222", roleName: CROSS_ACCOUNT_ROLE_NAME },
      { kind: "role", account: "333333333333", roleName: CROSS_ACCOUNT_ROLE_NAME },
      { kind: "kms-key", region: "us-east-1", keyId: key },
      { kind: "kms-key", region: "eu-west-1", keyId: "alias/absent" },
    ];
    const g = gatherer();
    const facts = await g.gather(requests);
    expect(facts.get("caller-identity")).toMatchObject({
      status: "found",
      value: { account: MOTO_SOURCE_ACCOUNT },
    });
    const regions = facts.get("enabled-regions/us-east-1");
    expect(
      regions?.status === "found" && regions.value.kind === "enabled-regions" && regions.value.regions,
    ).toContain("eu-west-1");
    const role = facts.get(factKey(requests[2] as FactRequest));
    expect(role).toMatchObject({
      status: "found",
      value: { attachedPolicyArns: [CROSS_ACCOUNT_POLICY_ARN] },
    });
    expect(role?.status === "found" && role.value.kind === "role" && role.value.trustPolicy).toContain(
      `arn:aws:iam::${MOTO_SOURCE_ACCOUNT}:root`,
    );
    expect(facts.get(factKey(requests[3] as FactRequest))?.status).toBe("missing");
    const found = facts.get(factKey(requests[4] as FactRequest));
    expect(found?.status === "found" && found.value.kind === "kms-key" && found.value.policy).toContain(
      "arn:aws:iam::222222222222:root",
    );
    expect(facts.get(factKey(requests[5] as FactRequest))?.status).toBe("missing");
    // 1 identity + 1 regions + 2 assumes + 2×GetRole + 1 ListAttached + 3 for the key + 1 for the absent key
    expect(g.calls()).toBe(11);
    g.destroy();
  });

  it("says which account has no read role instead of guessing, and finds templates and buckets", async () => {
    const ec2 = new EC2Client({ region: "eu-west-1", endpoint: moto.url, credentials: motoCredentials });
    const template = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "web",
        LaunchTemplateData: { InstanceType: "t3.micro" },
      }),
    );
    ec2.destroy();
    const s3 = new S3Client({
      region: "us-east-1",
      endpoint: moto.url,
      credentials: motoCredentials,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: "exports" }));
    s3.destroy();
    const requests: FactRequest[] = [
      { kind: "caller-identity" },
      {
        kind: "launch-template",
        account: "source",
        region: "eu-west-1",
        id: template.LaunchTemplate?.LaunchTemplateId ?? "",
      },
      { kind: "launch-template", account: "source", region: "eu-west-1", name: "absent" },
      { kind: "launch-template", account: "444444444444", region: "eu-west-1", name: "web" },
      { kind: "bucket", bucket: "exports" },
      { kind: "bucket", bucket: "absent-bucket" },
    ];
    const facts = await gatherer({ readRoles: false }).gather(requests);
    expect(requests.map((request) => facts.get(factKey(request))?.status)).toEqual([
      "found",
      "found",
      "missing",
      "failed",
      "found",
      "missing",
    ]);
    expect(facts.get(factKey(requests[3] as FactRequest))).toMatchObject({ reason: "no-read-role" });
  });

  it("resolves every active account under an OU, recursively", async () => {
    const unit = await state.createOrganizationalUnit("workloads");
    const a = await state.createAccount("alpha", unit);
    const b = await state.createAccount("beta", unit);
    const g = gatherer();
    expect(await g.resolveOrganizationalUnit(unit)).toEqual({ ok: true, accounts: [a, b].sort() });
    expect(await g.resolveOrganizationalUnit("ou-zzzz-nothere")).toMatchObject({ ok: false });
  });
});

describe("PreflightGatherer (failures)", () => {
  let server: Server;
  let url: string;
  const silent = new Set<string>();
  beforeAll(async () => {
    // A server that answers STS with AccessDenied, never answers EC2 (to hit the timeout), and
    // lets KMS describe a key but denies reading its policy.
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        if (body.includes("Action=DescribeRegions")) {
          silent.add(body);
          return;
        }
        const target = request.headers["x-amz-target"];
        if (target === "TrentService.DescribeKey") {
          response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
          response.end(
            JSON.stringify({
              KeyMetadata: {
                KeyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
                Arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                Enabled: true,
                KeyState: "Enabled",
              },
            }),
          );
          return;
        }
        if (typeof target === "string" && target.startsWith("TrentService.")) {
          response.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
          response.end(JSON.stringify({ __type: "AccessDeniedException", message: "not allowed" }));
          return;
        }
        response.writeHead(403, { "content-type": "text/xml" });
        response.end(
          "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error><RequestId>1</RequestId></ErrorResponse>",
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("turns AccessDenied into a denied fact naming the permission, and a silent service into a timeout", async () => {
    const g = gatherer({ env: { AWS_ENDPOINT_URL: url }, timeoutMs: 500 });
    const facts = await g.gather([
      { kind: "caller-identity" },
      { kind: "enabled-regions", region: "us-east-1" },
    ]);
    expect(facts.get("caller-identity")).toMatchObject({
      status: "denied",
      permission: "sts:GetCallerIdentity",
    });
    expect(facts.get("enabled-regions/us-east-1")).toMatchObject({ status: "failed", reason: "unreachable" });
    expect((facts.get("enabled-regions/us-east-1") as { message: string }).message).toContain("0.5 s");
    g.destroy();
  });

  it("names the permission of the call that was denied, not only of a fact's first call", async () => {
    const g = gatherer({ env: { AWS_ENDPOINT_URL: url }, timeoutMs: 2000 });
    const facts = await g.gather([{ kind: "kms-key", keyId: "alias/images", region: "us-east-1" }]);
    expect([...facts.values()]).toEqual([
      {
        status: "denied",
        permission: "kms:GetKeyPolicy",
        evidence: "KMS GetKeyPolicy alias/images in us-east-1",
        message: expect.stringContaining("not allowed"),
      },
    ]);
    g.destroy();
  });
});
