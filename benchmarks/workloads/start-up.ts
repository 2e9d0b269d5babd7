/** Process start-up: `node -e ''` and `ofwire --help`, the part of `ofwire proxy --once` that is not the work. */
import type { BenchRun } from '../harness/bench-run.js';
import { buildCli } from '../harness/build-agent.js';
import { timedSpawn } from '../harness/ofctl.js';
import { timedResult, type RunSample } from '../harness/results.js';

/** Times Node's start-up alone and with the CLI loaded. */
export async function startUp(run: BenchRun): Promise<void> {
  const main = buildCli();
  const n = 5;
  const node: RunSample[] = [];
  const cli: RunSample[] = [];
  for (let r = 0; r < n; r++) {
    run.progress.task(`process start-up, run ${r + 1}/${n}`);
    node.push({ seconds: (await timedSpawn(process.execPath, ['-e', ''])).seconds });
    const h = await timedSpawn(process.execPath, [main, '--help']);
    if (h.code !== 0) throw new Error(`ofwire --help failed: ${h.stderr.trim()}`);
    cli.push({ seconds: h.seconds });
    run.progress.step();
  }
  const b = (contender: string, label: string) => ({ workload: 'process-start-up', services: 0, endpoints: 0, contender, label });
  run.results.push(timedResult(b('node', "node -e ''"), node, { extra: { label: "node -e ''" } }));
  run.results.push(timedResult(b('ofwire', 'ofwire --help'), cli, { extra: { label: 'ofwire --help (Node + loading the CLI)' } }));
}
