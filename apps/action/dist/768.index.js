export const id = 768;
export const ids = [768];
export const modules = {

/***/ 5768:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  PreflightGatherer: () => (/* binding */ PreflightGatherer)
});

// EXTERNAL MODULE: ../../node_modules/.pnpm/@aws-sdk+client-ec2@3.1046.0/node_modules/@aws-sdk/client-ec2/dist-cjs/index.js
var dist_cjs = __webpack_require__(3185);
// EXTERNAL MODULE: ../../node_modules/.pnpm/@aws-sdk+client-iam@3.1046.0/node_modules/@aws-sdk/client-iam/dist-cjs/index.js
var client_iam_dist_cjs = __webpack_require__(5045);
// EXTERNAL MODULE: ../../node_modules/.pnpm/@aws-sdk+client-kms@3.1046.0/node_modules/@aws-sdk/client-kms/dist-cjs/index.js
var client_kms_dist_cjs = __webpack_require__(6693);
// EXTERNAL MODULE: ../../node_modules/.pnpm/@aws-sdk+client-organizations@3.1047.0/node_modules/@aws-sdk/client-organizations/dist-cjs/index.js
var client_organizations_dist_cjs = __webpack_require__(5674);
// EXTERNAL MODULE: ../../node_modules/.pnpm/@aws-sdk+client-s3@3.1046.0/node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var client_s3_dist_cjs = __webpack_require__(4807);
// EXTERNAL MODULE: ../../node_modules/.pnpm/@aws-sdk+client-sts@3.1046.0/node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(5109);
// EXTERNAL MODULE: ../../packages/core/dist/index.js + 62 modules
var dist = __webpack_require__(7209);
// EXTERNAL MODULE: ../../packages/aws/dist/concurrency.js
var concurrency = __webpack_require__(6100);
// EXTERNAL MODULE: ../../packages/aws/dist/gateway.js
var gateway = __webpack_require__(1713);
// EXTERNAL MODULE: ../../packages/aws/dist/rate-limiter.js
var rate_limiter = __webpack_require__(6712);
;// CONCATENATED MODULE: ../../packages/aws/dist/preflight/clients.js
// The SDK clients preflight reads with: per service, region and account, with timeouts, pacing and call counts.








/** The services preflight reads, with the suffix of their endpoint variable (`AWS_ENDPOINT_URL_<X>`). */
const preflightServices = {
    iam: "IAM",
    kms: "KMS",
    ec2: "EC2",
    s3: "S3",
    sts: "STS",
    organizations: "ORGANIZATIONS",
};
/** Where each service's requests go when an endpoint is configured (tests, the fake). */
function preflightEndpoint(service, env) {
    const specific = env[`AWS_ENDPOINT_URL_${preflightServices[service]}`]?.trim();
    if (specific)
        return specific;
    return env.AWS_ENDPOINT_URL?.trim() || undefined;
}
/**
 * Builds and caches clients; every `send` goes through the pacing of its service and region (a
 * {@link RateLimiter} each, as Image Builder's operations have), a timeout and the call count.
 */
class PreflightClients {
    #options;
    #clients = new Map();
    #limiters = new Map();
    #assumed = new Map();
    #calls = 0;
    constructor(options) {
        this.#options = options;
    }
    /** Read calls sent so far (retries not counted). */
    calls() {
        return this.#calls;
    }
    /** Sends `command` with `service`'s client for `region` in `scope`. Errors are the SDK's. */
    async send(service, region, scope, 
    /** A command of `service`'s client (the SDK's command types do not unify across services). */
    command) {
        const credentials = "roleArn" in scope ? await this.#assume(scope.roleArn) : this.#options.credentials;
        const client = this.#client(service, region, scope.account, credentials);
        const limiterKey = `${service}/${region}`;
        let limiter = this.#limiters.get(limiterKey);
        if (!limiter) {
            limiter = new rate_limiter/* RateLimiter */.v(this.#options.rateLimiter);
            this.#limiters.set(limiterKey, limiter);
        }
        const ticket = await limiter.acquire();
        this.#calls++;
        try {
            const output = await client.send(command, {
                abortSignal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
            });
            limiter.onSuccess();
            return output;
        }
        catch (error) {
            if ((0,gateway/* isThrottlingError */.Qb)(error))
                limiter.onThrottle(ticket);
            throw error;
        }
    }
    /** Credentials of `roleArn`, assumed once per run with the run's own credentials. */
    credentialsFor(roleArn) {
        return this.#assume(roleArn);
    }
    #assume(roleArn) {
        let pending = this.#assumed.get(roleArn);
        if (!pending) {
            pending = this.send("sts", "us-east-1", { account: "source" }, new client_sts_dist_cjs.AssumeRoleCommand({
                RoleArn: roleArn,
                RoleSessionName: "waybill-preflight",
                DurationSeconds: 900,
            })).then((output) => {
                const c = output.Credentials;
                if (!c?.AccessKeyId || !c.SecretAccessKey)
                    throw new Error(`AssumeRole ${roleArn} returned no credentials`);
                return {
                    accessKeyId: c.AccessKeyId,
                    secretAccessKey: c.SecretAccessKey,
                    ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
                };
            });
            this.#assumed.set(roleArn, pending);
        }
        return pending;
    }
    #client(service, region, account, credentials) {
        const key = `${service}/${region}/${account}`;
        const cached = this.#clients.get(key);
        if (cached)
            return cached;
        const endpoint = preflightEndpoint(service, this.#options.env);
        const timeout = this.#options.timeoutMs ?? 10_000;
        const config = {
            region,
            ...(endpoint ? { endpoint } : {}),
            ...(credentials ? { credentials } : {}),
            maxAttempts: this.#options.maxAttempts ?? 4,
            retryMode: "standard",
            requestHandler: { requestTimeout: timeout, connectionTimeout: Math.min(timeout, 5_000) },
        };
        const client = {
            iam: () => new client_iam_dist_cjs.IAMClient(config),
            kms: () => new client_kms_dist_cjs.KMSClient(config),
            ec2: () => new dist_cjs.EC2Client(config),
            s3: () => new client_s3_dist_cjs.S3Client({ ...config, forcePathStyle: endpoint !== undefined, followRegionRedirects: true }),
            sts: () => new client_sts_dist_cjs.STSClient(config),
            organizations: () => new client_organizations_dist_cjs.OrganizationsClient(config),
        }[service]();
        this.#clients.set(key, client);
        return client;
    }
    /** Closes every client's connections. */
    destroy() {
        for (const client of this.#clients.values())
            client.destroy();
        this.#clients.clear();
    }
}

;// CONCATENATED MODULE: ../../packages/aws/dist/preflight/errors.js
// What an SDK error of IAM, KMS, EC2, S3, STS or Organizations means to preflight.

/** Error types by which these services say "you may not". */
const deniedTypes = new Set([
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedException",
    "AuthorizationError",
    "AWSOrganizationsNotInUseException",
]);
/** Error types by which they say "there is no such thing". */
const missingTypes = new Set([
    "NoSuchEntity",
    "NoSuchEntityException",
    "NotFoundException",
    "NotFound",
    "NoSuchBucket",
    "InvalidLaunchTemplateId.NotFound",
    "InvalidLaunchTemplateId.Malformed",
    "InvalidLaunchTemplateName.NotFoundException",
    "ParentNotFoundException",
]);
function errorType(error) {
    const fields = (typeof error === "object" && error !== null ? error : {});
    return typeof fields.Code === "string"
        ? fields.Code
        : typeof fields.name === "string"
            ? fields.name
            : "Error";
}
function errorMeaning(error) {
    const type = errorType(error);
    const status = error?.$metadata?.httpStatusCode;
    if (type === "TimeoutError" || type === "AbortError")
        return "timeout";
    if ((0,gateway/* isThrottlingError */.Qb)(error))
        return "throttled";
    if (deniedTypes.has(type) || status === 403)
        return "denied";
    if (missingTypes.has(type) || status === 404)
        return "missing";
    return "other";
}
function errorMessage(error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.trim() === "" || message === "UnknownError" ? errorType(error) : message;
}

;// CONCATENATED MODULE: ../../packages/aws/dist/preflight/gather.js
// Gathers the facts core's preflight asks for: reads only, each call with a timeout, paced, concurrent.










/** Thrown inside a gatherer to end one fact as `denied`/`failed`/`missing`. */
class FactEnd extends Error {
    fact;
    constructor(fact) {
        super("fact ended");
        this.fact = fact;
    }
}
/**
 * For a call after a fact's first one: an access denied ends the fact as `denied`, naming the
 * permission this call needs (`kms:ListGrants`) and the call; any other error goes on as it was.
 */
function deniedAs(permission, evidence) {
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
class PreflightGatherer {
    #options;
    #clients;
    #sourceAccount;
    constructor(options) {
        this.#options = options;
        this.#clients = new PreflightClients(options);
    }
    /** Read calls made so far. */
    calls() {
        return this.#clients.calls();
    }
    destroy() {
        this.#clients.destroy();
    }
    /** Gathers every request's fact (the caller's identity first: it tells which account is the source). */
    async gather(requests) {
        const facts = new Map();
        const identity = requests.find((request) => request.kind === "caller-identity");
        if (identity)
            facts.set((0,dist/* factKey */.sy)(identity), await this.#fact(identity));
        const rest = requests.filter((request) => request.kind !== "caller-identity");
        const gathered = await (0,concurrency/* mapWithConcurrency */.W)(rest, this.#options.concurrency, (request) => this.#fact(request));
        rest.forEach((request, index) => {
            facts.set((0,dist/* factKey */.sy)(request), gathered[index]);
        });
        return facts;
    }
    /** Every active account under `organizationalUnit`, recursively. */
    async resolveOrganizationalUnit(organizationalUnit) {
        const accounts = new Set();
        const visit = async (parent) => {
            let token;
            do {
                const page = await this.#send("organizations", new client_organizations_dist_cjs.ListAccountsForParentCommand({ ParentId: parent, NextToken: token }));
                for (const account of page.Accounts ?? []) {
                    const state = account.State ?? account.Status;
                    if (account.Id && state === "ACTIVE")
                        accounts.add(account.Id);
                }
                token = page.NextToken;
            } while (token);
            const children = [];
            do {
                const page = await this.#send("organizations", new client_organizations_dist_cjs.ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken: token }));
                for (const unit of page.OrganizationalUnits ?? [])
                    if (unit.Id)
                        children.push(unit.Id);
                token = page.NextToken;
            } while (token);
            await Promise.all(children.map(visit));
        };
        try {
            await visit(organizationalUnit);
            return { ok: true, accounts: [...accounts].sort() };
        }
        catch (error) {
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
    #send(service, command, scope = { account: "source" }, region = this.#options.region) {
        return this.#clients.send(service, region, scope, command);
    }
    /** The scope to read `account` in: the source's own credentials, or its read role. */
    #scope(account, evidence) {
        if (account === "source" || account === this.#sourceAccount)
            return { account: "source" };
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
    async #fact(request) {
        const evidence = describe(request);
        try {
            return await this.#read(request, evidence);
        }
        catch (error) {
            if (error instanceof FactEnd)
                return error.fact;
            const meaning = errorMeaning(error);
            const assuming = error.$waybillAssume;
            if (meaning === "missing")
                return { status: "missing", evidence };
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
                message: meaning === "timeout"
                    ? `no answer within ${(this.#options.timeoutMs ?? 10_000) / 1000} s`
                    : errorMessage(error),
            };
        }
    }
    async #read(request, evidence) {
        switch (request.kind) {
            case "caller-identity": {
                const output = await this.#send("sts", new client_sts_dist_cjs.GetCallerIdentityCommand({}));
                this.#sourceAccount = output.Account;
                return {
                    status: "found",
                    value: { kind: "caller-identity", account: output.Account ?? "", arn: output.Arn ?? "" },
                    evidence,
                };
            }
            case "enabled-regions": {
                const output = await this.#send("ec2", new dist_cjs.DescribeRegionsCommand({}), { account: "source" }, request.region);
                const regions = (output.Regions ?? [])
                    .filter((region) => region.OptInStatus !== "not-opted-in" && region.RegionName)
                    .map((region) => region.RegionName);
                return { status: "found", value: { kind: "enabled-regions", regions }, evidence };
            }
            case "kms-key": {
                const scope = { account: "source" };
                const described = await this.#send("kms", new client_kms_dist_cjs.DescribeKeyCommand({ KeyId: request.keyId }), scope, request.region);
                const metadata = described.KeyMetadata;
                const arn = metadata?.Arn ?? request.keyId;
                const policy = await this.#send("kms", new client_kms_dist_cjs.GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" }), scope, request.region).catch(deniedAs("kms:GetKeyPolicy", `KMS GetKeyPolicy ${request.keyId} in ${request.region}`));
                const grants = [];
                let marker;
                do {
                    const page = await this.#send("kms", new client_kms_dist_cjs.ListGrantsCommand({ KeyId: arn, Marker: marker }), scope, request.region).catch(deniedAs("kms:ListGrants", `KMS ListGrants ${request.keyId} in ${request.region}`));
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
                const role = await this.#withAssume(scope, () => this.#send("iam", new client_iam_dist_cjs.GetRoleCommand({ RoleName: request.roleName }), scope));
                const attached = [];
                let marker;
                do {
                    const page = await this.#send("iam", new client_iam_dist_cjs.ListAttachedRolePoliciesCommand({ RoleName: request.roleName, Marker: marker }), scope).catch(deniedAs("iam:ListAttachedRolePolicies", `IAM ListAttachedRolePolicies ${request.roleName} in ${accountName(request.account)}`));
                    for (const policy of page.AttachedPolicies ?? [])
                        if (policy.PolicyArn)
                            attached.push(policy.PolicyArn);
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
                const output = await this.#withAssume(scope, () => this.#send("ec2", new dist_cjs.DescribeLaunchTemplatesCommand(request.id
                    ? { LaunchTemplateIds: [request.id] }
                    : { LaunchTemplateNames: [request.name ?? ""] }), scope, request.region));
                const template = output.LaunchTemplates?.[0];
                if (!template)
                    return { status: "missing", evidence };
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
                await this.#send("s3", new client_s3_dist_cjs.HeadBucketCommand({ Bucket: request.bucket }));
                return { status: "found", value: { kind: "bucket" }, evidence };
            }
        }
    }
    /** Runs `read` in `scope`, marking a failure to assume its role so it names sts:AssumeRole. */
    async #withAssume(scope, read) {
        if (!("roleArn" in scope))
            return read();
        try {
            await this.#clients.credentialsFor(scope.roleArn);
        }
        catch (error) {
            if (typeof error === "object" && error !== null) {
                Object.assign(error, { $waybillAssume: scope.roleArn });
            }
            throw error;
        }
        return read();
    }
}
/** The IAM action a request's first call needs (named when it is denied). */
function permissionFor(request) {
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
const accountName = (account) => (account === "source" ? "the source account" : `account ${account}`);
/** The call a request starts with, for evidence. */
function describe(request) {
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
function decodePolicy(text) {
    if (text === undefined)
        return undefined;
    if (text.trimStart().startsWith("{"))
        return text;
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}


/***/ })

};
