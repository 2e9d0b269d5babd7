/**
 * Churn: one endpoint change at a time → barrier ack, on a programmed switch. ofwire (MemorySource
 * → `synced`, then a sustained rate of changes, then the library's GROUP_MOD + barrier), the floor,
 * and `ovs-ofctl mod-group` per change.
 */
import type { Agent } from '../harness/agent-client.js';
import type { BenchRun } from '../harness/bench-run.js';
import { RawConnection, encodeAllWithBarrier, timedExchange } from '../harness/floor.js';
import { ofctlModGroup } from '../harness/ofctl.js';
import { latencyResult } from '../harness/results.js';
import { Churn, changedGroups, groupMod } from '../harness/services.js';
import { rowBase, type SizeFiles } from '../harness/size-files.js';
import { splitOf, type TimeSplit } from '../harness/time-split.js';
import { sustainedChurn } from './sustained-churn.js';

/** Measures every churn contender on the switch the agent `a` programmed with `f`. */
export async function churn(run: BenchRun, f: SizeFiles, a: Agent): Promise<void> {
  const { progress, churnRuns } = run;
  const { churnChanges, spawnChanges } = run.settings;
  const vs = run.sw;
  const N = f.set.services;
  const base = (workload: string, contender: string) => rowBase(run, f, workload, contender);
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
    if (res.messages !== expected)
      run.note(
        `churn${f.suffix} at ${N}: ${res.messages} messages for ${churnChanges} changes (expected ${expected}: one GROUP_MOD per service port)`,
      );
    progress.step();
  }
  // Where the time goes, from a run of its own: counting adds a little to each change.
  progress.task(`churn ${N}: ofwire, where the time goes`);
  churnSplit.push(await a.call<TimeSplit>({ op: 'churn', count: churnChanges, stream: 1 + churnRuns, split: true }));
  const agentPeak = a.peakRssMb();
  run.results.push(
    latencyResult(base('churn', 'ofwire'), samples, churnRuns, {
      vswitchd_cpu_s: cpuRuns.reduce((x, y) => x + y, 0),
      peak_rss_mb: agentPeak,
      rss_mb: a.rssMb(),
      extra: { gc_share: churnSeconds > 0 ? gcSeconds / churnSeconds : undefined, split: splitOf(churnSplit, churnChanges) },
    }),
  );

  await sustainedChurn(run, f, a);

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
  run.results.push(latencyResult(base('churn-library', 'ofwire'), lib, churnRuns, { vswitchd_cpu_s: libCpu }));

  // The floor: the same kind of change pre-encoded, written raw, one at a time.
  const floor: number[] = [];
  let floorCpu = 0;
  for (let r = 0; r < churnRuns; r++) {
    progress.task(`churn ${N}: floor, run ${r + 1}/${churnRuns}`);
    const c = new Churn(f.set, 30 + r);
    const msgs = [];
    for (let k = 0; k < churnChanges; k++) {
      const ch = c.next();
      msgs.push(
        encodeAllWithBarrier(
          changedGroups(f.set, compiled, ch.service, ch.overrides).map((g) => groupMod(g, 1)),
          1000 + 4 * k,
        ),
      );
    }
    const conn = await RawConnection.open(vs.socketPath);
    const cpu = vs.cpuSeconds();
    for (const m of msgs) floor.push((await timedExchange(conn, m.bytes, m.barrierXid)) * 1000);
    floorCpu += vs.cpuSeconds() - cpu;
    if (conn.errors.length) run.warn(`churn floor at ${N}: ${conn.errors.length} errors`);
    conn.close();
    progress.step();
  }
  run.results.push(latencyResult(base('churn', 'floor'), floor, churnRuns, { vswitchd_cpu_s: floorCpu }));

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
  run.results.push(latencyResult(base('churn', 'ovs-ofctl-spawn'), spawn, 1, { vswitchd_cpu_s: vs.cpuSeconds() - cpu }));
  if (spawnChanges < churnChanges)
    run.note(`ovs-ofctl-spawn: ${spawnChanges} changes per size, not ${churnChanges} (one process per change, ~25 ms apiece here).`);
  progress.step();
}
