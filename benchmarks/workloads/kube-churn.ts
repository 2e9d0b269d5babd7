/**
 * Churn through the Kubernetes watch: an EndpointSlice written to a fake API server → the proxy's
 * `synced` event, with the agent's KubeSource listing and watching it over HTTP.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent } from '../harness/agent-client.js';
import { REPO, type BenchRun } from '../harness/bench-run.js';
import { latencyResult } from '../harness/results.js';
import { Churn, serviceObject, sliceObject } from '../harness/services.js';
import { rowBase, type SizeFiles } from '../harness/size-files.js';

/** Measures the watch event → barrier latency at the size and mix of `f`. */
export async function kubeChurn(run: BenchRun, f: SizeFiles): Promise<void> {
  const helper = join(REPO, 'spec', 'helpers', 'fake-apiserver.ts');
  if (!existsSync(helper)) {
    run.note('churn-kube: spec/helpers/fake-apiserver.ts is missing; the Kubernetes-watch latency was not measured.');
    return;
  }
  const { FakeApiServer } = await import('../../spec/helpers/fake-apiserver.js');
  const { progress, churnRuns } = run;
  const { churnChanges } = run.settings;
  const vs = run.sw;
  const N = f.set.services;
  progress.task(`churn ${N}: Kubernetes watch, loading ${N} services into the fake API server`);
  const api = await FakeApiServer.start();
  let a: Agent | undefined;
  try {
    for (let i = 0; i < N; i++) {
      api.upsert(serviceObject(i, f.set) as never);
      api.upsert(sliceObject(f.set, i) as never);
    }
    const kubeconfig = api.writeKubeconfig(run.tmp, `kubeconfig-${N}`);
    await vs.fresh();
    a = await run.spawnAgent();
    await a.call({ ...run.agentSetup(f), source: 'kube', kubeconfig });
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
    run.results.push(
      latencyResult(rowBase(run, f, 'churn-kube', 'ofwire'), samples, churnRuns, {
        vswitchd_cpu_s: cpu,
        peak_rss_mb: a.peakRssMb(),
        rss_mb: a.rssMb(),
        extra: { from: 'the fake API server writing the watch event (same host, another process)', to: "the proxy's synced event" },
      }),
    );
  } finally {
    if (a) await run.exitAgent(a);
    await api.close();
  }
}
