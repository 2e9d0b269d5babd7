/**
 * Regenerates ofctl.jsonl: controller-to-switch messages as the installed ovs-ofctl encodes them.
 *   npx tsx spec/vectors/messages/generate-ofctl.ts
 * Flow and group mods come from `ovs-ofctl -mmmmm parse-flow/parse-group`; everything else is
 * recorded by the in-process peer of spec/helpers/fake-peer.ts, answering as a switch would,
 * that ovs-ofctl commands connect to over a unix socket. Each line: {name, source, hex, text} where text is `ovs-ofctl ofp-print HEX`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeMessage, messageToJSON, type MultipartReplyBody, type OfpMessage } from '../../../protocol/index.js';
import { FakePeer } from '../../helpers/fake-peer.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'ofctl.jsonl');

interface Vector {
  name: string;
  source: string;
  hex: string;
  text: string;
  message: unknown;
}

function replyBody(req: Extract<OfpMessage, { type: 'multipart_request' }>['body']): MultipartReplyBody {
  switch (req.kind) {
    case 'desc':
      return { kind: 'desc', mfrDesc: 'ofwire', hwDesc: 'fake', swDesc: 'fake', serialNum: '1', dpDesc: 'fake switch' };
    case 'aggregate':
      return { kind: 'aggregate', packetCount: 0n, byteCount: 0n, flowCount: 0 };
    case 'group_features':
      return { kind: 'group_features', types: 15, capabilities: 0, maxGroups: [0, 0, 0, 0], actions: [0, 0, 0, 0] };
    case 'meter_features':
      return { kind: 'meter_features', maxMeter: 0, bandTypes: 0, capabilities: 0, maxBands: 0, maxColor: 0 };
    case 'port_desc':
      return {
        kind: 'port_desc',
        ports: [
          {
            portNo: 1,
            hwAddr: '00:00:00:00:00:01',
            name: 'p1',
            config: 0,
            state: 0,
            curr: 0,
            advertised: 0,
            supported: 0,
            peer: 0,
            currSpeed: 0,
            maxSpeed: 0,
          },
        ],
      };
    case 'flow':
      return { kind: 'flow', flows: [] };
    case 'table':
      return { kind: 'table', tables: [] };
    case 'port_stats':
      return { kind: 'port_stats', ports: [] };
    case 'queue':
      return { kind: 'queue', queues: [] };
    case 'group':
      return { kind: 'group', groups: [] };
    case 'group_desc':
      return { kind: 'group_desc', groups: [] };
    case 'meter':
      return { kind: 'meter', meters: [] };
    case 'meter_config':
      return { kind: 'meter_config', meters: [] };
    case 'table_features':
      return {
        kind: 'table_features',
        tables: [{ tableId: 0, name: 'table0', metadataMatch: 0n, metadataWrite: 0n, config: 0, maxEntries: 1000, properties: [] }],
      };
    case 'flow_monitor':
      return { kind: 'flow_monitor', updates: [] };
    case 'experimenter':
      // NXST_IPFIX_BRIDGE wants a struct nx_ipfix_stats_reply (88 bytes after the headers).
      return { ...req, data: Buffer.alloc(req.experimenter === 0x2320 && req.expType === 3 ? 88 : 0) };
  }
}

/** Just enough of a switch for ovs-ofctl's commands to complete: multipart replies are empty or tiny. */
function repliesTo(m: OfpMessage): OfpMessage[] {
  const xid = m.xid;
  switch (m.type) {
    case 'echo_request':
      return [{ type: 'echo_reply', xid, data: m.data }];
    case 'features_request':
      return [{ type: 'features_reply', xid, datapathId: 1n, nBuffers: 0, nTables: 254, auxiliaryId: 0, capabilities: 0x4f, reserved: 0 }];
    case 'get_config_request':
      return [{ type: 'get_config_reply', xid, flags: 0, missSendLen: 0xffff }];
    case 'barrier_request':
      return [{ type: 'barrier_reply', xid }];
    case 'role_request':
      return [{ type: 'role_reply', xid, role: m.role, generationId: m.generationId }];
    case 'get_async_request':
      return [{ type: 'get_async_reply', xid, packetInMask: [0, 0], portStatusMask: [0, 0], flowRemovedMask: [0, 0] }];
    case 'queue_get_config_request':
      return [{ type: 'queue_get_config_reply', xid, port: m.port, queues: [] }];
    case 'multipart_request':
      return [{ type: 'multipart_reply', xid, flags: 0, body: replyBody(m.body) }];
    case 'bundle_control':
      return m.ctrlType % 2 === 0 ? [{ ...m, ctrlType: m.ctrlType + 1 }] : [];
    default:
      return [];
  }
}

function ofctl(
  args: string[],
  env: NodeJS.ProcessEnv,
  killAfterMs?: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('ovs-ofctl', args, { env, timeout: killAfterMs ?? 20_000, killSignal: 'SIGTERM' }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

/** Hex of each message in an ovs-ofctl hex dump (a new message starts at offset 00000000). */
function dumpToHex(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{8}) {2}(.{1,49})/.exec(line);
    if (!m) continue;
    if (m[1] === '00000000') out.push('');
    if (out.length) out[out.length - 1] += m[2]!.split('|')[0]!.replace(/[^0-9a-f]/g, '');
  }
  return out;
}

async function ofpPrint(hex: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await ofctl(['ofp-print', hex], env);
  return r.stdout;
}

const FLOWS = [
  'priority=0,actions=drop',
  'table=0,priority=100,ip,nw_dst=10.96.0.10,tcp,tp_dst=80,actions=group:5',
  'table=1,priority=200,ct_state=+new+trk,tcp,nw_dst=10.96.0.10,tp_dst=80,actions=group:5',
  'cookie=0x1234567890abcdef,table=3,priority=7,idle_timeout=30,hard_timeout=60,send_flow_rem,check_overlap,reset_counts,no_packet_counts,no_byte_counts,ip,actions=output:1',
  'table=0,priority=10,in_port=1,actions=goto_table:4',
  'table=0,priority=10,udp,udp_dst=53,actions=meter:1,clear_actions,write_actions(output:2),write_metadata:0x12/0xff,goto_table:1',
  'table=2,ipv6,ipv6_dst=fd00::10,actions=ct(table=3,zone=7,nat)',
  'table=0,ip,actions=ct(commit,zone=NXM_NX_REG0[0..15],exec(set_field:0x1->ct_mark),nat(src=10.0.0.1-10.0.0.9:1000-2000,random)),controller:65535',
  'table=0,reg0=0x5/0xff,actions=output:CONTROLLER',
  'table=0,ip,actions=controller(reason=no_match,max_len=128,id=3,userdata=01.02.03)',
  'table=0,ip,actions=controller(pause)',
];

const GROUPS = [
  'group_id=1,type=all,bucket=actions=output:1,bucket=actions=output:2',
  'group_id=2,type=select,bucket=weight:100,actions=ct(commit,table=20,zone=65520,nat(dst=10.244.1.5:8080)),bucket=weight:50,actions=ct(commit,table=20,zone=65520,nat(dst=[fd00::5]:8080))',
  'group_id=3,type=indirect,bucket=actions=set_field:0x1->reg0,resubmit(,20)',
  'group_id=4,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,watch_group:9,actions=output:2',
  'group_id=5,type=select,bucket=weight:0,actions=drop',
];

/** ovs-ofctl commands run against the fake switch; SWITCH becomes its target. */
const COMMANDS: { name: string; args: string[]; killAfterMs?: number }[] = [
  { name: 'probe (echo)', args: ['probe', 'SWITCH'] },
  { name: 'show', args: ['show', 'SWITCH'] },
  { name: 'get-frags', args: ['get-frags', 'SWITCH'] },
  { name: 'set-frags', args: ['set-frags', 'SWITCH', 'drop'] },
  { name: 'add-flow', args: ['add-flow', 'SWITCH', 'table=0,priority=100,ip,nw_dst=10.96.0.10,tcp,tp_dst=80,actions=group:5'] },
  { name: 'mod-flows', args: ['mod-flows', 'SWITCH', 'table=0,ip,actions=drop'] },
  { name: 'mod-flows --strict', args: ['--strict', 'mod-flows', 'SWITCH', 'table=0,priority=100,ip,nw_dst=10.96.0.10,actions=drop'] },
  { name: 'del-flows', args: ['del-flows', 'SWITCH'] },
  { name: 'del-flows cookie', args: ['del-flows', 'SWITCH', 'cookie=0x1234/-1,out_port=3'] },
  {
    name: 'add-group',
    args: ['add-group', 'SWITCH', 'group_id=5,type=select,bucket=weight:100,actions=output:1,bucket=weight:50,actions=output:2'],
  },
  { name: 'mod-group', args: ['mod-group', 'SWITCH', 'group_id=5,type=select,bucket=weight:100,actions=output:3'] },
  { name: 'del-groups', args: ['del-groups', 'SWITCH', 'group_id=5'] },
  { name: 'add-meter', args: ['add-meter', 'SWITCH', 'meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100'] },
  { name: 'add-meter dscp', args: ['add-meter', 'SWITCH', 'meter=2,pktps,band=type=dscp_remark,rate=100,prec_level=1'] },
  { name: 'mod-meter', args: ['mod-meter', 'SWITCH', 'meter=1,kbps,band=type=drop,rate=2000'] },
  { name: 'del-meters', args: ['del-meters', 'SWITCH', 'meter=1'] },
  {
    name: 'packet-out',
    args: [
      'packet-out',
      'SWITCH',
      'in_port=1 packet=ffffffffffff000000000001080600010800060400010000000000010a0000010000000000000a000002 actions=ct(commit),output:2',
    ],
  },
  { name: 'mod-port', args: ['mod-port', 'SWITCH', '1', 'down'] },
  { name: 'queue-get-config', args: ['queue-get-config', 'SWITCH', '1'] },
  { name: 'dump-desc', args: ['dump-desc', 'SWITCH'] },
  { name: 'dump-flows', args: ['dump-flows', 'SWITCH', 'table=2,ip,cookie=0x10/0xff'] },
  { name: 'dump-aggregate', args: ['dump-aggregate', 'SWITCH'] },
  { name: 'dump-tables', args: ['dump-tables', 'SWITCH'] },
  { name: 'dump-table-features', args: ['dump-table-features', 'SWITCH'] },
  { name: 'dump-ports', args: ['dump-ports', 'SWITCH', '1'] },
  { name: 'dump-ports-desc', args: ['dump-ports-desc', 'SWITCH'] },
  { name: 'queue-stats', args: ['queue-stats', 'SWITCH', '1', '2'] },
  { name: 'dump-group-stats', args: ['dump-group-stats', 'SWITCH'] },
  { name: 'dump-groups', args: ['dump-groups', 'SWITCH'] },
  { name: 'dump-group-features', args: ['dump-group-features', 'SWITCH'] },
  { name: 'meter-stats', args: ['meter-stats', 'SWITCH', 'meter=1'] },
  { name: 'dump-meters', args: ['dump-meters', 'SWITCH'] },
  { name: 'meter-features', args: ['meter-features', 'SWITCH'] },
  { name: 'dump-ipfix-bridge', args: ['dump-ipfix-bridge', 'SWITCH'] },
  { name: 'ct-flush-zone', args: ['ct-flush-zone', 'SWITCH', '5'] },
  { name: 'ct-flush', args: ['ct-flush', 'SWITCH'] },
  { name: 'ct-flush zone', args: ['ct-flush', 'SWITCH', 'zone=7'] },
  {
    name: 'ct-flush tuples',
    args: [
      'ct-flush',
      'SWITCH',
      'zone=7',
      'ct_nw_src=10.0.0.1,ct_nw_dst=10.96.0.10,ct_nw_proto=6,ct_tp_src=4000,ct_tp_dst=80',
      'ct_nw_src=10.96.0.10,ct_nw_dst=10.0.0.1,ct_nw_proto=6,ct_tp_src=80,ct_tp_dst=4000',
    ],
  },
  {
    name: 'ct-flush icmp6',
    args: ['ct-flush', 'SWITCH', 'ct_ipv6_src=fd00::1,ct_ipv6_dst=fd00::2,ct_nw_proto=58,icmp_id=1,icmp_type=128,icmp_code=0'],
  },
  { name: 'bundle add-flow', args: ['--bundle', 'add-flow', 'SWITCH', 'table=0,priority=1,actions=drop'] },
  { name: 'bundle add-group', args: ['--bundle', 'add-group', 'SWITCH', 'group_id=6,type=all,bucket=actions=output:2'] },
  {
    name: 'packet-out (odd length)',
    args: [
      'packet-out',
      'SWITCH',
      'in_port=1 packet=0000000000020000000000010800450000140000000040000000000a0000010a000002 actions=output:2',
    ],
  },
  {
    name: 'monitor (packet_in2, flow monitor)',
    args: ['-P', 'nxt_packet_in2', 'monitor', 'SWITCH', '65535', 'watch:table=1,ip,!initial'],
    killAfterMs: 1500,
  },
  { name: 'monitor resume', args: ['monitor', 'SWITCH', 'resume'], killAfterMs: 1500 },
];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-ofctl-'));
  const env = { ...process.env, OVS_RUNDIR: dir, OVS_LOGDIR: dir };
  const vectors: Vector[] = [];
  const seen = new Set<string>();
  const add = async (name: string, source: string, hex: string) => {
    if (seen.has(hex)) return;
    seen.add(hex);
    vectors.push({ name, source, hex, text: await ofpPrint(hex, env), message: messageToJSON(decodeMessage(Buffer.from(hex, 'hex'))) });
  };
  try {
    for (const flow of FLOWS) {
      const r = await ofctl(['-O', 'OpenFlow13', '-mmmmm', 'parse-flow', flow], env);
      if (r.code !== 0) throw new Error(`parse-flow ${flow}: ${r.stderr}`);
      for (const hex of dumpToHex(r.stdout)) await add(`flow_mod ${flow}`, 'ovs-ofctl parse-flow', hex);
    }
    for (const group of GROUPS) {
      const r = await ofctl(['-O', 'OpenFlow13', '-mmmmm', 'parse-group', group], env);
      if (r.code !== 0) throw new Error(`parse-group ${group}: ${r.stderr}`);
      for (const hex of dumpToHex(r.stdout)) await add(`group_mod ${group}`, 'ovs-ofctl parse-group', hex);
    }
    for (const c of COMMANDS) {
      const sw = await FakePeer.start({
        onMessage: (m, conn) => {
          for (const reply of repliesTo(m)) conn.send(reply);
          return true;
        },
      });
      const args = ['-O', 'OpenFlow13', '--no-names', ...c.args.map((a) => (a === 'SWITCH' ? sw.target : a))];
      const r = await ofctl(args, env, c.killAfterMs);
      await sw.close();
      if (r.code !== 0 && !c.killAfterMs) process.stderr.write(`warning: ovs-ofctl ${c.args.join(' ')}: ${r.stderr.trim()}\n`);
      for (const f of sw.frames) await add(c.name, `ovs-ofctl ${c.args.join(' ')}`, f.bytes.toString('hex'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(OUT, vectors.map((v) => JSON.stringify(v)).join('\n') + '\n');
  process.stdout.write(`${vectors.length} vectors → ${OUT}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
