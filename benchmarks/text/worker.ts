/**
 * One text workload in a fresh process (run by text.bench.ts, compiled by tsc):
 *
 *   node worker.js parse-flows|parse-groups FILE [warmRuns]
 *   node worker.js print-flows FILE.bin [warmRuns]
 *
 * Parses the lines of FILE as `ofwire add-flows` / `add-groups` does (the CLI's own line parser),
 * or prints the FLOW_STATS reply messages of FILE.bin as `ofwire dump-flows` does (decoded first,
 * untimed). The first pass is the cold one, what a CLI run sees; then `warmRuns` passes. Prints one
 * JSON line: item count, module load time, CPU and wall time of each pass, GC time of the cold pass.
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

const t0 = performance.now();
const [task = '', file = '', warmArg = '10'] = process.argv.slice(2);
const warmRuns = Number(warmArg);

const gcPauses: { start: number; duration: number }[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, duration: e.duration });
});
gcObserver.observe({ entryTypes: ['gc'] });

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

let sink = 0;

async function prepare(): Promise<{ items: number; pass: () => void }> {
  if (task === 'parse-flows' || task === 'parse-groups') {
    const { lineParser } = await import('../../lib/cli/switch-files.js');
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const warnings: unknown[] = [];
    const parse = lineParser({ kind: task === 'parse-flows' ? 'flows' : 'groups' }, undefined, warnings as never);
    return {
      items: lines.length,
      pass: () => {
        for (const l of lines) sink += parse(l).type.length;
      },
    };
  }
  if (task === 'print-flows') {
    const { decodeMessage } = await import('../../protocol/index.js');
    const { formatDumpReplies } = await import('../../protocol/text/format-stats.js');
    const { splitMessages } = await import('../codec/workloads.js');
    const replies = splitMessages(readFileSync(file)).map((b) => decodeMessage(b)) as Parameters<typeof formatDumpReplies>[0][number][];
    const items = replies.reduce((n, r) => n + (r.body.kind === 'flow' ? r.body.flows.length : 0), 0);
    return {
      items,
      pass: () => {
        for (const r of replies) sink += formatDumpReplies([r]).length;
      },
    };
  }
  throw new Error(`unknown task "${task}" (parse-flows, parse-groups, print-flows)`);
}

const { items, pass } = await prepare();
const loadMs = performance.now() - t0;

function timed(): { cpu: number; wall: number } {
  const w0 = performance.now();
  const c0 = cpuMs();
  pass();
  return { cpu: cpuMs() - c0, wall: performance.now() - w0 };
}

const coldStart = performance.now();
const cold = timed();
const coldEnd = performance.now();
// GC entries are delivered asynchronously.
await new Promise((r) => setTimeout(r, 10));
const coldGcMs = gcPauses.filter((g) => g.start >= coldStart && g.start < coldEnd).reduce((n, g) => n + g.duration, 0);
const warm: { cpu: number; wall: number }[] = [];
for (let i = 0; i < warmRuns; i++) warm.push(timed());
gcObserver.disconnect();
process.stdout.write(`${JSON.stringify({ task, items, loadMs, cold, coldGcMs, warm, sink })}\n`);
