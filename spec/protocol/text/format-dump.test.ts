/**
 * dump-flows, dump-groups, dump-group-stats and show against a real ovs-vswitchd: the switch is
 * given every group and flow of the text corpus (OVS's own bytes), then ofwire fetches the replies
 * over its own connection and prints them, and the text must equal what `ovs-ofctl --no-names`
 * prints for the same switch — durations and xids aside. Needs root and Open vSwitch; skipped
 * otherwise.
 */
import { existsSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { resolve } from 'node:path';
import t from 'tap';
import {
  Framer,
  decodeMessage,
  encodeMessage,
  type MultipartReply,
  type MultipartRequestBody,
  type OfpMessage,
} from '../../../protocol/index.js';
import { versionBitmaps } from '../../../protocol/messages/hello.js';
import { formatDumpFlows, formatDumpGroupStats, formatDumpGroups, formatFlowLines, formatShow } from '../../../protocol/text/index.js';
import { createSandbox, type Sandbox } from '../../helpers/ovs-sandbox.js';
import { VECTORS, readJsonLines } from '../../helpers/vectors.js';

/** A bare OpenFlow 1.3 connection: send messages, wait for replies by xid. */
class Connection {
  private readonly framer = new Framer();
  private readonly received: OfpMessage[] = [];
  private wake: (() => void) | null = null;
  private xid = 0x1000;

  private constructor(private readonly sock: Socket) {
    sock.on('data', (chunk: Buffer) => {
      for (const raw of this.framer.push(chunk)) this.received.push(decodeMessage(Buffer.from(raw)));
      this.wake?.();
    });
  }

  static async open(path: string): Promise<Connection> {
    const sock = createConnection(path);
    await new Promise<void>((ok, fail) => {
      sock.once('connect', ok);
      sock.once('error', fail);
    });
    const c = new Connection(sock);
    c.send({ type: 'hello', version: 4, xid: 0, elements: [{ type: 'versionbitmap', bitmaps: versionBitmaps([4]) }] });
    await c.until((m) => m.type === 'hello');
    return c;
  }

  send(m: OfpMessage): void {
    this.sock.write(encodeMessage(m));
  }

  sendRaw(b: Buffer): void {
    this.sock.write(b);
  }

  private async until(pred: (m: OfpMessage) => boolean): Promise<OfpMessage> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = this.received.find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('no reply from the switch');
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 200);
      });
    }
  }

  async barrier(): Promise<void> {
    const xid = this.xid++;
    this.send({ type: 'barrier_request', xid });
    await this.until((m) => m.type === 'barrier_reply' && m.xid === xid);
  }

  async request<T extends OfpMessage>(m: OfpMessage): Promise<T> {
    this.send(m);
    return (await this.until((r) => r.xid === m.xid && r.type !== 'error')) as T;
  }

  /** Every reply to one multipart request (until one without the more flag). */
  async multipart(body: MultipartRequestBody): Promise<MultipartReply[]> {
    const xid = this.xid++;
    this.send({ type: 'multipart_request', xid, flags: 0, body });
    await this.until((m) => m.type === 'multipart_reply' && m.xid === xid && (m.flags & 1) === 0);
    return this.received.filter((m): m is MultipartReply => m.type === 'multipart_reply' && m.xid === xid);
  }

  nextXid(): number {
    return this.xid++;
  }

  close(): void {
    this.sock.destroy();
  }
}

/** Durations and xids differ between two dumps of the same switch. */
function normalize(text: string): string {
  return text.replace(/\(xid=0x[0-9a-f]+\)/g, '(xid=X)').replace(/duration=[0-9.]+s/g, 'duration=Xs');
}

function corpusMessages(file: string, type: string): Buffer[] {
  const out: Buffer[] = [];
  for (const r of readJsonLines<{ messages: { hex: string }[] }>(resolve(VECTORS, 'text', file))) {
    for (const m of r.messages) {
      const bytes = Buffer.from(m.hex, 'hex');
      let msg: OfpMessage;
      try {
        msg = decodeMessage(bytes);
      } catch {
        continue;
      }
      // Flows that expire would make two dumps differ.
      if (msg.type === 'flow_mod' && (msg.idleTimeout || msg.hardTimeout)) continue;
      if (msg.type === type) out.push(bytes);
    }
  }
  return out;
}

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/ovs-vswitchd') && existsSync(resolve(VECTORS, 'text', 'flows.jsonl'));

t.test(
  'switch commands print as ovs-ofctl prints them',
  { skip: canRun ? false : 'needs root, Open vSwitch and spec/vectors/text' },
  async (t) => {
    const sb: Sandbox = await createSandbox({ t });
    await sb.vsctl(
      'add-port',
      sb.bridge,
      `${sb.bridge}p1`,
      '--',
      'set',
      'interface',
      `${sb.bridge}p1`,
      'type=internal',
      'ofport_request=7',
    );
    const conn = await Connection.open(sb.mgmt.replace(/^unix:/, ''));
    t.teardown(() => conn.close());

    // The corpus's groups, then its flows, as Open vSwitch itself encoded them; refusals are ignored.
    for (const b of corpusMessages('groups.jsonl', 'group_mod')) conn.sendRaw(b);
    await conn.barrier();
    for (const b of corpusMessages('flows.jsonl', 'flow_mod')) conn.sendRaw(b);
    await conn.barrier();

    const flowRequest: MultipartRequestBody = {
      kind: 'flow',
      tableId: 255,
      outPort: 0xffffffff,
      outGroup: 0xffffffff,
      cookie: 0n,
      cookieMask: 0n,
      match: [],
    };
    const flowReplies = await conn.multipart(flowRequest);
    const flowCount = flowReplies.reduce((n, r) => n + (r.body.kind === 'flow' ? r.body.flows.length : 0), 0);
    t.ok(flowCount > 200, `the switch holds ${flowCount} flows`);

    t.test('dump-flows --no-stats', async (t) => {
      const want = await sb.ofctl('--no-names', '--no-stats', 'dump-flows', sb.bridge);
      t.equal(formatDumpFlows(flowReplies, { stats: false }), want);
      const flows = flowReplies.flatMap((r) => (r.body.kind === 'flow' ? r.body.flows : []));
      t.equal(formatFlowLines(flows, { stats: false }), want);
    });

    t.test('dump-flows', async (t) => {
      const want = await sb.ofctl('--no-names', 'dump-flows', sb.bridge);
      const again = await conn.multipart(flowRequest);
      t.equal(normalize(formatDumpFlows(again)), normalize(want));
    });

    t.test('dump-groups', async (t) => {
      const want = await sb.ofctl('--no-names', 'dump-groups', sb.bridge);
      const replies = await conn.multipart({ kind: 'group_desc' });
      t.ok(
        replies.some((r) => r.body.kind === 'group_desc' && r.body.groups.length > 5),
        'the switch holds groups',
      );
      t.equal(normalize(formatDumpGroups(replies)), normalize(want));
    });

    t.test('dump-group-stats', async (t) => {
      const want = await sb.ofctl('--no-names', 'dump-group-stats', sb.bridge);
      const replies = await conn.multipart({ kind: 'group', groupId: 0xfffffffc });
      t.equal(normalize(formatDumpGroupStats(replies)), normalize(want));
    });

    t.test('show', async (t) => {
      const want = await sb.ofctl('--no-names', 'show', sb.bridge);
      const features = await conn.request<Extract<OfpMessage, { type: 'features_reply' }>>({
        type: 'features_request',
        xid: conn.nextXid(),
      });
      const ports = await conn.multipart({ kind: 'port_desc' });
      const config = await conn.request<Extract<OfpMessage, { type: 'get_config_reply' }>>({
        type: 'get_config_request',
        xid: conn.nextXid(),
      });
      t.equal(normalize(formatShow(features, ports, config)), normalize(want));
    });
  },
);
