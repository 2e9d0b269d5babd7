/**
 * Regenerates live.jsonl: switch-to-controller messages captured from a real, sandboxed
 * ovs-vswitchd (userspace datapath, own network namespace and temp dir; see spec/helpers).
 *   npx tsx spec/vectors/messages/capture-live.ts      (needs root, ip netns, Open vSwitch)
 * It connects to the bridge's management socket with ofwire's own codec, drives the switch through
 * every message it can send (features, config, packet-ins of each kind, flow-removed, port-status,
 * every multipart reply, role status, request forwarding, bundles, errors, NXT_PACKET_IN2…) and
 * records each message received as {name, hex, text, message} with text = `ovs-ofctl ofp-print HEX`
 * and message the JSON form ofwire decodes it to.
 * The sandbox is removed on every exit path. On failure the last messages received are listed
 * (SHOW=N lists N of them).
 */
import { execFile } from 'node:child_process';
import { createConnection, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Framer,
  decodeMessage,
  encodeMessage,
  messageToJSON,
  type OfpMessage,
  type MultipartRequestBody,
} from '../../../protocol/index.js';
import { versionBitmaps } from '../../../protocol/messages/hello.js';
import { createSandbox, run, type Sandbox } from '../../helpers/ovs-sandbox.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'live.jsonl');

const OFPP_CONTROLLER = 0xfffffffd;
const OFPP_TABLE = 0xfffffff9;
const OFPP_ANY = 0xffffffff;
const OFPG_ALL = 0xfffffffc;
const OFPG_ANY = 0xffffffff;
const OFPM_ALL = 0xffffffff;
const NO_BUFFER = 0xffffffff;

interface Captured {
  name: string;
  hex: string;
  text: string;
}

const records: Captured[] = [];
let step = 'start';

function ofpPrint(hex: string): Promise<string> {
  return new Promise((resolve) => execFile('ovs-ofctl', ['ofp-print', hex], (_e, stdout) => resolve(String(stdout))));
}

/** One OpenFlow connection to the bridge, recording everything it receives. */
class Conn {
  private sock!: Socket;
  private framer = new Framer();
  private xid = 0x100;
  readonly inbox: OfpMessage[] = [];
  private waiters: { pred: (m: OfpMessage) => boolean; resolve: (m: OfpMessage) => void }[] = [];

  constructor(readonly label: string) {}

  async open(path: string): Promise<void> {
    this.sock = createConnection(path);
    await new Promise<void>((resolve, reject) => {
      this.sock.once('connect', resolve);
      this.sock.once('error', reject);
    });
    this.sock.on('data', (chunk: Buffer) => {
      for (const raw of this.framer.push(chunk)) this.receive(Buffer.from(raw));
    });
    this.send({ type: 'hello', version: 4, xid: 0, elements: [{ type: 'versionbitmap', bitmaps: versionBitmaps([4]) }] });
    await this.wait((m) => m.type === 'hello', 'hello');
  }

  private receive(raw: Buffer): void {
    const m = decodeMessage(raw);
    const kind = m.type === 'multipart_reply' ? ` ${m.body.kind}` : '';
    records.push({ name: `${step} [${this.label}]: ${m.type}${kind}`, hex: raw.toString('hex'), text: '' });
    this.inbox.push(m);
    for (const w of [...this.waiters]) {
      if (w.pred(m)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  }

  nextXid(): number {
    return this.xid++;
  }

  send(m: OfpMessage): number {
    this.sock.write(encodeMessage(m));
    return m.xid;
  }

  /** Resolves with the first message (already received or coming) that matches. */
  wait(pred: (m: OfpMessage) => boolean, what: string, timeoutMs = 5000): Promise<OfpMessage> {
    const have = this.inbox.find(pred);
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label}: timed out waiting for ${what} (step "${step}")`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Sends `m` then a barrier; resolves when the barrier reply is in (so any reply to `m` is too). */
  async sendSync(m: OfpMessage): Promise<void> {
    this.send(m);
    await this.barrier();
  }

  async barrier(): Promise<void> {
    const xid = this.nextXid();
    this.send({ type: 'barrier_request', xid });
    await this.wait((r) => r.type === 'barrier_reply' && r.xid === xid, 'barrier reply');
  }

  async multipart(body: MultipartRequestBody): Promise<void> {
    const xid = this.nextXid();
    this.send({ type: 'multipart_request', xid, flags: 0, body });
    await this.wait(
      (r) => (r.type === 'multipart_reply' && r.xid === xid && (r.flags & 1) === 0) || (r.type === 'error' && r.xid === xid),
      `${body.kind} reply`,
    );
  }

  close(): void {
    this.sock?.destroy();
  }
}

// ---- packets ------------------------------------------------------------------------------------

function checksum(b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An Ethernet/IPv4/UDP frame. */
function udpFrame(dstPort: number, ttl = 64, payload = 'ofwire'): Buffer {
  const data = Buffer.from(payload);
  const udp = Buffer.alloc(8 + data.length);
  udp.writeUInt16BE(4321, 0);
  udp.writeUInt16BE(dstPort, 2);
  udp.writeUInt16BE(udp.length, 4);
  data.copy(udp, 8);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + udp.length, 2);
  ip.writeUInt16BE(0x4000, 6);
  ip[8] = ttl;
  ip[9] = 17;
  Buffer.from([10, 0, 0, 1]).copy(ip, 12);
  Buffer.from([10, 0, 0, 2]).copy(ip, 16);
  ip.writeUInt16BE(checksum(ip), 10);
  const eth = Buffer.from('0a580af400020a580af400010800', 'hex');
  return Buffer.concat([eth, ip, udp]);
}

function packetOut(c: Conn, frame: Buffer): OfpMessage {
  return {
    type: 'packet_out',
    xid: c.nextXid(),
    bufferId: NO_BUFFER,
    inPort: OFPP_CONTROLLER,
    actions: [{ type: 'output', port: OFPP_TABLE, maxLen: 0 }],
    data: frame,
  };
}

// ---- the scenario -------------------------------------------------------------------------------

async function scenario(sb: Sandbox): Promise<void> {
  const mgmt = sb.mgmt.replace(/^unix:/, '');
  const c1 = new Conn('c1');
  const c2 = new Conn('c2');
  try {
    step = 'handshake';
    await c1.open(mgmt);
    c1.send({ type: 'features_request', xid: c1.nextXid() });
    await c1.wait((m) => m.type === 'features_reply', 'features reply');
    await c1.sendSync({ type: 'set_config', xid: c1.nextXid(), flags: 0, missSendLen: 0xffff });
    c1.send({ type: 'get_config_request', xid: c1.nextXid() });
    await c1.wait((m) => m.type === 'get_config_reply', 'config reply');
    c1.send({ type: 'echo_request', xid: c1.nextXid(), data: Buffer.from('ofwire echo') });
    await c1.wait((m) => m.type === 'echo_reply', 'echo reply');

    step = 'async config';
    const all = 0xffffffff;
    await c1.sendSync({
      type: 'set_async',
      xid: c1.nextXid(),
      packetInMask: [all, all],
      portStatusMask: [all, all],
      flowRemovedMask: [all, all],
    });
    c1.send({ type: 'get_async_request', xid: c1.nextXid() });
    await c1.wait((m) => m.type === 'get_async_reply', 'async reply');

    step = 'ports';
    // No IPv6 in the switch's namespace: no neighbour discovery traffic from its ports.
    await run('ip', [
      'netns',
      'exec',
      sb.netns,
      'sysctl',
      '-qw',
      'net.ipv6.conf.all.disable_ipv6=1',
      'net.ipv6.conf.default.disable_ipv6=1',
    ]);
    await run('ip', ['-n', sb.netns, 'link', 'add', 'v1', 'type', 'veth', 'peer', 'name', 'v1p']);
    for (const dev of ['v1', 'v1p']) {
      await run('ip', ['netns', 'exec', sb.netns, 'sysctl', '-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`]);
      await run('ip', ['-n', sb.netns, 'link', 'set', dev, 'up']);
    }
    await sb.vsctl('add-port', sb.bridge, 'v1', '--', 'set', 'interface', 'v1', 'ofport_request=1');
    await sb.vsctl('add-port', sb.bridge, 'p2', '--', 'set', 'interface', 'p2', 'type=internal', 'ofport_request=2');
    await c1.wait((m) => m.type === 'port_status' && m.desc.portNo === 2, 'port status (add p2)');
    await c1.sendSync({
      type: 'port_mod',
      xid: c1.nextXid(),
      portNo: 2,
      hwAddr: (
        (await c1.wait((m) => m.type === 'port_status' && m.desc.portNo === 2, 'p2')) as Extract<OfpMessage, { type: 'port_status' }>
      ).desc.hwAddr,
      config: 1,
      mask: 1,
      advertise: 0,
    });
    // A PORT_MOD is not echoed to the connection that sent it (before OpenFlow 1.5): change it from another.
    await sb.ofctl('mod-port', sb.bridge, '2', 'up');
    await c1.wait((m) => m.type === 'port_status' && m.reason === 2 && m.desc.portNo === 2, 'port status (modify p2)');

    step = 'groups and meters';
    const bucket = (actions: Extract<OfpMessage, { type: 'group_mod' }>['buckets'][number]['actions'], extra = {}) => ({
      weight: 0,
      watchPort: OFPP_ANY,
      watchGroup: OFPG_ANY,
      actions,
      ...extra,
    });
    const ctBucket = (ip: string, weight: number) =>
      bucket([{ type: 'ct', flags: 1, zone: 7, recircTable: 3, alg: 0, actions: [{ type: 'nat', flags: 2, ipMin: ip, portMin: 8080 }] }], {
        weight,
      });
    await c1.sendSync({
      type: 'group_mod',
      xid: c1.nextXid(),
      command: 0,
      groupType: 0,
      groupId: 1,
      buckets: [bucket([{ type: 'output', port: 1, maxLen: 0 }]), bucket([{ type: 'output', port: 2, maxLen: 0 }])],
    });
    await c1.sendSync({
      type: 'group_mod',
      xid: c1.nextXid(),
      command: 0,
      groupType: 1,
      groupId: 2,
      buckets: [ctBucket('10.244.1.5', 100), ctBucket('10.244.2.7', 50)],
    });
    await c1.sendSync({
      type: 'group_mod',
      xid: c1.nextXid(),
      command: 0,
      groupType: 2,
      groupId: 3,
      buckets: [bucket([{ type: 'output', port: 1, maxLen: 0 }])],
    });
    await c1.sendSync({
      type: 'group_mod',
      xid: c1.nextXid(),
      command: 0,
      groupType: 3,
      groupId: 4,
      buckets: [
        bucket([{ type: 'output', port: 1, maxLen: 0 }], { watchPort: 1 }),
        bucket([{ type: 'group', groupId: 3 }], { watchGroup: 3 }),
      ],
    });
    await c1.sendSync({
      type: 'meter_mod',
      xid: c1.nextXid(),
      command: 0,
      flags: 1 | 4 | 8,
      meterId: 1,
      bands: [{ type: 'drop', rate: 1000, burstSize: 100 }],
    });

    step = 'flows';
    const flow = (
      tableId: number,
      priority: number,
      match: Extract<OfpMessage, { type: 'flow_mod' }>['match'],
      instructions: Extract<OfpMessage, { type: 'flow_mod' }>['instructions'],
      extra = {},
    ): OfpMessage => ({
      type: 'flow_mod',
      xid: c1.nextXid(),
      cookie: 0xc0de0000n + BigInt(priority),
      cookieMask: 0n,
      tableId,
      command: 0,
      idleTimeout: 0,
      hardTimeout: 0,
      priority,
      bufferId: NO_BUFFER,
      outPort: OFPP_ANY,
      outGroup: OFPG_ANY,
      flags: 0,
      match,
      instructions,
      ...extra,
    });
    const udp = (port: number) => [
      { field: 'eth_type', value: 0x800 },
      { field: 'ip_proto', value: 17 },
      { field: 'udp_dst', value: port },
    ];
    const toController = [
      { type: 'apply_actions' as const, actions: [{ type: 'output' as const, port: OFPP_CONTROLLER, maxLen: 0xffff }] },
    ];
    await c1.sendSync(flow(0, 0, [], toController));
    await c1.sendSync(flow(0, 100, udp(9999), toController));
    await c1.sendSync(
      flow(0, 90, udp(8888), [
        { type: 'meter', meterId: 1 },
        { type: 'goto_table', tableId: 1 },
      ]),
    );
    await c1.sendSync(flow(1, 10, [], [{ type: 'apply_actions', actions: [{ type: 'group', groupId: 1 }] }]));
    await c1.sendSync(flow(0, 80, udp(5555), [], { flags: 1, idleTimeout: 0, hardTimeout: 1 }));
    await c1.sendSync(flow(0, 70, udp(4444), [], { flags: 1 }));
    await sb.ofctl('add-flow', sb.bridge, 'table=0,priority=60,udp,tp_dst=3333,actions=dec_ttl,output:1');
    await sb.ofctl(
      'add-flow',
      sb.bridge,
      'table=0,priority=50,udp,tp_dst=7777,actions=controller(reason=action,userdata=01.02.03.04,pause),output:1',
    );
    await sb.ofctl('add-flow', sb.bridge, 'table=0,priority=40,udp,tp_dst=6666,actions=controller(max_len=64,id=0)');

    step = 'flow monitor';
    await c1.multipart({
      kind: 'flow_monitor',
      requests: [{ id: 1, flags: 1 | 2 | 4 | 8 | 16, outPort: OFPP_ANY, tableId: 0xff, match: [] }],
    });
    await sb.ofctl('add-flow', sb.bridge, 'table=2,priority=5,ip,actions=drop');
    await sb.ofctl('--strict', 'del-flows', sb.bridge, 'table=2,priority=5,ip');
    await c1.barrier();

    step = 'packet-in';
    c1.send(packetOut(c1, udpFrame(9999)));
    await c1.wait((m) => m.type === 'packet_in' && m.cookie === 0xc0de0064n, 'packet-in (action)');
    // From a PACKET_OUT the reason is OFPR_ACTION even at the table-miss flow (OFPR_PACKET_OUT in 1.4+).
    c1.send(packetOut(c1, udpFrame(1234)));
    await c1.wait((m) => m.type === 'packet_in' && m.cookie === 0xc0de0000n, 'packet-in (table-miss flow)');
    c1.send(packetOut(c1, udpFrame(3333, 1)));
    await c1.wait((m) => m.type === 'packet_in' && m.reason === 2, 'packet-in (invalid ttl)').catch(() => undefined);
    c1.send(packetOut(c1, udpFrame(6666, 64, 'x'.repeat(100))));
    await c1.wait((m) => m.type === 'packet_in' && m.data.length > 100, 'packet-in (controller action with max_len)');
    await run('ip', [
      'netns',
      'exec',
      sb.netns,
      'python3',
      '-c',
      `import socket; s=socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(("v1p", 0)); s.send(bytes.fromhex("${udpFrame(2222).toString('hex')}"))`,
    ]);
    await c1.wait((m) => m.type === 'packet_in' && m.reason === 0, 'packet-in (no match) from v1');

    step = 'flow removed';
    c1.send(packetOut(c1, udpFrame(4444)));
    await c1.sendSync({ ...flow(0, 70, udp(4444), []), command: 4 } as OfpMessage);
    await c1.wait((m) => m.type === 'flow_removed' && m.reason === 2, 'flow removed (delete)');
    await c1.wait((m) => m.type === 'flow_removed' && m.reason === 1, 'flow removed (hard timeout)', 8000);

    step = 'multipart';
    const flowReq = { tableId: 0xff, outPort: OFPP_ANY, outGroup: OFPG_ANY, cookie: 0n, cookieMask: 0n, match: [] };
    await c1.multipart({ kind: 'desc' });
    await c1.multipart({ kind: 'flow', ...flowReq });
    await c1.multipart({ kind: 'aggregate', ...flowReq });
    await c1.multipart({ kind: 'table' });
    await c1.multipart({ kind: 'port_stats', portNo: OFPP_ANY });
    await c1.multipart({ kind: 'queue', portNo: OFPP_ANY, queueId: 0xffffffff });
    await c1.multipart({ kind: 'group', groupId: OFPG_ALL });
    await c1.multipart({ kind: 'group_desc' });
    await c1.multipart({ kind: 'group_features' });
    await c1.multipart({ kind: 'meter', meterId: OFPM_ALL });
    await c1.multipart({ kind: 'meter_config', meterId: OFPM_ALL });
    await c1.multipart({ kind: 'meter_features' });
    await c1.multipart({ kind: 'port_desc' });
    await c1.multipart({ kind: 'table_features', tables: [] });
    c1.send({ type: 'queue_get_config_request', xid: c1.nextXid(), port: 1 });
    await c1.wait((m) => m.type === 'queue_get_config_reply' || m.type === 'error', 'queue config reply');

    step = 'bundle';
    await c1.sendSync({ type: 'bundle_control', xid: c1.nextXid(), bundleId: 9, ctrlType: 0, flags: 3, properties: [] });
    const inner = flow(0, 33, udp(33), []);
    await c1.sendSync({ type: 'bundle_add', xid: inner.xid, bundleId: 9, flags: 3, message: inner, properties: [] });
    await c1.sendSync({ type: 'bundle_control', xid: c1.nextXid(), bundleId: 9, ctrlType: 4, flags: 3, properties: [] });

    step = 'errors';
    await c1.sendSync(flow(0xff, 1, [], []));
    await c1.sendSync({ type: 'group_mod', xid: c1.nextXid(), command: 1, groupType: 0, groupId: 4242, buckets: [] });
    await c1.sendSync(flow(0, 1, [], [{ type: 'apply_actions', actions: [{ type: 'group', groupId: 4343 }] }]));
    await c1.sendSync({
      type: 'meter_mod',
      xid: c1.nextXid(),
      command: 1,
      flags: 1,
      meterId: 77,
      bands: [{ type: 'drop', rate: 1, burstSize: 0 }],
    });
    await c1.sendSync({
      type: 'meter_mod',
      xid: c1.nextXid(),
      command: 0,
      flags: 2,
      meterId: 78,
      bands: [{ type: 'dscp_remark', rate: 1, burstSize: 0, precLevel: 1 }],
    });
    await c1.sendSync({ type: 'experimenter', xid: c1.nextXid(), experimenter: 0x00abcdef, expType: 1, data: Buffer.alloc(0) });
    await c1.sendSync({ type: 'bundle_control', xid: c1.nextXid(), bundleId: 99, ctrlType: 4, flags: 0, properties: [] });
    await c1.sendSync({
      type: 'multipart_request',
      xid: c1.nextXid(),
      flags: 0,
      body: { kind: 'experimenter', experimenter: 0x2320, expType: 99, data: Buffer.alloc(0) },
    });
    await c1.sendSync({ type: 'table_mod', xid: c1.nextXid(), tableId: 0, config: 3 });
    await c1.sendSync({ type: 'port_mod', xid: c1.nextXid(), portNo: 99, hwAddr: '00:00:00:00:00:99', config: 1, mask: 1, advertise: 0 });

    step = 'roles';
    await c2.open(mgmt);
    await c1.sendSync({
      type: 'nx_set_async_config2',
      xid: c1.nextXid(),
      properties: [
        { propType: 10, mask: 3 },
        { propType: 11, mask: 3 },
        { propType: 6, mask: 7 },
        { propType: 7, mask: 7 },
      ],
    });
    c1.send({ type: 'role_request', xid: c1.nextXid(), role: 2, generationId: 1n });
    await c1.wait((m) => m.type === 'role_reply', 'role reply');
    c2.send({ type: 'role_request', xid: c2.nextXid(), role: 2, generationId: 2n });
    await c2.wait((m) => m.type === 'role_reply', 'role reply (c2)');
    await c1.wait((m) => m.type === 'role_status', 'role status');
    c1.send({ type: 'role_request', xid: c1.nextXid(), role: 2, generationId: 1n });
    await c1.wait((m) => m.type === 'error' && m.errType === 11, 'stale role error');

    step = 'request forward';
    c1.send({ type: 'role_request', xid: c1.nextXid(), role: 1, generationId: 0n });
    await c1.barrier();
    await c2.sendSync({ type: 'group_mod', xid: c2.nextXid(), command: 0, groupType: 0, groupId: 50, buckets: [] });
    await c2.sendSync({
      type: 'meter_mod',
      xid: c2.nextXid(),
      command: 0,
      flags: 1,
      meterId: 50,
      bands: [{ type: 'drop', rate: 10, burstSize: 0 }],
    });
    await c1.wait((m) => m.type === 'requestforward', 'request forward').catch(() => undefined);
    await c1.barrier();

    step = 'nicira';
    // Packet-ins from output:CONTROLLER go to connections with controller id 0 only: set it back.
    await c1.sendSync({ type: 'nx_set_controller_id', xid: c1.nextXid(), controllerId: 7 });
    await c1.sendSync({ type: 'nx_set_controller_id', xid: c1.nextXid(), controllerId: 0 });
    await c1.sendSync({ type: 'nx_ct_flush_zone', xid: c1.nextXid(), zoneId: 7 });
    await c1.sendSync({
      type: 'nx_ct_flush',
      xid: c1.nextXid(),
      ipProto: 17,
      zoneId: 7,
      orig: { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 4321, dstPort: 7777 },
    });
    await c1.sendSync({ type: 'nx_set_packet_in_format', xid: c1.nextXid(), format: 2 });
    c1.send(packetOut(c1, udpFrame(9999)));
    await c1.wait((m) => m.type === 'nx_packet_in2' && m.continuation === undefined, 'packet-in2');
    c1.send(packetOut(c1, udpFrame(7777)));
    const paused = (await c1.wait((m) => m.type === 'nx_packet_in2' && m.continuation !== undefined, 'paused packet-in2')) as Extract<
      OfpMessage,
      { type: 'nx_packet_in2' }
    >;
    const { type: _t, xid: _x, userdata: _u, order: _o, ...fields } = paused;
    await c1.sendSync({ type: 'nx_resume', xid: c1.nextXid(), ...fields });
    await c1.barrier();

    step = 'port removed';
    await sb.vsctl('del-port', sb.bridge, 'p2');
    await c1.wait((m) => m.type === 'port_status' && m.reason === 1, 'port status (delete)');
    await c1.barrier();
  } finally {
    c1.close();
    c2.close();
  }
}

async function main(): Promise<void> {
  const sb = await createSandbox();
  try {
    await scenario(sb);
  } catch (err) {
    for (const r of records.slice(-Number(process.env.SHOW ?? 12))) process.stderr.write(`  received ${r.name} ${r.hex.slice(0, 64)}\n`);
    throw err;
  } finally {
    await sb.close();
  }
  for (const r of records) r.text = await ofpPrint(r.hex);
  const lines = records.map((r) => JSON.stringify({ ...r, message: messageToJSON(decodeMessage(Buffer.from(r.hex, 'hex'))) }));
  writeFileSync(OUT, lines.join('\n') + '\n');
  process.stdout.write(`${records.length} messages → ${OUT}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
