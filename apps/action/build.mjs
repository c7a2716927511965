// Builds the Action's bundle into the folder given (dist/, or a temporary one for dist.test.ts):
// `ncc build --minify`, then the same terser pass over the chunks that import() loads (preflight's
// SDK clients), which ncc leaves unminified: it minifies only its entry file.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { minify } from "terser";

const here = fileURLToPath(new URL(".", import.meta.url));
const out = resolve(here, process.argv[2] ?? "dist");
execFileSync(
  "ncc",
  [
    "build",
    "src/main.ts",
    "-o",
    out,
    "--target",
    "es2022",
    "--minify",
    "--license",
    "licenses.txt",
    "--quiet",
  ],
  { cwd: here, stdio: "inherit" },
);
for (const file of readdirSync(out)) {
  if (!file.endsWith(".js") || file === "index.js") continue;
  const path = join(out, file);
  // ncc's own options for index.js: an ES module, names kept (stack traces and class checks read them).
  const { code } = await minify(readFileSync(path, "utf8"), {
    module: true,
    compress: false,
    mangle: { keep_classnames: true, keep_fnames: true },
  });
  if (code === undefined) throw new Error(`terser returned nothing for ${file}`);
  writeFileSync(path, code);
}
