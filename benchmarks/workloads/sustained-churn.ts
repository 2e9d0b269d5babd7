/**
 * Sustained churn: endpoint changes offered at a fixed rate for a few seconds to an agent on a
 * programmed switch; a change's latency ends at the `synced` event of the first sync that started
 * after the proxy received it.
 */
import type { Agent } from '../harness/agent-client.js';
import type { BenchRun } from '../harness/bench-run.js';
import { latencyResult } from '../harness/results.js';
import { rowBase, type SizeFiles } from '../harness/size-files.js';

/** Offers `--sustained-rate` changes a second for `--sustained-seconds` to the agent `a`. */
export async function sustainedChurn(run: BenchRun, f: SizeFiles, a: Agent): Promise<void> {
  const { sustainedRate, sustainedSeconds } = run.settings;
  const vs = run.sw;
  const N = f.set.services;
  run.progress.task(`churn ${N}: sustained ${sustainedRate}/s for ${sustainedSeconds} s`);
  const cpuS = vs.cpuSeconds();
  const s = await a.call<{
    latenciesMs: number[];
    changes: number;
    covered: number;
    issuedRate: number;
    achievedRate: number;
    syncs: number;
    messages: number;
  }>({
    op: 'sustained',
    rate: sustainedRate,
    seconds: sustainedSeconds,
    stream: 10,
  });
  run.results.push(
    latencyResult(rowBase(run, f, 'churn-sustained', 'ofwire'), s.latenciesMs, 1, {
      vswitchd_cpu_s: vs.cpuSeconds() - cpuS,
      peak_rss_mb: a.peakRssMb(),
      extra: {
        offered: sustainedRate,
        issued: s.issuedRate,
        achieved: s.achievedRate,
        syncs: s.syncs,
        messages: s.messages,
        changes: s.changes,
      },
    }),
  );
  if (s.covered < s.changes)
    run.warn(`sustained churn at ${N}: only ${s.covered} of ${s.changes} changes acknowledged within 30 s after the end`);
  run.progress.step();
}
