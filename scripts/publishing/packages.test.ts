// The packages as npm users get them. From a clean copy of the tree (its files, no dist/, no
// node_modules/), pnpm packs each publishable package (its prepack builds dist/; pnpm resolves
// workspace: and catalog: versions and applies publishConfig, as `changeset publish` does), publint and
// are-the-types-wrong check each tarball, and npm installs all the tarballs at once into an empty
// project outside the workspace. There the `waybill` bin validates, plans against the emulator it
// ships and runs its demo, and a TypeScript file importing @waybill/core type-checks.
// Slow: a pnpm install from the store, one build and pack per package, one npm install and one npx run.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = fileURLToPath(new URL("fixtures", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "waybill-published-"));
const tarballDirectory = join(work, "tarballs");
/** A copy of the repository's files (tracked and new, none ignored): what a fresh clone has. */
const cleanTree = join(work, "clean");
const project = join(work, "project");
const require = createRequire(import.meta.url);

interface Packed {
  name: string;
  version: string;
  /** The package's directory in the workspace, relative to its root. */
  directory: string;
  tarball: string;
  /** package.json as packed (what npm users get). */
  manifest: Record<string, unknown>;
  /** Paths inside the tarball, without the leading "package/". */
  files: string[];
}

/** The environment of a user's shell: nothing from pnpm, vitest or the developer's AWS setup. */
const userEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^(npm_|pnpm_|INIT_CWD$|NODE_OPTIONS$|VITEST|TURBO_|AWS_)/i.test(key),
  ),
);
const fakeAws = {
  AWS_ACCESS_KEY_ID: "AKIAWAYBILLPUBLISHED1",
  AWS_SECRET_ACCESS_KEY: "not-a-secret",
  AWS_REGION: "us-west-2",
  AWS_CONFIG_FILE: join(work, "no-aws-config"),
  AWS_SHARED_CREDENTIALS_FILE: join(work, "no-aws-credentials"),
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; a non-zero exit is a result, not an error. */
async function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = userEnv,
): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, {
      cwd,
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? failed.message };
  }
}

async function succeed(command: string, args: string[], cwd: string): Promise<string> {
  const result = await run(command, args, cwd);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.code}:\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

function publishableDirectories(): string[] {
  return ["packages", "apps"].flatMap((parent) =>
    readdirSync(join(repositoryRoot, parent))
      .map((name) => `${parent}/${name}`)
      .filter((directory) => {
        const manifest = JSON.parse(readFileSync(join(repositoryRoot, directory, "package.json"), "utf8"));
        return manifest.private !== true;
      }),
  );
}

async function pack(directory: string): Promise<Packed> {
  const source = JSON.parse(readFileSync(join(cleanTree, directory, "package.json"), "utf8"));
  await succeed("pnpm", ["pack", "--pack-destination", tarballDirectory], join(cleanTree, directory));
  const tarball = join(
    tarballDirectory,
    `${source.name.replace(/^@/, "").replace("/", "-")}-${source.version}.tgz`,
  );
  const files = (await succeed("tar", ["-tzf", tarball], work))
    .split("\n")
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ""));
  const manifest = JSON.parse(await succeed("tar", ["-xzOf", tarball, "package/package.json"], work));
  return { name: source.name, version: source.version, directory, tarball, manifest, files };
}

const packed: Packed[] = [];
const packageNamed = (name: string): Packed => {
  const found = packed.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`${name} was not packed`);
  return found;
};
const waybillBin = join(project, "node_modules", ".bin", "waybill");

/** Whether each publishable package had a dist/ before it was packed (a clean tree has none). */
const distBeforePacking: Record<string, boolean> = {};

beforeAll(async () => {
  const listed = await succeed(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    repositoryRoot,
  );
  for (const file of listed.split("\0").filter(Boolean)) {
    const from = join(repositoryRoot, file);
    if (existsSync(from)) cpSync(from, join(cleanTree, file), { recursive: true, verbatimSymlinks: true });
  }
  // --prefer-offline, not --offline: ncc writes its compile caches into its own installed files, which
  // pnpm hard-links from the store, so after any build the store's copy of @vercel/ncc fails its
  // integrity check and must be fetched again (everything else comes from the store).
  await succeed("pnpm", ["install", "--prefer-offline", "--frozen-lockfile", "--reporter=silent"], cleanTree);
  mkdirSync(tarballDirectory);
  // One at a time: each prepack builds its package.
  for (const directory of publishableDirectories()) {
    distBeforePacking[directory] = existsSync(join(cleanTree, directory, "dist"));
    packed.push(await pack(directory));
  }
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  await succeed(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--loglevel=error",
      ...packed.map((p) => p.tarball),
    ],
    project,
  );
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("what is published", () => {
  test("packing builds first (prepack): from a tree without dist/, every tarball holds its built dist/", () => {
    expect(Object.values(distBeforePacking).some(Boolean)).toBe(false);
    for (const { directory, files } of packed) {
      const manifest = JSON.parse(readFileSync(join(repositoryRoot, directory, "package.json"), "utf8"));
      expect(manifest.scripts.prepack, directory).toBe("pnpm run build");
      // The built file the manifest points at: a library's main, the CLI's bin (it has no index).
      const entry = (manifest.main ?? Object.values(manifest.bin as Record<string, string>)[0]) as string;
      expect(entry, directory).toMatch(/^\.\/dist\//);
      expect(files, directory).toContain(entry.slice(2));
    }
  });

  test("the four libraries and the CLI; the Action stays private (it ships as a tag, not on npm)", () => {
    expect(packed.map((p) => `${p.directory} ${p.name}`).sort()).toEqual([
      "apps/cli waybill",
      "packages/aws @waybill/aws",
      "packages/core @waybill/core",
      "packages/emulator @waybill/emulator",
      "packages/engine @waybill/engine",
    ]);
    const action = JSON.parse(readFileSync(join(repositoryRoot, "apps/action/package.json"), "utf8"));
    expect(action.private).toBe(true);
  });

  test("publishConfig.exports is exports without the @waybill/source condition and without ./testing/* entries", () => {
    // A package's exports serve development (sources, and test helpers other packages' tests
    // import); what npm users get is publishConfig.exports. A new entry point goes in both.
    for (const directory of publishableDirectories()) {
      const manifest = JSON.parse(readFileSync(join(repositoryRoot, directory, "package.json"), "utf8"));
      if (manifest.exports === undefined) continue;
      const published = Object.fromEntries(
        Object.entries(manifest.exports as Record<string, string | Record<string, string>>)
          .filter(([subpath]) => !subpath.startsWith("./testing/"))
          .map(([subpath, target]) => {
            if (typeof target === "string") return [subpath, target];
            const { "@waybill/source": _source, ...built } = target;
            return [subpath, built];
          }),
      );
      expect({ directory, exports: manifest.publishConfig?.exports }).toEqual({
        directory,
        exports: published,
      });
      for (const [subpath, target] of Object.entries(published)) {
        expect({ directory, subpath, target }).not.toEqual({ directory, subpath, target: {} });
      }
    }
  });

  test("each tarball holds built files only: no sources, tests, testing helpers, fixtures or maps", () => {
    for (const { name, files } of packed) {
      const unexpected = files.filter(
        (file) =>
          !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md|distribution-configuration\.schema\.json)$/.test(
            file,
          ) && !file.startsWith("dist/"),
      );
      expect({ name, unexpected }).toEqual({ name, unexpected: [] });
      const testCode = files.filter((file) =>
        /(^|\/)(testing|fixtures)\/|\.test(-d)?\.|\.map$|\.ts$/.test(file),
      );
      expect({ name, testCode: testCode.filter((file) => !file.endsWith(".d.ts")) }).toEqual({
        name,
        testCode: [],
      });
      expect({ name, license: files.includes("LICENSE") }).toEqual({ name, license: true });
    }
    // The npm page of each package is its README.
    for (const { name } of packed) {
      expect({ name, readme: packageNamed(name).files.includes("README.md") }).toEqual({
        name,
        readme: true,
      });
    }
    for (const library of packed.filter((p) => p.name !== "waybill")) {
      expect(library.files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.d.ts"]));
    }
    expect(packageNamed("waybill").files).toEqual(
      expect.arrayContaining(["dist/main.js", "dist/example/waybill.config.yaml"]),
    );
  });

  test("packed manifests name real versions and built files: no workspace:, catalog: or source paths", () => {
    for (const { name, version, directory, manifest } of packed) {
      // What npm and Node read from an installed package (its scripts run only in this repository).
      const { exports, main, types, bin, dependencies, peerDependencies, optionalDependencies } = manifest;
      const text = JSON.stringify({
        exports,
        main,
        types,
        bin,
        dependencies,
        peerDependencies,
        optionalDependencies,
      });
      expect({ name, leftovers: text.match(/workspace:|catalog:|@waybill\/source|\.\/src\//g) }).toEqual({
        name,
        leftovers: null,
      });
      const internal = Object.entries((manifest.dependencies ?? {}) as Record<string, string>).filter(
        ([dep]) => dep.startsWith("@waybill/"),
      );
      for (const [dependency, range] of internal)
        expect(`${dependency}@${range}`).toBe(`${dependency}@${version}`);
      expect(manifest.license).toBe("MIT");
      expect(readFileSync(join(repositoryRoot, directory, "LICENSE"), "utf8")).toBe(
        readFileSync(join(repositoryRoot, "LICENSE"), "utf8"),
      );
      expect(manifest.engines).toEqual({ node: ">=20.19" });
    }
    expect(packageNamed("waybill").manifest.bin).toEqual({ waybill: "./dist/main.js" });
  });

  test("publint (strict) finds nothing", async () => {
    for (const { name, tarball } of packed) {
      const bytes = readFileSync(tarball);
      const { messages, pkg } = await publint({
        pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
        strict: true,
      });
      const found = messages.map(
        (message) => `${message.type}: ${formatMessage(message, pkg, { color: false })}`,
      );
      expect({ name, found }).toEqual({ name, found: [] });
    }
  });

  test("are-the-types-wrong finds nothing for the libraries (ESM-only, like @actions/*)", async () => {
    const attw = join(
      require.resolve("@arethetypeswrong/cli/package.json").replace(/package\.json$/, ""),
      "dist",
      "index.js",
    );
    const libraries = packed.filter((p) => p.name !== "waybill");
    const results = await Promise.all(
      libraries.map((library) =>
        run(
          process.execPath,
          [attw, library.tarball, "--profile", "esm-only", "--format", "ascii", "--no-emoji", "--no-color"],
          work,
        ),
      ),
    );
    results.forEach((result, index) => {
      expect({
        name: libraries[index]?.name,
        code: result.code,
        output: result.code ? result.stdout : "",
      }).toEqual({
        name: libraries[index]?.name,
        code: 0,
        output: "",
      });
    });
  }, 120_000);
});

describe("the installed waybill CLI, in a project outside the workspace", () => {
  let emulator: ChildProcess | undefined;
  afterAll(async () => {
    if (emulator && emulator.exitCode === null) {
      emulator.kill("SIGTERM");
      await once(emulator, "exit");
    }
  });

  /** A new, empty configuration repository with a waybill.config.yaml and one file. */
  function newRepository(fileName: string): string {
    const directory = mkdtempSync(join(work, "repository-"));
    mkdirSync(join(directory, "waybill"));
    writeFileSync(join(directory, "waybill.config.yaml"), "stack: published\ndefaultRegion: us-west-2\n");
    cpSync(join(fixtures, "repository", fileName), join(directory, "waybill", "web.yaml"));
    return directory;
  }

  test("--version prints the packed version", async () => {
    expect(await run(waybillBin, ["--version"], project)).toEqual({
      code: 0,
      stdout: `${packageNamed("waybill").version}\n`,
      stderr: "",
    });
  });

  test("validate: a valid file exits 0; a mistake is one positioned line, exit 1", async () => {
    expect(await run(waybillBin, ["validate"], newRepository("web.yaml"))).toEqual({
      code: 0,
      stdout: "1 file, 1 configuration: valid.\n",
      stderr: "",
    });
    const invalid = await run(waybillBin, ["validate"], newRepository("misspelt.yaml"));
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(
      /^waybill\/web\.yaml:6:7: error unknown-key: unknown key 'launchPermissions'/m,
    );
    expect(invalid.stderr).not.toMatch(/\n\s+at /);
  });

  test("plan against the emulator the package ships: changes (2), apply, then no changes (0)", async () => {
    emulator = spawn(waybillBin, ["emulator", "--port", "0"], {
      cwd: project,
      env: userEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const [url] = (await once(
      createInterface({ input: emulator.stdout as NodeJS.ReadableStream }),
      "line",
    )) as [string];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const repository = newRepository("web.yaml");
    const env = { ...userEnv, ...fakeAws };
    const plan = await run(waybillBin, ["plan", "--endpoint-url", url, "--no-color"], repository, env);
    expect(plan).toMatchObject({ code: 2, stderr: "" });
    expect(plan.stdout).toMatch(/^ {2}\+ create web-base \(us-west-2\)$/m);
    expect(plan.stdout).toMatch(/^Plan: 1 to create, 0 unchanged\.$/m);
    const apply = await run(
      waybillBin,
      ["apply", "--yes", "--endpoint-url", url, "--no-color"],
      repository,
      env,
    );
    expect(apply).toMatchObject({ code: 0, stderr: "" });
    expect(apply.stdout).toMatch(/^Applied: 1 ok, 0 failed, 0 skipped\.$/m);
    const again = await run(waybillBin, ["plan", "--endpoint-url", url, "--no-color"], repository, env);
    expect(again).toMatchObject({ code: 0, stderr: "" });
    expect(again.stdout).toMatch(/^No changes: 1 unchanged\.$/m);
  });

  test("demo runs from the installed package (its example ships in dist/example)", async () => {
    const demo = await run(waybillBin, ["demo"], mkdtempSync(join(work, "demo-")));
    expect(demo).toMatchObject({ code: 0, stderr: "" });
    expect(demo.stdout).toMatch(/^==> waybill plan \(again\)\n.*\n\nNo changes: 2 unchanged\.$/m);
  });

  test("npx with the packed tarballs prints the help from an empty directory", async () => {
    const empty = mkdtempSync(join(work, "npx-"));
    const npxCache = join((await succeed("npm", ["config", "get", "cache"], empty)).trim(), "_npx");
    const entries = () => (existsSync(npxCache) ? readdirSync(npxCache) : []);
    const before = new Set(entries());
    try {
      // Until @waybill/* are on the registry, npx gets them as tarballs too (npx <cli tarball>
      // alone would look them up there); the CLI's tarball is the one whose bin runs.
      const npx = await run(
        "npx",
        [
          "--yes",
          "--prefer-offline",
          "--loglevel=error",
          ...packed.map((p) => `--package=${p.tarball}`),
          "--",
          "waybill",
          "--help",
        ],
        empty,
      );
      expect(npx).toMatchObject({ code: 0 });
      expect(npx.stdout).toMatch(/^Usage: waybill <command> \[options\]/);
      expect(npx.stdout).toMatch(/^ {2}plan +show what apply would change$/m);
    } finally {
      // npx installs into a folder of npm's cache named after these (temporary) tarballs: remove it.
      for (const entry of entries()) {
        if (!before.has(entry)) rmSync(join(npxCache, entry), { recursive: true, force: true });
      }
    }
  }, 240_000);
});

describe("@waybill/core from the installed tarball", () => {
  beforeAll(() => {
    for (const file of ["consumer.mjs", "consumer.ts", "tsconfig.json"]) {
      cpSync(join(fixtures, "consumer", file), join(project, file));
    }
  });

  test("works from plain Node ESM, including the JSON Schema export", async () => {
    const output = JSON.parse(await succeed(process.execPath, ["consumer.mjs"], project));
    expect(output).toEqual({
      invalid: ["web.yaml:8:7 unknown-key did you mean 'launchPermission'?"],
      valid: [["Web Base", "us-west-2", "create"]],
      arn: "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/web-base",
      name: "web-base 2026-11-23T10-15-30.123Z",
      schemaTitle: "DistributionConfigurationFile",
    });
  });

  test("ships its types: a TypeScript consumer type-checks (and a wrong type is caught)", async () => {
    const tsc = require.resolve("typescript/bin/tsc");
    expect(await run(process.execPath, [tsc, "-p", "tsconfig.json"], project)).toEqual({
      code: 0,
      stdout: "",
      stderr: "",
    });
  });
});

describe("the libraries' READMEs, as npm shows them", () => {
  const libraries = ["@waybill/core", "@waybill/aws", "@waybill/engine", "@waybill/emulator"];

  test("each has Install, Example and API sections; the example type-checks against the installed packages", async () => {
    const examples = join(project, "readme-examples");
    mkdirSync(examples, { recursive: true });
    const files: string[] = [];
    for (const name of libraries) {
      const readme = readFileSync(join(project, "node_modules", name, "README.md"), "utf8");
      const sections = [...readme.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
      expect({ name, sections }).toEqual({
        name,
        sections: expect.arrayContaining(["Install", "Example", "API"]),
      });
      expect(readme).toContain(`npm install ${name === "@waybill/emulator" ? "--save-dev " : ""}${name}`);
      const example = /^## Example\n[\s\S]*?```ts\n([\s\S]*?)```/m.exec(readme)?.[1];
      expect({ name, example: typeof example }).toEqual({ name, example: "string" });
      const file = `${name.replace("@waybill/", "")}.ts`;
      writeFileSync(join(examples, file), example ?? "");
      files.push(file);
    }
    writeFileSync(
      join(examples, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          // The examples use Node's globals (process): the workspace's @types/node.
          types: ["node"],
          typeRoots: [join(repositoryRoot, "node_modules", "@types")],
        },
        files,
      }),
    );
    const tsc = require.resolve("typescript/bin/tsc");
    expect(await run(process.execPath, [tsc, "-p", join(examples, "tsconfig.json")], project)).toEqual({
      code: 0,
      stdout: "",
      stderr: "",
    });
  }, 120_000);
});
