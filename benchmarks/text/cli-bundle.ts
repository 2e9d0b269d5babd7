/**
 * `ofwire --bundle add-groups FILE` + `ofwire --bundle add-flows FILE` (two whole processes, the
 * proxy's groups and flows at N services) against the same two `ovs-ofctl -O OpenFlow13` commands,
 * on a fresh sandboxed ovs-vswitchd per run, contenders interleaved; plus `ofwire --help` against
 * `node -e ''` (start-up alone).
 *
 *   npx tsx benchmarks/text/cli-bundle.ts [--services 10000] [--runs 5] [--cli PATH …]
 *
 * --cli (repeatable) names extra builds of the command to time beside the current one (e.g. a
 * copy of an earlier dist/bin/main.js kept under node_modules, so its packages resolve): the
 * same-run baseline for a change. Figures: wall seconds spawn to exit and the commands' own CPU
 * seconds (user + system, from /usr/bin/time: steadier than wall time on a busy machine), medians;
 * needs root.
 */
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli } from '../harness/build-agent.js';
import { flowText, groupText, timedSpawn } from '../harness/ofctl.js';
import { compileSet } from '../harness/services.js';
import { Vswitchd } from '../harness/switchd.js';

function args(name: string): string[] {
  const out: string[] = [];
  process.argv.forEach((a, i) => a === `--${name}` && process.argv[i + 1] !== undefined && out.push(process.argv[i + 1]!));
  return out;
}
const services = Number(args('services')[0] ?? 10_000);
const runs = Number(args('runs')[0] ?? 5);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Wall and CPU seconds of one command. */
interface Timing {
  wall: number;
  cpu: number;
}

async function timed(file: string, argv: readonly string[]): Promise<Timing> {
  const r = await timedSpawn('/usr/bin/time', ['-f', 'cpu %U %S', file, ...argv]);
  const lines = r.stderr.trim().split('\n');
  if (r.code !== 0) throw new Error(`${file} ${argv.join(' ')} failed (${r.code}): ${lines.slice(-3).join(' | ')}`);
  const [, user, sys] = lines.at(-1)!.split(' ');
  return { wall: r.seconds, cpu: Number(user) + Number(sys) };
}

function sum(a: Timing, b: Timing): Timing {
  return { wall: a.wall + b.wall, cpu: a.cpu + b.cpu };
}

const work = mkdtempSync(join(tmpdir(), 'ofwire-cli-bundle-'));
const vs = await Vswitchd.start();
try {
  const compiled = compileSet({ services, endpointsPerService: 5 });
  const groupsFile = join(work, 'groups.txt');
  const flowsFile = join(work, 'flows.txt');
  writeFileSync(groupsFile, `${compiled.groups.map(groupText).join('\n')}\n`);
  writeFileSync(flowsFile, `${compiled.flows.map(flowText).join('\n')}\n`);
  const clis = [buildCli(), ...args('cli')];
  type Contender = { name: string; bundle: () => Promise<Timing>; help: () => Promise<Timing> };
  const contenders: Contender[] = [
    ...clis.map((cli, i) => ({
      name: i === 0 ? 'ofwire' : `ofwire[${cli}]`,
      bundle: async () =>
        sum(
          await timed(process.execPath, [cli, '--bundle', 'add-groups', vs.target, groupsFile]),
          await timed(process.execPath, [cli, '--bundle', 'add-flows', vs.target, flowsFile]),
        ),
      help: () => timed(process.execPath, [cli, '--help']),
    })),
    {
      name: 'ovs-ofctl',
      bundle: async () =>
        sum(
          await timed('ovs-ofctl', ['-O', 'OpenFlow13', '--bundle', 'add-groups', vs.target, groupsFile]),
          await timed('ovs-ofctl', ['-O', 'OpenFlow13', '--bundle', 'add-flows', vs.target, flowsFile]),
        ),
      help: () => timed(process.execPath, ['-e', '']),
    },
  ];
  const bundle = new Map<string, Timing[]>(contenders.map((c) => [c.name, []]));
  const help = new Map<string, Timing[]>(contenders.map((c) => [c.name, []]));
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').trim();
  for (let r = 0; r < runs; r++) {
    for (const c of contenders) {
      await vs.fresh();
      bundle.get(c.name)!.push(await c.bundle());
      for (let h = 0; h < 3; h++) help.get(c.name)!.push(await c.help());
    }
  }
  const med = (xs: Timing[], k: keyof Timing) => median(xs.map((x) => x[k]));
  const base = bundle.get('ovs-ofctl')!;
  console.log(
    `${compiled.groups.length} groups, ${compiled.flows.length} flows; ${runs} runs; load at start ${loadBefore}, at end ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
  );
  for (const c of contenders) {
    const b = bundle.get(c.name)!;
    const h = help.get(c.name)!;
    const helpName = c.name === 'ovs-ofctl' ? "node -e ''" : '--help';
    console.log(
      `${c.name}: add-groups+add-flows wall ${med(b, 'wall').toFixed(3)} s (${(med(b, 'wall') / med(base, 'wall')).toFixed(2)}× ovs-ofctl), ` +
        `cpu ${med(b, 'cpu').toFixed(2)} s; ${helpName} wall ${(med(h, 'wall') * 1000).toFixed(0)} ms, cpu ${(med(h, 'cpu') * 1000).toFixed(0)} ms`,
    );
  }
} finally {
  await vs.close();
  rmSync(work, { recursive: true, force: true });
}
