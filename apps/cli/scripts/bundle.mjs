// Build step: the `waybill` bin as one bundle (dist/main.js) with the commands a run loads only when
// asked (demo, emulator, import, ...) in dist/chunks/. A fresh process then reads a few files
// instead of some hundreds (core, engine, zod, yaml, the AWS SDK's many modules): a small run's
// first call comes about twice as soon (docs/benchmarks.md, "A small run in a fresh process").
// What it bundles is the built dist/ of Waybill's packages and the installed third-party code, so
// the package needs no dependencies at run time but one (below); their licenses go to dist/licenses.txt.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/main.ts"],
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  splitting: true,
  outdir: "dist",
  entryNames: "[name]",
  // One level below dist/, as dist/run/ was: demo finds the example at ../example either way.
  chunkNames: "chunks/[name]-[hash]",
  // The SDK's CommonJS modules require Node's built-ins; an ES module has no `require` of its own.
  banner: {
    js: 'import { createRequire as __waybillRequire } from "node:module";\nconst require = __waybillRequire(import.meta.url);',
  },
  // proxy-agent loads it only for a PAC proxy (`pac+http://...`), and it reads a WebAssembly file
  // from its own installed package (quickjs-wasi), which a bundle cannot carry: installed instead.
  external: ["pac-proxy-agent"],
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

// Every third-party package in the bundle, with its license text (as ncc's --license writes for the Action).
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const path = join(root, input);
  const at = path.lastIndexOf(`${sep}node_modules${sep}`);
  if (at < 0) continue;
  let directory = dirname(path);
  while (directory.length > at && !existsSync(join(directory, "package.json")))
    directory = dirname(directory);
  const manifest = JSON.parse(readFileSync(join(directory, "package.json"), "utf8"));
  if (!manifest.name || manifest.name.startsWith("@waybill/") || packages.has(manifest.name)) continue;
  const licenseFile = readdirSync(directory).find((file) => /^(license|licence|copying)(\..*)?$/i.test(file));
  packages.set(manifest.name, {
    version: manifest.version,
    license: manifest.license ?? "see the package",
    text: licenseFile ? readFileSync(join(directory, licenseFile), "utf8").trim() : "",
  });
}
// Packages under the same license text (the SDK's many Apache-2.0 modules) share one copy of it.
const byText = new Map();
for (const [name, { version, license, text }] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
  const key = text || `(no license file; package.json says: ${license})`;
  byText.set(key, [...(byText.get(key) ?? []), `${name}@${version} (${license})`]);
}
const notices = [...byText].map(([text, names]) => `${names.join("\n")}\n\n${text}`);
writeFileSync(join(root, "dist", "licenses.txt"), `${notices.join("\n\n---\n\n")}\n`);
