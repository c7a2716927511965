// Prints vitest's totals as one plain closing line ("tests: N passed, N failed, N skipped"),
// the form CI reads, from the JSON report written by the last `vitest run`.
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(new URL("../.turbo/vitest-results.json", import.meta.url), "utf8"));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exitCode = report.numFailedTests > 0 || report.numTotalTests === 0 ? 1 : 0;
