/**
 * One OpenFlow 1.3 conversation with a switch over an open Channel: the HELLO/FEATURES exchange,
 * xids, request/reply correlation, multipart reassembly and streaming, confirmations by barrier,
 * echo keep-alive, and the switch's asynchronous messages as typed events.
 *
 * Messages that have no reply (flow_mod, group_mod, …) are confirmed by a barrier that the session
 * appends to the same socket write: their promise resolves when the barrier's reply arrives, or
 * rejects with the OFPT_ERROR the switch sent for them (OVS answers in order, so an error for an
 * earlier message always precedes the barrier reply).
 */
import { EventEmitter } from 'eventemitter3';
import type { Logger } from '../logger.js';
import {
  ProtocolError,
  decodeMessage,
  encodeMessage,
  peekHeader,
  type ErrorMsg,
  type FeaturesReply,
  type FlowRemoved,
  type MultipartReply,
  type MultipartRequestBody,
  type OfpMessage,
  type PacketIn,
  type PortStatus,
} from '../../protocol/index.js';
import { replyType } from '../../protocol/message-registry.js';
import type { Channel } from '../transport/channel.js';
import {
  BatchError,
  HandshakeError,
  OpenFlowError,
  PeerDeadError,
  RequestTimeoutError,
  SessionClosedError,
  UnexpectedReplyError,
} from './errors.js';
import { acceptHello, ourHello } from './handshake.js';
import { KeepAlive } from './keep-alive.js';
import { PartQueue } from './part-queue.js';
import { Pending, PendingRequests, type EncodedMessages, type EncodedSettle, type Settle } from './pending.js';
import { type MultipartReplyOf, type Outgoing, type ReplyOf } from './replies.js';
import {
  OFP13_VERSION,
  OFPCML_NO_BUFFER,
  OFPMPF_REPLY_MORE,
  OFPT_METER_MOD,
  OFPT_MULTIPART_REPLY,
  OFP_MULTIPART_HEADER_LEN,
} from '../../protocol/constants/openflow13.js';

export type { MultipartReplyOf, Outgoing, ReplyOf } from './replies.js';
export type { EncodedMessages, EncodedSettle } from './pending.js';

/** Options of a Session: logger, handshake and request timeouts, echo keep-alive. */
export interface SessionOptions {
  /** pino logger (or anything with its methods); nothing is logged without one. */
  logger?: Logger;
  /** Whole HELLO + FEATURES exchange. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** Probe the peer with ECHO_REQUEST after this long without receiving anything. 0 disables. Default 5 s. */
  echoIntervalMs?: number;
  /** Declare the peer dead when a probe goes unanswered (and nothing else arrives) this long. Default 15 s. */
  echoTimeoutMs?: number;
  /**
   * Ask the switch for asynchronous messages (packet-in, flow-removed, port-status). OVS sends none
   * on a service connection until SET_CONFIG carries a non-zero miss_send_len; true sends
   * OFPCML_NO_BUFFER, a number sends that miss_send_len.
   */
  asyncEvents?: boolean | number;
  /** Multipart parts a stream may hold before the socket stops being read. Default 16. */
  streamHighWater?: number;
}

/** Options of one request of a Session. */
export interface RequestOptions {
  /** Reject with RequestTimeoutError after this long. Default: no timeout (dead peers are found by echo). */
  timeoutMs?: number;
  /** Names the request in an OpenFlowError (e.g. `bundle 3 member 7`). */
  context?: string;
}

/** The events of a Session. */
export interface SessionEvents {
  /** Every message that is not a reply to a request (including the typed ones below). */
  message: [message: OfpMessage];
  packetIn: [message: PacketIn];
  flowRemoved: [message: FlowRemoved];
  portStatus: [message: PortStatus];
  /** OFPT_ERROR for a message that nobody is waiting on, or a reply that would not decode. */
  error: [error: Error];
  close: [error: Error | undefined];
}

/** A live OpenFlow 1.3 session. Create one with `Session.open(channel)`. */
export class Session extends EventEmitter<SessionEvents> {
  /** FEATURES_REPLY from the handshake. */
  features!: FeaturesReply;
  /** Versions the peer announced in its HELLO (wire numbers). */
  peerVersions: number[] = [];
  readonly target: string;
  private readonly log: Logger | undefined;
  private readonly pending = new PendingRequests((err) => this.log?.error({ err }, 'request callback threw'));
  private needBarrier = false;
  private lastXid = 0;
  private state: 'hello' | 'open' | 'closed' = 'hello';
  private helloWaiter: ((m: OfpMessage | Error) => void) | undefined;
  private closeError: Error | undefined;
  private readonly keepAlive = new KeepAlive({
    active: () => this.state === 'open' && this.channel.writable,
    paused: () => this.pausedByStreams > 0,
    probe: () => this.enqueue({ type: 'echo_request', data: Buffer.alloc(0) }, () => {}, {}),
    dead: (silentMs) => this.destroy(new PeerDeadError(this.target, silentMs)),
  });
  private pausedByStreams = 0;
  private early: OfpMessage[] = [];
  private readonly watchers: { claims: (xid: number) => boolean; onError: (error: ErrorMsg) => void }[] = [];

  private constructor(
    readonly channel: Channel,
    private readonly opts: SessionOptions,
  ) {
    super();
    this.target = channel.label;
    this.log = opts.logger?.child({ target: this.target });
    channel.beforeFlush = () => this.appendBarrier();
    channel.checkHeader = (h) => this.checkHeader(h);
    channel.on('frame', (f) => this.onFrame(f));
    channel.on('close', (err) => this.onClose(err));
  }

  /** Runs the handshake on an open channel; rejects with HandshakeError (and closes it) on failure. */
  static async open(channel: Channel, opts: SessionOptions = {}): Promise<Session> {
    const s = new Session(channel, opts);
    await s.handshake();
    return s;
  }

  /** Datapath id as OVS prints it (16 hex digits). */
  get dpid(): string {
    return this.features.datapathId.toString(16).padStart(16, '0');
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Requests still waiting for an answer. */
  get outstanding(): number {
    return this.pending.size;
  }

  /** True while more bytes are queued than the channel's high-water mark. */
  get congested(): boolean {
    return this.channel.congested;
  }

  drained(): Promise<void> {
    return this.channel.drained();
  }

  // ---- requests ---------------------------------------------------------------------------------

  /**
   * Sends a message and settles with its reply (multipart: every part, in order), or — for messages
   * without a reply — once a barrier confirms the switch processed it. Rejects with OpenFlowError
   * when the switch answers OFPT_ERROR, SessionClosedError when the connection ends first.
   * Throws EncodeError synchronously for a message that cannot be encoded.
   */
  request<M extends Outgoing>(msg: M, opts: RequestOptions = {}): Promise<ReplyOf<M>> {
    return new Promise((resolve, reject) => {
      this.enqueue(msg, (err, v) => (err ? reject(err) : resolve(v as ReplyOf<M>)), opts);
    });
  }

  /** Like request(), but also tells the xid the message went out with. */
  submit<M extends Outgoing>(msg: M, opts: RequestOptions = {}): { xid: number; reply: Promise<ReplyOf<M>> } {
    let xid = 0;
    const reply = new Promise<ReplyOf<M>>((resolve, reject) => {
      xid = this.enqueue(msg, (err, v) => (err ? reject(err) : resolve(v as ReplyOf<M>)), opts);
    });
    return { xid, reply };
  }

  /**
   * Like submit(), with a callback instead of a promise: for sending many requests at once without
   * a promise each. `settle` is called once, with null (and the reply, if any) or the error. Throws
   * synchronously, before anything is sent, when the session is closed or the message cannot be
   * encoded. Returns the xid.
   */
  track(msg: Outgoing, settle: (err: Error | null, reply?: unknown) => void, opts: RequestOptions = {}): number {
    return this.enqueue(msg, settle, opts);
  }

  /**
   * Like track(), for message `index` of messages kept encoded: `settle(index, err)` once the
   * switch confirmed or refused it. Throws synchronously, before anything is sent, when the
   * session is closed or the message cannot be written. Returns the xid.
   */
  trackEncoded(list: EncodedMessages, index: number, settle: EncodedSettle, opts: RequestOptions = {}): number {
    this.assertOpen();
    const xid = this.allocXid();
    this.channel.sendWritten(list, index, xid);
    const p = new Pending(xid, this.pending.nextSeq(), undefined, 'confirm', undefined, settleEncoded, opts.context);
    p.encodedList = list;
    p.encodedIndex = index;
    p.encodedSettle = settle;
    this.register(p, opts);
    return xid;
  }

  /**
   * Routes OFPT_ERRORs whose xid `claims` accepts to `onError` instead of the `error` event, after
   * tracked requests (OVS reports a failed bundle member again at commit time, under the member's
   * xid). Claimed xids are not given to new messages. Returns the function that stops watching.
   */
  watchErrors(claims: (xid: number) => boolean, onError: (error: ErrorMsg) => void): () => void {
    const watcher = { claims, onError };
    this.watchers.push(watcher);
    return () => {
      const i = this.watchers.indexOf(watcher);
      if (i >= 0) this.watchers.splice(i, 1);
    };
  }

  /**
   * Sends message `index` of messages kept encoded without tracking it, as send() does. Throws
   * synchronously, before anything is sent, when the session is closed or the message cannot be
   * written. Returns the xid.
   */
  sendEncoded(list: EncodedMessages, index: number): number {
    this.assertOpen();
    const xid = this.allocXid();
    this.channel.sendWritten(list, index, xid);
    return xid;
  }

  /** Sends without tracking; an error the switch sends for it arrives as an `error` event. Returns the xid. */
  send(msg: Outgoing): number {
    this.assertOpen();
    const xid = this.allocXid();
    this.channel.send(numbered(msg, xid));
    return xid;
  }

  /**
   * Sends many messages, honouring backpressure (waits while the channel is congested and yields
   * to the event loop regularly), and resolves with the count once all are confirmed. Rejects with
   * BatchError listing every OpenFlowError (each with its request) if any failed. Not atomic: a
   * message that cannot be encoded stops the batch with its EncodeError, after the ones before it
   * were sent.
   */
  async sendAll(msgs: Iterable<Outgoing> | AsyncIterable<Outgoing>, opts: RequestOptions = {}): Promise<number> {
    let outstanding = 0;
    let total = 0;
    let finished = false;
    let fatal: Error | undefined;
    const failures: OpenFlowError[] = [];
    let wake: (() => void) | undefined;
    const settle: Settle = (err) => {
      outstanding--;
      if (err) {
        if (err instanceof OpenFlowError) failures.push(err);
        else fatal ??= err;
      }
      if (finished && outstanding === 0) wake?.();
    };
    const push = (m: Outgoing) => {
      this.enqueue(m, settle, opts);
      outstanding++;
      total++;
    };
    // Await only when the channel is full, or now and then to let replies and timers run.
    let sinceYield = 0;
    const pace = async () => {
      sinceYield = 0;
      // A connection that drops while the batch waits is the session closing: the batch's own
      // error, SessionClosedError, not the socket's.
      if (this.channel.congested) await this.channel.drained().catch(() => this.assertOpen());
      else await new Promise((r) => setImmediate(r));
    };
    if (Symbol.iterator in msgs) {
      for (const m of msgs) {
        if (fatal) break;
        if (this.channel.congested || ++sinceYield >= 4096) await pace();
        push(m);
      }
    } else {
      for await (const m of msgs) {
        if (fatal) break;
        if (this.channel.congested || ++sinceYield >= 4096) await pace();
        push(m);
      }
    }
    finished = true;
    if (outstanding > 0) await new Promise<void>((r) => (wake = r));
    if (fatal) throw fatal;
    if (failures.length) throw new BatchError(failures, total);
    return total;
  }

  /** Waits until the switch has processed everything sent before. */
  async barrier(opts: RequestOptions = {}): Promise<void> {
    await this.request({ type: 'barrier_request' }, opts);
  }

  /** Round trip time of one ECHO_REQUEST, in milliseconds. */
  async echo(data: Buffer = Buffer.alloc(0), opts: RequestOptions = {}): Promise<number> {
    const t0 = performance.now();
    await this.request({ type: 'echo_request', data }, opts);
    return performance.now() - t0;
  }

  /** All parts of a multipart reply, in order. */
  async multipart<B extends MultipartRequestBody>(body: B, opts: RequestOptions = {}): Promise<MultipartReplyOf<B>[]> {
    const replies = await this.request({ type: 'multipart_request', flags: 0, body }, opts);
    return replies.map((r) => r.body as MultipartReplyOf<B>);
  }

  /**
   * The parts of a multipart reply as they arrive. When the consumer falls behind, the session
   * stops reading the socket, so a huge dump is never held in memory; breaking out of the loop
   * discards the rest of the reply.
   */
  multipartStream<B extends MultipartRequestBody>(body: B, opts: RequestOptions = {}): AsyncIterableIterator<MultipartReplyOf<B>> {
    let cancelled = false;
    const queue = new PartQueue<MultipartReplyOf<B>>(
      {
        pause: () => this.pauseReading(),
        resume: () => this.resumeReading(),
        cancel: () => (cancelled = true),
      },
      this.opts.streamHighWater ?? 16,
      Math.max(1, Math.floor((this.opts.streamHighWater ?? 16) / 4)),
    );
    try {
      this.enqueue(
        { type: 'multipart_request', flags: 0, body },
        (err) => (err ? queue.fail(err) : queue.end()),
        opts,
        (part) => {
          if (!cancelled) queue.push(part.body as MultipartReplyOf<B>);
        },
      );
    } catch (err) {
      queue.fail(err as Error);
    }
    return queue;
  }

  /**
   * A multipart request whose reply is not decoded: `onBody` gets each part's body as the switch
   * sent it (the bytes after the 16-byte ofp_multipart_reply header; a view of the received data,
   * not a copy), in order. Resolves once the last part arrived; rejects as request() does. A part
   * of another multipart type is decoded and refused with UnexpectedReplyError.
   */
  multipartRaw(body: MultipartRequestBody, onBody: (body: Buffer) => void, opts: RequestOptions = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      this.assertOpen();
      const xid = this.allocXid();
      const msg = numbered({ type: 'multipart_request', flags: 0, body }, xid);
      const frame = encodeMessage(msg);
      this.channel.sendRaw(frame);
      const p = new Pending(
        xid,
        this.pending.nextSeq(),
        msg,
        'multipart',
        'multipart_reply',
        (err) => (err ? reject(err) : resolve()),
        opts.context,
      );
      p.rawType = frame.readUInt16BE(8);
      p.onRawBody = onBody;
      // Reached only for a part of another type, which dispatch() refuses first.
      p.onPart = () => undefined;
      this.register(p, opts);
    });
  }

  /**
   * Asks the switch to send packet-in, flow-removed and port-status messages on this connection
   * (SET_CONFIG with a non-zero miss_send_len).
   */
  async enableAsyncEvents(missSendLen = OFPCML_NO_BUFFER): Promise<void> {
    await this.request({ type: 'set_config', flags: 0, missSendLen });
  }

  /** Flushes what is queued and closes the connection. */
  close(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    return new Promise((resolve) => {
      this.once('close', () => resolve());
      this.channel.close();
    });
  }

  /** Drops the connection at once; pending requests reject with `error` as the cause. */
  destroy(error?: Error): void {
    if (error) this.closeError ??= error;
    this.channel.destroy(error);
  }

  // ---- internals: sending -----------------------------------------------------------------------

  private assertOpen(): void {
    if (this.state === 'closed' || !this.channel.writable) {
      throw new SessionClosedError(this.target, undefined, this.closeError);
    }
  }

  private watcherOf(xid: number): { onError: (error: ErrorMsg) => void } | undefined {
    for (const w of this.watchers) if (w.claims(xid)) return w;
    return undefined;
  }

  private allocXid(): number {
    let x = this.lastXid;
    do {
      x = (x + 1) >>> 0;
      if (x === 0) x = 1;
    } while (this.pending.has(x) || (this.watchers.length > 0 && this.watcherOf(x)));
    this.lastXid = x;
    return x;
  }

  private enqueue(msg: Outgoing, settle: Settle, opts: RequestOptions, onPart?: (p: MultipartReply) => void): number {
    this.assertOpen();
    const xid = this.allocXid();
    // Sending first: a message that fails to encode throws here and nothing is registered.
    msg = numbered(msg, xid);
    this.channel.send(msg as OfpMessage);
    const expect = replyType(msg.type);
    const kind: Pending['kind'] = expect === undefined ? 'confirm' : expect === 'multipart_reply' ? 'multipart' : 'reply';
    const p = new Pending(xid, this.pending.nextSeq(), msg, kind, expect, settle, opts.context);
    if (kind === 'multipart') {
      const parts: MultipartReply[] = [];
      p.onPart = onPart ?? ((part) => parts.push(part));
      if (!onPart) p.settle = (err) => (err ? settle(err) : settle(null, parts));
    }
    this.register(p, opts);
    return xid;
  }

  private register(p: Pending, opts: RequestOptions): void {
    if (opts.timeoutMs !== undefined) {
      const ms = opts.timeoutMs;
      p.timer = setTimeout(() => this.pending.finish(p, new RequestTimeoutError(this.target, p.request, ms)), ms);
    }
    this.pending.add(p);
    if (p.kind === 'confirm') this.needBarrier = true;
  }

  /** Channel hook: confirm every command queued since the last barrier, in the same write. */
  private appendBarrier(): void {
    if (!this.needBarrier || this.state === 'closed' || !this.channel.writable) return;
    this.needBarrier = false;
    this.enqueue({ type: 'barrier_request' }, () => {}, {});
  }

  // ---- internals: receiving ---------------------------------------------------------------------

  private onFrame(frame: Buffer): void {
    this.keepAlive.received();
    if (frame[1] === OFPT_MULTIPART_REPLY && frame.length >= OFP_MULTIPART_HEADER_LEN && this.state === 'open' && this.rawPart(frame))
      return;
    let msg: OfpMessage;
    try {
      msg = decodeMessage(frame);
    } catch (err) {
      this.onUndecodable(frame, err as Error);
      return;
    }
    if (this.state === 'hello') {
      // The first message must be HELLO; anything right behind it waits for the handshake to go on.
      if (this.helloWaiter) {
        const w = this.helloWaiter;
        this.helloWaiter = undefined;
        w(msg);
      } else {
        this.early.push(msg);
      }
      return;
    }
    this.dispatch(msg);
  }

  /** Hands a multipart part to a request that wants it undecoded; false when none does. */
  private rawPart(frame: Buffer): boolean {
    const p = this.pending.get(frame.readUInt32BE(4));
    if (!p?.onRawBody || frame.readUInt16BE(8) !== p.rawType) return false;
    try {
      p.onRawBody(frame.subarray(OFP_MULTIPART_HEADER_LEN));
    } catch (err) {
      this.pending.finish(p, err as Error);
      return true;
    }
    if (!(frame.readUInt16BE(10) & OFPMPF_REPLY_MORE)) this.pending.finish(p, null);
    return true;
  }

  /** HELLO, ERROR and ECHO exist in every version; anything else must be OpenFlow 1.3 (types 0–29). */
  private checkHeader(h: Buffer): Error | undefined {
    const version = h[0]!;
    const type = h[1]!;
    if (type <= 3 || (version === OFP13_VERSION && type <= OFPT_METER_MOD)) return undefined;
    const len = (h[2]! << 8) | h[3]!;
    return new ProtocolError(
      version === OFP13_VERSION
        ? `unknown message type ${type}`
        : `OpenFlow version 0x${version.toString(16)} is not 1.3 (0x04) (type ${type}, length ${len})`,
      0,
      'ofp_header',
    );
  }

  private onUndecodable(frame: Buffer, err: Error): void {
    const h = peekHeader(frame);
    const versionless = h.type <= 3;
    if (this.state === 'hello' || (h.version !== OFP13_VERSION && !versionless)) {
      // Not OpenFlow 1.3 framing: nothing after this point can be trusted.
      this.log?.warn({ err: err.message }, 'closing connection after an undecodable message');
      this.destroy(err);
      return;
    }
    const p = this.pending.get(h.xid);
    if (p && p.kind !== 'confirm') {
      this.pending.finish(p, err);
      return;
    }
    this.log?.warn({ err: err.message, xid: h.xid, type: h.type }, 'undecodable message');
    this.emit('error', err);
  }

  private dispatch(msg: OfpMessage): void {
    switch (msg.type) {
      case 'echo_request':
        if (this.channel.writable) this.channel.send({ type: 'echo_reply', xid: msg.xid, data: msg.data });
        return;
      case 'error':
        this.onError(msg);
        return;
    }
    const p = this.pending.get(msg.xid);
    if (!p || p.kind === 'confirm') {
      this.unsolicited(msg);
      return;
    }
    if (msg.type !== p.expect) {
      this.pending.finish(p, new UnexpectedReplyError(this.target, p.request, msg, `got ${msg.type}, expected ${p.expect}`));
      return;
    }
    if (p.kind === 'multipart') {
      const part = msg as MultipartReply;
      const req = p.message as Extract<Outgoing, { type: 'multipart_request' }>;
      if (part.body.kind !== req.body.kind) {
        this.pending.finish(
          p,
          new UnexpectedReplyError(this.target, p.request, msg, `got a ${part.body.kind} part, expected ${req.body.kind}`),
        );
        return;
      }
      p.onPart!(part);
      if (!(part.flags & OFPMPF_REPLY_MORE)) this.pending.finish(p, null);
      return;
    }
    if (msg.type === 'barrier_reply') this.pending.confirmBefore(p.seq);
    this.pending.finish(p, null, msg);
  }

  private onError(err: ErrorMsg): void {
    const p = this.pending.get(err.xid);
    if (p) {
      this.pending.finish(p, new OpenFlowError(err, p.request, p.context));
      return;
    }
    const watcher = this.watchers.length ? this.watcherOf(err.xid) : undefined;
    if (watcher) {
      watcher.onError(err);
      return;
    }
    const e = new OpenFlowError(err);
    this.log?.warn({ xid: err.xid, err: e.message }, 'error for an untracked message');
    this.emit('error', e);
  }

  private unsolicited(msg: OfpMessage): void {
    this.emit('message', msg);
    switch (msg.type) {
      case 'packet_in':
        this.emit('packetIn', msg);
        break;
      case 'flow_removed':
        this.emit('flowRemoved', msg);
        break;
      case 'port_status':
        this.emit('portStatus', msg);
        break;
    }
  }

  private pauseReading(): void {
    if (this.pausedByStreams++ === 0) this.channel.pause();
  }

  private resumeReading(): void {
    if (this.pausedByStreams > 0 && --this.pausedByStreams === 0) {
      this.keepAlive.resumed();
      this.channel.resume();
    }
  }

  // ---- handshake, keep-alive, close -------------------------------------------------------------

  private async handshake(): Promise<void> {
    const timeoutMs = this.opts.handshakeTimeoutMs ?? 10_000;
    const timer = setTimeout(
      () => this.destroy(new HandshakeError(`no handshake within ${timeoutMs} ms`, this.target, this.peerVersions)),
      timeoutMs,
    );
    try {
      this.channel.send(ourHello(this.allocXid()));
      const peer = await new Promise<OfpMessage>((resolve, reject) => {
        this.helloWaiter = (m) => (m instanceof Error ? reject(m) : resolve(m));
      });
      this.peerVersions = acceptHello(peer, this.channel, this.target);
      this.state = 'open';
      for (const m of this.early.splice(0)) this.dispatch(m);
      this.features = await this.request({ type: 'features_request' });
      const asyncEvents = this.opts.asyncEvents;
      if (asyncEvents) await this.enableAsyncEvents(asyncEvents === true ? OFPCML_NO_BUFFER : asyncEvents);
    } catch (err) {
      if (err instanceof HandshakeError && err.peerVersions.length) this.peerVersions = err.peerVersions;
      const e =
        err instanceof HandshakeError
          ? err
          : new HandshakeError(`handshake failed: ${(err as Error).message}`, this.target, this.peerVersions, err);
      this.destroy(e);
      throw e;
    } finally {
      clearTimeout(timer);
    }
    this.keepAlive.start(this.opts.echoIntervalMs ?? 5000, this.opts.echoTimeoutMs ?? 15_000);
    this.log?.debug({ dpid: this.dpid }, 'session open');
  }

  private onClose(err: Error | undefined): void {
    if (this.state === 'closed') return;
    const wasHello = this.state === 'hello';
    this.state = 'closed';
    const cause = this.closeError ?? err;
    this.closeError = cause;
    this.keepAlive.stop();
    if (wasHello && this.helloWaiter) {
      this.helloWaiter(
        cause instanceof HandshakeError
          ? cause
          : new HandshakeError(
              `connection closed during the handshake${cause ? `: ${cause.message}` : ''}`,
              this.target,
              this.peerVersions,
              cause,
            ),
      );
    }
    for (const p of this.pending.takeAll()) this.pending.finish(p, new SessionClosedError(this.target, p.request, cause));
    this.log?.debug({ err: cause?.message }, 'session closed');
    this.emit('close', cause);
  }
}

/** An encoded message's pending record settles through its own callback (Pending.encodedSettle). */
const settleEncoded: Settle = () => undefined;

/**
 * Gives a message the xid it is sent with. The caller's object is numbered in place (copying every
 * message would cost more than encoding it); a bundle_add's inner message too, because it must
 * carry the same xid so that an error about it names the same request.
 */
function numbered(msg: Outgoing, xid: number): OfpMessage {
  if (msg.type === 'bundle_add') (msg.message as { xid?: number }).xid = xid;
  (msg as { xid?: number }).xid = xid;
  return msg as OfpMessage;
}
