/**
 * Restart with the services unchanged, on a programmed switch: the agent's ServiceProxy stopped and
 * started again, `ofwire proxy --once` on the programmed bridge, and the floor reading the state
 * back. Nothing may be re-sent.
 */
import { join } from 'node:path';
import { COOKIE_PREFIX_MASK, prefixCookie } from '../../lib/proxy/cookies.js';
import type { BenchRun } from '../harness/bench-run.js';
import { ofwireProxyOnce } from '../harness/cli-process.js';
import { RawConnection, encodeStateDump } from '../harness/floor.js';
import { timedResult, type RunSample } from '../harness/results.js';
import { rowBase, type SizeFiles } from '../harness/size-files.js';
import { readdedFlows } from '../harness/switchd.js';
import { splitOf, type TimeSplit } from '../harness/time-split.js';

/** Agent restarts on a programmed switch. */
export async function restart(run: BenchRun, f: SizeFiles): Promise<void> {
  const { progress } = run;
  const vs = run.sw;
  const N = f.set.services;
  const base = (workload: string, contender: string) => rowBase(run, f, workload, contender);
  const a = await run.programmedAgent(f, 'restart');
  try {
    const n = run.runs(N);
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
      const p = await ofwireProxyOnce(vs.target, f.manifest, join(run.tmp, 'usage.json'), f.set);
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
      if (r === 0 && !flowParts.length) run.warn(`restart floor at ${N}: empty flow dump`);
      conn.close();
      progress.step();
    }
    // Where the time goes, from a restart of its own: counting the steps adds a little to each.
    progress.task(`restart ${N}: ofwire, counted run`);
    const counted = await a.call<{ messages: number } & TimeSplit>({ op: 'restart', split: true });
    restartSplit.push(counted);
    messages += counted.messages;
    progress.step();
    run.results.push(
      timedResult(base('restart', 'ofwire'), agentRuns, {
        flows_readded: messages + readded,
        extra: { messages_sent: messages, flows_with_reset_duration_first_run: readded, split: splitOf(restartSplit) },
      }),
    );
    run.results.push(
      timedResult(base('restart-process', 'ofwire'), processRuns, {
        flows_readded: processReadded,
        extra: { checked: 'flow durations across the first run' },
      }),
    );
    run.results.push(timedResult(base('restart', 'floor'), floorRuns));
    if (messages + readded + processReadded)
      run.warn(`restart at ${N}: ${messages} messages sent, ${readded + processReadded} flows re-added`);
  } finally {
    await run.exitAgent(a);
  }
}
