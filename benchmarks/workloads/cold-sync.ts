/**
 * Cold sync: an empty bridge → everything programmed and acknowledged, one atomic bundle. ofwire
 * (ServiceProxy in its own process), `ofwire proxy --once` (whole process), Switch.bundle()
 * (library), the floor, `ovs-ofctl bundle`, os-ken and iptables-restore of kube-proxy's rules.
 */
import { join } from 'node:path';
import type { BenchRun } from '../harness/bench-run.js';
import { ofwireProxyOnce } from '../harness/cli-process.js';
import { RawConnection, timedExchange } from '../harness/floor.js';
import { expectedNatRules, natRuleCount, timedRestore } from '../harness/iptables.js';
import { ofctlBundle } from '../harness/ofctl.js';
import { OskenController } from '../harness/osken.js';
import { timedResult, type Result, type RunSample } from '../harness/results.js';
import { rowBase, type SizeFiles } from '../harness/size-files.js';
import { splitOf, type TimeSplit } from '../harness/time-split.js';

/** Measures every cold-sync contender on `f`, taking turns within each round. */
export async function coldSync(run: BenchRun, f: SizeFiles): Promise<void> {
  const { progress } = run;
  const vs = run.sw;
  const N = f.set.services;
  const n = run.runs(N);
  const nSlow = run.runs(N, true);
  const samples: Record<string, RunSample[]> = {};
  const verified: Record<string, boolean | null> = {};
  const add = (key: string, s: RunSample) => (samples[key] ??= []).push(s);
  /** Seconds of each ofwire run spent in the proxy's sync (diff, encode, bundle round trips, commit). */
  const syncShare: Record<string, number[]> = {};
  const beforeShare: Record<string, number[]> = {};
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
      if (!verified[key]) run.warn(`${what}: ${dump.length} flows and groups installed, ${want} expected`);
      return;
    }
    verified[key] = run.sameDump(`${what} at ${N} services`, reference, dump);
  };

  const mix = f.suffix ? ' north-south' : '';
  if (run.oskenFor(f.set)) {
    progress.task(`cold sync ${N}${mix}: starting os-ken`);
    run.osken = await OskenController.start(vs, join(run.tmp, `osken-${N}.json`), f.compiled.groups, f.compiled.flows);
  }
  const osken = run.osken;
  const maxRuns = Math.max(n, nSlow);
  for (let r = 0; r < maxRuns; r++) {
    // Contenders take turns within each round, so that the machine's load drifts over all of them alike.
    if (r < n) {
      progress.task(`cold sync ${N}${mix}: ofwire in-process, run ${r + 1}/${n}`);
      await vs.fresh();
      const a = await run.spawnAgent();
      await a.call({ ...run.agentSetup(f), source: 'memory' });
      await a.call({ op: 'connect' });
      const cpu0 = vs.cpuSeconds();
      const res = await a.call<{ seconds: number; messages: number; syncSeconds: number } & TimeSplit>({ op: 'startProxy' });
      add('ofwire', { seconds: res.seconds, vswitchdCpu: vs.cpuSeconds() - cpu0, peakRssMb: a.peakRssMb() });
      (syncShare.ofwire ??= []).push(res.syncSeconds);
      (beforeShare.ofwire ??= []).push(res.seconds - res.syncSeconds);
      (gcShare.ofwire ??= []).push(res.gcSeconds);
      await verify('ofwire', `ofwire in-process${mix}`);
      await run.exitAgent(a);
      progress.step();

      progress.task(`cold sync ${N}${mix}: ofwire proxy --once, run ${r + 1}/${n}`);
      await vs.fresh();
      let cpu = vs.cpuSeconds();
      const p = await ofwireProxyOnce(vs.target, f.manifest, join(run.tmp, 'usage.json'), f.set);
      add('process', { seconds: p.seconds, vswitchdCpu: vs.cpuSeconds() - cpu, peakRssMb: p.peakRssMb, processCpu: p.cpuSeconds });
      await verify('process', 'ofwire proxy --once');
      progress.step();

      progress.task(`cold sync ${N}${mix}: ofwire Switch.bundle(), run ${r + 1}/${n}`);
      await vs.fresh();
      const lib = await run.spawnAgent();
      await lib.call({ ...run.agentSetup(f), source: 'memory', library: true });
      await lib.call({ op: 'connect' });
      lib.resetPeak();
      cpu = vs.cpuSeconds();
      const lr = await lib.call<{ seconds: number }>({ op: 'libraryBundle' });
      add('library', { seconds: lr.seconds, vswitchdCpu: vs.cpuSeconds() - cpu });
      await verify('library', 'Switch.bundle()');
      await run.exitAgent(lib);
      progress.step();

      progress.task(`cold sync ${N}${mix}: floor, run ${r + 1}/${n}`);
      await vs.fresh();
      const conn = await RawConnection.open(vs.socketPath);
      cpu = vs.cpuSeconds();
      const floorSeconds = await timedExchange(conn, f.floor.bytes, f.floor.barrierXid);
      add('floor', { seconds: floorSeconds, vswitchdCpu: vs.cpuSeconds() - cpu });
      if (conn.errors.length) run.warn(`floor: the switch answered ${conn.errors.length} errors at ${N} services`);
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
      if (o.errors) run.warn(`os-ken: the switch refused ${o.errors} messages at ${N} services (first: ${o.firstError})`);
      if (o.padded)
        run.note(
          `os-ken: os-ken 2.5 leaves out the padding of a Nicira NAT action that ends a message, so every GROUP_MOD whose last bucket DNATs is short and OVS refuses it (OFPBRC_BAD_LEN) — with nat(dst=IP:PORT) and also with address-only nat(dst=IP). The os-ken contender appends the missing bytes after os-ken serializes each GROUP_MOD (${o.padded} of them at ${N} services) and keeps nat(dst=IP:PORT), so it installs exactly the same groups as ofwire (checked).`,
        );
      progress.step();
    }
    if (r < nSlow && run.iptablesFor(f.set)) {
      progress.task(`cold sync ${N}${mix}: iptables-restore, run ${r + 1}/${nSlow}`);
      const first = !('iptables' in verified);
      const s = await timedRestore(
        run.ipt,
        f.iptablesRules,
        'legacy',
        first
          ? async (ns) => {
              const got = await natRuleCount(ns, 'legacy');
              verified.iptables = got === expectedNatRules(f.set);
              if (!verified.iptables) run.warn(`iptables-restore: ${got} nat rules loaded, ${expectedNatRules(f.set)} expected`);
            }
          : undefined,
      );
      add('iptables', { seconds: s });
      progress.step();
    }
  }
  // Where the time goes, from a run of its own: counting the steps adds a little to each.
  progress.task(`cold sync ${N}${mix}: ofwire in-process, counted run`);
  await vs.fresh();
  const counted = await run.spawnAgent();
  await counted.call({ ...run.agentSetup(f), source: 'memory' });
  await counted.call({ op: 'connect' });
  coldSplit.push(await counted.call<TimeSplit>({ op: 'startProxy', split: true }));
  await run.exitAgent(counted);
  progress.step();
  run.osken?.stop();
  run.osken = undefined;
  if (run.iptablesFor(f.set) && run.nftSize(N)) {
    const nftRuns = Math.min(3, run.settings.runsArg ?? 3);
    for (let r = 0; r < nftRuns; r++) {
      progress.task(`cold sync ${N}${mix}: iptables-nft-restore, run ${r + 1}/${nftRuns}`);
      add('iptables-nft', { seconds: await timedRestore(run.ipt, f.iptablesRules, 'nft') });
      progress.step();
    }
  }
  const put = (key: string, workload: string, contender: string, more: Partial<Result> = {}) => {
    if (samples[key])
      run.results.push(timedResult(rowBase(run, f, workload, contender), samples[key], { verified: verified[key] ?? null, ...more }));
  };
  const median = (xs: number[] | undefined) => (xs ? [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] : undefined);
  put('ofwire', 'cold-sync', 'ofwire', {
    extra: {
      sync_s_median: median(syncShare.ofwire),
      before_s_median: median(beforeShare.ofwire),
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
