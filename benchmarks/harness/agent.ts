/**
 * The ofwire contender as its own process (so its peak RSS is ofwire's, not the harness's): a
 * ServiceProxy on a Switch, fed by a MemorySource (or a KubeSource), driven by the harness over
 * the IPC channel. Every timing is taken here, next to the code it measures; cross-process event
 * times use the monotonic clock (process.hrtime), which all processes share.
 *
 * Only the modules the agent uses are imported (not lib/index.ts, which would load the
 * Kubernetes client for nothing in memory mode).
 */
import { writeFileSync } from 'node:fs';
import { Session as InspectorSession } from 'node:inspector/promises';
import { join } from 'node:path';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { Switch } from '../../lib/controller/switch.js';
import { ServiceProxy, type SyncInfo } from '../../lib/proxy/proxy.js';
import { MemorySource } from '../../lib/sources/memory.js';
import type { Outgoing } from '../../lib/session/session.js';
import type { ServiceSource } from '../../lib/sources/types.js';
import {
  Churn,
  changedGroups,
  compileSet,
  flowMod,
  groupMod,
  proxyConfig,
  proxyOptions,
  serviceObject,
  sliceObject,
  type ServiceSet,
} from './services.js';
import type { AgentRequest, AgentEvent } from './agent-protocol.js';
import { countPhases, phaseSeconds, phasesSince, setCounting, type PhaseSeconds } from './phases.js';

countPhases();

let set: ServiceSet | undefined;
let target = '';
let source: ServiceSource | undefined;
let sw: Switch | undefined;
let proxy: ServiceProxy | undefined;
let forwardSynced = false;
let libraryMessages: Outgoing[] | undefined;
/** Service-port ids of each service (compileSet), for the library's churn. */
let ids: number[][] | undefined;

function compiledIds(): number[][] {
  return (ids ??= compileSet(set!).ids);
}

const syncedListeners = new Set<(info: SyncInfo, at: number) => void>();

/** With OFWIRE_BENCH_PROFILE_DIR set, timed sections are CPU-profiled (V8), one .cpuprofile each. */
const PROFILE_DIR = process.env.OFWIRE_BENCH_PROFILE_DIR;
let profiles = 0;

async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return fn();
  const session = new InspectorSession();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(PROFILE_DIR, `${process.pid}-${++profiles}-${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

function send(m: AgentEvent): void {
  process.send?.(m);
}

function memorySource(): MemorySource {
  if (!(source instanceof MemorySource)) throw new Error('this operation needs the memory source');
  return source;
}

function attachProxy(p: ServiceProxy): void {
  p.on('synced', (info) => {
    const at = performance.now();
    for (const l of syncedListeners) l(info, at);
    if (forwardSynced) {
      send({
        event: 'synced',
        hrtime: process.hrtime.bigint().toString(),
        messages: info.messages,
        full: info.full,
        durationMs: info.durationMs,
      });
    }
  });
  p.on('error', (err) => send({ event: 'log', message: `proxy error: ${err.message}` }));
  p.on('serviceError', (svc, err) => send({ event: 'log', message: `service ${svc} refused: ${err.message}` }));
}

async function connectSwitch(): Promise<Switch> {
  const s = await Switch.connect(target, { asyncEvents: true });
  s.on('error', () => undefined); // failed reconnect attempts while vswitchd is down
  s.on('connected', () => {
    if (forwardSynced) send({ event: 'connected', hrtime: process.hrtime.bigint().toString() });
  });
  return s;
}

/** Runs `fn` and measures the garbage collection during it (PerformanceObserver 'gc' entries). */
async function withGc<T>(fn: () => Promise<T>): Promise<{ result: T; gcSeconds: number }> {
  let ms = 0;
  const add = (entries: PerformanceEntry[]) => {
    for (const e of entries) ms += e.duration;
  };
  const obs = new PerformanceObserver((list) => add(list.getEntries()));
  obs.observe({ entryTypes: ['gc'] });
  try {
    const result = await fn();
    await new Promise((r) => setImmediate(r));
    add(obs.takeRecords());
    return { result, gcSeconds: ms / 1000 };
  } finally {
    obs.disconnect();
  }
}

/** Starts a new proxy on the current switch; resolves with the time to convergence and messages sent. */
async function startProxy(): Promise<{
  seconds: number;
  messages: number;
  syncs: number;
  syncSeconds: number;
  gcSeconds: number;
  phases: PhaseSeconds;
}> {
  let messages = 0;
  let syncs = 0;
  let syncSeconds = 0;
  const count = (info: SyncInfo) => {
    messages += info.messages;
    syncSeconds += info.durationMs / 1000;
    syncs++;
  };
  syncedListeners.add(count);
  proxy = new ServiceProxy(sw!, source!, proxyConfig(set));
  attachProxy(proxy);
  const p = proxy;
  const before = phaseSeconds();
  const { result: seconds, gcSeconds } = await withGc(() =>
    profiled('proxy-start', async () => {
      const t0 = performance.now();
      await p.start();
      await p.whenSynced();
      return (performance.now() - t0) / 1000;
    }),
  );
  const phases = phasesSince(before);
  syncedListeners.delete(count);
  return { seconds, messages, syncs, syncSeconds, gcSeconds, phases };
}

async function stopProxy(): Promise<void> {
  await proxy?.stop();
  proxy = undefined;
}

/** One change at a time: upsert → the `synced` event of the sync that carried it. */
async function churn(count: number, stream: number): Promise<{ latenciesMs: number[]; messages: number }> {
  const src = memorySource();
  const c = new Churn(set!, stream);
  const latencies: number[] = [];
  let messages = 0;
  for (let k = 0; k < count; k++) {
    const ch = c.next();
    const obj = sliceObject(set!, ch.service, ch.overrides);
    let t0 = 0;
    const done = new Promise<void>((resolve) => {
      const l = (info: SyncInfo, at: number) => {
        syncedListeners.delete(l);
        messages += info.messages;
        latencies.push(at - t0);
        resolve();
      };
      syncedListeners.add(l);
    });
    t0 = performance.now();
    src.upsertEndpointSlice(obj);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      done,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`change ${k} (service ${ch.service}) was not synced within 30 s`)), 30_000);
      }),
    ]);
    clearTimeout(timer);
  }
  return { latenciesMs: latencies, messages };
}

/**
 * Changes at a steady rate for a while. A change is carried by the first sync that starts after
 * the proxy received it (the source's `changes` event; this listener runs right after the proxy's);
 * its latency ends at that sync's `synced` event.
 */
async function sustained(rate: number, seconds: number, stream: number) {
  const src = memorySource();
  const c = new Churn(set!, stream);
  const total = Math.round(rate * seconds);
  let undelivered: number[] = [];
  const delivered: { t0: number; d: number }[] = [];
  let head = 0;
  const latencies: number[] = [];
  let syncs = 0;
  let messages = 0;
  let lastCovered = 0;
  const onChanges = () => {
    const d = performance.now();
    for (const t0 of undelivered) delivered.push({ t0, d });
    undelivered = [];
  };
  const onSynced = (info: SyncInfo, at: number) => {
    const started = at - info.durationMs;
    let n = 0;
    while (head < delivered.length && delivered[head]!.d <= started) {
      latencies.push(at - delivered[head]!.t0);
      head++;
      n++;
    }
    if (n) {
      syncs++;
      messages += info.messages;
      lastCovered = at;
    }
  };
  src.on('changes', onChanges);
  syncedListeners.add(onSynced);
  const start = performance.now();
  let issued = 0;
  try {
    while (issued < total) {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
      while (issued < due) {
        const ch = c.next();
        const obj = sliceObject(set!, ch.service, ch.overrides);
        undelivered.push(performance.now());
        src.upsertEndpointSlice(obj);
        issued++;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    const issuedFor = (performance.now() - start) / 1000;
    const until = performance.now() + 30_000;
    while (latencies.length < total && performance.now() < until) await new Promise((r) => setTimeout(r, 5));
    return {
      latenciesMs: latencies,
      changes: total,
      covered: latencies.length,
      issuedRate: total / issuedFor,
      achievedRate: latencies.length / ((lastCovered - start) / 1000),
      syncs,
      messages,
      seconds: (lastCovered - start) / 1000,
    };
  } finally {
    src.off('changes', onChanges);
    syncedListeners.delete(onSynced);
  }
}

/** The library alone: the whole set as ready-made messages, in one Switch.bundle(). */
async function libraryBundle(): Promise<{ seconds: number; members: number }> {
  const msgs = libraryMessages!;
  const seconds = await profiled('library-bundle', async () => {
    const t0 = performance.now();
    await sw!.bundle((b) => {
      for (const m of msgs) b.add(m);
    });
    return (performance.now() - t0) / 1000;
  });
  return { seconds, members: msgs.length };
}

/** The library alone: the GROUP_MODs of each change (one per service port), confirmed by a barrier. */
async function libraryChurn(count: number, stream: number): Promise<{ latenciesMs: number[] }> {
  const compiled = { options: proxyOptions(set), ids: compiledIds() };
  const c = new Churn(set!, stream);
  const changes: Outgoing[][] = [];
  for (let k = 0; k < count; k++) {
    const ch = c.next();
    changes.push(changedGroups(set!, compiled, ch.service, ch.overrides).map((g) => groupMod(g, 1) as Outgoing));
  }
  const s = await Switch.connect(target, { reconnect: false });
  try {
    const latencies: number[] = [];
    for (const msgs of changes) {
      const t0 = performance.now();
      if (msgs.length === 1) await s.request(msgs[0]!);
      else await Promise.all(msgs.map((m) => s.request(m)));
      latencies.push(performance.now() - t0);
    }
    return { latenciesMs: latencies };
  } finally {
    await s.close();
  }
}

/** Runs `fn` with the steps counted or not (timed runs are not: counting adds to each step). */
async function counted<T>(split: boolean, fn: () => Promise<T>): Promise<T> {
  setCounting(split);
  try {
    return await fn();
  } finally {
    setCounting(true);
  }
}

async function handle(req: AgentRequest): Promise<unknown> {
  switch (req.op) {
    case 'setup': {
      set = {
        services: req.services,
        endpointsPerService: req.endpointsPerService,
        ...(req.externalEvery === undefined ? {} : { externalEvery: req.externalEvery }),
      };
      ids = undefined;
      target = req.target;
      if (req.source === 'kube') {
        const { KubeSource } = await import('../../lib/sources/kube.js');
        source = new KubeSource({ kubeconfig: req.kubeconfig });
      } else {
        const m = new MemorySource();
        for (let i = 0; i < set.services; i++) {
          m.upsertService(serviceObject(i, set));
          m.upsertEndpointSlice(sliceObject(set, i));
        }
        source = m;
      }
      if (req.library) {
        const c = compileSet(set);
        ids = c.ids;
        libraryMessages = [...c.groups.map((g) => groupMod(g)), ...c.flows.map((f) => flowMod(f))] as Outgoing[];
      }
      return { ok: true };
    }
    case 'connect':
      sw = await connectSwitch();
      return { ok: true };
    case 'startProxy':
      return counted(req.split === true, startProxy);
    case 'stopProxy':
      await stopProxy();
      return { ok: true };
    case 'disconnect':
      await stopProxy();
      await sw?.close();
      sw = undefined;
      return { ok: true };
    case 'restart': {
      await stopProxy();
      await sw!.close();
      sw = await connectSwitch();
      return counted(req.split === true, startProxy);
    }
    case 'churn': {
      setCounting(req.split === true);
      try {
        const before = phaseSeconds();
        const t0 = performance.now();
        const { result, gcSeconds } = await withGc(() => profiled('churn', () => churn(req.count, req.stream)));
        return { ...result, seconds: (performance.now() - t0) / 1000, gcSeconds, phases: phasesSince(before) };
      } finally {
        setCounting(true);
      }
    }
    case 'sustained':
      return sustained(req.rate, req.seconds, req.stream);
    case 'libraryBundle':
      return libraryBundle();
    case 'libraryChurn':
      return libraryChurn(req.count, req.stream);
    case 'forwardSynced':
      forwardSynced = req.on;
      return { ok: true };
    case 'whenSynced':
      await proxy!.whenSynced();
      return { ok: true };
    case 'exit':
      await stopProxy();
      await sw?.close();
      setImmediate(() => process.exit(0));
      return { ok: true };
  }
}

process.on('message', (req: AgentRequest) => {
  handle(req).then(
    (result) => send({ id: req.id, result }),
    (err: Error) => send({ id: req.id, error: err.stack ?? err.message }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ event: 'ready' });
