/**
 * One OpenFlow connection as whole messages in and out.
 *
 * Outgoing messages are encoded straight into one pending buffer and written together once per
 * turn of the event loop (or as soon as the buffer is large), so a burst of thousands of messages
 * costs a handful of socket writes. When the socket cannot keep up, bytes wait in that buffer and
 * `congested` turns true; producers that care about memory await `drained()`.
 * Incoming bytes are split into messages by the protocol Framer and emitted as `frame` events.
 */
import type { Socket } from 'node:net';
import { EventEmitter } from 'eventemitter3';
import { Framer, type OfpMessage } from '../../protocol/index.js';
import { Writer } from '../../protocol/wire/writer.js';
import { writeMessage } from '../../protocol/codec.js';
import { ConnectionError } from './errors.js';

/** Options of a Channel. */
export interface ChannelOptions {
  /** Target text used in errors and logs. */
  label: string;
  /** Queued bytes (ours + the socket's) above which the channel reports congestion. Default 1 MiB. */
  highWaterMark?: number;
  /** Pending bytes that trigger a write before the end of the current turn. Default 256 KiB. */
  flushThreshold?: number;
}

/** The events of a Channel. */
export interface ChannelEvents {
  /** One whole message; the buffer is only valid during the call. */
  frame: [frame: Buffer];
  /** The channel is closed; `error` says why when it was not an orderly close. */
  close: [error: Error | undefined];
  /** Queued bytes fell below the high-water mark. */
  drain: [];
}

/** Counts of the messages, bytes and socket writes of a Channel. */
export interface ChannelStats {
  messagesSent: number;
  bytesSent: number;
  /** Socket writes issued (each carries one or more messages). */
  writes: number;
  messagesReceived: number;
  bytesReceived: number;
}

const SHRINK_ABOVE = 4 << 20;

/** Messages that write themselves, by index, into an outgoing buffer (see Channel.sendWritten). */
export interface WrittenMessages {
  /** Appends message `index`, with `xid` in its header, to `w`. */
  write(index: number, w: Writer, xid: number): void;
}

/**
 * One connection's byte stream to a switch: writes whole messages, coalesced with backpressure, and
 * emits every message received.
 */
export class Channel extends EventEmitter<ChannelEvents> {
  readonly label: string;
  readonly stats: ChannelStats = { messagesSent: 0, bytesSent: 0, writes: 0, messagesReceived: 0, bytesReceived: 0 };
  private pending = new Writer(1 << 16);
  private readonly framer = new Framer();
  private readonly highWaterMark: number;
  private readonly flushThreshold: number;
  private flushScheduled = false;
  private flushing = false;
  /**
   * Called just before queued bytes are written, while messages can still join the same write
   * (the session appends its confirming barrier here).
   */
  beforeFlush: (() => void) | undefined;
  /**
   * Vets each message header as soon as its 8 bytes arrive, before the rest of the message: a
   * stream of garbage is refused at once instead of waiting for a length it made up. Returning an
   * error closes the channel with it.
   */
  checkHeader: ((header: Buffer) => Error | undefined) | undefined;
  /** Last bytes of the stream before the current chunk (a pending header may start there). */
  private tail: Buffer = Buffer.alloc(0);
  private pendingHeaderChecked = false;
  private closing = false;
  private closedFlag = false;
  private closeError: Error | undefined;
  private drainWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];

  constructor(
    private readonly socket: Socket,
    opts: ChannelOptions,
  ) {
    super();
    this.label = opts.label;
    this.highWaterMark = opts.highWaterMark ?? 1 << 20;
    this.flushThreshold = opts.flushThreshold ?? 256 << 10;
    socket.setNoDelay?.(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onSocketDrain());
    socket.on('error', (err) => {
      this.closeError ??= new ConnectionError(err.message, this.label, err);
    });
    socket.on('close', () => this.onClose());
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** False once close() or destroy() was called, or the socket went away. */
  get writable(): boolean {
    return !this.closing && !this.closedFlag;
  }

  /** Bytes accepted but not yet handed to the kernel. */
  get queuedBytes(): number {
    return this.pending.pos + this.socket.writableLength;
  }

  get congested(): boolean {
    return this.queuedBytes >= this.highWaterMark;
  }

  /**
   * Encodes a message into the outgoing buffer. Throws EncodeError (nothing is queued) for a
   * message that cannot be encoded, and ConnectionError once the channel is closed.
   */
  send(msg: OfpMessage): void {
    this.assertOpen();
    writeMessage(this.pending, msg);
    this.stats.messagesSent++;
    this.scheduleFlush();
  }

  /**
   * Queues a message written by `source.write(index, w, xid)` straight into the outgoing buffer.
   * Nothing is queued when it throws.
   */
  sendWritten(source: WrittenMessages, index: number, xid: number): void {
    this.assertOpen();
    const start = this.pending.pos;
    try {
      source.write(index, this.pending, xid);
    } catch (err) {
      this.pending.pos = start;
      throw err;
    }
    this.stats.messagesSent++;
    this.scheduleFlush();
  }

  /** Queues bytes as they are (used to talk to peers in tests and for pre-encoded messages). */
  sendRaw(bytes: Uint8Array): void {
    this.assertOpen();
    this.pending.bytes(bytes);
    this.scheduleFlush();
  }

  /** Resolves once queued bytes are below the high-water mark; rejects if the channel closes first. */
  drained(): Promise<void> {
    if (this.closedFlag) return Promise.reject(this.closedError());
    if (!this.congested) return Promise.resolve();
    return new Promise((resolve, reject) => this.drainWaiters.push({ resolve, reject }));
  }

  /** Stops reading from the socket (the peer then sees TCP backpressure). */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Writes what is queued, then closes (at once after `timeoutMs` if the peer does not close its side). */
  close(timeoutMs = 5000): void {
    if (this.closing || this.closedFlag) return;
    this.flush(true);
    this.closing = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), timeoutMs).unref();
  }

  /** Closes at once, dropping anything queued; `error` becomes the close reason. */
  destroy(error?: Error): void {
    if (this.closedFlag) return;
    if (error) this.closeError ??= error;
    this.closing = true;
    this.socket.destroy();
  }

  private assertOpen(): void {
    if (this.closing || this.closedFlag) throw this.closedError();
  }

  private closedError(): Error {
    return this.closeError ?? new ConnectionError('connection is closed', this.label);
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    if (this.pending.pos >= this.flushThreshold && !this.socket.writableNeedDrain) {
      this.flush();
      return;
    }
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Written once the current job is done (everything queued in it goes out in one write),
    // without waiting for another turn of the event loop.
    queueMicrotask(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(force = false): void {
    if (this.pending.pos === 0 || this.closedFlag) return;
    // While the socket is over its own high-water mark, bytes keep accumulating in `pending`
    // (one contiguous buffer) instead of as a list of chunks inside the socket.
    if (this.socket.writableNeedDrain && !force) return;
    if (this.beforeFlush) {
      this.flushing = true;
      try {
        this.beforeFlush();
      } finally {
        this.flushing = false;
      }
    }
    const chunk = this.pending.copyFrom(0);
    if (this.pending.buf.length > SHRINK_ABOVE) this.pending = new Writer(1 << 16);
    else this.pending.reset();
    this.stats.writes++;
    this.stats.bytesSent += chunk.length;
    this.socket.write(chunk);
  }

  private onSocketDrain(): void {
    this.flush();
    this.releaseDrainWaiters();
  }

  private releaseDrainWaiters(): void {
    if (this.congested || this.closedFlag) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w.resolve();
    this.emit('drain');
  }

  private onData(chunk: Buffer): void {
    this.stats.bytesReceived += chunk.length;
    let frames: Buffer[];
    try {
      frames = this.framer.push(chunk);
    } catch (err) {
      this.destroy(err as Error);
      return;
    }
    if (this.checkHeader && !this.vetHeaders(frames, chunk)) return;
    for (const f of frames) {
      if (this.socket.destroyed) return;
      this.stats.messagesReceived++;
      this.emit('frame', f);
    }
  }

  private vetHeaders(frames: Buffer[], chunk: Buffer): boolean {
    const check = this.checkHeader!;
    for (const f of frames) {
      const err = check(f.subarray(0, 8));
      if (err) {
        this.destroy(err);
        return false;
      }
    }
    if (frames.length > 0) this.pendingHeaderChecked = false;
    const waiting = this.framer.buffered;
    if (waiting === 0) this.pendingHeaderChecked = false;
    else if (waiting >= 8 && !this.pendingHeaderChecked) {
      this.pendingHeaderChecked = true;
      const from = waiting <= chunk.length ? chunk : Buffer.concat([this.tail, chunk]);
      const err = check(from.subarray(from.length - waiting, from.length - waiting + 8));
      if (err) {
        this.destroy(err);
        return false;
      }
    }
    this.tail = Buffer.from(chunk.length >= 8 ? chunk.subarray(chunk.length - 8) : Buffer.concat([this.tail, chunk]).subarray(-8));
    return true;
  }

  private onClose(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.closing = true;
    const err = this.closeError;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w.reject(this.closedError());
    this.emit('close', err);
  }
}
