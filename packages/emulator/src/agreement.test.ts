// Core's validation and the emulator, against the service model and the rule description.
//
// Documents generated from the API model (testing/model-documents.ts: every member, every bound
// at and just past it, every enum, wrong types, missing required members, unknown keys; then
// seeded random valid documents with one random defect each) and each service rule of core's
// rules.ts broken alone go through `validateConfigFiles` and, over real HTTP with the real SDK,
// through the emulator. Both must accept the valid ones and reject each invalid one at the same
// JSON path. The differences are by design and asserted as such: an unknown key is core's error
// and never reaches the service (the SDK sends only modelled members); a `distribution` rule is
// refused by core but accepted by the API (EC2 refuses it only when a build distributes).
import {
  CreateDistributionConfigurationCommand,
  type ImagebuilderClient,
} from "@aws-sdk/client-imagebuilder";
import { type Diagnostic, formatJsonPath, serviceRules, validateConfigFiles } from "@waybill/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "./emulator.js";
import {
  documentSites,
  type Expectation,
  edited,
  fullValue,
  type GeneratedDocument,
  type Path,
  randomValid,
  rootShape,
  seededRandom,
  variantsOf,
} from "./testing/model-documents.js";
import { sdkClient } from "./testing/sdk-client.js";

const seed = 20261203;
const randomDocuments = 1200;

let emulator: Emulator;
let client: ImagebuilderClient;
beforeAll(async () => {
  emulator = await startEmulator({});
  client = sdkClient(emulator, { maxAttempts: 1 });
});
afterAll(async () => {
  client?.destroy();
  await emulator?.close();
});

/** `distributions[0].amiTags.team`: core's JSON paths with bracketed keys written as dotted ones. */
function normalPath(path: string): string {
  return path
    .replace(/\["((?:[^"\\]|\\.)*)"\]/g, (_, key: string) => `.${JSON.parse(`"${key}"`)}`)
    .replace(/^\./, "");
}

function pathText(path: Path): string {
  return normalPath(formatJsonPath(path));
}

interface Outcome {
  accepted: boolean;
  paths: string[];
  detail: string;
}

function coreOutcome(document: unknown): Outcome {
  const result = validateConfigFiles([{ path: "agree.json", text: JSON.stringify(document, null, 2) }], {
    defaultRegion: "us-west-2",
    // Policy is Waybill's own guardrail, not the service's: allow what the service allows.
    policy: { allowPublicLaunchPermission: true },
  });
  const errors = result.diagnostics.filter((d: Diagnostic) => d.severity === "error");
  return {
    accepted: errors.length === 0,
    paths: errors.map((d) => normalPath(d.path)),
    detail: errors.map((d) => `${d.code} ${d.path}: ${d.message}`).join("; "),
  };
}

/**
 * The request as plain JSON over HTTP, for a wrong type the SDK would reshape before sending (it
 * serialises a list given for a structure as an empty structure).
 */
async function sendRaw(document: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${emulator.url}/CreateDistributionConfiguration`, {
    method: "PUT",
    headers: {
      "content-type": "application/json",
      authorization:
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/imagebuilder/aws4_request, SignedHeaders=host, Signature=0",
    },
    body: JSON.stringify({ clientToken: "agree", ...document }),
  });
  const body = (await response.json()) as { message?: string };
  if (response.status !== 200) {
    const type = response.headers.get("x-amzn-errortype") ?? "Error";
    throw Object.assign(new Error(body.message ?? ""), { name: type.split(":")[0] });
  }
}

async function emulatorOutcome(document: Record<string, unknown>, raw = false): Promise<Outcome> {
  try {
    if (raw) await sendRaw(document);
    else await client.send(new CreateDistributionConfigurationCommand(document as never));
    return { accepted: true, paths: [], detail: "" };
  } catch (error) {
    const message = (error as Error).message;
    const found = /parameter '(.*?)' is not valid|Unable to read '(.*?)': /.exec(message);
    const raw = found?.[1] ?? found?.[2] ?? "";
    // The emulator names a map key as "tags key 'k'".
    const path = raw.replace(/ key '(.*)'$/, ".$1").replace(/^request$/, "");
    return { accepted: false, paths: [path], detail: `${(error as Error).name}: ${message}` };
  }
}

/** What each side must do with a document, from its expectation. */
function judge(expect: Expectation, core: Outcome, service: Outcome): string | undefined {
  const path = "path" in expect ? pathText(expect.path) : "";
  const parent = "path" in expect ? pathText(expect.path.slice(0, -1)) : "";
  switch (expect.kind) {
    case "valid":
      if (!core.accepted) return `core refused a valid document: ${core.detail}`;
      if (!service.accepted) return `the emulator refused a valid document: ${service.detail}`;
      return undefined;
    case "invalid":
      if (core.accepted || !core.paths.every((p) => p === path))
        return `core: expected an error at ${path}, got ${core.detail || "none"}`;
      if (service.accepted || service.paths[0] !== path)
        return `emulator: expected an error at ${path}, got ${service.detail || "acceptance"}`;
      return undefined;
    case "missing":
      if (core.accepted || !core.paths.every((p) => p === path || p === parent))
        return `core: expected missing ${path}, got ${core.detail || "none"}`;
      if (service.accepted || service.paths[0] !== path)
        return `emulator: expected missing ${path}, got ${service.detail || "acceptance"}`;
      return undefined;
    case "refused-by-core":
      if (core.accepted || !core.paths.every((p) => p === path))
        return `core: expected an error at ${path}, got ${core.detail || "none"}`;
      if (!service.accepted)
        return `emulator: the API accepts it (refused at distribution), got ${service.detail}`;
      return undefined;
    case "unknown-key":
      if (core.accepted || !core.paths.every((p) => p === path))
        return `core: expected unknown-key at ${path}, got ${core.detail || "none"}`;
      if (!service.accepted)
        return `emulator: the SDK drops unknown keys, so it should accept: ${service.detail}`;
      return undefined;
  }
}

/** The valid document rules.ts's edits apply to (see ServiceRule.breaks). */
const minimal = {
  name: "agree-rules",
  distributions: [
    {
      region: "us-west-2",
      amiDistributionConfiguration: {
        name: "agree {{imagebuilder:buildDate}}",
        targetAccountIds: ["111111111111"],
      },
    },
  ],
};

/** Random documents keep the service rules: an SSM account stays a target, a distribution keeps an output. */
function repaired(document: Record<string, unknown>, index: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...document, name: `agree-${index}` };
  const distributions = out.distributions as Record<string, unknown>[];
  for (const distribution of distributions) {
    const ami = (distribution.amiDistributionConfiguration ?? {}) as Record<string, unknown>;
    distribution.amiDistributionConfiguration = { ...ami, targetAccountIds: ["111111111111"] };
  }
  return out;
}

function documents(): GeneratedDocument[] {
  const full = fullValue(rootShape) as Record<string, unknown>;
  full.name = "agree-full";
  const out: GeneratedDocument[] = [{ label: "every member", document: full, expect: { kind: "valid" } }];
  out.push(...variantsOf(full, "every member"));
  // Each service rule broken alone, in a minimal valid document.
  out.push({ label: "the rules' valid document", document: minimal, expect: { kind: "valid" } });
  for (const rule of serviceRules) {
    let document: Record<string, unknown> = minimal;
    for (const [path, value] of rule.breaks) document = edited(document, path, value);
    const expect: Expectation =
      rule.enforcement === "api"
        ? { kind: "invalid", path: rule.path }
        : rule.enforcement === "distribution"
          ? { kind: "refused-by-core", path: rule.path }
          : { kind: "valid" };
    out.push({ label: `rule ${rule.code} (${rule.enforcement})`, document, expect });
  }
  // Seeded random valid documents, each alone and with one random defect.
  const random = seededRandom(seed);
  for (let index = 0; index < randomDocuments; index++) {
    const valid = repaired(randomValid(random) as Record<string, unknown>, index);
    out.push({ label: `random ${index}`, document: valid, expect: { kind: "valid" } });
    const sites = documentSites(valid).filter((site) => site.path[0] !== "name");
    const site = sites[Math.floor(random() * sites.length)];
    if (site === undefined) continue;
    const variants = variantsOf(valid, `random ${index}`, [site]);
    const variant = variants[Math.floor(random() * variants.length)];
    if (variant !== undefined) out.push(variant);
  }
  return out;
}

describe("core's validation and the emulator agree on documents generated from the model", () => {
  const generated = documents();

  test(`${generated.length} documents (seed ${seed}): both accept the valid ones and refuse each invalid one at the same path`, async () => {
    const failures: string[] = [];
    const kinds: Record<string, number> = {};
    // A few requests at a time; every document has its own name, so none collides with another.
    let next = 0;
    const worker = async () => {
      while (next < generated.length) {
        const index = next++;
        const { label, expect: expectation, raw } = generated[index] as GeneratedDocument;
        const original = (generated[index] as GeneratedDocument).document;
        const document =
          typeof original.name === "string" && original.name.startsWith("agree")
            ? { ...original, name: `agree-${index}` }
            : original;
        kinds[expectation.kind] = (kinds[expectation.kind] ?? 0) + 1;
        const problem = judge(expectation, coreOutcome(document), await emulatorOutcome(document, raw));
        if (problem !== undefined) failures.push(`${label}: ${problem}`);
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    failures.sort();
    console.log(
      `agreement: ${generated.length} documents from the model (seed ${seed}): ${Object.entries(kinds)
        .map(([kind, count]) => `${count} ${kind}`)
        .join(", ")}`,
    );
    expect(failures).toEqual([]);
    expect(generated.length).toBeGreaterThan(2000);
  });

  test("every rule of the description is exercised, and the distribution rules are refused by core alone", async () => {
    for (const [index, rule] of serviceRules.entries()) {
      let document: Record<string, unknown> = { ...minimal, name: `agree-rule-${index}` };
      for (const [path, value] of rule.breaks) document = edited(document, path, value);
      const result = validateConfigFiles([{ path: "rule.json", text: JSON.stringify(document) }], {
        defaultRegion: "us-west-2",
      });
      const found = result.diagnostics.filter((d) => d.code === rule.code);
      expect(
        found.map((d) => [normalPath(d.path), d.severity]),
        rule.code,
      ).toEqual([[pathText(rule.path), rule.enforcement === "advice" ? "warning" : "error"]]);
      const service = await emulatorOutcome(document);
      expect(service.accepted, rule.code).toBe(rule.enforcement !== "api");
    }
  });
});
