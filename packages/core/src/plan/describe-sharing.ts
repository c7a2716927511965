/** Words for the sharing summary, shared by the renderers: grants as sentences, access per configuration. */

import type { Change } from "./plan-model.js";
import {
  type Grant,
  type GrantKind,
  OWNER_ACCOUNT,
  type RegionRef,
  type SharedConfiguration,
  type SharingSummary,
  sharingOf,
} from "./sharing.js";

/** An organization or OU ARN as its id (`o-…`, `ou-…`), the owner placeholder in words; anything else as it is. */
export function shortTarget(target: string): string {
  if (target === OWNER_ACCOUNT) return "the owner account";
  const id =
    /^arn:aws[a-z-]*:organizations::\d{12}:(?:organization|ou\/o-[a-z0-9]+)\/((?:o|ou)-[a-z0-9-]+)$/.exec(
      target,
    )?.[1];
  return id ?? target;
}

function who(grant: Grant): string {
  const target = shortTarget(grant.target);
  switch (grant.kind) {
    case "copy":
    case "launch-account":
    case "fast-launch":
      return target;
    case "launch-organization":
      return `organization ${target}`;
    case "launch-ou":
      return `OU ${target}`;
    case "launch-group":
      return grant.target === "all" ? "everyone (public)" : `group ${target}`;
    case "ssm-parameter":
      return `SSM parameter ${target} in ${shortTarget(grant.account ?? OWNER_ACCOUNT)}`;
    case "launch-template":
      return `launch template ${target} in ${shortTarget(grant.account ?? OWNER_ACCOUNT)}`;
    case "s3-export":
    case "container":
      return target;
  }
}

const VERBS: Readonly<Record<GrantKind, { gains: string; loses: string }>> = {
  copy: { gains: "receives a copy of", loses: "no longer receives a copy of" },
  "launch-account": { gains: "may launch", loses: "may no longer launch" },
  "launch-organization": { gains: "may launch", loses: "may no longer launch" },
  "launch-ou": { gains: "may launch", loses: "may no longer launch" },
  "launch-group": { gains: "may launch", loses: "may no longer launch" },
  "ssm-parameter": { gains: "is set to the AMI of", loses: "is no longer set to the AMI of" },
  "launch-template": { gains: "gets a version with the AMI of", loses: "no longer gets the AMI of" },
  "fast-launch": { gains: "gets fast launch for", loses: "no longer gets fast launch for" },
  "s3-export": { gains: "receives an export of", loses: "no longer receives an export of" },
  container: { gains: "receives the container image of", loses: "no longer receives the container image of" },
};

/**
 * `+ 444444444444 may launch web-base in eu-west-1` (sign `+`) or `- … may no longer launch …`
 * (sign `-`); `regions` lists more than the grant's own region when one sentence stands for several.
 */
export function grantSentence(
  grant: Grant,
  sign: "+" | "-",
  regions: readonly string[] = [grant.region],
): string {
  const verb = sign === "+" ? VERBS[grant.kind].gains : VERBS[grant.kind].loses;
  return `${sign} ${who(grant)} ${verb} ${grant.configuration} in ${regions.join(", ")}`;
}

/**
 * A change of access said from the repository's side, for a drift check: what live has that the
 * repository does not (`-`: `live also lets 555555555555 launch web-base in us-east-1: not in the
 * repository`), or what the repository says that live lacks (`+`).
 */
export function driftSentence(
  grant: Grant,
  sign: "+" | "-",
  regions: readonly string[] = [grant.region],
): string {
  const where = `${grant.configuration} in ${regions.join(", ")}`;
  const launch = grant.kind.startsWith("launch-") && grant.kind !== "launch-template";
  const what = launch
    ? `lets ${who(grant)} launch ${where}`
    : grant.kind === "copy"
      ? `copies ${where} to ${who(grant)}`
      : `has ${who(grant)} ${VERBS[grant.kind].gains} ${where}`;
  return sign === "-"
    ? `- live also ${what}: not in the repository`
    : `+ the repository ${what}: live does not`;
}

/** `+ web-base now distributes to ca-central-1` / `- web-base no longer distributes to ap-northeast-1`. */
export function regionSentence(ref: RegionRef, sign: "+" | "-"): string {
  return sign === "+"
    ? `+ ${ref.configuration} now distributes to ${ref.region}`
    : `- ${ref.configuration} no longer distributes to ${ref.region}`;
}

/** How much a reviewer needs to see a change of access first: public, launch, copies, regions, outputs. */
function importance(kind: GrantKind | "region", target: string): number {
  if (kind === "launch-group" && target === "all") return 0;
  if (kind.startsWith("launch-") && kind !== "launch-template") return 1;
  if (kind === "copy") return 2;
  if (kind === "region") return 3;
  return 4;
}

interface Sentence {
  rank: number;
  sign: "+" | "-";
  text: string;
}

/** Grants that differ only by region, as one sentence each (`… in eu-west-1, us-west-2`). */
function groupedSentences(grants: readonly Grant[], sign: "+" | "-", drift = false): Sentence[] {
  const groups = new Map<string, { grant: Grant; regions: string[] }>();
  for (const grant of grants) {
    const key = `${grant.configuration}\n${grant.homeRegion}\n${grant.kind}\n${grant.target}\n${grant.account ?? ""}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { grant, regions: [grant.region] });
    else group.regions.push(grant.region);
  }
  return [...groups.values()].map(({ grant, regions }) => ({
    rank: importance(grant.kind, grant.target),
    sign,
    text: drift ? driftSentence(grant, sign, regions) : grantSentence(grant, sign, regions),
  }));
}

/**
 * Every change of access as sentences, most telling first: public launch, then who may launch,
 * then who receives copies, then regions, then outputs; gains before losses within each; grants
 * that differ only by region as one sentence.
 */
export function sharingSentences(sharing: SharingSummary, options: { drift?: boolean } = {}): string[] {
  return rankedSentences(sharing, undefined, options.drift === true).map((sentence) => sentence.text);
}

/**
 * What a reviewer must not miss, as sentences, before everything else: a new account,
 * organization or OU that receives or may launch the images of a configuration that already
 * exists (`created` holds the configurations this plan creates, as `<name>\n<home region>`; a
 * new configuration's grants are expected, an existing one's are the point of the change).
 */
export function mustSeeSharingSentences(sharing: SharingSummary, created: ReadonlySet<string>): string[] {
  return rankedSentences(sharing, created)
    .filter((sentence) => sentence.mustSee)
    .map((sentence) => sentence.text);
}

/** Every change of access but those {@link mustSeeSharingSentences} lists, most telling first. */
export function otherSharingSentences(sharing: SharingSummary, created: ReadonlySet<string>): string[] {
  return rankedSentences(sharing, created)
    .filter((sentence) => !sentence.mustSee)
    .map((sentence) => sentence.text);
}

/** Who gains access that a reviewer must see: an account, organization or OU, receiving copies or launching. */
const MUST_SEE_KINDS: ReadonlySet<GrantKind> = new Set([
  "copy",
  "launch-account",
  "launch-organization",
  "launch-ou",
]);

/** Sentences, ranked; without `created` (which configurations are new) none is singled out as must-see. */
function rankedSentences(
  sharing: SharingSummary,
  created: ReadonlySet<string> | undefined,
  drift = false,
): (Sentence & { mustSee: boolean })[] {
  const grouped = (grants: readonly Grant[], sign: "+" | "-") => groupedSentences(grants, sign, drift);
  const mustSee = (grant: Grant) =>
    created !== undefined &&
    MUST_SEE_KINDS.has(grant.kind) &&
    !created.has(`${grant.configuration}\n${grant.homeRegion}`);
  const sentences: (Sentence & { mustSee: boolean })[] = [
    ...grouped(sharing.added.filter(mustSee), "+").map((sentence) => ({
      ...sentence,
      mustSee: true,
    })),
    ...grouped(
      sharing.added.filter((grant) => !mustSee(grant)),
      "+",
    ).map((sentence) => ({ ...sentence, mustSee: false })),
    ...grouped(sharing.removed, "-").map((sentence) => ({ ...sentence, mustSee: false })),
    ...sharing.regionsAdded.map((ref) => ({
      rank: 3,
      sign: "+" as const,
      text: drift
        ? `+ the repository distributes ${ref.configuration} to ${ref.region}: live does not`
        : regionSentence(ref, "+"),
      mustSee: false,
    })),
    ...sharing.regionsRemoved.map((ref) => ({
      rank: 3,
      sign: "-" as const,
      text: drift
        ? `- live also distributes ${ref.configuration} to ${ref.region}: not in the repository`
        : regionSentence(ref, "-"),
      mustSee: false,
    })),
  ];
  return sentences
    .map((sentence, index) => ({ ...sentence, index }))
    .sort(
      (a, b) =>
        Number(b.mustSee) - Number(a.mustSee) ||
        a.rank - b.rank ||
        (a.sign === b.sign ? 0 : a.sign === "+" ? -1 : 1) ||
        a.index - b.index,
    );
}

/** `AMI copies per build: 9 → 8` (or `: 9` when unchanged). */
export function copiesSentence(sharing: SharingSummary): string {
  const { before, after } = sharing.copiesPerBuild;
  return before === after ? `AMI copies per build: ${after}` : `AMI copies per build: ${before} → ${after}`;
}

const ACCESS_LABELS: ReadonlyArray<[string, readonly GrantKind[]]> = [
  ["copies in", ["copy"]],
  ["may launch", ["launch-account", "launch-organization", "launch-ou", "launch-group"]],
  ["SSM parameters", ["ssm-parameter"]],
  ["launch templates", ["launch-template"]],
  ["fast launch", ["fast-launch"]],
  ["exports", ["s3-export"]],
  ["containers", ["container"]],
];

/** A grant's target as a short phrase, without the configuration (`SSM parameter /x in 1111…` → `/x in 1111…`). */
function targetPhrase(grant: Grant): string {
  if (grant.kind === "ssm-parameter" || grant.kind === "launch-template")
    return `${grant.target} in ${shortTarget(grant.account ?? OWNER_ACCOUNT)}`;
  if (grant.kind === "launch-group" && grant.target === "all") return "everyone (public)";
  return who(grant);
}

/**
 * One configuration's access, compactly: its regions, then per kind who or where, each with the
 * regions it holds in (none named when all hold in every region): `may launch: 210987654321`,
 * `copies in: 222222222222 (every region); 333333333333 (only us-west-2)`.
 */
export function accessLines(configuration: SharedConfiguration): Array<[label: string, value: string]> {
  const grants = sharingOf([configuration]);
  const regions = [...new Set(configuration.distributions.map((d) => d.region))].sort();
  const lines: Array<[string, string]> = [["regions", regions.join(", ")]];
  for (const [label, kinds] of ACCESS_LABELS) {
    const where = new Map<string, string[]>();
    for (const grant of grants) {
      if (!kinds.includes(grant.kind)) continue;
      const phrase = targetPhrase(grant);
      const list = where.get(phrase);
      if (list === undefined) where.set(phrase, [grant.region]);
      else list.push(grant.region);
    }
    if (where.size === 0) continue;
    // When some hold in fewer regions, each says where, so no "(us-west-2)" reads as the whole list's.
    const partial = [...where.values()].some((in_) => in_.length < regions.length);
    const parts = [...where].map(([phrase, in_]) =>
      in_.length === regions.length
        ? partial
          ? `${phrase} (every region)`
          : phrase
        : `${phrase} (only ${in_.join(", ")})`,
    );
    lines.push([label, parts.join("; ")]);
  }
  return lines;
}

/**
 * The configuration a change is about, as far as sharing goes: what a create, update, replace or
 * adopt makes it, what a delete destroys; undefined for the others (nothing is sent).
 */
export function sharedConfigurationOf(change: Change): SharedConfiguration | undefined {
  const accountId = change.accountId === undefined ? {} : { accountId: change.accountId };
  switch (change.action) {
    case "create":
    case "update":
    case "replace":
    case "adopt":
      return {
        name: change.name,
        region: change.region,
        ...accountId,
        distributions: change.document.distributions,
      };
    case "delete":
      return {
        name: change.name,
        region: change.region,
        ...accountId,
        distributions: change.destroys.distributions,
      };
    case "tag":
    case "no-op":
    case "conflict":
      return undefined;
  }
}
