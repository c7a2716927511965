import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

/** The python with moto that `pnpm test`'s set-up found or made (scripts/test-setup), for the preflight tests. */
function motoPython(): Record<string, string> {
  if (process.env.WAYBILL_MOTO_PYTHON) return {};
  try {
    const file = new URL("node_modules/.cache/waybill/moto-python", import.meta.url);
    return { WAYBILL_MOTO_PYTHON: readFileSync(file, "utf8").trim() };
  } catch {
    return {};
  }
}

// Tests run on TypeScript sources: workspace packages resolve through the
// "@waybill/source" export condition, so no build is needed first.
// (Vite's own server defaults follow it, as setting the list replaces them, except "module":
// vitest also hands these conditions to Node, and "module" sends @aws-sdk/* to their bundler-only
// dist-es builds, whose extensionless imports Node cannot load.)
const conditions = ["@waybill/source", "node", "development|production"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "scripts/**/*.test.ts"],
    // The entry points silence the SDK's notice about its future Node 22 floor; tests that build
    // SDK clients directly would otherwise print it.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...motoPython() },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", ["json", { outputFile: ".turbo/vitest-results.json" }]],
    typecheck: {
      enabled: true,
      include: ["packages/*/src/**/*.test-d.ts"],
      tsconfig: "./tsconfig.typetests.json",
    },
  },
});
