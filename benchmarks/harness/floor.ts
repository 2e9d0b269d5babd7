/**
 * The floor: the same OpenFlow messages the proxy sends, encoded before the clock starts and written
 * raw to the management socket — what ovs-vswitchd alone costs. No library on this path beyond a
 * minimal frame splitter: after the HELLO/FEATURES handshake the bytes go out in one write, and the
 * clock stops at the reply that ends the exchange.
 */
import { connect, type Socket } from 'node:net';
import { encodeMessage, type OfpMessage } from '../../protocol/index.js';
import {
  OFPBCT_CLOSE_REQUEST,
  OFPBCT_COMMIT_REQUEST,
  OFPBCT_OPEN_REQUEST,
  OFPBF_ATOMIC,
  OFPBF_ORDERED,
  OFPMPF_REPLY_MORE,
  OFPT_BARRIER_REPLY,
  OFPT_BARRIER_REQUEST,
  OFPT_ERROR,
  OFPT_FEATURES_REPLY,
  OFPT_FEATURES_REQUEST,
  OFPT_HELLO,
  OFPT_MULTIPART_REPLY,
} from '../../protocol/constants/openflow13.js';

const OFPBF_ATOMIC_ORDERED = OFPBF_ATOMIC | OFPBF_ORDERED;

function header(type: number, xid: number, length = 8): Buffer {
  const b = Buffer.alloc(length);
  b[0] = 4;
  b[1] = type;
  b.writeUInt16BE(length, 2);
  b.writeUInt32BE(xid, 4);
  return b;
}

/** A bare OpenFlow 1.3 connection: whole frames in, raw bytes out. */
export class RawConnection {
  private buf: Buffer = Buffer.alloc(0);
  /** Each takes a frame and returns true once it is done; frames nobody takes are dropped. */
  private waiters: ((type: number, xid: number, frame: Buffer) => boolean)[] = [];
  /** OFPT_ERROR frames received (the floor's messages must all be accepted). */
  readonly errors: Buffer[] = [];
  private closed: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => (this.closed ??= new Error('connection closed')));
    socket.on('error', (e) => (this.closed ??= e));
  }

  static async open(path: string): Promise<RawConnection> {
    const socket = connect(path);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.setNoDelay?.(true);
    const c = new RawConnection(socket);
    socket.write(header(OFPT_HELLO, 1));
    await c.next((t) => t === OFPT_HELLO);
    socket.write(header(OFPT_FEATURES_REQUEST, 2));
    await c.next((t) => t === OFPT_FEATURES_REPLY);
    return c;
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next frame that `match` accepts (frames nobody waits for are dropped, errors are kept). */
  next(match: (type: number, xid: number, frame: Buffer) => boolean): Promise<Buffer> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve) => {
      this.waiters.push((t, x, f) => {
        if (!match(t, x, f)) return false;
        resolve(Buffer.from(f));
        return true;
      });
      this.drain();
    });
  }

  barrierReply(xid: number): Promise<Buffer> {
    return this.next((t, x) => t === OFPT_BARRIER_REPLY && x === xid);
  }

  /** Resolves when the last part of the multipart reply with this xid has arrived; returns the parts. */
  multipart(xid: number): Promise<Buffer[]> {
    if (this.closed) return Promise.reject(this.closed);
    const parts: Buffer[] = [];
    return new Promise((resolve) => {
      this.waiters.push((t, x, f) => {
        if (t !== OFPT_MULTIPART_REPLY || x !== xid) return false;
        parts.push(Buffer.from(f));
        if (f.readUInt16BE(10) & OFPMPF_REPLY_MORE) return false;
        resolve(parts);
        return true;
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    this.drain();
  }

  private drain(): void {
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt16BE(2);
      if (this.buf.length < len) return;
      const frame = this.buf.subarray(0, len);
      this.buf = this.buf.subarray(len);
      const type = frame[1]!;
      const xid = frame.readUInt32BE(4);
      if (type === OFPT_ERROR) this.errors.push(Buffer.from(frame));
      if (type === 2 /* ECHO_REQUEST */) {
        const reply = Buffer.from(frame);
        reply[1] = 3;
        this.socket.write(reply);
      }
      if (this.waiters.length) this.waiters = this.waiters.filter((w) => !w(type, xid, frame));
    }
  }
}

/**
 * One atomic bundle carrying `members`, pre-encoded: OPEN, every ADD, CLOSE, COMMIT, then a
 * BARRIER. Written in one go; the exchange ends with the barrier reply (after the commit reply).
 */
export function encodeBundle(members: OfpMessage[], bundleId = 1): { bytes: Buffer; barrierXid: number } {
  const chunks: Buffer[] = [];
  let xid = 100;
  const control = (ctrlType: number) =>
    encodeMessage({ type: 'bundle_control', xid: xid++, bundleId, ctrlType, flags: OFPBF_ATOMIC_ORDERED, properties: [] });
  chunks.push(control(OFPBCT_OPEN_REQUEST));
  for (const m of members) {
    const x = xid++;
    chunks.push(
      encodeMessage({ type: 'bundle_add', xid: x, bundleId, flags: OFPBF_ATOMIC_ORDERED, message: { ...m, xid: x }, properties: [] }),
    );
  }
  chunks.push(control(OFPBCT_CLOSE_REQUEST));
  chunks.push(control(OFPBCT_COMMIT_REQUEST));
  const barrierXid = xid++;
  chunks.push(header(OFPT_BARRIER_REQUEST, barrierXid));
  return { bytes: Buffer.concat(chunks), barrierXid };
}

/** One message followed by a barrier, pre-encoded. */
export function encodeWithBarrier(message: OfpMessage, xid: number): { bytes: Buffer; barrierXid: number } {
  return { bytes: Buffer.concat([encodeMessage({ ...message, xid }), header(OFPT_BARRIER_REQUEST, xid + 1)]), barrierXid: xid + 1 };
}

/** Several messages (xids from `xid` on) and one BARRIER after them, as one write. */
export function encodeAllWithBarrier(messages: readonly OfpMessage[], xid: number): { bytes: Buffer; barrierXid: number } {
  const barrierXid = xid + messages.length;
  return {
    bytes: Buffer.concat([...messages.map((m, k) => encodeMessage({ ...m, xid: xid + k })), header(OFPT_BARRIER_REQUEST, barrierXid)]),
    barrierXid,
  };
}

/** Writes pre-encoded bytes and waits for the barrier reply; seconds from the write to the reply. */
export async function timedExchange(conn: RawConnection, bytes: Buffer, barrierXid: number): Promise<number> {
  const t0 = performance.now();
  const done = conn.barrierReply(barrierXid);
  conn.write(bytes);
  await done;
  return (performance.now() - t0) / 1000;
}

/** What an agent restart must at least do: read the proxy's flows (by cookie) and every group back. */
export function encodeStateDump(cookie: bigint, cookieMask: bigint): { bytes: Buffer; flowXid: number; groupXid: number } {
  const flows = encodeMessage({
    type: 'multipart_request',
    xid: 10,
    flags: 0,
    body: { kind: 'flow', tableId: 0xff, outPort: 0xffffffff, outGroup: 0xffffffff, cookie, cookieMask, match: [] },
  });
  const groups = encodeMessage({ type: 'multipart_request', xid: 11, flags: 0, body: { kind: 'group_desc' } });
  return { bytes: Buffer.concat([flows, groups]), flowXid: 10, groupXid: 11 };
}
