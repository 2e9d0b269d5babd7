/**
 * An in-process OpenFlow "switch" for faults a real one will not produce: garbage bytes, lying
 * lengths, a peer that stops reading, one that ignores echo, one that closes mid-multipart.
 *
 * It listens on a unix socket in a temp dir (target `unix:…`) and, by default, behaves like a
 * minimal OpenFlow 1.3 switch: HELLO with a 1.3 version bitmap, FEATURES_REPLY, ECHO and BARRIER
 * replies. Every message it receives is decoded and offered to `onMessage`, which may answer
 * itself (return true) to override the default behaviour.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Framer, decodeMessage, encodeMessage, type OfpMessage } from '../../protocol/index.js';
import { resources } from './ovs-sandbox.js';

export interface FakePeerOptions {
  /** HELLO to send on accept: versions for the bitmap (wire numbers), `false` for none. Default [4]. */
  helloVersions?: number[] | false;
  /** Header version of the HELLO. Default: highest of helloVersions, or 4. */
  helloHeaderVersion?: number;
  /** Include a version bitmap element. Default true. */
  helloBitmap?: boolean;
  datapathId?: bigint;
  /** Answer ECHO_REQUEST. Default true. */
  answerEcho?: boolean;
  /** Answer BARRIER_REQUEST. Default true. */
  answerBarrier?: boolean;
  /** Custom handling; return true when the message was dealt with. */
  onMessage?: (msg: OfpMessage, conn: FakeConnection) => boolean | void;
}

export class FakeConnection {
  readonly received: OfpMessage[] = [];
  /** Every frame received, decodable or not. */
  readonly frames: Buffer[] = [];
  readonly undecodable: Buffer[] = [];
  private readonly framer = new Framer();

  constructor(
    readonly socket: Socket,
    private readonly peer: FakePeer,
  ) {}

  send(msg: OfpMessage): void {
    this.socket.write(encodeMessage(msg));
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'hex') : bytes);
  }

  /** Stop reading: the other side's writes back up. */
  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** @internal */
  onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.framer.push(chunk);
    } catch {
      this.socket.destroy();
      return;
    }
    for (const f of frames) {
      this.frames.push(Buffer.from(f));
      this.peer.frames.push({ conn: this.peer.connections.indexOf(this), bytes: this.frames.at(-1)! });
      let msg: OfpMessage;
      try {
        msg = decodeMessage(f);
      } catch {
        this.undecodable.push(Buffer.from(f));
        continue;
      }
      this.received.push(msg);
      this.peer.handle(msg, this);
    }
  }
}

export class FakePeer {
  readonly target: string;
  readonly connections: FakeConnection[] = [];
  /** Every frame received on any connection, in arrival order, with the connection's index. */
  readonly frames: { conn: number; bytes: Buffer }[] = [];
  private waiters: ((c: FakeConnection) => void)[] = [];
  private readonly release: () => void;

  private constructor(
    private readonly server: Server,
    readonly dir: string,
    readonly opts: FakePeerOptions,
  ) {
    this.target = `unix:${join(dir, 'peer.sock')}`;
    this.release = resources.add(() => rmSync(dir, { recursive: true, force: true }));
  }

  static async start(opts: FakePeerOptions = {}): Promise<FakePeer> {
    const dir = mkdtempSync(join(tmpdir(), 'ofwire-fakepeer-'));
    const server = createServer();
    const peer = new FakePeer(server, dir, opts);
    server.on('connection', (socket) => peer.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(join(dir, 'peer.sock'), () => resolve());
    });
    return peer;
  }

  /** Resolves with the next (or the already accepted n-th) connection. */
  connection(n = 0): Promise<FakeConnection> {
    if (this.connections[n]) return Promise.resolve(this.connections[n]);
    return new Promise((resolve) => {
      const check = (c: FakeConnection) => {
        if (this.connections[n] === c) resolve(c);
        else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.release();
  }

  private accept(socket: Socket): void {
    const conn = new FakeConnection(socket, this);
    this.connections.push(conn);
    socket.on('data', (d: Buffer) => conn.onData(d));
    socket.on('error', () => {});
    const versions = this.opts.helloVersions ?? [4];
    if (versions !== false) {
      const elements: Extract<OfpMessage, { type: 'hello' }>['elements'] = [];
      if (this.opts.helloBitmap !== false) {
        let word = 0;
        for (const v of versions) word |= 1 << v;
        elements.push({ type: 'versionbitmap', bitmaps: [word >>> 0] });
      }
      conn.send({
        type: 'hello',
        version: this.opts.helloHeaderVersion ?? Math.max(...versions, 1),
        xid: 1,
        elements,
      });
    }
    const waiters = this.waiters.splice(0);
    for (const w of waiters) w(conn);
  }

  /** @internal */
  handle(msg: OfpMessage, conn: FakeConnection): void {
    if (this.opts.onMessage?.(msg, conn)) return;
    switch (msg.type) {
      case 'features_request':
        conn.send({
          type: 'features_reply',
          xid: msg.xid,
          datapathId: this.opts.datapathId ?? 0xfacen,
          nBuffers: 0,
          nTables: 254,
          auxiliaryId: 0,
          capabilities: 0x4f,
          reserved: 0,
        });
        break;
      case 'echo_request':
        if (this.opts.answerEcho !== false) conn.send({ type: 'echo_reply', xid: msg.xid, data: msg.data });
        break;
      case 'barrier_request':
        if (this.opts.answerBarrier !== false) conn.send({ type: 'barrier_reply', xid: msg.xid });
        break;
      case 'bundle_control':
        // OPEN/CLOSE/COMMIT/DISCARD requests are even; the reply is the next value.
        if (msg.ctrlType % 2 === 0) conn.send({ ...msg, ctrlType: msg.ctrlType + 1, properties: [] });
        break;
    }
  }
}
