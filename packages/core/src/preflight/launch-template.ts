// Launch templates: every template a distribution updates or fast-launches with exists in its account and region.
import { accessFinding, finding } from "./findings.js";
import type {
  FactRequest,
  Facts,
  PreflightConfiguration,
  PreflightContext,
  PreflightFinding,
} from "./preflight-model.js";
import { factKey } from "./preflight-model.js";

interface TemplateUse {
  request: Extract<FactRequest, { kind: "launch-template" }>;
  at: PropertyKey[];
}

function templateUses(configuration: PreflightConfiguration): TemplateUse[] {
  return configuration.distributions.flatMap((distribution, index) => [
    ...(distribution.launchTemplateConfigurations ?? []).map((template, j) => ({
      request: {
        kind: "launch-template" as const,
        account: template.accountId ?? ("source" as const),
        region: distribution.region,
        id: template.launchTemplateId,
      },
      at: ["distributions", index, "launchTemplateConfigurations", j, "launchTemplateId"],
    })),
    ...(distribution.fastLaunchConfigurations ?? []).flatMap((fast, j) => {
      const spec = fast.launchTemplate;
      if (!spec || (!spec.launchTemplateId && !spec.launchTemplateName)) return [];
      return [
        {
          request: {
            kind: "launch-template" as const,
            account: fast.accountId ?? ("source" as const),
            region: distribution.region,
            ...(spec.launchTemplateId
              ? { id: spec.launchTemplateId }
              : { name: spec.launchTemplateName ?? "" }),
          },
          at: [
            "distributions",
            index,
            "fastLaunchConfigurations",
            j,
            "launchTemplate",
            spec.launchTemplateId ? "launchTemplateId" : "launchTemplateName",
          ],
        },
      ];
    }),
  ]);
}

export function launchTemplateRequests(context: PreflightContext): FactRequest[] {
  return context.configurations.flatMap((configuration) =>
    templateUses(configuration).map((use) => use.request),
  );
}

export function evaluateLaunchTemplates(context: PreflightContext, facts: Facts): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  for (const configuration of context.configurations) {
    for (const { request, at } of templateUses(configuration)) {
      const fact = facts.get(factKey(request));
      const template = request.id ?? request.name ?? "";
      const account = request.account === "source" ? "the source account" : `account ${request.account}`;
      const what = `launch template ${template} in ${account}, ${request.region}`;
      const access = accessFinding(configuration, at, fact, what);
      if (access) {
        findings.push(access);
      } else if (fact?.status === "missing") {
        findings.push(
          finding(configuration, at, {
            check: "launch-template",
            code: "launch-template-missing",
            message: `${what} does not exist`,
            hint: `create it in ${request.region}${request.account === "source" ? "" : ` of ${request.account}`}, or correct the id and accountId`,
            evidence: fact.evidence,
          }),
        );
      }
    }
  }
  return findings;
}
