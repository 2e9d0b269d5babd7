/**
 * The service proxy: a source of Services and EndpointSlices in, the switch kept in the
 * state compile.ts describes. Changes are applied as they come: a lone change is synced at once;
 * changes arriving during a sync go out together in the next one.
 */
import { EventEmitter } from 'eventemitter3';
import { Backoff, type BackoffOptions } from '../controller/backoff.js';
import type { Logger } from '../logger.js';
import type { Outgoing } from '../session/session.js';
import type { ServiceSource, SourceChange } from '../sources/types.js';
import type { ProxySwitch } from './proxy-switch.js';
import { deleteLearned, removedEndpointCleanups, staleCleanups } from './cleanup.js';
import { COOKIE_PREFIX_MASK, CookieKind, cookie, cookieKind, prefixCookie } from './cookies.js';
import { baseEntries } from './compile.js';
import { DesiredState } from './desired.js';
import { dumpedFlows, dumpedGroups, type DumpedFlow } from './entries.js';
import { ProxyMetrics } from './metrics.js';
import { ServiceModel, type HealthCheck, type NodeInfo, type ServicePortState } from './model.js';
import { resolveOptions, tablesOf, type ProxyOptions } from './options.js';
import { ServicePortTable, type ServicePort } from './service-ports.js';
import { Reconciler } from './reconcile.js';
import { Quarantine } from './quarantine.js';
import { rejectFrame } from './reject.js';
import { TokenBucket } from './token-bucket.js';
import { compilePortKeyed } from './wire.js';
import { OFPP_IN_PORT } from '../../protocol/constants/openflow13.js';

/** Services compiled per batch of a streamed sync. */
const COMPILE_BATCH = 256;
/**
 * Services worked out per turn of the event loop while the switch is read: few, so that the
 * dump's replies are taken off the socket as they come and the switch does not wait for us.
 */
const MODEL_BATCH = 32;

/** Options of a ServiceProxy: the pipeline's options, a logger and the metrics to update. */
export interface ServiceProxyOptions extends Partial<ProxyOptions> {
  logger?: Logger;
  /** Metrics to update (a fresh registry by default). */
  metrics?: ProxyMetrics;
  /**
   * Delays before retrying a service the switch refused (jittered) and a sync that failed with the
   * connection up. Default 500 ms doubling up to 30 s.
   */
  retry?: BackoffOptions;
  /** Packet-ins answered per second at most (refusals of connections to empty services). Default 1000. */
  rejectRate?: number;
}

/** What one sync of a ServiceProxy sent and how long it took. */
export interface SyncInfo {
  /** Messages sent (flow and group changes). */
  messages: number;
  durationMs: number;
  /** True for the sync right after reading the switch (start, reconnect). */
  full: boolean;
}

/** The events of a ServiceProxy. */
export interface ProxyEvents {
  /** A sync was applied and acknowledged by the switch. */
  synced: [info: SyncInfo];
  /** The switch refused the changes of one service (retried with backoff). */
  serviceError: [service: string, error: Error];
  /** A service's settings cannot be honoured exactly (e.g. affinity timeout capped). */
  warning: [service: string, message: string];
  /** The health check a service needs changed (undefined: none any more); see HealthCheckServer. */
  healthCheck: [service: string, check: HealthCheck | undefined];
  error: [error: Error];
}

/**
 * The Kubernetes service proxy: keeps a switch's flows and groups in step with the services of a
 * ServiceSource.
 */
export class ServiceProxy extends EventEmitter<ProxyEvents> {
  readonly options: ProxyOptions;
  readonly metrics: ProxyMetrics;
  private readonly log: Logger | undefined;
  private readonly model: ServiceModel;
  private readonly desired = new DesiredState();
  private readonly reconciler: Reconciler;
  /** Every service port: id, owner, waiting claimants, compiled state. */
  private readonly ports = new ServicePortTable();
  /** service key → the service ports it owns */
  private readonly portsOfService = new Map<string, ServicePort[]>();
  /** Counts calls of recompute(): a port claimed in the current one has `round` set to it. */
  private round = 0;
  /** service key → the health check last reported for it */
  private readonly healthChecks = new Map<string, HealthCheck>();
  /**
   * Services still to compile after reading the switch or the source's full state: compiled in
   * batches while the sync that carries them is sent (see Reconciler.sync).
   */
  private compileQueue: string[] = [];
  private compileHead = 0;
  /**
   * Services' ports worked out from the model while the switch is still being read (a restart's
   * dump keeps the switch busy for tens of milliseconds); taken by recompute, dropped when the
   * Service changes. Compiling itself must wait for the dump: it holds the service ports' ids.
   */
  private readonly modelled = new Map<string, ServicePortState[]>();
  /** Ends a modelWhileLoading() loop started before the source was reset. */
  private modelRun = 0;
  private syncRetry: NodeJS.Timeout | undefined;
  /** The flows read from the switch, until they have been checked for leftovers of gone endpoints. */
  private staleCheck: DumpedFlow[] | undefined;
  private readonly syncBackoff: Backoff;
  private loaded = false;
  private sourceReady = false;
  private syncing = false;
  private pending = false;
  private fullPending = false;
  /** Earliest arrival time of changes not yet applied (for the programming-latency metric). */
  private oldestChange: number | undefined;
  /** Messages to send once the sync that makes them safe is applied (conntrack flushes, affinity cleanup). */
  private afterSync: Outgoing[] = [];
  /** Owners whose changes the switch refused, held back until their retry. */
  private readonly quarantine: Quarantine;
  /** Refusals of connections to services without endpoints, rate-limited. */
  private readonly refusals: TokenBucket;
  private stopped = false;
  private readonly idleWaiters: { allowFailures: boolean; resolve: () => void }[] = [];

  constructor(
    private readonly sw: ProxySwitch,
    private readonly source: ServiceSource,
    opts: ServiceProxyOptions = {},
  ) {
    super();
    const { logger, metrics, retry, rejectRate, ...rest } = opts;
    this.options = resolveOptions(rest);
    this.log = logger?.child({ component: 'proxy' });
    this.metrics = metrics ?? new ProxyMetrics();
    this.metrics.countFrom(() => {
      const flows = this.reconciler.installedFlows();
      return { flows, groups: this.reconciler.installedCount - flows, servicePorts: this.servicePortCount };
    });
    const retryOptions = { minDelayMs: 500, maxDelayMs: 30_000, jitter: 0.2, ...retry };
    this.syncBackoff = new Backoff({ ...retryOptions, jitter: 0 });
    this.quarantine = new Quarantine(retryOptions, (owner) => {
      this.desired.markDirty(this.desired.ownersKeys(owner));
      this.scheduleSync();
    });
    this.refusals = new TokenBucket(rejectRate ?? 1000);
    const modelOpts: ConstructorParameters<typeof ServiceModel>[0] = {
      warn: (service, message) => {
        this.log?.warn({ service }, message);
        this.emit('warning', service, message);
      },
    };
    for (const k of ['nodeName', 'proxyName', 'nodeIPs', 'nodePortAddresses', 'clusterCidrs', 'zone'] as const) {
      if (this.options[k] !== undefined) (modelOpts as Record<string, unknown>)[k] = this.options[k];
    }
    this.model = new ServiceModel(modelOpts);
    const base = this.options.groupBase;
    this.reconciler = new Reconciler(this.desired, (g) => g >= base && g < base + 0x1000000);
    this.desired.set('base', baseEntries(this.options));
  }

  /** Starts following the switch and the source. Resolves once both are being followed. */
  async start(): Promise<void> {
    this.sw.on('connected', this.onConnected);
    this.sw.on('disconnected', this.onDisconnected);
    this.sw.on('packetIn', this.onPacketIn);
    this.source.on('synced', this.onSourceSynced);
    this.source.on('changes', this.onChanges);
    this.source.on('error', this.onSourceError);
    if (this.sw.connected) this.onConnected();
    // The dump requests go out (a microtask) before a source that is synced at once has its whole
    // snapshot worked through: the switch reads its tables meanwhile.
    await Promise.resolve();
    await this.source.start();
    if (this.source.isSynced && !this.sourceReady) this.onSourceSynced();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sw.off('connected', this.onConnected);
    this.sw.off('disconnected', this.onDisconnected);
    this.sw.off('packetIn', this.onPacketIn);
    this.source.off('synced', this.onSourceSynced);
    this.source.off('changes', this.onChanges);
    this.source.off('error', this.onSourceError);
    clearTimeout(this.syncRetry);
    this.quarantine.clear();
    this.modelled.clear();
    await this.source.stop();
    for (const w of this.idleWaiters.splice(0)) w.resolve();
  }

  /**
   * Resolves when the switch holds everything the source says: nothing pending and, unless
   * `allowFailures`, no service waiting to be retried after the switch refused it.
   */
  async whenSynced(opts: { allowFailures?: boolean } = {}): Promise<void> {
    const allow = opts.allowFailures === true;
    // Sources deliver changes one macrotask after they are made: let those arrive first.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.isIdle(allow)) return;
    await new Promise<void>((resolve) => this.idleWaiters.push({ allowFailures: allow, resolve }));
  }

  /** Service ports currently programmed. */
  get servicePortCount(): number {
    let n = 0;
    for (const sp of this.ports.values()) if (sp.compiled) n++;
    return n;
  }

  private isIdle(allowFailures = false): boolean {
    if (!this.loaded || !this.sourceReady || this.syncing || this.pending || this.compiling) return false;
    let held = 0;
    for (const owner of this.quarantine.owners()) held += this.desired.ownersKeys(owner).length;
    if (!allowFailures && this.quarantine.size) return false;
    return this.desired.dirtyCount <= held;
  }

  private wakeIdleWaiters(): void {
    const keep: typeof this.idleWaiters = [];
    for (const w of this.idleWaiters) {
      if (this.isIdle(w.allowFailures)) w.resolve();
      else keep.push(w);
    }
    this.idleWaiters.splice(0, this.idleWaiters.length, ...keep);
  }

  // ---- source ---------------------------------------------------------------------------------

  private readonly onSourceSynced = (): void => {
    const snap = this.source.snapshot();
    const touched = this.model.reset(snap.services, snap.slices);
    this.modelled.clear();
    this.sourceReady = true;
    if (!this.loaded) void this.modelWhileLoading();
    this.oldestChange ??= performance.now();
    if (this.loaded) {
      this.queueCompile(touched);
      this.runStaleCheck();
      this.scheduleSync();
    }
  };

  private readonly onChanges = (changes: SourceChange[]): void => {
    if (!this.sourceReady) return;
    const touched = this.model.apply(changes);
    for (const key of touched) this.modelled.delete(key);
    this.oldestChange ??= performance.now();
    if (!this.loaded) return;
    for (const key of touched) this.recompute(key);
    this.scheduleSync();
  };

  private readonly onSourceError = (err: Error): void => {
    this.log?.warn({ err: err.message }, 'source error');
    this.emit('error', err);
  };

  /** Works out every Service's ports, a batch at a time, until the switch has been read (see `modelled`). */
  private async modelWhileLoading(): Promise<void> {
    const run = ++this.modelRun;
    const keys = [...this.model.serviceKeys()];
    for (let i = 0; i < keys.length; i++) {
      if (i % MODEL_BATCH === 0 && i > 0) await new Promise((resolve) => setImmediate(resolve));
      if (this.loaded || this.stopped || run !== this.modelRun) return;
      // None: a Service gone meanwhile, or not one this proxy serves (recompute finds that quickly).
      const states = this.model.portsOf(keys[i]!);
      if (states.length) this.modelled.set(keys[i]!, states);
    }
  }

  /** Recompiles one Service's ports into the desired state. */
  private recompute(serviceKey: string): void {
    const before = this.portsOfService.get(serviceKey);
    const round = ++this.round;
    const after: ServicePort[] = [];
    const states = this.modelled.get(serviceKey) ?? this.model.portsOf(serviceKey);
    this.modelled.delete(serviceKey);
    for (const state of states) {
      const have = this.ports.port(state.key);
      if (have?.owner === serviceKey && have.round === round) continue;
      if (have?.owner !== undefined && have.owner !== serviceKey) {
        (have.waiting ??= new Set()).add(serviceKey);
        this.reportServiceError(
          serviceKey,
          new Error(`${state.vip} port ${state.port}/${state.protocol} is already served for ${have.owner}`),
        );
        continue;
      }
      const sp = have ?? this.ports.acquirePort(state.key);
      sp.owner = serviceKey;
      sp.round = round;
      after.push(sp);
      const prev = sp.compiled;
      if (prev && samePort(prev, state)) continue;
      try {
        const compiled = compilePortKeyed(this.options, state, sp.id);
        this.desired.setKeyed(state.key, this.reconciler.installedCopies(compiled.own), this.reconciler.installedCopies(compiled.shared));
      } catch (err) {
        // Compiled again on the next change; its entries as they were stay meanwhile.
        sp.compiled = undefined;
        this.reportServiceError(serviceKey, err as Error);
        continue;
      }
      sp.compiled = state;
      if (prev) this.afterSync.push(...removedEndpointCleanups(this.options, sp.id, prev, state));
      if (prev && prev.affinitySeconds > 0 && state.affinitySeconds === 0) {
        // Affinity switched off: its learned flows must not come back to life when it is switched on again.
        this.afterSync.push(
          deleteLearned(this.options, cookie(this.options.cookiePrefix, CookieKind.Learned, sp.id * 0x100000), 0xfffffffffff00000n),
        );
      }
    }
    let letGo: ServicePort[] | undefined;
    if (before) {
      for (const sp of before) {
        if (sp.round === round) continue;
        this.desired.remove(sp.key);
        if (sp.compiled) this.afterSync.push(...removedEndpointCleanups(this.options, sp.id, sp.compiled, undefined));
        this.ports.release(sp.key);
        (letGo ??= []).push(sp);
      }
    }
    if (after.length) this.portsOfService.set(serviceKey, after);
    else this.portsOfService.delete(serviceKey);
    this.updateHealthCheck(serviceKey);
    if (letGo) {
      for (const sp of letGo) {
        if (!sp.waiting) continue;
        for (const other of sp.waiting) this.recompute(other);
      }
    }
  }

  private updateHealthCheck(serviceKey: string): void {
    const hc = this.model.healthCheckOf(serviceKey);
    const before = this.healthChecks.get(serviceKey);
    if (
      hc === undefined
        ? before === undefined
        : before !== undefined && before.port === hc.port && before.localEndpoints === hc.localEndpoints
    )
      return;
    if (hc) this.healthChecks.set(serviceKey, hc);
    else this.healthChecks.delete(serviceKey);
    this.emit('healthCheck', serviceKey, hc);
  }

  /**
   * What the proxy knows of its node changed (addresses, zone: from the Node object): every
   * service is recompiled and synced.
   */
  setNode(node: NodeInfo): void {
    this.model.setNode(node);
    this.modelled.clear();
    if (!this.loaded || !this.sourceReady) return;
    this.queueCompile(new Set([...this.model.serviceKeys(), ...this.portsOfService.keys()]));
    this.scheduleSync();
  }

  // ---- switch ---------------------------------------------------------------------------------

  private readonly onConnected = (): void => {
    void this.loadSwitch().catch((err: Error) => {
      this.log?.warn({ err: err.message }, 'reading the switch failed');
      this.emit('error', err);
    });
  };

  private readonly onDisconnected = (): void => {
    this.loaded = false;
    this.reconciler.forget();
  };

  /** Reads what the switch has (the proxy's flows and groups) and diffs against it. */
  private async loadSwitch(): Promise<void> {
    const prefix = prefixCookie(this.options.cookiePrefix);
    // Read undecoded: installed entries are compared with the desired ones as bytes.
    const [flowBodies, groupBodies] = await Promise.all([
      this.sw.dumpFlowsRaw({ cookie: prefix, cookieMask: COOKIE_PREFIX_MASK }),
      this.sw.dumpGroupsRaw(),
    ]);
    const flows = dumpedFlows(flowBodies);
    const groups = dumpedGroups(groupBodies);
    const recovered = this.ports.recoverDumped(flows, tablesOf(this.options).service);
    this.reconciler.loadDumped(flows, groups);
    this.log?.info({ flows: flows.length, groups: groups.length, recovered }, 'read the switch');
    const first = !this.loaded;
    this.loaded = true;
    this.fullPending = true;
    if (first && this.sourceReady) {
      this.queueCompile(new Set([...this.model.serviceKeys(), ...this.portsOfService.keys()]));
    }
    // Stale leftovers can only be told apart once the source's view is known.
    this.staleCheck = flows;
    if (this.sourceReady) this.runStaleCheck();
    this.scheduleSync();
  }

  private get compiling(): boolean {
    return this.compileHead < this.compileQueue.length;
  }

  private queueCompile(serviceKeys: Iterable<string>): void {
    this.compileQueue = [...this.compileQueue.slice(this.compileHead), ...serviceKeys];
    this.compileHead = 0;
  }

  /** Compiles the next batch of queued services; the keys that changed, or undefined when none are left. */
  private compileBatch(held: string[]): Set<string> | undefined {
    if (!this.compiling) return undefined;
    const end = Math.min(this.compileQueue.length, this.compileHead + COMPILE_BATCH);
    while (this.compileHead < end) this.recompute(this.compileQueue[this.compileHead++]!);
    if (!this.compiling) {
      this.compileQueue = [];
      this.compileHead = 0;
      this.runStaleCheck();
      // Its cleanups go out with the next sync.
      if (this.afterSync.length) this.pending = true;
    }
    return this.takeKeys(held);
  }

  /** Keys changed since the last sync, but those of owners held back after a refusal (added to `held`). */
  private takeKeys(held: string[]): Set<string> {
    const keys = this.desired.takeDirty();
    for (const owner of this.quarantine.owners()) {
      for (const k of this.desired.ownersKeys(owner)) if (keys.delete(k)) held.push(k);
    }
    return keys;
  }

  private runStaleCheck(): void {
    // Leftovers can be told apart only once every service is compiled.
    if (this.compiling) return;
    const flows = this.staleCheck;
    this.staleCheck = undefined;
    if (flows) this.afterSync.push(...staleCleanups(this.options, flows, this.ports));
  }

  private readonly onPacketIn = (m: { cookie: bigint; match: { field: string; value: unknown }[]; data: Buffer }): void => {
    if ((m.cookie & COOKIE_PREFIX_MASK) !== prefixCookie(this.options.cookiePrefix)) return;
    if (cookieKind(m.cookie) !== CookieKind.Service) return;
    if (!this.refusals.take()) return;
    const inPort = m.match.find((f) => f.field === 'in_port')?.value;
    const frame = rejectFrame(m.data);
    if (typeof inPort !== 'number' || !frame) return;
    this.metrics.rejects.inc();
    this.sw.packetOut({ data: frame, inPort, actions: [{ type: 'output', port: OFPP_IN_PORT, maxLen: 0 }] }).catch((err: Error) => {
      this.log?.debug({ err: err.message }, 'refusal not sent');
    });
  };

  // ---- syncing --------------------------------------------------------------------------------

  private scheduleSync(): void {
    if (this.stopped) return;
    if (this.syncing) {
      this.pending = true;
      return;
    }
    this.syncing = true;
    queueMicrotask(() => void this.runSync());
  }

  private async runSync(): Promise<void> {
    let after: Outgoing[] = [];
    try {
      while (!this.stopped && this.loaded && this.sourceReady && this.sw.connected) {
        this.pending = false;
        const started = performance.now();
        const changesSince = this.oldestChange;
        this.oldestChange = undefined;
        const full = this.fullPending;
        this.fullPending = false;
        const held: string[] = [];
        const keys = this.takeKeys(held);
        after = this.afterSync;
        this.afterSync = [];
        const more = this.compiling ? () => this.compileBatch(held) : undefined;
        const result = await this.reconciler.sync(this.sw, keys, more);
        const sending = after;
        after = [];
        this.syncBackoff.reset();
        for (const m of sending) {
          await this.sw.request(m).catch((err: Error) => this.log?.warn({ err: err.message, type: m.type }, 'cleanup message failed'));
        }
        if (result.messages === 0 && (full || sending.length === 0)) await this.sw.barrier();
        this.desired.markDirty(held);
        for (const [owner, err] of result.failed) this.fail(owner, err);
        for (const op of result.applied) {
          const owner = this.desired.ownerOf(op.key);
          if (owner !== undefined) this.quarantine.succeeded(owner);
        }
        const now = performance.now();
        this.metrics.syncDuration.observe((now - started) / 1000);
        if (changesSince !== undefined) this.metrics.programmingLatency.observe((now - changesSince) / 1000);
        this.metrics.syncs.inc({ result: result.failed.size ? 'partial' : 'ok' });
        this.emit('synced', { messages: result.messages, durationMs: now - started, full });
        if (!this.pending && !this.compiling && this.desired.dirtyCount === held.length) break;
      }
    } catch (err) {
      // Cleanups of a failed sync go out with the next one; with the connection still up, that
      // next one is scheduled here (a lost connection reloads the switch when it comes back).
      this.afterSync = [...after, ...this.afterSync];
      if (!this.stopped && this.sw.connected && !this.syncRetry) {
        this.syncRetry = setTimeout(() => {
          this.syncRetry = undefined;
          this.scheduleSync();
        }, this.syncBackoff.next());
      }
      this.metrics.syncs.inc({ result: 'error' });
      this.log?.warn({ err: (err as Error).message }, 'sync failed');
      this.emit('error', err as Error);
    } finally {
      this.syncing = false;
    }
    this.wakeIdleWaiters();
  }

  /** Holds a refused owner's changes back, then retries them; the delay doubles while it keeps failing. */
  private fail(owner: string, err: Error): void {
    this.reportServiceError(this.serviceOf(owner), err);
    this.quarantine.hold(owner);
  }

  private serviceOf(owner: string): string {
    return this.ports.port(owner)?.owner ?? owner;
  }

  private reportServiceError(service: string, err: Error): void {
    this.metrics.errors.inc({ service });
    this.log?.warn({ service, err: err.message }, 'service not programmed');
    this.emit('serviceError', service, err);
  }
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function samePort(a: ServicePortState, b: ServicePortState): boolean {
  if (a.mode !== b.mode || a.affinitySeconds !== b.affinitySeconds || a.endpoints.length !== b.endpoints.length) return false;
  if (a.snat !== b.snat || !sameList(a.sourceRanges, b.sourceRanges) || !sameList(a.fromCidrs, b.fromCidrs)) return false;
  for (let i = 0; i < a.endpoints.length; i++) {
    const x = a.endpoints[i]!;
    const y = b.endpoints[i]!;
    if (x.ip !== y.ip || x.port !== y.port || x.local !== y.local) return false;
  }
  return true;
}
