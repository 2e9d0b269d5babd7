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
 * same-run baseline for a change. Figures: wall seconds spawn to exit, medians; needs root.
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

async function timed(file: string, argv: readonly string[]): Promise<number> {
  const r = await timedSpawn(file, argv);
  if (r.code !== 0) throw new Error(`${file} ${argv.join(' ')} failed (${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return r.seconds;
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
  type Contender = { name: string; bundle: () => Promise<number>; help?: () => Promise<number> };
  const contenders: Contender[] = [
    ...clis.map((cli, i) => ({
      name: i === 0 ? 'ofwire' : `ofwire[${cli}]`,
      bundle: async () =>
        (await timed(process.execPath, [cli, '--bundle', 'add-groups', vs.target, groupsFile])) +
        (await timed(process.execPath, [cli, '--bundle', 'add-flows', vs.target, flowsFile])),
      help: () => timed(process.execPath, [cli, '--help']),
    })),
    {
      name: 'ovs-ofctl',
      bundle: async () =>
        (await timed('ovs-ofctl', ['-O', 'OpenFlow13', '--bundle', 'add-groups', vs.target, groupsFile])) +
        (await timed('ovs-ofctl', ['-O', 'OpenFlow13', '--bundle', 'add-flows', vs.target, flowsFile])),
      help: () => timed(process.execPath, ['-e', '']),
    },
  ];
  const bundle = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  const help = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < runs; r++) {
    for (const c of contenders) {
      await vs.fresh();
      bundle.get(c.name)!.push(await c.bundle());
      for (let h = 0; h < 3; h++) help.get(c.name)!.push(await c.help!());
    }
  }
  const base = median(bundle.get('ovs-ofctl')!);
  console.log(`${compiled.groups.length} groups, ${compiled.flows.length} flows; load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  for (const c of contenders) {
    const b = median(bundle.get(c.name)!);
    const h = median(help.get(c.name)!);
    const helpName = c.name === 'ovs-ofctl' ? "node -e ''" : '--help';
    console.log(`${c.name}: add-groups+add-flows ${b.toFixed(3)} s (${(b / base).toFixed(2)}× ovs-ofctl); ${helpName} ${(h * 1000).toFixed(0)} ms`);
  }
} finally {
  await vs.close();
  rmSync(work, { recursive: true, force: true });
}
