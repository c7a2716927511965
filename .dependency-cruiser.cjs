// The import rules of the tree, checked by `pnpm test` (`pnpm deps`): the layers
// core ← aws ← engine ← apps, an emulator that stands alone, and no import cycle.
// Tests and test helpers (`*.test.ts`, `testing/`) may reach further down the stack than the code
// they test (the adapter's tests talk to the emulator, the emulator's agreement test to core), so
// the layer rules cover what a package ships; the cycle rule covers everything.

/** What a package ships: its sources without tests, test helpers or fixtures. */
const shipped = (pkg) => ({
  path: `^${pkg}/src/`,
  pathNot: ["\\.test\\.ts$", "\\.test-d\\.ts$", "/testing/", "/fixtures/"],
});

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      comment: "An import cycle (type-only imports included) ties modules that should be layered.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "core-is-the-bottom",
      comment: "@waybill/core is the pure domain model: it imports no other Waybill package and no app.",
      severity: "error",
      from: shipped("packages/core"),
      to: { path: "^(packages/(aws|engine|emulator)|apps)/" },
    },
    {
      name: "core-is-pure",
      comment: "@waybill/core does no I/O and runs anywhere: no Node built-in modules.",
      severity: "error",
      from: shipped("packages/core"),
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "aws-above-core-only",
      comment: "@waybill/aws is the adapter: it builds on core, never on the engine or an app.",
      severity: "error",
      from: shipped("packages/aws"),
      to: { path: "^(packages/(engine|emulator)|apps)/" },
    },
    {
      name: "engine-below-apps",
      comment: "@waybill/engine is shared by the CLI and the Action: it imports neither.",
      severity: "error",
      from: shipped("packages/engine"),
      to: { path: "^(packages/emulator|apps)/" },
    },
    {
      name: "emulator-stands-alone",
      comment:
        "The emulator is an independent implementation of the service: it imports no other Waybill package, so core and it can be tested against each other.",
      severity: "error",
      from: shipped("packages/emulator"),
      to: { path: "^(packages/(core|aws|engine)|apps)/" },
    },
    {
      name: "apps-apart",
      comment: "The CLI and the Action share code through the engine, not through each other's files.",
      severity: "error",
      from: { path: "^apps/cli/src/", pathNot: ["\\.test\\.ts$", "/testing/"] },
      to: { path: "^apps/action/" },
    },
    {
      name: "apps-apart-action",
      comment: "The CLI and the Action share code through the engine, not through each other's files.",
      severity: "error",
      from: { path: "^apps/action/src/", pathNot: ["\\.test\\.ts$", "/testing/", "/bundle/"] },
      to: { path: "^apps/cli/" },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that resolves to nothing is a typo or a missing dependency.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules|\\.turbo)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    // Workspace packages resolve to their sources, as in tests and type checks.
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["@waybill/source", "import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
    },
  },
};
