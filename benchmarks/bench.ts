/**
 * `npm run bench -- [--quick] [--json FILE]`: ofwire's service proxy against ovs-vswitchd, with the
 * baselines measured in the same run on the same sandboxed ovs-vswitchd.
 *
 * Workloads (N services × E endpoints, see harness/services.ts for the mix):
 *   cold-sync        empty bridge → everything programmed and acknowledged, one atomic bundle:
 *                    ofwire (ServiceProxy in its own process), `ofwire proxy --once` (whole
 *                    process), Switch.bundle() (library), the floor, `ovs-ofctl bundle`, os-ken,
 *                    iptables-restore of kube-proxy's rules
 *   churn            one endpoint change at a time → barrier ack: ofwire (MemorySource, Kubernetes
 *                    watch, library), the floor, `ovs-ofctl mod-group` per change; plus a sustained
 *                    rate of changes
 *   restart          agent restart with the services unchanged (must re-send nothing)
 *   recovery         ovs-vswitchd killed and restarted empty → full state again
 *   codec-*          benchmarks/codec (when present)
 *
 * North-south mix: with --external-every K, every size is also measured with every K-th service a
 * NodePort or a LoadBalancer with an ingress IP (harness/services.ts; 3 = a third of them), the
 * proxy given the node address NODE_IP: its rows are the same workloads with the suffix
 * `-north-south` (cold-sync-north-south, churn-north-south, …), next to the ClusterIP-only rows of
 * the same run, with the same ratio goals. os-ken and iptables-restore are not run on that mix
 * (kube-proxy's rules here cover cluster IPs only).
 *
 * Options: --quick (1k and 10k), --json FILE (default benchmarks/results/latest.json),
 * --out-dir DIR (default benchmarks/results), --sizes 1000,10000, --endpoints 5, --runs N,
 * --churn N (changes per churn run), --sustained-seconds S, --only cold-sync,churn,…,
 * --external-every K (also the north-south mix, see above), --no-codec, --no-osken, --no-iptables,
 * --no-kube, --cpu-prof DIR (V8 CPU profiles of the ofwire
 * agent's timed sections, for finding where its time goes; profiling slows it down: not for the report).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent } from './harness/agent-client.js';
import { buildAgent, buildCli } from './harness/build-agent.js';
import { ofwireCommand, ofwireProxyOnce } from './harness/cli-process.js';
import { RawConnection, encodeAllWithBarrier, encodeBundle, encodeStateDump, timedExchange } from './harness/floor.js';
import { ThrowawayNetns, expectedNatRules, iptablesVersion, kubeProxyRules, natRuleCount, timedRestore, type IptablesBackend } from './harness/iptables.js';
import { machineInfo, type Machine } from './harness/machine.js';
import { bundleFile, flowText, groupText, ofctl, ofctlBundle, ofctlModGroup, timedSpawn } from './harness/ofctl.js';
import { OskenController } from './harness/osken.js';
import { Progress } from './harness/progress.js';
import { coldSyncSvg, markdown, readmeFragment, seconds, type Goal } from './harness/report.js';
import { NORTH_SOUTH, computeRatios, latencyResult, timedResult, type Result, type RunSample } from './harness/results.js';
import {
  Churn,
  changedGroups,
  compileSet,
  flowMod,
  groupMod,
  manifestJson,
  NODE_IP,
  serviceObject,
  sliceObject,
  type CompiledSet,
  type ServiceSet,
} from './harness/services.js';
import { readdedFlows, Vswitchd } from './harness/switchd.js';
import type { PhaseSeconds } from './harness/phases.js';
import { prefixCookie, COOKIE_PREFIX_MASK } from '../lib/proxy/cookies.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));

const { values: args } = parseArgs({
  options: {
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

const quick = args.quick!;
const E = positiveInt('endpoints', args.endpoints)!;
const sizes = args.sizes ? args.sizes.split(',').map((s) => positiveInt('sizes', s.trim())!) : quick ? [1000, 10000] : [1000, 10000, 50000];
const runsArg = positiveInt('runs', args.runs);
const churnChanges = positiveInt('churn', args.churn) ?? 1000;
const spawnChanges = positiveInt('spawn-changes', args['spawn-changes']) ?? Math.min(100, churnChanges);
const sustainedSeconds = positiveInt('sustained-seconds', args['sustained-seconds']) ?? (quick ? 5 : 10);
const sustainedRate = positiveInt('sustained-rate', args['sustained-rate'])!;
const externalEvery = positiveInt('external-every', args['external-every']);
/** The service mixes measured at every size: ClusterIP only, then the north-south mix when asked for. */
const mixes: (number | undefined)[] = externalEvery === undefined ? [undefined] : [undefined, externalEvery];
const outDir = resolve(args['out-dir'] ?? join(REPO, 'benchmarks', 'results'));
const jsonFile = resolve(args.json ?? join(outDir, 'latest.json'));
const WORKLOADS = ['cold-sync', 'churn', 'restart', 'recovery', 'cli', 'codec'] as const;
const only = new Set(args.only ? args.only.split(',').map((s) => s.trim()) : WORKLOADS);
for (const w of only) if (!(WORKLOADS as readonly string[]).includes(w)) throw new Error(`--only: unknown workload "${w}" (${WORKLOADS.join(', ')})`);
const withOsken = !args['no-osken'];
const withIptables = !args['no-iptables'];
const withKube = !args['no-kube'];
const withCodec = !args['no-codec'] && only.has('codec');
if (args['cpu-prof']) {
  Agent.profileDir = resolve(args['cpu-prof']);
  mkdirSync(Agent.profileDir, { recursive: true });
}
/** iptables-nft-restore is quadratic in chains here: measured once, at the smallest size if ≤ 1000. */
const nftSize = (N: number) => N === Math.min(...sizes) && N <= 1000;
/** The Kubernetes-watch churn needs the list of N services over HTTP first: run it up to 10k. */
const kubeSizes = sizes.filter((s) => s <= 10000);

/** Runs per measurement: ≥ 5 where a run is cheap, 3 for the slow contenders and the largest size. */
function runs(services: number, slow = false): number {
  if (runsArg) return runsArg;
  if (services >= 50000) return 3;
  if (slow && services >= 10000) return 3;
  return quick && services >= 10000 ? 3 : 5;
}
const churnRuns = runsArg ? Math.min(runsArg, 3) : quick ? 2 : 3;

const results: Result[] = [];
const notes: string[] = [];
const progress = new Progress();
const tmp = mkdtempSync(join(os.tmpdir(), 'ofwire-bench-'));
const ipt = new ThrowawayNetns();
let sw: Vswitchd | undefined;
const agents = new Set<Agent>();
let osken: OskenController | undefined;

function note(text: string): void {
  if (!notes.includes(text)) notes.push(text);
}

function warn(text: string): void {
  note(text);
  progress.log(`warning: ${text}`);
}

async function spawnAgent(): Promise<Agent> {
  const a = await Agent.spawn();
  agents.add(a);
  return a;
}

async function exitAgent(a: Agent): Promise<void> {
  for (const line of a.log) warn(`ofwire agent: ${line}`);
  await a.exit();
  agents.delete(a);
}

function sameDump(what: string, reference: string[], actual: string[]): boolean {
  if (reference.length === actual.length && reference.every((l, i) => l === actual[i])) return true;
  const ref = new Set(reference);
  const act = new Set(actual);
  const missing = reference.filter((l) => !act.has(l));
  const extra = actual.filter((l) => !ref.has(l));
  warn(`${what}: installed state differs from ofwire's (${missing.length} entries missing, ${extra.length} extra; e.g. ${JSON.stringify(missing[0] ?? extra[0])})`);
  return false;
}

// ---- cold sync ----------------------------------------------------------------------------------

interface SizeFiles {
  set: ServiceSet;
  /** Appended to every workload name: '' for the ClusterIP mix, NORTH_SOUTH for the north-south mix. */
  suffix: string;
  compiled: CompiledSet;
  floor: { bytes: Buffer; barrierXid: number };
  bundleFile: string;
  groupsFile: string;
  flowsFile: string;
  manifest: string;
  iptablesRules: string;
}

function prepareSize(services: number, every: number | undefined): SizeFiles {
  const set: ServiceSet = { services, endpointsPerService: E, ...(every === undefined ? {} : { externalEvery: every }) };
  const suffix = every === undefined ? '' : NORTH_SOUTH;
  const compiled = compileSet(set);
  const floor = encodeBundle([...compiled.groups.map((g) => groupMod(g)), ...compiled.flows.map((f) => flowMod(f))]);
  const files = {
    bundleFile: join(tmp, `bundle-${services}${suffix}.txt`),
    groupsFile: join(tmp, `groups-${services}${suffix}.txt`),
    flowsFile: join(tmp, `flows-${services}${suffix}.txt`),
    manifest: join(tmp, `services-${services}${suffix}.json`),
    iptablesRules: join(tmp, `kube-proxy-${services}${suffix}.rules`),
  };
  writeFileSync(files.bundleFile, bundleFile(compiled.groups, compiled.flows));
  writeFileSync(files.groupsFile, `${compiled.groups.map(groupText).join('\n')}\n`);
  writeFileSync(files.flowsFile, `${compiled.flows.map(flowText).join('\n')}\n`);
  writeFileSync(files.manifest, manifestJson(set));
  if (iptablesFor(set)) writeFileSync(files.iptablesRules, kubeProxyRules(set));
  return { set, suffix, compiled, floor, ...files };
}

/** os-ken and iptables-restore run on the ClusterIP mix only. */
const oskenFor = (set: ServiceSet) => withOsken && set.externalEvery === undefined;
const iptablesFor = (set: ServiceSet) => withIptables && set.externalEvery === undefined;

/** The agent's setup for this set (its size and mix). */
function agentSetup(f: SizeFiles) {
  return { op: 'setup' as const, target: sw!.target, services: f.set.services, endpointsPerService: E, ...(f.set.externalEvery === undefined ? {} : { externalEvery: f.set.externalEvery }) };
}

async function coldSync(f: SizeFiles): Promise<void> {
  const vs = sw!;
  const N = f.set.services;
  const n = runs(N);
  const nSlow = runs(N, true);
  const base = (workload: string, contender: string) => ({ workload: workload + f.suffix, services: N, endpoints: E, contender });
  const samples: Record<string, RunSample[]> = {};
  const verified: Record<string, boolean | null> = {};
  const add = (key: string, s: RunSample) => (samples[key] ??= []).push(s);
  /** Seconds of each ofwire run spent in the proxy's sync (diff, encode, bundle round trips, commit). */
  const syncShare: Record<string, number[]> = {};
  /** Seconds of each ofwire run spent collecting garbage. */
  const gcShare: Record<string, number[]> = {};
  const coldSplit: TimeSplit[] = [];
  let reference: string[] | undefined;
  const verify = async (key: string, what: string) => {
    if (key in verified) return;
    const dump = await vs.canonicalDump();
    if (!reference) {
      reference = dump;
      const want = f.compiled.flows.length + f.compiled.groups.length;
      verified[key] = dump.length === want;
      if (!verified[key]) warn(`${what}: ${dump.length} flows and groups installed, ${want} expected`);
      return;
    }
    verified[key] = sameDump(`${what} at ${N} services`, reference, dump);
  };

  const mix = f.suffix ? ' north-south' : '';
  if (oskenFor(f.set)) {
    progress.task(`cold sync ${N}${mix}: starting os-ken`);
    osken = await OskenController.start(vs, join(tmp, `osken-${N}.json`), f.compiled.groups, f.compiled.flows);
  }
  const maxRuns = Math.max(n, nSlow);
  for (let r = 0; r < maxRuns; r++) {
    // Contenders take turns within each round, so that the machine's load drifts over all of them alike.
    if (r < n) {
      progress.task(`cold sync ${N}${mix}: ofwire in-process, run ${r + 1}/${n}`);
      await vs.fresh();
      const a = await spawnAgent();
      await a.call({ ...agentSetup(f), source: 'memory' });
      await a.call({ op: 'connect' });
      const cpu0 = vs.cpuSeconds();
      const res = await a.call<{ seconds: number; messages: number; syncSeconds: number } & TimeSplit>({ op: 'startProxy' });
      coldSplit.push(res);
      add('ofwire', { seconds: res.seconds, vswitchdCpu: vs.cpuSeconds() - cpu0, peakRssMb: a.peakRssMb() });
      (syncShare.ofwire ??= []).push(res.syncSeconds);
      (gcShare.ofwire ??= []).push(res.gcSeconds);
      await verify('ofwire', `ofwire in-process${mix}`);
      await exitAgent(a);
      progress.step();

      progress.task(`cold sync ${N}${mix}: ofwire proxy --once, run ${r + 1}/${n}`);
      await vs.fresh();
      let cpu = vs.cpuSeconds();
      const p = await ofwireProxyOnce(vs.target, f.manifest, join(tmp, 'usage.json'), f.set);
      add('process', { seconds: p.seconds, vswitchdCpu: vs.cpuSeconds() - cpu, peakRssMb: p.peakRssMb, processCpu: p.cpuSeconds });
      await verify('process', 'ofwire proxy --once');
      progress.step();

      progress.task(`cold sync ${N}${mix}: ofwire Switch.bundle(), run ${r + 1}/${n}`);
      await vs.fresh();
      const lib = await spawnAgent();
      await lib.call({ ...agentSetup(f), source: 'memory', library: true });
      await lib.call({ op: 'connect' });
      lib.resetPeak();
      cpu = vs.cpuSeconds();
      const lr = await lib.call<{ seconds: number }>({ op: 'libraryBundle' });
      add('library', { seconds: lr.seconds, vswitchdCpu: vs.cpuSeconds() - cpu });
      await verify('library', 'Switch.bundle()');
      await exitAgent(lib);
      progress.step();

      progress.task(`cold sync ${N}${mix}: floor, run ${r + 1}/${n}`);
      await vs.fresh();
      const conn = await RawConnection.open(vs.socketPath);
      cpu = vs.cpuSeconds();
      const floorSeconds = await timedExchange(conn, f.floor.bytes, f.floor.barrierXid);
      add('floor', { seconds: floorSeconds, vswitchdCpu: vs.cpuSeconds() - cpu });
      if (conn.errors.length) warn(`floor: the switch answered ${conn.errors.length} errors at ${N} services`);
      conn.close();
      await verify('floor', 'floor');
      progress.step();

      progress.task(`cold sync ${N}${mix}: ovs-ofctl bundle, run ${r + 1}/${n}`);
      await vs.fresh();
      cpu = vs.cpuSeconds();
      const ofctlSeconds = await ofctlBundle(vs.target, f.bundleFile);
      add('ofctl', { seconds: ofctlSeconds, vswitchdCpu: vs.cpuSeconds() - cpu });
      await verify('ofctl', 'ovs-ofctl bundle');
      progress.step();
    }
    if (r < nSlow && osken) {
      progress.task(`cold sync ${N}${mix}: os-ken, run ${r + 1}/${nSlow}`);
      await vs.fresh();
      const cpu = vs.cpuSeconds();
      let cpuEnd = 0;
      const o = await osken.programOnce(async () => {
        cpuEnd = vs.cpuSeconds();
        await verify('osken', 'os-ken');
      });
      add('osken', { seconds: o.seconds, vswitchdCpu: cpuEnd - cpu, peakRssMb: osken.peakRssMb() });
      if (o.errors) warn(`os-ken: the switch refused ${o.errors} messages at ${N} services (first: ${o.firstError})`);
      if (o.padded) note(`os-ken: os-ken 2.5 leaves out the padding of a Nicira NAT action that ends a message, so every GROUP_MOD whose last bucket DNATs is short and OVS refuses it (OFPBRC_BAD_LEN) — with nat(dst=IP:PORT) and also with address-only nat(dst=IP). The os-ken contender appends the missing bytes after os-ken serializes each GROUP_MOD (${o.padded} of them at ${N} services) and keeps nat(dst=IP:PORT), so it installs exactly the same groups as ofwire (checked).`);
      progress.step();
    }
    if (r < nSlow && iptablesFor(f.set)) {
      progress.task(`cold sync ${N}${mix}: iptables-restore, run ${r + 1}/${nSlow}`);
      const first = !('iptables' in verified);
      const s = await timedRestore(ipt, f.iptablesRules, 'legacy', first ? async (ns) => {
        const got = await natRuleCount(ns, 'legacy');
        verified.iptables = got === expectedNatRules(f.set);
        if (!verified.iptables) warn(`iptables-restore: ${got} nat rules loaded, ${expectedNatRules(f.set)} expected`);
      } : undefined);
      add('iptables', { seconds: s });
      progress.step();
    }
  }
  osken?.stop();
  osken = undefined;
  if (iptablesFor(f.set) && nftSize(N)) {
    const nftRuns = Math.min(3, runsArg ?? 3);
    for (let r = 0; r < nftRuns; r++) {
      progress.task(`cold sync ${N}${mix}: iptables-nft-restore, run ${r + 1}/${nftRuns}`);
      add('iptables-nft', { seconds: await timedRestore(ipt, f.iptablesRules, 'nft') });
      progress.step();
    }
  }
  const put = (key: string, workload: string, contender: string, more: Partial<Result> = {}) => {
    if (samples[key]) results.push(timedResult(base(workload, contender), samples[key]!, { verified: verified[key] ?? null, ...more }));
  };
  const median = (xs: number[] | undefined) => (xs ? [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] : undefined);
  put('ofwire', 'cold-sync', 'ofwire', {
    extra: {
      sync_s_median: median(syncShare.ofwire),
      gc_s_median: median(gcShare.ofwire),
      split: splitOf(coldSplit),
      note: "sync_s = the proxy's sync (services compiled in batches while the bundle is sent, encode, commit); the rest is reading the switch and the source; gc_s = garbage collection during the run",
    },
  });
  put('process', 'cold-sync-process', 'ofwire');
  put('library', 'cold-sync-library', 'ofwire');
  put('floor', 'cold-sync', 'floor');
  put('ofctl', 'cold-sync', 'ovs-ofctl-bundle');
  put('osken', 'cold-sync', 'os-ken');
  put('iptables', 'cold-sync', 'iptables-restore', { extra: { backend: 'iptables-legacy-restore' } });
  put('iptables-nft', 'cold-sync-iptables-nft', 'iptables-restore', { extra: { backend: 'iptables-nft-restore' } });
}

// ---- where ofwire's time goes ------------------------------------------------------------------

/** One timed ofwire section as the agent reports it: its length, its garbage collection, its counted steps. */
interface TimeSplit {
  seconds: number;
  gcSeconds: number;
  phases: PhaseSeconds;
}

/**
 * Medians over the runs of each counted step (harness/phases.ts), of what is left (waiting: for
 * the switch, the event loop, the source) and of garbage collection (which happens inside the
 * steps, so it overlaps them), divided by `per` (changes per run, for churn).
 */
function splitOf(runs: TimeSplit[], per = 1): Record<string, number> | undefined {
  if (!runs.length) return undefined;
  const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]! / per;
  const steps = Object.keys(runs[0]!.phases) as (keyof PhaseSeconds)[];
  const out: Record<string, number> = { total_s: med(runs.map((r) => r.seconds)) };
  for (const k of steps) out[`${k}_s`] = med(runs.map((r) => r.phases[k]));
  out.wait_s = med(runs.map((r) => r.seconds - steps.reduce((sum, k) => sum + r.phases[k], 0)));
  out.gc_s = med(runs.map((r) => r.gcSeconds));
  return out;
}

// ---- a programmed switch: restart, churn, recovery ----------------------------------------------

/** A fresh, empty switch and a new agent that programs it from scratch (a cold-started agent). */
async function programmedAgent(f: SizeFiles, purpose: string): Promise<Agent> {
  const vs = sw!;
  progress.task(`${f.set.services}${f.suffix ? ' north-south' : ''}: programming the switch for ${purpose}`);
  await vs.fresh();
  const a = await spawnAgent();
  await a.call({ ...agentSetup(f), source: 'memory' });
  await a.call({ op: 'connect' });
  await a.call({ op: 'startProxy' });
  return a;
}

/** Agent restarts on a programmed switch. */
async function restart(f: SizeFiles): Promise<void> {
  const vs = sw!;
  const N = f.set.services;
  const base = (workload: string, contender: string) => ({ workload: workload + f.suffix, services: N, endpoints: E, contender });
  const a = await programmedAgent(f, 'restart');
  try {
    {
      const n = runs(N);
      const agentRuns: RunSample[] = [];
      const processRuns: RunSample[] = [];
      const floorRuns: RunSample[] = [];
      let readded = 0;
      let processReadded = 0;
      let messages = 0;
      const restartSplit: TimeSplit[] = [];
      const dump = encodeStateDump(prefixCookie(f.compiled.options.cookiePrefix), COOKIE_PREFIX_MASK);
      for (let r = 0; r < n; r++) {
        progress.task(`restart ${N}: ofwire, run ${r + 1}/${n}`);
        let before = r === 0 ? await vs.flowDurations() : undefined;
        let cpu = vs.cpuSeconds();
        const res = await a.call<{ messages: number } & TimeSplit>({ op: 'restart' });
        restartSplit.push(res);
        // No RSS here: the stopped proxy's garbage is in the same process (restart-process has a real one).
        agentRuns.push({ seconds: res.seconds, vswitchdCpu: vs.cpuSeconds() - cpu });
        messages += res.messages;
        if (before) {
          const d = readdedFlows(before, await vs.flowDurations());
          readded += d.readded + d.missing;
        }
        progress.step();

        progress.task(`restart ${N}: ofwire proxy --once, run ${r + 1}/${n}`);
        before = r === 0 ? await vs.flowDurations() : undefined;
        cpu = vs.cpuSeconds();
        const p = await ofwireProxyOnce(vs.target, f.manifest, join(tmp, 'usage.json'), f.set);
        processRuns.push({ seconds: p.seconds, vswitchdCpu: vs.cpuSeconds() - cpu, peakRssMb: p.peakRssMb, processCpu: p.cpuSeconds });
        if (before) {
          const d = readdedFlows(before, await vs.flowDurations());
          processReadded += d.readded + d.missing;
        }
        progress.step();

        progress.task(`restart ${N}: floor (read state back), run ${r + 1}/${n}`);
        const conn = await RawConnection.open(vs.socketPath);
        cpu = vs.cpuSeconds();
        const t0 = performance.now();
        const done = Promise.all([conn.multipart(dump.flowXid), conn.multipart(dump.groupXid)]);
        conn.write(dump.bytes);
        const [flowParts] = await done;
        floorRuns.push({ seconds: (performance.now() - t0) / 1000, vswitchdCpu: vs.cpuSeconds() - cpu });
        if (r === 0 && !flowParts.length) warn(`restart floor at ${N}: empty flow dump`);
        conn.close();
        progress.step();
      }
      results.push(
        timedResult(base('restart', 'ofwire'), agentRuns, {
          flows_readded: messages + readded,
          extra: { messages_sent: messages, flows_with_reset_duration_first_run: readded, split: splitOf(restartSplit) },
        }),
      );
      results.push(
        timedResult(base('restart-process', 'ofwire'), processRuns, {
          flows_readded: processReadded,
          extra: { checked: 'flow durations across the first run' },
        }),
      );
      results.push(timedResult(base('restart', 'floor'), floorRuns));
      if (messages + readded + processReadded) warn(`restart at ${N}: ${messages} messages sent, ${readded + processReadded} flows re-added`);
    }
  } finally {
    await exitAgent(a);
  }
}

/** Churn and recovery with a cold-started agent (so its RSS is that of an agent that started and synced once). */
async function churnAndRecovery(f: SizeFiles): Promise<void> {
  const vs = sw!;
  const N = f.set.services;
  const base = (workload: string, contender: string) => ({ workload: workload + f.suffix, services: N, endpoints: E, contender });
  const expectedFlows = f.compiled.flows.length;
  const expectedGroups = f.compiled.groups.length;
  const a = await programmedAgent(f, 'churn and recovery');
  try {
    if (only.has('churn')) {
      const compiled = f.compiled;
      /** GROUP_MODs a churn stream's changes need (one per service port of the changed service). */
      const groupModsOf = (stream: number) => {
        const c = new Churn(f.set, stream);
        let n = 0;
        for (let k = 0; k < churnChanges; k++) n += compiled.ids[c.next().service]!.length;
        return n;
      };
      // ofwire: MemorySource → synced, one change at a time.
      const samples: number[] = [];
      const cpuRuns: number[] = [];
      let gcSeconds = 0;
      let churnSeconds = 0;
      const churnSplit: TimeSplit[] = [];
      for (let r = 0; r < churnRuns; r++) {
        progress.task(`churn ${N}: ofwire, ${churnChanges} changes, run ${r + 1}/${churnRuns}`);
        a.resetPeak();
        const cpu = vs.cpuSeconds();
        const t0 = performance.now();
        const res = await a.call<{ latenciesMs: number[]; messages: number } & TimeSplit>({ op: 'churn', count: churnChanges, stream: 1 + r });
        churnSeconds += (performance.now() - t0) / 1000;
        gcSeconds += res.gcSeconds;
        cpuRuns.push(vs.cpuSeconds() - cpu);
        samples.push(...res.latenciesMs);
        const expected = groupModsOf(1 + r);
        if (res.messages !== expected) note(`churn${f.suffix} at ${N}: ${res.messages} messages for ${churnChanges} changes (expected ${expected}: one GROUP_MOD per service port)`);
        progress.step();
      }
      // Where the time goes, from a run of its own: counting adds a little to each change.
      progress.task(`churn ${N}: ofwire, where the time goes`);
      churnSplit.push(await a.call<TimeSplit>({ op: 'churn', count: churnChanges, stream: 1 + churnRuns, split: true }));
      const agentPeak = a.peakRssMb();
      results.push(
        latencyResult(base('churn', 'ofwire'), samples, churnRuns, {
          vswitchd_cpu_s: cpuRuns.reduce((x, y) => x + y, 0),
          peak_rss_mb: agentPeak,
          rss_mb: a.rssMb(),
          extra: { gc_share: churnSeconds > 0 ? gcSeconds / churnSeconds : undefined, split: splitOf(churnSplit, churnChanges) },
        }),
      );

      progress.task(`churn ${N}: sustained ${sustainedRate}/s for ${sustainedSeconds} s`);
      const cpuS = vs.cpuSeconds();
      const s = await a.call<{ latenciesMs: number[]; changes: number; covered: number; issuedRate: number; achievedRate: number; syncs: number; messages: number }>({
        op: 'sustained',
        rate: sustainedRate,
        seconds: sustainedSeconds,
        stream: 10,
      });
      results.push(
        latencyResult(base('churn-sustained', 'ofwire'), s.latenciesMs, 1, {
          vswitchd_cpu_s: vs.cpuSeconds() - cpuS,
          peak_rss_mb: a.peakRssMb(),
          extra: { offered: sustainedRate, issued: s.issuedRate, achieved: s.achievedRate, syncs: s.syncs, messages: s.messages, changes: s.changes },
        }),
      );
      if (s.covered < s.changes) warn(`sustained churn at ${N}: only ${s.covered} of ${s.changes} changes acknowledged within 30 s after the end`);
      progress.step();

      // The library alone: GROUP_MOD + barrier through Switch.request().
      const lib: number[] = [];
      let libCpu = 0;
      for (let r = 0; r < churnRuns; r++) {
        progress.task(`churn ${N}: ofwire Switch.request(), run ${r + 1}/${churnRuns}`);
        const cpu = vs.cpuSeconds();
        const res = await a.call<{ latenciesMs: number[] }>({ op: 'libraryChurn', count: churnChanges, stream: 20 + r });
        libCpu += vs.cpuSeconds() - cpu;
        lib.push(...res.latenciesMs);
        progress.step();
      }
      results.push(latencyResult(base('churn-library', 'ofwire'), lib, churnRuns, { vswitchd_cpu_s: libCpu }));

      // The floor: the same kind of change pre-encoded, written raw, one at a time.
      const floor: number[] = [];
      let floorCpu = 0;
      for (let r = 0; r < churnRuns; r++) {
        progress.task(`churn ${N}: floor, run ${r + 1}/${churnRuns}`);
        const c = new Churn(f.set, 30 + r);
        const msgs = [];
        for (let k = 0; k < churnChanges; k++) {
          const ch = c.next();
          msgs.push(encodeAllWithBarrier(changedGroups(f.set, compiled, ch.service, ch.overrides).map((g) => groupMod(g, 1)), 1000 + 4 * k));
        }
        const conn = await RawConnection.open(vs.socketPath);
        const cpu = vs.cpuSeconds();
        for (const m of msgs) floor.push((await timedExchange(conn, m.bytes, m.barrierXid)) * 1000);
        floorCpu += vs.cpuSeconds() - cpu;
        if (conn.errors.length) warn(`churn floor at ${N}: ${conn.errors.length} errors`);
        conn.close();
        progress.step();
      }
      results.push(latencyResult(base('churn', 'floor'), floor, churnRuns, { vswitchd_cpu_s: floorCpu }));

      progress.task(`churn ${N}: ovs-ofctl mod-group × ${spawnChanges}`);
      const spawn: number[] = [];
      const c = new Churn(f.set, 40);
      const cpu = vs.cpuSeconds();
      for (let k = 0; k < spawnChanges; k++) {
        const ch = c.next();
        // One process per group: a change of an external service is two `mod-group`s.
        let seconds = 0;
        for (const g of changedGroups(f.set, compiled, ch.service, ch.overrides)) seconds += await ofctlModGroup(vs.target, g);
        spawn.push(seconds * 1000);
      }
      results.push(latencyResult(base('churn', 'ovs-ofctl-spawn'), spawn, 1, { vswitchd_cpu_s: vs.cpuSeconds() - cpu }));
      if (spawnChanges < churnChanges) note(`ovs-ofctl-spawn: ${spawnChanges} changes per size, not ${churnChanges} (one process per change, ~25 ms apiece here).`);
      progress.step();
    }

    if (only.has('recovery')) {
      const n = runs(N, true);
      const samples: Record<string, RunSample[]> = { ofwire: [], floor: [], ofctl: [] };
      const socketUp: Record<string, number[]> = { ofwire: [], floor: [], ofctl: [] };
      /** ofwire: from vswitchd's start to the Switch's reconnection (its backoff). */
      const reconnected: number[] = [];
      await a.call({ op: 'forwardSynced', on: true });
      const check = async (what: string) => {
        const [fl, gr] = [await vs.flowCount(), await vs.groupCount()];
        if (fl !== expectedFlows || gr !== expectedGroups) warn(`recovery (${what}) at ${N}: ${fl} flows and ${gr} groups, ${expectedFlows} and ${expectedGroups} expected`);
      };
      /** Kills vswitchd, restarts it; `program` runs once its socket answers; returns seconds from its start. */
      const restartAnd = async (key: string, program: (t0: bigint) => Promise<bigint>) => {
        await vs.kill();
        const t0 = process.hrtime.bigint();
        const started = vs.startDaemon();
        await vs.waitForSocket();
        const tSock = process.hrtime.bigint();
        const cpu0 = vs.cpuSeconds();
        const tEnd = await program(t0);
        await started;
        samples[key]!.push({ seconds: Number(tEnd - t0) / 1e9, vswitchdCpu: vs.cpuSeconds() - cpu0 });
        socketUp[key]!.push(Number(tSock - t0) / 1e9);
      };
      for (let r = 0; r < n; r++) {
        progress.task(`recovery ${N}: ofwire, run ${r + 1}/${n}`);
        if (r > 0) {
          // Back on the switch the previous baseline programmed (same state: nothing to send).
          await a.call({ op: 'connect' });
          await a.call({ op: 'startProxy' });
        }
        const connected = a.nextConnected();
        await restartAnd('ofwire', async (t0) => {
          const e = await a.nextSynced((x) => x.full && x.messages > 0 && x.hrtime > t0);
          reconnected.push(Number((await connected) - t0) / 1e9);
          return e.hrtime;
        });
        await a.call({ op: 'whenSynced' });
        await check('ofwire');
        // The baselines must be alone on the switch: the agent lets go of it.
        await a.call({ op: 'disconnect' });
        progress.step();
        progress.task(`recovery ${N}: floor, run ${r + 1}/${n}`);
        await restartAnd('floor', async () => {
          const conn = await RawConnection.open(vs.socketPath);
          const done = conn.barrierReply(f.floor.barrierXid);
          conn.write(f.floor.bytes);
          await done;
          const t = process.hrtime.bigint();
          if (conn.errors.length) warn(`recovery floor at ${N}: ${conn.errors.length} errors`);
          conn.close();
          return t;
        });
        await check('floor');
        progress.step();
        progress.task(`recovery ${N}: ovs-ofctl bundle, run ${r + 1}/${n}`);
        await restartAnd('ofctl', async () => {
          const r2 = await timedSpawn('ovs-ofctl', ['-O', 'OpenFlow13', 'bundle', vs.target, f.bundleFile]);
          if (r2.code !== 0) throw new Error(`ovs-ofctl bundle failed: ${r2.stderr.trim()}`);
          return process.hrtime.bigint();
        });
        await check('ovs-ofctl bundle');
        progress.step();
      }
      await a.call({ op: 'forwardSynced', on: false });
      const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
      results.push(timedResult(base('recovery', 'ofwire'), samples.ofwire!, { extra: { socket_up_s: med(socketUp.ofwire!), reconnected_s: med(reconnected) } }));
      results.push(timedResult(base('recovery', 'floor'), samples.floor!, { extra: { socket_up_s: med(socketUp.floor!) } }));
      results.push(timedResult(base('recovery', 'ovs-ofctl-bundle'), samples.ofctl!, { extra: { socket_up_s: med(socketUp.ofctl!) } }));
    }
  } finally {
    await exitAgent(a);
  }
}

// ---- the Kubernetes watch → barrier -------------------------------------------------------------

async function kubeChurn(f: SizeFiles): Promise<void> {
  const helper = join(REPO, 'spec', 'helpers', 'fake-apiserver.ts');
  if (!existsSync(helper)) {
    note('churn-kube: spec/helpers/fake-apiserver.ts is missing; the Kubernetes-watch latency was not measured.');
    return;
  }
  const { FakeApiServer } = await import('../spec/helpers/fake-apiserver.js');
  const vs = sw!;
  const N = f.set.services;
  progress.task(`churn ${N}: Kubernetes watch, loading ${N} services into the fake API server`);
  const api = await FakeApiServer.start();
  let a: Agent | undefined;
  try {
    for (let i = 0; i < N; i++) {
      api.upsert(serviceObject(i, f.set) as never);
      api.upsert(sliceObject(f.set, i) as never);
    }
    const kubeconfig = api.writeKubeconfig(tmp, `kubeconfig-${N}`);
    await vs.fresh();
    a = await spawnAgent();
    await a.call({ ...agentSetup(f), source: 'kube', kubeconfig });
    await a.call({ op: 'connect' });
    await a.call({ op: 'startProxy' });
    await a.call({ op: 'forwardSynced', on: true });
    const samples: number[] = [];
    let cpu = 0;
    for (let r = 0; r < churnRuns; r++) {
      progress.task(`churn ${N}: Kubernetes watch, run ${r + 1}/${churnRuns}`);
      const c = new Churn(f.set, 50 + r);
      const cpu0 = vs.cpuSeconds();
      for (let k = 0; k < churnChanges; k++) {
        const ch = c.next();
        const obj = sliceObject(f.set, ch.service, ch.overrides);
        const t0 = process.hrtime.bigint();
        const done = a.nextSynced((e) => e.hrtime > t0 && e.messages > 0);
        api.upsert(obj as never);
        const e = await done;
        samples.push(Number(e.hrtime - t0) / 1e6);
      }
      cpu += vs.cpuSeconds() - cpu0;
      progress.step();
    }
    results.push(
      latencyResult({ workload: `churn-kube${f.suffix}`, services: N, endpoints: E, contender: 'ofwire' }, samples, churnRuns, {
        vswitchd_cpu_s: cpu,
        peak_rss_mb: a.peakRssMb(),
        rss_mb: a.rssMb(),
        extra: { from: 'the fake API server writing the watch event (same host, another process)', to: "the proxy's synced event" },
      }),
    );
  } finally {
    if (a) await exitAgent(a);
    await api.close();
  }
}

// ---- the CLI: `--bundle add-groups` then `--bundle add-flows`, as an operator would type them ----------

async function cliAdd(f: SizeFiles): Promise<void> {
  const vs = sw!;
  const N = f.set.services;
  const n = runs(N, true);
  const samples: Record<'ofwire' | 'ofctl', RunSample[]> = { ofwire: [], ofctl: [] };
  let reference: string[] | undefined;
  let verified: boolean | null = null;
  const both = async (cmd: (args: readonly string[]) => Promise<number>) => {
    const cpu = vs.cpuSeconds();
    let seconds = await cmd(['--bundle', 'add-groups', vs.target, f.groupsFile]);
    seconds += await cmd(['--bundle', 'add-flows', vs.target, f.flowsFile]);
    return { seconds, vswitchdCpu: vs.cpuSeconds() - cpu };
  };
  for (let r = 0; r < n; r++) {
    progress.task(`cli ${N}: ofwire --bundle add-groups + add-flows, run ${r + 1}/${n}`);
    await vs.fresh();
    samples.ofwire.push(await both(ofwireCommand));
    if (!reference) reference = await vs.canonicalDump();
    progress.step();
    progress.task(`cli ${N}: ovs-ofctl --bundle add-groups + add-flows, run ${r + 1}/${n}`);
    await vs.fresh();
    samples.ofctl.push(await both(ofctl));
    if (verified === null) verified = sameDump(`ovs-ofctl --bundle add-groups/add-flows at ${N} services`, reference, await vs.canonicalDump());
    progress.step();
  }
  const entries = f.compiled.groups.length + f.compiled.flows.length;
  const base = (contender: string) => ({ workload: `cli-add${f.suffix}`, services: N, endpoints: E, contender });
  results.push(timedResult(base('ofwire'), samples.ofwire, { verified, extra: { groups_and_flows: entries } }));
  results.push(timedResult(base('ovs-ofctl-bundle'), samples.ofctl, { verified, extra: { groups_and_flows: entries } }));
}

// ---- codec ----------------------------------------------------------------------------------------

async function codec(): Promise<void> {
  const entry = join(REPO, 'benchmarks', 'codec', 'codec.bench.ts');
  if (!existsSync(entry)) {
    note('codec: benchmarks/codec/codec.bench.ts does not exist yet; no codec results.');
    return;
  }
  progress.task('codec micro-benchmarks (benchmarks/codec)');
  const out = join(tmp, 'codec.json');
  const r = await timedSpawn('npx', ['tsx', entry, '--json', out]);
  progress.step();
  if (r.code !== 0 || !existsSync(out)) {
    warn(`codec: benchmarks/codec/codec.bench.ts failed (${r.code}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    return;
  }
  const data = JSON.parse(readFileSync(out, 'utf8')) as {
    rows?: { workload: string; contender: string; unit?: string; runs?: unknown[]; cpu?: { median: number; min?: number; max?: number } }[];
  };
  for (const row of data.rows ?? []) {
    if (!row.cpu || !(row.cpu.median > 0)) continue;
    const slug = row.workload.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const contender = row.contender.startsWith('ofwire') ? 'ofwire' : row.contender.startsWith('os-ken') ? 'os-ken' : row.contender;
    const rate = row.cpu.median;
    results.push({
      workload: `codec-${slug}`,
      services: 0,
      endpoints_per_service: 0,
      contender,
      runs: Array.isArray(row.runs) ? row.runs.length : 0,
      median_s: 1 / rate,
      min_s: row.cpu.max ? 1 / row.cpu.max : 1 / rate,
      max_s: row.cpu.min ? 1 / row.cpu.min : 1 / rate,
      extra: { label: row.contender, unit: row.unit, rate_per_s: rate },
    });
  }
  note('codec-*: rows from benchmarks/codec/codec.bench.ts (its own runs and goals, CPU time per item); median_s is seconds per message or entry.');
}

// ---- process start-up (the part of `ofwire proxy --once` that is not the work) -------------------

async function startUp(): Promise<void> {
  const main = buildCli();
  const n = 5;
  const node: RunSample[] = [];
  const cli: RunSample[] = [];
  for (let r = 0; r < n; r++) {
    progress.task(`process start-up, run ${r + 1}/${n}`);
    node.push({ seconds: (await timedSpawn(process.execPath, ['-e', ''])).seconds });
    const h = await timedSpawn(process.execPath, [main, '--help']);
    if (h.code !== 0) throw new Error(`ofwire --help failed: ${h.stderr.trim()}`);
    cli.push({ seconds: h.seconds });
    progress.step();
  }
  const b = (contender: string, label: string) => ({ workload: 'process-start-up', services: 0, endpoints: 0, contender, label });
  results.push(timedResult(b('node', "node -e ''"), node, { extra: { label: "node -e ''" } }));
  results.push(timedResult(b('ofwire', 'ofwire --help'), cli, { extra: { label: 'ofwire --help (Node + loading the CLI)' } }));
}

// ---- goals ----------------------------------------------------------------------------------------

function goals(): Goal[] {
  const at = (workload: string, contender: string, n: number) => results.find((r) => r.workload === workload && r.contender === contender && r.services === n);
  const sizeFor = sizes.includes(10000) ? 10000 : Math.max(...sizes);
  const where = sizeFor === 10000 ? '10k' : `${sizeFor} services (10k not run)`;
  const out: Goal[] = [];
  const ratioGoal = (goal: string, a: Result | undefined, b: Result | undefined, max: number, pick: (r: Result) => number = (r) => r.median_s) => {
    if (!a || !b) return out.push({ goal, target: `≤ ${max}×`, measured: 'not measured', met: null });
    const x = pick(a) / pick(b);
    out.push({ goal, target: `≤ ${max}×`, measured: `${x.toFixed(2)}× (${seconds(pick(a))} vs ${seconds(pick(b))})`, met: x <= max });
  };
  const floorRatioGoal = (goal: string, n: number, workload: string, max: number) =>
    ratioGoal(goal, at(workload, 'ofwire', n), at(workload, 'floor', n), max);
  for (const n of new Set([sizeFor, 50000])) {
    if (n === sizeFor || sizes.includes(n)) floorRatioGoal(`cold sync, ${n === sizeFor ? where : '50k'}: ofwire (in-process) ÷ floor`, n, 'cold-sync', 1.5);
  }
  ratioGoal(`cold sync, ${where}: \`ofwire proxy --once\` (whole process) ÷ ovs-ofctl bundle`, at('cold-sync-process', 'ofwire', sizeFor), at('cold-sync', 'ovs-ofctl-bundle', sizeFor), 1.0);
  const once = at('cold-sync-process', 'ofwire', sizeFor);
  out.push({ goal: `cold sync, ${where}: peak RSS of \`ofwire proxy --once\``, target: '≤ 150 MB', measured: once?.peak_rss_mb ? `${once.peak_rss_mb.toFixed(0)} MB` : 'not measured', met: once?.peak_rss_mb ? once.peak_rss_mb <= 150 : null });
  ratioGoal(`cold sync, ${where}: Switch.bundle() (library) ÷ floor`, at('cold-sync-library', 'ofwire', sizeFor), at('cold-sync', 'floor', sizeFor), 1.5);
  // Against what people use today: reported, with the floor's own ratio beside (how far any OpenFlow program could get).
  const ofw = at('cold-sync', 'ofwire', sizeFor);
  const floorCold = at('cold-sync', 'floor', sizeFor);
  for (const [name, contender] of [['os-ken', 'os-ken'], ['iptables-restore', 'iptables-restore']] as const) {
    const other = at('cold-sync', contender, sizeFor);
    out.push({
      goal: `cold sync, ${where}: ofwire vs ${name} (reported)`,
      target: 'reported',
      measured:
        ofw && other && floorCold
          ? `${(other.median_s / ofw.median_s).toFixed(1)}× faster (${seconds(ofw.median_s)} vs ${seconds(other.median_s)}); the floor: ${(other.median_s / floorCold.median_s).toFixed(1)}×`
          : 'not measured',
      met: null,
    });
  }
  const restart = at('restart', 'ofwire', sizeFor);
  ratioGoal(`restart with nothing changed, ${where}: ofwire ÷ floor's read-back`, restart, at('restart', 'floor', sizeFor), 3);
  if (restart) out.push({ goal: `restart with nothing changed, ${where}: messages sent`, target: '0', measured: String(restart.flows_readded ?? 0), met: (restart.flows_readded ?? 0) === 0 });
  const latencyGoal = (goal: string, r: Result | undefined, p50PlusUs: number, p99Times?: number, floorChurn = at('churn', 'floor', sizeFor)) => {
    const target = `p50 ≤ floor p50 + ${p50PlusUs} µs${p99Times ? `, p99 ≤ ${p99Times}× floor p99` : ''}`;
    if (!r || !floorChurn) return out.push({ goal, target, measured: 'not measured', met: null });
    const p50Ok = r.median_s <= floorChurn.median_s + p50PlusUs / 1e6;
    const p99Ok = !p99Times || r.p99_s! <= p99Times * floorChurn.p99_s!;
    out.push({
      goal,
      target,
      measured: `p50 ${seconds(r.median_s)}, p99 ${seconds(r.p99_s)} (floor ${seconds(floorChurn.median_s)}, ${seconds(floorChurn.p99_s)})`,
      met: p50Ok && p99Ok,
    });
  };
  latencyGoal(`endpoint change → barrier ack, ${where} installed (MemorySource)`, at('churn', 'ofwire', sizeFor), 50, 2);
  latencyGoal(`endpoint change → barrier ack, ${where} installed (Kubernetes watch event)`, at('churn-kube', 'ofwire', sizeFor), 150);
  latencyGoal(`Switch.request(GROUP_MOD) → barrier ack, ${where} installed`, at('churn-library', 'ofwire', sizeFor), 20);
  if (externalEvery !== undefined) {
    // The north-south mix: the same ratio goals as the ClusterIP-only mix, against the floor on the same mix.
    const ns = `${where}, 1 in ${externalEvery} services NodePort/LoadBalancer`;
    floorRatioGoal(`cold sync, ${ns}: ofwire (in-process) ÷ floor`, sizeFor, `cold-sync${NORTH_SOUTH}`, 1.5);
    latencyGoal(`endpoint change → barrier ack, ${ns} (MemorySource)`, at(`churn${NORTH_SOUTH}`, 'ofwire', sizeFor), 50, 2, at(`churn${NORTH_SOUTH}`, 'floor', sizeFor));
  }
  const rssRows = results.filter((r) => r.contender === 'ofwire' && r.services === sizeFor && ['cold-sync', 'churn'].includes(r.workload));
  if (rssRows.length) {
    const peak = Math.max(...rssRows.map((r) => r.peak_rss_mb ?? 0));
    out.push({ goal: `peak RSS of the ofwire agent, ${where} × ${E} endpoints (cold sync and churn)`, target: '≤ 150 MB', measured: `${peak.toFixed(0)} MB`, met: peak <= 150 });
  }
  const big = results.filter((r) => r.contender === 'ofwire' && r.services === 50000 && ['cold-sync', 'churn'].includes(r.workload));
  if (big.length) out.push({ goal: `peak RSS of the ofwire agent, 50k × ${E} endpoints`, target: 'reported', measured: `${Math.max(...big.map((r) => r.peak_rss_mb ?? 0)).toFixed(0)} MB`, met: null });
  const cliOfw = at('cli-add', 'ofwire', sizeFor);
  const cliEntries = (cliOfw?.extra as { groups_and_flows?: number } | undefined)?.groups_and_flows;
  ratioGoal(`\`ofwire --bundle add-groups\` + \`add-flows\` (two processes, start-up included), ${where}${cliEntries ? ` (${Math.round(cliEntries / 1000)}k groups and flows)` : ''} ÷ the same ovs-ofctl commands`, cliOfw, at('cli-add', 'ovs-ofctl-bundle', sizeFor), 1.0);
  return out;
}

// ---- main -----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  progress.task('building the agent, starting ovs-vswitchd');
  buildAgent();
  sw = await Vswitchd.start();
  const machine: Machine = machineInfo({
    ovs: await sw.version(),
    osKen: withOsken ? await (async () => {
      try {
        const { run } = await import('../spec/helpers/ovs-sandbox.js');
        return (await run('/usr/bin/python3', ['-c', 'import os_ken, sys; print(os_ken.__version__, sys.version.split()[0])'])).trim();
      } catch {
        return 'unavailable';
      }
    })() : 'not run',
    iptables: withIptables ? await iptablesVersion('legacy') : 'not run',
  });
  if (machine.load_start[0]! > machine.cores) {
    note(`The machine was busy: load average ${machine.load_start[0]} on ${machine.cores} cores when the run started (${machine.busy_at_start.join(', ')}). Wall-clock times include waiting for a CPU; contenders take turns within each round so the load falls on all of them, and every ratio is between measurements of this run.`);
  }

  const perMix = (N: number, every: number | undefined) => {
    let steps = 0;
    const clusterOnly = every === undefined;
    if (only.has('cold-sync')) {
      steps += runs(N) * 5 + (withOsken && clusterOnly ? runs(N, true) : 0) + (withIptables && clusterOnly ? runs(N, true) : 0);
      if (withIptables && clusterOnly && nftSize(N)) steps += Math.min(3, runsArg ?? 3);
    }
    if (only.has('restart')) steps += runs(N) * 3;
    if (only.has('churn')) steps += churnRuns * 3 + 2 + (withKube && kubeSizes.includes(N) ? churnRuns : 0);
    if (only.has('recovery')) steps += runs(N, true) * 3;
    if (only.has('cli')) steps += runs(N, true) * 2;
    return steps;
  };
  const perSize = (N: number) => mixes.reduce((s: number, every) => s + perMix(N, every), 0);
  progress.start(sizes.reduce((s, N) => s + perSize(N), 0) + (withCodec ? 1 : 0) + (only.has('cold-sync') ? 5 : 0));

  if (only.has('cold-sync')) await startUp();
  for (const N of sizes) {
    for (const every of mixes) {
      progress.task(`${N} services${every === undefined ? '' : ' (north-south mix)'}: compiling the set, writing the baselines' files`);
      const f = prepareSize(N, every);
      if (only.has('cold-sync')) await coldSync(f);
      if (only.has('restart')) await restart(f);
      if (only.has('churn') || only.has('recovery')) await churnAndRecovery(f);
      if (only.has('churn') && withKube && kubeSizes.includes(N)) await kubeChurn(f);
      if (only.has('cli')) await cliAdd(f);
    }
  }
  if (withCodec) await codec();
  progress.stop();

  machine.load_end = os.loadavg().map((x) => Math.round(x * 100) / 100);
  computeRatios(results);
  note(`Service mix: each service is ClusterIP, one TCP port 80 → 8080, ${E} ready endpoints with distinct pod IPs in one EndpointSlice; 1 endpoint in 100 is on this node (hairpin flows); proxy options are the defaults plus nodeName. TCP with ${E} endpoints compiles to one select group (${E} buckets plus one weight-1 bucket that evens OVS's hash split) and one service flow per service, plus the hairpin flows and 11 fixed flows.`);
  if (externalEvery !== undefined) {
    note(`North-south mix (rows \`…${NORTH_SOUTH}\`): the same services, except that every ${externalEvery}${externalEvery === 2 ? 'nd' : externalEvery === 3 ? 'rd' : 'th'} service (i mod ${externalEvery} = 0) is a NodePort (TCP node port on ${NODE_IP}) or, alternately, a LoadBalancer with one ingress IP and no node port; externalTrafficPolicy Cluster, so their external frontends SNAT to the node address. The proxy is given the node address (nodeIPs and nodePortAddresses ${NODE_IP}; \`--node-ip ${NODE_IP} --nodeport-addresses primary\` for \`ofwire proxy --once\`). An external service has two service ports (its cluster IP and its external frontend), each one select group and service flow, plus a SNAT flow; a churn step on it is two GROUP_MODs (the floor writes both and one barrier; ovs-ofctl-spawn runs \`mod-group\` twice, the row's latency is their sum). os-ken and iptables-restore are not run on this mix.`);
  }
  note('Every contender programs the same groups and flows: generated once per size with ofwire\'s compiler; the floor sends them pre-encoded, ovs-ofctl gets them as text printed by ofwire\'s formatter, os-ken builds them with its own parser. After the first run of each, `ovs-ofctl dump-flows --no-stats` and `dump-groups` of the bridge are compared with ofwire\'s ("check" column).');
  note('Each cold-sync run starts on a freshly restarted ovs-vswitchd (empty bridge). ofwire in-process: a new agent process (ServiceProxy + MemorySource, loaded before the clock), timed from proxy.start() to whenSynced() (reading the empty switch, compiling, one bundle, acknowledged). `ofwire proxy --once`: spawn to exit, Node start-up and the JSON manifest included. Floor: OPEN, every ADD, CLOSE, COMMIT and a BARRIER written at once, to the barrier reply. ovs-ofctl: `ovs-ofctl -O OpenFlow13 bundle BR FILE`, spawn to exit. os-ken: from its features event (building the messages included) to its barrier reply, over TCP on 127.0.0.1 (the others use the unix socket).');
  note('The ofwire processes (agent and CLI) run the current sources transpiled to JavaScript (node_modules/.cache/ofwire-bench), without a TypeScript loader, so RSS and start-up are the product\'s. The agent\'s RSS includes Node itself (about 60 MB idle here) and the MemorySource\'s copy of the services.');
  note('Churn and recovery run with an agent that started and programmed an empty switch (a cold start, like the cold-sync agent), so its RSS is that of a running agent; the restarts run on their own agent before.');
  note('Churn: each change replaces the address of one endpoint of one service (never a local endpoint, so it is exactly one GROUP_MOD per service port: one for a ClusterIP service); ofwire is timed from upsertEndpointSlice() to the proxy\'s `synced` event for it, the floor from writing GROUP_MOD+BARRIER to the barrier reply, ovs-ofctl-spawn from spawn to exit. Latencies are pooled over the runs. vswitchd CPU per change = its CPU time over the runs ÷ changes.');
  note(`Sustained churn: ${sustainedRate} changes/s offered for ${sustainedSeconds} s (changes issued by a 1 ms timer); a change's latency ends at the \`synced\` event of the first sync that started after the proxy received it.`);
  note('Restart: the agent stops its ServiceProxy, closes the connection, connects again and starts a new ServiceProxy on the same source state; timed from start() to whenSynced(). "re-added" = messages the new proxy sent plus flows whose duration was reset (first run). restart-process = `ofwire proxy --once` on the programmed bridge. Floor = reading the proxy\'s flows (by cookie) and all groups back on a raw socket. The in-process restart has no RSS figure (the stopped proxy\'s garbage is in the same process); restart-process gives the RSS of a real restarted process.');
  note('Recovery: ovs-vswitchd is SIGKILLed and started again; timed from just before starting it to: ofwire — the proxy\'s full `synced` event after its Switch reconnected (backoff starting at 100 ms) and reprogrammed; floor and ovs-ofctl — their bundle finished, having polled the socket every 2 ms. "socket up" is when the management socket first accepted a connection, "reconnected" when ofwire\'s Switch was connected again (both from the start of ovs-vswitchd).');
  note('iptables-restore: iptables-legacy-restore --noflush of kube-proxy-style rules (KUBE-SERVICES → KUBE-SVC-* with statistic-random jumps → KUBE-SEP-* with masquerade mark and DNAT) in a new network namespace per run, spawn to exit. The nf_tables backend (Debian\'s default `iptables-restore`) is quadratic here with this many chains, so it is measured at the smallest size only, when that is at most 1000 services (cold-sync-iptables-nft).');
  const goalList = goals();
  const input = { machine, results, goals: goalList, notes, settings: { quick, sizes, endpoints: E, churnChanges, spawnChanges, sustainedSeconds, sustainedRate, minutes: (Date.now() - started) / 60000 } };
  const md = markdown(input);
  mkdirSync(outDir, { recursive: true });
  mkdirSync(dirname(jsonFile), { recursive: true });
  writeFileSync(join(outDir, 'latest.md'), md);
  writeFileSync(join(outDir, 'cold-sync.svg'), coldSyncSvg(results, machine));
  writeFileSync(join(outDir, 'README-fragment.md'), readmeFragment(input));
  writeFileSync(jsonFile, `${JSON.stringify({ machine, settings: input.settings, goals: goalList, results, notes }, null, 2)}\n`);
  process.stdout.write(`${md}\n`);
  process.stderr.write(`wrote ${jsonFile}, ${join(outDir, 'latest.md')}, cold-sync.svg and README-fragment.md in ${outDir} (${((Date.now() - started) / 60000).toFixed(1)} min)\n`);
}

async function cleanup(): Promise<void> {
  progress.stop();
  osken?.stop();
  for (const a of agents) a.kill();
  ipt.remove();
  await sw?.close();
  rmSync(tmp, { recursive: true, force: true });
}

main()
  .catch((err: Error) => {
    progress.stop();
    process.stderr.write(`bench: ${err.stack ?? err.message}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
