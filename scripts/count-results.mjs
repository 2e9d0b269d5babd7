// Reads TAP streams (the files named as arguments, each a run of its own, or stdin) and prints
// "N passed, N failed" over all of them, counting assertions at every depth.
// A subtest's own summary point is not counted, unless it failed with no failing assertion inside
// (a file that crashed, a timeout), which counts as one failure.
import { createReadStream } from 'node:fs';
import { Parser } from 'tap-parser';

let passed = 0;
let failed = 0;

function watch(parser) {
  let child = null;
  parser.on('child', (c) => {
    child = { failures: 0 };
    const record = child;
    watch(c);
    c.on('assert', (a) => {
      if (!a.ok && !a.todo && !a.skip) record.failures++;
    });
  });
  parser.on('assert', (a) => {
    const summary = child;
    child = null;
    if (summary) {
      if (!a.ok && !a.todo && summary.failures === 0) failed++;
      return;
    }
    if (a.ok || a.todo) passed++;
    else failed++;
  });
}

function count(stream) {
  return new Promise((resolve) => {
    const root = new Parser({ passes: true });
    watch(root);
    root.on('complete', resolve);
    stream.pipe(root);
  });
}

const files = process.argv.slice(2);
for (const stream of files.length ? files.map((f) => createReadStream(f)) : [process.stdin]) await count(stream);
console.log(`${passed} passed, ${failed} failed`);
if (passed + failed === 0) process.exitCode = 1;
