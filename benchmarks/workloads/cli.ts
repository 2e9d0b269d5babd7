/**
 * The CLI: `--bundle add-groups` then `--bundle add-flows`, as an operator would type them, by
 * `ofwire` and by `ovs-ofctl` (two processes each, start-up included).
 */
import type { BenchRun } from '../harness/bench-run.js';
import { ofwireCommand } from '../harness/cli-process.js';
import { ofctl } from '../harness/ofctl.js';
import { timedResult, type RunSample } from '../harness/results.js';
import { rowBase, type SizeFiles } from '../harness/size-files.js';

/** Measures both command lines programming the groups and flows of `f` on an empty bridge. */
export async function cliAdd(run: BenchRun, f: SizeFiles): Promise<void> {
  const { progress } = run;
  const vs = run.sw;
  const N = f.set.services;
  const n = run.runs(N, true);
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
    if (verified === null)
      verified = run.sameDump(`ovs-ofctl --bundle add-groups/add-flows at ${N} services`, reference, await vs.canonicalDump());
    progress.step();
  }
  const entries = f.compiled.groups.length + f.compiled.flows.length;
  run.results.push(timedResult(rowBase(run, f, 'cli-add', 'ofwire'), samples.ofwire, { verified, extra: { groups_and_flows: entries } }));
  run.results.push(
    timedResult(rowBase(run, f, 'cli-add', 'ovs-ofctl-bundle'), samples.ofctl, { verified, extra: { groups_and_flows: entries } }),
  );
}
