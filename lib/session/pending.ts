/**
 * The requests of a session waiting for an answer: each by xid, and the commands (messages without
 * a reply) in the order sent, until a barrier reply confirms every command sent before it.
 */
import type { MessageType, MultipartReply, OfpMessage } from '../../protocol/index.js';
import type { Writer } from '../../protocol/wire/writer.js';
import type { Outgoing } from './replies.js';

export type Settle = (err: Error | null, value?: unknown) => void;

/**
 * Messages kept encoded by their owner (the service proxy keeps its flows and groups as bytes):
 * written straight into the outgoing stream, turned into objects only when an error names one.
 * Only messages the switch answers with nothing but errors (flow, group and bundle changes).
 */
export interface EncodedMessages {
  readonly size: number;
  /** Appends message `index`, with `xid` in its header (and in any message it carries), to `w`. */
  write(index: number, w: Writer, xid: number): void;
  /** Message `index` as an object. */
  message(index: number): Outgoing;
  /**
   * For bundles made while they are sent: called once every message so far is written; adds
   * more (`size` grows) and returns true, or returns false when there are no more.
   */
  more?(): boolean;
}

/** Settles a tracked encoded message; `index` says which. */
export type EncodedSettle = (index: number, err: Error | null) => void;

/** A request waiting for its reply or confirmation (a class: one shape, many instances). */
export class Pending {
  done = false;
  onPart: ((part: MultipartReply) => void) | undefined = undefined;
  timer: NodeJS.Timeout | undefined = undefined;
  private copy: OfpMessage | undefined = undefined;
  /** Set for an encoded message: where its object form comes from, and whom to tell. */
  encodedList: EncodedMessages | undefined = undefined;
  encodedIndex = 0;
  encodedSettle: EncodedSettle | undefined = undefined;
  /** Set for a multipart request answered undecoded: its OFPMP_* type and whom to hand the bodies. */
  rawType = -1;
  onRawBody: ((body: Buffer) => void) | undefined = undefined;

  constructor(
    readonly xid: number,
    readonly seq: number,
    /** The message as the caller gave it (its own xid, if any, is not the one sent). */
    private given: Outgoing | undefined,
    /** reply: one message; multipart: parts until the last; confirm: resolved by a later barrier. */
    readonly kind: 'reply' | 'multipart' | 'confirm',
    readonly expect: MessageType | undefined,
    public settle: Settle,
    readonly context: string | undefined,
  ) {}

  get message(): Outgoing {
    this.given ??= this.encodedList!.message(this.encodedIndex);
    return this.given;
  }

  /** The message with the xid it was sent with (a copy is made only if the caller reused the object). */
  get request(): OfpMessage {
    if (this.message.xid === this.xid) return this.message as OfpMessage;
    this.copy ??= { ...this.message, xid: this.xid };
    return this.copy;
  }
}

/** The pending requests by xid, and the commands waiting for a barrier's confirmation, in order. */
export class PendingRequests {
  private readonly byXid = new Map<number, Pending>();
  private unconfirmed: Pending[] = [];
  private unconfirmedHead = 0;
  private seq = 0;

  /** `onCallbackError`: a settle callback threw (the queue goes on). */
  constructor(private readonly onCallbackError: (err: unknown) => void) {}

  get size(): number {
    return this.byXid.size;
  }

  get(xid: number): Pending | undefined {
    return this.byXid.get(xid);
  }

  has(xid: number): boolean {
    return this.byXid.has(xid);
  }

  /** The order number of the next request sent. */
  nextSeq(): number {
    return ++this.seq;
  }

  add(p: Pending): void {
    this.byXid.set(p.xid, p);
    if (p.kind === 'confirm') this.unconfirmed.push(p);
  }

  /** Settles a request once: its timer stops, it leaves the queue, its callback runs. */
  finish(p: Pending, err: Error | null, value?: unknown): void {
    if (p.done) return;
    p.done = true;
    if (p.timer) clearTimeout(p.timer);
    if (this.byXid.get(p.xid) === p) this.byXid.delete(p.xid);
    try {
      if (p.encodedSettle) p.encodedSettle(p.encodedIndex, err);
      else p.settle(err, value);
    } catch (e) {
      this.onCallbackError(e);
    }
  }

  /** A barrier reply: every command sent before that barrier has been processed without error. */
  confirmBefore(seq: number): void {
    const q = this.unconfirmed;
    let i = this.unconfirmedHead;
    while (i < q.length && q[i]!.seq < seq) {
      const p = q[i]!;
      q[i] = undefined as unknown as Pending;
      i++;
      this.finish(p, null);
    }
    if (i >= q.length) {
      this.unconfirmed = [];
      this.unconfirmedHead = 0;
    } else if (i > 4096 && i * 2 > q.length) {
      this.unconfirmed = q.slice(i);
      this.unconfirmedHead = 0;
    } else {
      this.unconfirmedHead = i;
    }
  }

  /** Empties the queue (the connection ended) and returns every request that was waiting. */
  takeAll(): Pending[] {
    const all = [...this.byXid.values()];
    this.byXid.clear();
    this.unconfirmed = [];
    this.unconfirmedHead = 0;
    return all;
  }
}
