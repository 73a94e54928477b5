#!/usr/bin/env node
// Sums the vitest JSON reports every workspace wrote (test-results.json) and prints the line CI reads:
// `N passed, N failed`. A workspace with a test script but no report counts as a failure: it crashed
// before vitest could write one.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const workspaces = [path.join(root, 'datasets'), ...['packages', 'examples'].flatMap((dir) => {
  const abs = path.join(root, dir);
  return fs.existsSync(abs) ? fs.readdirSync(abs).map((name) => path.join(abs, name)) : [];
})];

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];
for (const ws of workspaces) {
  const pkgFile = path.join(ws, 'package.json');
  if (!fs.existsSync(pkgFile)) continue;
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  if (!pkg.scripts?.test) continue;
  const report = path.join(ws, 'test-results.json');
  if (!fs.existsSync(report)) {
    problems.push(`${pkg.name}: no test-results.json (the test run crashed or never started)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A suite that failed to load (syntax error, bad import) has no tests but must not pass silently.
  for (const suite of r.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) {
      problems.push(`${pkg.name}: ${path.relative(root, suite.name)} failed to load: ${(suite.message ?? '').split('\n')[0]}`);
      failed += 1;
    }
  }
  console.log(`${pkg.name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
}
for (const p of problems) console.log(`problem: ${p}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
