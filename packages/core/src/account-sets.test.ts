import { describe, expect, it } from "vitest";
import { expandAccountSetReferences } from "./account-sets.js";
import { parseConfigFile } from "./parse.js";
import { validateConfigFiles } from "./validate/validation.js";

const file = (text: string) => [{ path: "waybill/web.yaml", text }];
const text = `name: web
region: us-east-1
distributions:
  - region: us-east-1
    amiDistributionConfiguration:
      name: "web {{imagebuilder:buildDate}}"
      targetAccountIds: [set:workloads, "444444444444"]
      launchPermission:
        userIds:
          - set:workloads
`;

describe("account set references", () => {
  it("a document that names no set is passed on as it is, its positions never read", () => {
    const parsed = parseConfigFile({
      path: "waybill/web.yaml",
      text: text.replace(/set:workloads/g, "555555555555"),
    });
    if (!parsed.ok) throw new Error("the fixture parses");
    const document = parsed.documents[0];
    if (document === undefined) throw new Error("one document");
    // Positions are computed on first read (parse.ts); a valid document must not pay for them.
    const source = Object.defineProperty({ ...document }, "valuePositions", {
      get() {
        throw new Error("positions read");
      },
    });
    expect(expandAccountSetReferences(source, new Map()).document).toBe(source);
  });

  it("expands set:<name> into the set's accounts where the API wants an account list", () => {
    const result = validateConfigFiles(file(text), {
      accountSets: new Map([["workloads", ["222222222222", "333333333333"]]]),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const ami = result.documents[0]?.document.distributions[0]?.amiDistributionConfiguration;
    expect(ami?.targetAccountIds).toEqual(["222222222222", "333333333333", "444444444444"]);
    expect(ami?.launchPermission?.userIds).toEqual(["222222222222", "333333333333"]);
    // Expanded accounts are located at the reference.
    expect(
      result.documents[0]?.positions?.get(
        "distributions[0].amiDistributionConfiguration.targetAccountIds[1]",
      ),
    ).toEqual({ line: 7, column: 26 });
  });

  it("reports an unknown set at the reference, with a suggestion, and never reaches the schema", () => {
    const result = validateConfigFiles(file(text), {
      accountSets: new Map([["workload", ["222222222222"]]]),
    });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column, d.hint])).toEqual([
      ["account-set-unknown", 7, 26, "did you mean 'set:workload'?"],
      ["account-set-unknown", 10, 13, "did you mean 'set:workload'?"],
    ]);
  });

  it("accepts a set resolved only from Organizations by name when the run does not reach AWS", () => {
    const result = validateConfigFiles(file(text), { accountSets: new Map([["workloads", undefined]]) });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const ami = result.documents[0]?.document.distributions[0]?.amiDistributionConfiguration;
    expect(ami?.targetAccountIds).toEqual(["444444444444"]);
    expect(ami?.launchPermission?.userIds).toBeUndefined();
  });

  it("without any sets, a reference is an error, not a pattern mismatch", () => {
    const result = validateConfigFiles(file(text));
    expect(result.diagnostics[0]?.code).toBe("account-set-unknown");
    expect(result.diagnostics[0]?.message).toContain("names no account sets");
  });
});
