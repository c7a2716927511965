// Build step: the published CLI carries the demo's example repository (examples/basic) as
// dist/example, since the repository's examples/ is not part of the package.
import { cpSync, rmSync } from "node:fs";

const target = new URL("../dist/example", import.meta.url);
rmSync(target, { recursive: true, force: true });
cpSync(new URL("../../../examples/basic", import.meta.url), target, { recursive: true });
