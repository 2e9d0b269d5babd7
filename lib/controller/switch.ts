/**
 * The controller API for one switch: flows, groups, bundles, barriers, statistics and roles as
 * promises, and the switch's events. A Switch outlives its connections: an actively connected one
 * reconnects by itself (capped exponential backoff with jitter); a passive one (see Controller)
 * is re-attached when the bridge connects again. `connected` fires each time, so callers can
 * replay their state.
 */
import { EventEmitter } from 'eventemitter3';
import type { Logger } from '../logger.js';
import type {
  Action,
  AggregateStats,
  DescStats,
  FeaturesReply,
  FlowRemoved,
  FlowStats,
  GroupDesc,
  GroupStats,
  MultipartRequestBody,
  PacketIn,
  PortDesc,
  PortStats,
  PortStatus,
  TableStats,
} from '../../protocol/index.js';
import { connect, type ConnectOptions } from '../transport/connect.js';
import { formatTarget, parseTarget, TargetError, type Target } from '../transport/target.js';
import {
  Session,
  type EncodedMessages,
  type MultipartReplyOf,
  type Outgoing,
  type ReplyOf,
  type RequestOptions,
  type SessionOptions,
} from '../session/session.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { BundleBuilder, runBundle, type BundleOptions } from './bundle.js';
import { NotConnectedError, SwitchClosedError } from './errors.js';
import {
  toFlowMod,
  toFlowStatsRequest,
  toGroupDelete,
  toGroupMod,
  type FlowCommand,
  type FlowFilter,
  type FlowSpec,
  type GroupSpec,
} from './specs.js';
import { flowFromText, groupFromText } from './text.js';
import {
  OFPCR_ROLE_EQUAL,
  OFPCR_ROLE_NOCHANGE,
  OFPCR_ROLE_PRIMARY,
  OFPCR_ROLE_SECONDARY,
  OFPG_ALL,
  OFPP_ANY,
  OFPP_CONTROLLER,
  OFP_NO_BUFFER,
} from '../../protocol/constants/openflow13.js';

/** Controller roles by name, with their OFPCR_ROLE_* values. */
export const ROLES = {
  nochange: OFPCR_ROLE_NOCHANGE,
  equal: OFPCR_ROLE_EQUAL,
  primary: OFPCR_ROLE_PRIMARY,
  secondary: OFPCR_ROLE_SECONDARY,
} as const;
/** A controller role's name (`equal`, `primary`, `secondary`, or `nochange` to read it). */
export type Role = keyof typeof ROLES;
const ROLE_NAMES = Object.fromEntries(Object.entries(ROLES).map(([name, n]) => [n, name])) as Record<number, Role>;

/** Options of a Switch: its session's options, socket options and reconnection. */
export interface SwitchOptions extends SessionOptions {
  /** Socket options for active targets (TLS files for ssl:, connect timeout). */
  connect?: ConnectOptions;
  /** Reconnect after the connection drops (active targets). Default true; `false` disables. */
  reconnect?: boolean | BackoffOptions;
}

/**
 * What the `connected` event of a Switch carries: the session, the switch's features and whether it is
 * a reconnection.
 */
export interface ConnectedInfo {
  session: Session;
  features: FeaturesReply;
  /** False the first time, true when the switch came back after a disconnection. */
  reconnect: boolean;
}

/** The events of a Switch. */
export interface SwitchEvents {
  connected: [info: ConnectedInfo];
  disconnected: [error: Error | undefined];
  packetIn: [message: PacketIn];
  flowRemoved: [message: FlowRemoved];
  portStatus: [message: PortStatus];
  /** Errors nobody awaits: unsolicited OFPT_ERROR, failed reconnect attempts, handler failures. */
  error: [error: Error];
}

/**
 * One OpenFlow 1.3 switch: its connection (reconnected with backoff), requests, flows, groups, bundles
 * and statistics.
 */
export class Switch extends EventEmitter<SwitchEvents> {
  /** The target in ovs-ofctl notation, or the peer's address for a passive connection. */
  readonly target: string;
  private readonly opts: SwitchOptions;
  private readonly activeTarget: Target | undefined;
  private current: Session | undefined;
  private everConnected = false;
  private closedFlag = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff | undefined;
  private readonly log: Logger | undefined;
  private nextBundleId = 1;
  private lastFeatures: FeaturesReply | undefined;
  private waiters: { resolve: (s: Session) => void; reject: (e: Error) => void }[] = [];
  private connecting = false;

  /**
   * A handle on a switch at an active target (unix:PATH, tcp:HOST:PORT, ssl:HOST:PORT). Nothing
   * happens until `start()`; register `connected` first to (re)play state on every connection.
   * Passive switches are created by a Controller.
   */
  constructor(target: string, opts: SwitchOptions = {}, passive?: { label: string; features: FeaturesReply }) {
    super();
    this.opts = opts;
    if (passive) {
      this.target = passive.label;
      this.lastFeatures = passive.features;
    } else {
      const t = parseTarget(target);
      if (t.kind !== 'unix' && t.kind !== 'tcp' && t.kind !== 'ssl') {
        throw new TargetError(target, `"${t.kind}:" is a listening target; use Controller.listen() for it`);
      }
      this.activeTarget = t;
      this.target = formatTarget(t);
      if (opts.reconnect !== false) {
        this.backoff = new Backoff(typeof opts.reconnect === 'object' ? opts.reconnect : {});
      }
    }
    this.log = opts.logger?.child({ switch: this.target });
  }

  /**
   * Connects to an active target (unix:, tcp:, ssl:) and resolves once the handshake is done.
   * The first attempt's failure rejects; after that the switch reconnects by itself.
   */
  static async connect(target: string, opts: SwitchOptions = {}): Promise<Switch> {
    const sw = new Switch(target, opts);
    sw.connecting = true;
    try {
      await sw.attemptConnect();
    } finally {
      sw.connecting = false;
    }
    return sw;
  }

  /** Starts connecting in the background, retrying with backoff until the switch answers. */
  start(): this {
    if (!this.activeTarget) throw new TargetError(this.target, 'only actively connected switches can be started');
    if (!this.current && !this.reconnectTimer && !this.connecting) this.scheduleReconnect(0);
    return this;
  }

  get connected(): boolean {
    return this.current !== undefined && !this.current.closed;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** The live session; throws NotConnectedError while disconnected. */
  get session(): Session {
    if (this.closedFlag) throw new SwitchClosedError(this.target);
    const s = this.current;
    if (!s || s.closed) throw new NotConnectedError(this.target);
    return s;
  }

  /** FEATURES_REPLY of the latest connection. */
  get features(): FeaturesReply | undefined {
    return this.lastFeatures;
  }

  /** Datapath id as 16 hex digits. */
  get dpid(): string | undefined {
    return this.lastFeatures?.datapathId.toString(16).padStart(16, '0');
  }

  /** Resolves with the session as soon as the switch is connected. */
  whenConnected(): Promise<Session> {
    if (this.closedFlag) return Promise.reject(new SwitchClosedError(this.target));
    if (this.connected) return Promise.resolve(this.current!);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  // ---- flows ------------------------------------------------------------------------------------

  async addFlow(flow: FlowSpec | string, opts?: RequestOptions): Promise<void> {
    await this.session.request(flowMod(flow, 'add'), opts);
  }

  /** Changes the instructions of matching flows (strict: same priority and exactly this match). */
  async modifyFlows(flow: FlowSpec | string, opts: { strict?: boolean } & RequestOptions = {}): Promise<void> {
    await this.session.request(flowMod(flow, opts.strict ? 'modify_strict' : 'modify'), opts);
  }

  /** Deletes matching flows; with no filter, every flow in every table. */
  async deleteFlows(filter: FlowFilter | string = {}, opts: { strict?: boolean } & RequestOptions = {}): Promise<void> {
    await this.session.request(flowMod(filter, opts.strict ? 'delete_strict' : 'delete'), opts);
  }

  /**
   * Adds many flows with flow control (memory stays bounded however many there are); resolves with
   * the count, or rejects with BatchError listing each rejected flow. Not atomic: see bundle().
   */
  async addFlows(flows: Iterable<FlowSpec | string> | AsyncIterable<FlowSpec | string>, opts?: RequestOptions): Promise<number> {
    return this.sendAll(
      mapIterable(flows, (f, i) => flowMod(f, 'add', `flows[${i}]`)),
      opts,
    );
  }

  /** Sends many ready-made messages with flow control; see Session.sendAll. */
  async sendAll(messages: Iterable<Outgoing> | AsyncIterable<Outgoing>, opts?: RequestOptions): Promise<number> {
    return this.session.sendAll(messages, opts);
  }

  // ---- groups -----------------------------------------------------------------------------------

  async addGroup(group: GroupSpec | string, opts?: RequestOptions): Promise<void> {
    await this.session.request(typeof group === 'string' ? groupFromText(group, 'add') : toGroupMod(group, 'add'), opts);
  }

  async modifyGroup(group: GroupSpec | string, opts?: RequestOptions): Promise<void> {
    await this.session.request(typeof group === 'string' ? groupFromText(group, 'modify') : toGroupMod(group, 'modify'), opts);
  }

  /** Deletes one group, or all of them (flows that use a deleted group are deleted with it). */
  async deleteGroup(groupId: number | 'all', opts?: RequestOptions): Promise<void> {
    await this.session.request(toGroupDelete(groupId), opts);
  }

  // ---- transactions and synchronisation ---------------------------------------------------------

  /**
   * Applies the flow and group changes made in `build` atomically: all of them, or none. Rejects
   * with BundleError naming the failing member.
   */
  async bundle<T>(build: (b: BundleBuilder) => T | Promise<T>, opts: BundleOptions = {}): Promise<T> {
    const builder = new BundleBuilder();
    const result = await build(builder);
    const members = builder.members;
    const session = this.session;
    const id = this.nextBundleId;
    this.nextBundleId = (this.nextBundleId % 0xffffffff) + 1;
    await runBundle(session, id, members, opts);
    return result;
  }

  /**
   * bundle() for messages kept encoded (see EncodedMessages): each is written straight into the
   * stream, and turned into an object only if the switch refuses it.
   */
  async bundleEncoded(members: EncodedMessages, opts: BundleOptions = {}): Promise<void> {
    const session = this.session;
    const id = this.nextBundleId;
    this.nextBundleId = (this.nextBundleId % 0xffffffff) + 1;
    await runBundle(session, id, members, opts);
  }

  /** request() for message `index` of messages kept encoded: resolves once the switch confirmed it. */
  requestEncoded(list: EncodedMessages, index: number, opts?: RequestOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      this.session.trackEncoded(list, index, (_i, err) => (err ? reject(err) : resolve()), opts);
    });
  }

  /** Waits until the switch has processed everything sent before. */
  async barrier(opts?: RequestOptions): Promise<void> {
    await this.session.barrier(opts);
  }

  /** Sends any message; see Session.request. */
  request<M extends Outgoing>(msg: M, opts?: RequestOptions): Promise<ReplyOf<M>> {
    try {
      return this.session.request(msg, opts);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Changes this connection's controller role (OFPCR_ROLE_*). Several controllers on one bridge:
   * one primary (the others become secondaries), or all equal. Resolves with the role the switch reports.
   */
  async setRole(role: Role, generationId = 0n, opts?: RequestOptions): Promise<{ role: Role; generationId: bigint }> {
    const reply = await this.session.request({ type: 'role_request', role: ROLES[role], generationId }, opts);
    return { role: ROLE_NAMES[reply.role] ?? 'nochange', generationId: reply.generationId };
  }

  /**
   * Sends a packet through the switch (PACKET_OUT): `actions` apply to `data`, as if it had
   * arrived on `inPort` (default OFPP_CONTROLLER).
   */
  async packetOut(packet: { data: Buffer; actions: Action[]; inPort?: number }, opts?: RequestOptions): Promise<void> {
    await this.session.request(
      { type: 'packet_out', bufferId: OFP_NO_BUFFER, inPort: packet.inPort ?? OFPP_CONTROLLER, actions: packet.actions, data: packet.data },
      opts,
    );
  }

  // ---- statistics -------------------------------------------------------------------------------

  /** Every flow matching the filter (default: all), collected in one array. */
  async dumpFlows(filter: FlowFilter = {}, opts?: RequestOptions): Promise<FlowStats[]> {
    const out: FlowStats[] = [];
    for (const part of await this.multipart({ kind: 'flow', ...toFlowStatsRequest(filter) }, opts)) {
      for (const f of part.flows) out.push(f);
    }
    return out;
  }

  /**
   * Flows one by one as the reply arrives; reading stops while the consumer is busy, so a dump of
   * any size is never held whole. Breaking out of the loop discards the rest.
   */
  async *flows(filter: FlowFilter = {}, opts?: RequestOptions): AsyncGenerator<FlowStats, void, undefined> {
    const stream = this.session.multipartStream({ kind: 'flow', ...toFlowStatsRequest(filter) }, opts);
    try {
      for await (const part of stream) yield* part.flows;
    } finally {
      await stream.return?.();
    }
  }

  async aggregate(filter: FlowFilter = {}, opts?: RequestOptions): Promise<AggregateStats> {
    const [part] = await this.multipart({ kind: 'aggregate', ...toFlowStatsRequest(filter) }, opts);
    if (!part) throw new TypeError(`${this.target}: aggregate reply missing`);
    return { packetCount: part.packetCount, byteCount: part.byteCount, flowCount: part.flowCount };
  }

  /** Group descriptions (type and buckets) of every group. */
  async dumpGroups(opts?: RequestOptions): Promise<GroupDesc[]> {
    return this.collect({ kind: 'group_desc' }, (p) => p.groups, opts);
  }

  /** Counters of one group or of all. */
  async groupStats(groupId: number | 'all' = 'all', opts?: RequestOptions): Promise<GroupStats[]> {
    return this.collect({ kind: 'group', groupId: groupId === 'all' ? OFPG_ALL : groupId }, (p) => p.groups, opts);
  }

  async portDesc(opts?: RequestOptions): Promise<PortDesc[]> {
    return this.collect({ kind: 'port_desc' }, (p) => p.ports, opts);
  }

  async portStats(portNo: number | 'all' = 'all', opts?: RequestOptions): Promise<PortStats[]> {
    return this.collect({ kind: 'port_stats', portNo: portNo === 'all' ? OFPP_ANY : portNo }, (p) => p.ports, opts);
  }

  async tableStats(opts?: RequestOptions): Promise<TableStats[]> {
    return this.collect({ kind: 'table' }, (p) => p.tables, opts);
  }

  async desc(opts?: RequestOptions): Promise<DescStats> {
    const [part] = await this.multipart({ kind: 'desc' }, opts);
    if (!part) throw new TypeError(`${this.target}: desc reply missing`);
    const { kind: _kind, ...desc } = part;
    return desc;
  }

  /**
   * The bodies of a multipart reply as the switch sent them, undecoded (each part's bytes after
   * its ofp_multipart_reply header), in order: for reading large dumps without building objects.
   */
  async dumpRaw(body: MultipartRequestBody, opts?: RequestOptions): Promise<Buffer[]> {
    const out: Buffer[] = [];
    await this.session.multipartRaw(body, (b) => out.push(b), opts);
    return out;
  }

  /** dumpFlows() undecoded: bodies of ofp_flow_stats records (see lib/proxy/entries.ts to read them). */
  dumpFlowsRaw(filter: FlowFilter = {}, opts?: RequestOptions): Promise<Buffer[]> {
    return this.dumpRaw({ kind: 'flow', ...toFlowStatsRequest(filter) }, opts);
  }

  /** dumpGroups() undecoded: bodies of ofp_group_desc records. */
  dumpGroupsRaw(opts?: RequestOptions): Promise<Buffer[]> {
    return this.dumpRaw({ kind: 'group_desc' }, opts);
  }

  /** All parts of any multipart request. */
  multipart<B extends MultipartRequestBody>(body: B, opts?: RequestOptions): Promise<MultipartReplyOf<B>[]> {
    try {
      return this.session.multipart(body, opts);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  /** Closes the connection and stops reconnecting. */
  async close(): Promise<void> {
    if (this.closedFlag) return;
    this.closedFlag = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const waiters = this.waiters.splice(0);
    for (const w of waiters) w.reject(new SwitchClosedError(this.target));
    const s = this.current;
    if (s && !s.closed) await s.close();
  }

  /** @internal Hands a freshly opened session to this switch (Controller and reconnects use it). */
  attach(session: Session): void {
    if (this.closedFlag) {
      void session.close();
      return;
    }
    const previous = this.current;
    if (previous && !previous.closed && previous !== session) {
      previous.removeAllListeners();
      previous.destroy();
    }
    this.current = session;
    this.lastFeatures = session.features;
    const reconnect = this.everConnected;
    this.everConnected = true;
    this.backoff?.reset();
    session.on('packetIn', (m) => this.emit('packetIn', m));
    session.on('flowRemoved', (m) => this.emit('flowRemoved', m));
    session.on('portStatus', (m) => this.emit('portStatus', m));
    session.on('error', (e) => this.emit('error', e));
    session.on('close', (err) => this.onSessionClose(session, err));
    this.log?.info({ dpid: session.dpid, reconnect }, 'switch connected');
    const waiters = this.waiters.splice(0);
    for (const w of waiters) w.resolve(session);
    this.emit('connected', { session, features: session.features, reconnect });
  }

  private onSessionClose(session: Session, err: Error | undefined): void {
    if (this.current !== session) return;
    this.current = undefined;
    this.log?.info({ err: err?.message }, 'switch disconnected');
    this.emit('disconnected', err);
    if (!this.closedFlag && this.backoff) this.scheduleReconnect(this.backoff.next());
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.closedFlag || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connecting = true;
      this.attemptConnect()
        .catch((err: Error) => {
          this.emit('error', err);
          if (this.backoff && !this.closedFlag && !this.current) this.scheduleReconnect(this.backoff.next());
        })
        .finally(() => (this.connecting = false));
    }, delayMs);
  }

  private async attemptConnect(): Promise<void> {
    const channel = await connect(this.activeTarget!, this.opts.connect ?? {});
    const sessionOpts: SessionOptions = { ...this.opts };
    if (this.log) sessionOpts.logger = this.log;
    const session = await Session.open(channel, sessionOpts);
    if (this.closedFlag) {
      await session.close();
      throw new SwitchClosedError(this.target);
    }
    this.attach(session);
  }

  private async collect<B extends MultipartRequestBody, T>(
    body: B,
    pick: (part: MultipartReplyOf<B>) => T[],
    opts?: RequestOptions,
  ): Promise<T[]> {
    const out: T[] = [];
    for (const part of await this.multipart(body, opts)) for (const x of pick(part)) out.push(x);
    return out;
  }
}

function flowMod(flow: FlowSpec | FlowFilter | string, command: FlowCommand, path?: string): Outgoing {
  return typeof flow === 'string' ? flowFromText(flow, command) : toFlowMod(flow, command, path);
}

/** Maps a sync or async iterable lazily, keeping a plain iterable plain (no awaits per item). */
function mapIterable<T, U>(src: Iterable<T> | AsyncIterable<T>, fn: (x: T, i: number) => U): Iterable<U> | AsyncIterable<U> {
  if (Symbol.iterator in src) {
    return (function* () {
      let i = 0;
      for (const x of src) yield fn(x, i++);
    })();
  }
  return (async function* () {
    let i = 0;
    for await (const x of src) yield fn(x, i++);
  })();
}
