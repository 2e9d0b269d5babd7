/**
 * `npm run bench -- [--quick] [--json FILE]`: ofwire's service proxy against ovs-vswitchd, with the
 * baselines measured in the same run on the same sandboxed ovs-vswitchd. This file reads the flags
 * and runs the chosen workloads (one file each in workloads/; what they share in harness/).
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent } from './harness/agent-client.js';
import { BenchRun, REPO, WORKLOADS, type BenchSettings } from './harness/bench-run.js';
import { buildAgent } from './harness/build-agent.js';
import { iptablesVersion } from './harness/iptables.js';
import { machineInfo, type Machine } from './harness/machine.js';
import { addMethodNotes } from './harness/method-notes.js';
import { computeRatios } from './harness/results.js';
import { prepareSize } from './harness/size-files.js';
import { Vswitchd } from './harness/switchd.js';
import { writeReport } from './harness/write-report.js';
import { churn } from './workloads/churn.js';
import { cliAdd } from './workloads/cli.js';
import { codec } from './workloads/codec.js';
import { coldSync } from './workloads/cold-sync.js';
import { kubeChurn } from './workloads/kube-churn.js';
import { recovery } from './workloads/recovery.js';
import { restart } from './workloads/restart.js';
import { startUp } from './workloads/start-up.js';

const USAGE = `Usage: npm run bench -- [options]

Workloads (N services × E endpoints, see harness/services.ts for the mix), one file each in workloads/:
  cold-sync        empty bridge → everything programmed and acknowledged, one atomic bundle:
                   ofwire (ServiceProxy in its own process), \`ofwire proxy --once\` (whole
                   process), Switch.bundle() (library), the floor, \`ovs-ofctl bundle\`, os-ken,
                   iptables-restore of kube-proxy's rules
  churn            one endpoint change at a time → barrier ack: ofwire (MemorySource, Kubernetes
                   watch, library), the floor, \`ovs-ofctl mod-group\` per change; plus a sustained
                   rate of changes
  restart          agent restart with the services unchanged (must re-send nothing)
  recovery         ovs-vswitchd killed and restarted empty → full state again
  cli              \`--bundle add-groups\` + \`add-flows\`: ofwire's CLI and ovs-ofctl
  codec            benchmarks/codec (rows codec-*)

North-south mix: with --external-every K, every size is also measured with every K-th service a
NodePort or a LoadBalancer with an ingress IP (harness/services.ts; 3 = a third of them), the
proxy given the node address NODE_IP: its rows are the same workloads with the suffix
\`-north-south\` (cold-sync-north-south, churn-north-south, …), next to the ClusterIP-only rows of
the same run, with the same ratio goals. os-ken and iptables-restore are not run on that mix
(kube-proxy's rules here cover cluster IPs only).

Options:
  --quick                1k and 10k services only (default sizes 1000,10000,50000)
  --sizes 1000,10000     the sizes to measure
  --endpoints E          endpoints per service (default 5)
  --runs N               runs per measurement
  --churn N              changes per churn run (default 1000)
  --spawn-changes N      changes for ovs-ofctl-spawn (default min(100, --churn))
  --sustained-seconds S  length of the sustained churn
  --sustained-rate R     changes/s offered in the sustained churn (default 1000)
  --only W,W             workloads to run (${WORKLOADS.join(', ')})
  --external-every K     also the north-south mix, see above
  --no-codec, --no-osken, --no-iptables, --no-kube   leave out that contender or workload
  --json FILE            the JSON report (default OUT-DIR/latest.json)
  --out-dir DIR          latest.md, cold-sync.svg, README-fragment.md (default benchmarks/results)
  --cpu-prof DIR         V8 CPU profiles of the ofwire agent's timed sections, for finding where its
                         time goes (profiling slows it down: not for the report)
  --help                 this text
`;

const { values: args } = parseArgs({
  options: {
    help: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    'out-dir': { type: 'string' },
    sizes: { type: 'string' },
    endpoints: { type: 'string', default: '5' },
    runs: { type: 'string' },
    churn: { type: 'string' },
    'spawn-changes': { type: 'string' },
    'sustained-seconds': { type: 'string' },
    'sustained-rate': { type: 'string', default: '1000' },
    only: { type: 'string' },
    'no-codec': { type: 'boolean', default: false },
    'no-osken': { type: 'boolean', default: false },
    'no-iptables': { type: 'boolean', default: false },
    'no-kube': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'external-every': { type: 'string' },
  },
});

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: "${v}" is not a positive integer`);
  return n;
}

function settingsFromArgs(): BenchSettings {
  const quick = args.quick;
  const churnChanges = positiveInt('churn', args.churn) ?? 1000;
  const only = new Set<string>(args.only ? args.only.split(',').map((s) => s.trim()) : WORKLOADS);
  for (const w of only)
    if (!(WORKLOADS as readonly string[]).includes(w)) throw new Error(`--only: unknown workload "${w}" (${WORKLOADS.join(', ')})`);
  return {
    quick,
    endpoints: positiveInt('endpoints', args.endpoints)!,
    sizes: args.sizes ? args.sizes.split(',').map((s) => positiveInt('sizes', s.trim())!) : quick ? [1000, 10000] : [1000, 10000, 50000],
    runsArg: positiveInt('runs', args.runs),
    churnChanges,
    spawnChanges: positiveInt('spawn-changes', args['spawn-changes']) ?? Math.min(100, churnChanges),
    sustainedSeconds: positiveInt('sustained-seconds', args['sustained-seconds']) ?? (quick ? 5 : 10),
    sustainedRate: positiveInt('sustained-rate', args['sustained-rate'])!,
    externalEvery: positiveInt('external-every', args['external-every']),
    only,
    withOsken: !args['no-osken'],
    withIptables: !args['no-iptables'],
    withKube: !args['no-kube'],
    withCodec: !args['no-codec'] && only.has('codec'),
  };
}

/** Progress-bar steps of the workloads chosen at one size and mix. */
function stepsOf(run: BenchRun, N: number, every: number | undefined): number {
  const { only, withOsken, withIptables, withKube, runsArg } = run.settings;
  let steps = 0;
  const clusterOnly = every === undefined;
  if (only.has('cold-sync')) {
    steps +=
      run.runs(N) * 5 + 1 + (withOsken && clusterOnly ? run.runs(N, true) : 0) + (withIptables && clusterOnly ? run.runs(N, true) : 0);
    if (withIptables && clusterOnly && run.nftSize(N)) steps += Math.min(3, runsArg ?? 3);
  }
  if (only.has('restart')) steps += run.runs(N) * 3 + 1;
  if (only.has('churn')) steps += run.churnRuns * 3 + 2 + (withKube && run.kubeSizes.includes(N) ? run.churnRuns : 0);
  if (only.has('recovery')) steps += run.runs(N, true) * 3;
  if (only.has('cli')) steps += run.runs(N, true) * 2;
  return steps;
}

async function osKenVersion(): Promise<string> {
  try {
    const { run } = await import('../spec/helpers/ovs-sandbox.js');
    return (await run('/usr/bin/python3', ['-c', 'import os_ken, sys; print(os_ken.__version__, sys.version.split()[0])'])).trim();
  } catch {
    return 'unavailable';
  }
}

async function main(run: BenchRun): Promise<void> {
  const { only, sizes, withOsken, withIptables, withKube, withCodec } = run.settings;
  const { progress } = run;
  const started = Date.now();
  progress.task('building the agent, starting ovs-vswitchd');
  buildAgent();
  run.sw = await Vswitchd.start();
  const machine: Machine = machineInfo({
    ovs: await run.sw.version(),
    osKen: withOsken ? await osKenVersion() : 'not run',
    iptables: withIptables ? await iptablesVersion('legacy') : 'not run',
  });
  if (machine.load_start[0]! > machine.cores) {
    run.note(
      `The machine was busy: load average ${machine.load_start[0]} on ${machine.cores} cores when the run started (${machine.busy_at_start.join(', ')}). Wall-clock times include waiting for a CPU; contenders take turns within each round so the load falls on all of them, and every ratio is between measurements of this run.`,
    );
  }

  const perSize = (N: number) => run.mixes.reduce((s: number, every) => s + stepsOf(run, N, every), 0);
  progress.start(sizes.reduce((s, N) => s + perSize(N), 0) + (withCodec ? 1 : 0) + (only.has('cold-sync') ? 5 : 0));

  if (only.has('cold-sync')) await startUp(run);
  for (const N of sizes) {
    for (const every of run.mixes) {
      progress.task(`${N} services${every === undefined ? '' : ' (north-south mix)'}: compiling the set, writing the baselines' files`);
      const f = prepareSize(run, N, every);
      if (only.has('cold-sync')) await coldSync(run, f);
      if (only.has('restart')) await restart(run, f);
      if (only.has('churn') || only.has('recovery')) {
        // Churn, then recovery, on one cold-started agent (so its RSS is that of an agent that started and synced once).
        const a = await run.programmedAgent(f, 'churn and recovery');
        try {
          if (only.has('churn')) await churn(run, f, a);
          if (only.has('recovery')) await recovery(run, f, a);
        } finally {
          await run.exitAgent(a);
        }
      }
      if (only.has('churn') && withKube && run.kubeSizes.includes(N)) await kubeChurn(run, f);
      if (only.has('cli')) await cliAdd(run, f);
    }
  }
  if (withCodec) await codec(run);
  progress.stop();

  machine.load_end = os.loadavg().map((x) => Math.round(x * 100) / 100);
  computeRatios(run.results);
  addMethodNotes(run);
  const outDir = resolve(args['out-dir'] ?? join(REPO, 'benchmarks', 'results'));
  writeReport(run, machine, started, { outDir, jsonFile: resolve(args.json ?? join(outDir, 'latest.json')) });
}

if (args.help) {
  process.stdout.write(USAGE);
} else {
  const run = new BenchRun(settingsFromArgs());
  if (args['cpu-prof']) {
    Agent.profileDir = resolve(args['cpu-prof']);
    mkdirSync(Agent.profileDir, { recursive: true });
  }
  main(run)
    .catch((err: Error) => {
      run.progress.stop();
      process.stderr.write(`bench: ${err.stack ?? err.message}\n`);
      process.exitCode = 1;
    })
    .finally(() => run.cleanup());
}
