/**
 * How fast ofwire reads and prints ovs-ofctl text, and how its switch verbs compare with
 * ovs-ofctl's end to end.
 *
 *   npx tsx benchmarks/text/text.bench.ts [--count 20000] [--runs 5] [--warm 10] [--e2e] [--e2e-runs 3]
 *                                         [--only parse-flows,parse-groups,print-flows] [--json FILE]
 *
 * Micro part: each of parse-flows, parse-groups (the CLI's line parser over the lines of a flows /
 * groups file, see workloads.ts) and print-flows (dump-flows output of the same flows, from decoded
 * FLOW_STATS replies) runs `--runs` times, each in a fresh Node process running tsc's output (as
 * `dist/` does). Per process: the first pass over all items is the cold one (what one CLI run
 * pays), then `--warm` passes. Figures are CPU time (user + system, GC threads included) per item,
 * medians over processes (cold) and over all warm passes.
 *
 * --e2e: starts a sandboxed ovs-vswitchd (spec/helpers/ovs-sandbox.ts; needs root) and times, in
 * alternating order, `node dist/lib/cli/main.js` (run `npm run build` first) and `ovs-ofctl -O
 * OpenFlow13` doing `--bundle add-groups`, `--bundle add-flows` (groups present, tables emptied
 * before each run) and `dump-flows` of the installed flows; wall time and the client's CPU time,
 * medians over `--e2e-runs`. The dump outputs are compared (durations aside).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_COUNT, flowsText, flowStatsReplies, groupsText } from './workloads.js';
import { encodeMessage } from '../../protocol/index.js';

const ROOT = join(import.meta.dirname, '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}
const count = Number(arg('count') ?? DEFAULT_COUNT);
const runs = Number(arg('runs') ?? 5);
const warm = Number(arg('warm') ?? 10);
const e2e = process.argv.includes('--e2e');
const e2eRuns = Number(arg('e2e-runs') ?? 3);
const only = arg('only')?.split(',');
const jsonOut = arg('json');

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const work = mkdtempSync(join(tmpdir(), 'ofwire-text-bench-'));
const results: Record<string, unknown> = { count, runs, warm, node: process.version, load: readFileSync('/proc/loadavg', 'utf8').trim() };

try {
  const flowsFile = join(work, 'flows.txt');
  const groupsFile = join(work, 'groups.txt');
  const repliesFile = join(work, 'replies.bin');
  writeFileSync(flowsFile, flowsText(count));
  writeFileSync(groupsFile, groupsText(count));
  writeFileSync(repliesFile, Buffer.concat(flowStatsReplies(count).map((r) => encodeMessage(r))));

  const tasks = (['parse-flows', 'parse-groups', 'print-flows'] as const).filter((t) => !only || only.includes(t));
  if (tasks.length) {
    const out = join(work, 'js');
    const tsc = spawnSync(
      'npx',
      [
        'tsc',
        '--outDir',
        out,
        '--rootDir',
        '.',
        '--module',
        'nodenext',
        '--target',
        'es2022',
        '--skipLibCheck',
        '--types',
        'node',
        '--strict',
        'benchmarks/text/worker.ts',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
    const worker = join(out, 'benchmarks', 'text', 'worker.js');
    const input = { 'parse-flows': flowsFile, 'parse-groups': groupsFile, 'print-flows': repliesFile };

    type Sample = {
      items: number;
      loadMs: number;
      cold: { cpu: number; wall: number };
      coldGcMs: number;
      warm: { cpu: number; wall: number }[];
    };
    const samples = new Map<string, Sample[]>(tasks.map((t) => [t, []]));
    for (let r = 0; r < runs; r++) {
      for (const t of tasks) {
        const p = spawnSync(process.execPath, [worker, t, input[t], String(warm)], { encoding: 'utf8' });
        if (p.status !== 0) throw new Error(`${t} worker failed:\n${p.stderr}`);
        samples.get(t)!.push(JSON.parse(p.stdout) as Sample);
      }
    }
    console.log(`${count} items, ${runs} processes each, ${warm} warm passes; CPU µs per item (median), load ${results.load as string}`);
    console.log('task          items   load ms   cold µs   cold wall µs   cold GC ms   warm µs');
    const micro: Record<string, unknown> = {};
    for (const t of tasks) {
      const s = samples.get(t)!;
      const n = s[0]!.items;
      const row = {
        items: n,
        loadMs: median(s.map((x) => x.loadMs)),
        coldUs: median(s.map((x) => (x.cold.cpu * 1000) / n)),
        coldWallUs: median(s.map((x) => (x.cold.wall * 1000) / n)),
        coldGcMs: median(s.map((x) => x.coldGcMs)),
        warmUs: median(s.flatMap((x) => x.warm.map((w) => (w.cpu * 1000) / n))),
      };
      micro[t] = row;
      console.log(
        `${t.padEnd(12)} ${String(n).padStart(6)} ${row.loadMs.toFixed(0).padStart(9)} ${row.coldUs.toFixed(1).padStart(9)} ` +
          `${row.coldWallUs.toFixed(1).padStart(14)} ${row.coldGcMs.toFixed(0).padStart(12)} ${row.warmUs.toFixed(1).padStart(9)}`,
      );
    }
    results.micro = micro;
  }

  if (e2e) results.e2e = await endToEnd(flowsFile, groupsFile);
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(results, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

interface Timing {
  wall: number;
  cpu: number;
}

async function endToEnd(flowsFile: string, groupsFile: string): Promise<Record<string, unknown>> {
  const { createSandbox } = await import('../../spec/helpers/ovs-sandbox.js');
  const cli = join(ROOT, 'dist', 'lib', 'cli', 'main.js');
  const sb = await createSandbox();
  const timeFile = join(work, 'time.txt');
  /** Runs a command under /usr/bin/time: wall seconds (measured here) and the child's user + system CPU seconds. */
  const timed = (cmd: string[], stdoutFile?: string): Timing => {
    const t0 = performance.now();
    const p = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, ...cmd], {
      env: sb.env,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const wall = (performance.now() - t0) / 1000;
    if (p.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${p.stderr}`);
    if (stdoutFile) writeFileSync(stdoutFile, p.stdout);
    const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { wall, cpu: user! + sys! };
  };
  const ofctl = (...a: string[]) => {
    const p = spawnSync('ovs-ofctl', ['-O', 'OpenFlow13', ...a], { env: sb.env, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (p.status !== 0) throw new Error(`ovs-ofctl ${a.join(' ')} failed: ${p.stderr}`);
    return p.stdout;
  };
  const tools = {
    ofwire: (verb: string[], file?: string) => [process.execPath, cli, ...verb.slice(0, -1), sb.mgmt, ...(file ? [file] : [])],
    ofctl: (verb: string[], file?: string) => ['ovs-ofctl', '-O', 'OpenFlow13', ...verb.slice(0, -1), sb.bridge, ...(file ? [file] : [])],
  };
  const order = (r: number) => (r % 2 ? (['ofctl', 'ofwire'] as const) : (['ofwire', 'ofctl'] as const));
  const t: Record<string, Record<'ofwire' | 'ofctl', Timing[]>> = {
    'add-groups': { ofwire: [], ofctl: [] },
    'add-flows': { ofwire: [], ofctl: [] },
    'dump-flows': { ofwire: [], ofctl: [] },
  };
  try {
    for (let r = 0; r < e2eRuns; r++) {
      for (const tool of order(r)) {
        ofctl('del-flows', sb.bridge);
        ofctl('del-groups', sb.bridge);
        t['add-groups']![tool].push(timed(tools[tool](['--bundle', 'add-groups', 'BR'], groupsFile)));
      }
      for (const tool of order(r)) {
        ofctl('del-flows', sb.bridge);
        t['add-flows']![tool].push(timed(tools[tool](['--bundle', 'add-flows', 'BR'], flowsFile)));
      }
      const dumps: Record<string, string> = {};
      for (const tool of order(r)) {
        const out = join(work, `dump-${tool}.txt`);
        t['dump-flows']![tool].push(timed(tools[tool](['dump-flows', 'BR']), out));
        dumps[tool] = readFileSync(out, 'utf8').replace(/duration=[0-9.]+s, /g, '');
      }
      if (dumps.ofwire !== dumps.ofctl) console.log("warning: ofwire dump-flows output differs from ovs-ofctl's");
      if (r === 0) console.log(`dump-flows: ${dumps.ofctl!.split('\n').length - 2} flows`);
    }
  } finally {
    await sb.close();
  }
  console.log(`\nend to end, ${e2eRuns} runs each, median seconds (wall / client CPU)`);
  console.log('verb          ofwire wall  ofwire cpu   ofctl wall  ofctl cpu   wall ratio');
  const out: Record<string, unknown> = {};
  for (const [verb, byTool] of Object.entries(t)) {
    const w = (x: Timing[]) => median(x.map((y) => y.wall));
    const c = (x: Timing[]) => median(x.map((y) => y.cpu));
    const row = { ofwireWall: w(byTool.ofwire), ofwireCpu: c(byTool.ofwire), ofctlWall: w(byTool.ofctl), ofctlCpu: c(byTool.ofctl) };
    out[verb] = { ...row, ratio: row.ofwireWall / row.ofctlWall };
    console.log(
      `${verb.padEnd(12)} ${row.ofwireWall.toFixed(2).padStart(11)} ${row.ofwireCpu.toFixed(2).padStart(11)} ` +
        `${row.ofctlWall.toFixed(2).padStart(12)} ${row.ofctlCpu.toFixed(2).padStart(10)} ${(row.ofwireWall / row.ofctlWall).toFixed(2).padStart(12)}`,
    );
  }
  return out;
}
