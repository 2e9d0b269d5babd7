/**
 * Recovery: ovs-vswitchd SIGKILLed and started again empty → the full state programmed again, by
 * ofwire's reconnecting Switch, the floor and `ovs-ofctl bundle` (both polling the socket).
 */
import type { Agent } from '../harness/agent-client.js';
import type { BenchRun } from '../harness/bench-run.js';
import { RawConnection } from '../harness/floor.js';
import { timedSpawn } from '../harness/ofctl.js';
import { timedResult, type RunSample } from '../harness/results.js';
import { rowBase, type SizeFiles } from '../harness/size-files.js';

/** Measures every recovery contender on the switch the agent `a` programmed with `f`. */
export async function recovery(run: BenchRun, f: SizeFiles, a: Agent): Promise<void> {
  const { progress } = run;
  const vs = run.sw;
  const N = f.set.services;
  const base = (workload: string, contender: string) => rowBase(run, f, workload, contender);
  const expectedFlows = f.compiled.flows.length;
  const expectedGroups = f.compiled.groups.length;
  const n = run.runs(N, true);
  const samples: Record<string, RunSample[]> = { ofwire: [], floor: [], ofctl: [] };
  const socketUp: Record<string, number[]> = { ofwire: [], floor: [], ofctl: [] };
  /** ofwire: from vswitchd's start to the Switch's reconnection (its backoff). */
  const reconnected: number[] = [];
  await a.call({ op: 'forwardSynced', on: true });
  const check = async (what: string) => {
    const [fl, gr] = [await vs.flowCount(), await vs.groupCount()];
    if (fl !== expectedFlows || gr !== expectedGroups)
      run.warn(`recovery (${what}) at ${N}: ${fl} flows and ${gr} groups, ${expectedFlows} and ${expectedGroups} expected`);
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
      if (conn.errors.length) run.warn(`recovery floor at ${N}: ${conn.errors.length} errors`);
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
  run.results.push(
    timedResult(base('recovery', 'ofwire'), samples.ofwire!, {
      extra: { socket_up_s: med(socketUp.ofwire!), reconnected_s: med(reconnected) },
    }),
  );
  run.results.push(timedResult(base('recovery', 'floor'), samples.floor!, { extra: { socket_up_s: med(socketUp.floor!) } }));
  run.results.push(timedResult(base('recovery', 'ovs-ofctl-bundle'), samples.ofctl!, { extra: { socket_up_s: med(socketUp.ofctl!) } }));
}
