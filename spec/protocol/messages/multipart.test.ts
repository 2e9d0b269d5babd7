/** OFPT_MULTIPART_REQUEST / _REPLY: every OpenFlow 1.3 body and the ONF/Nicira experimenter ones. */
import t from 'tap';
import {
  decodeMessage,
  type MultipartReplyBody,
  type MultipartRequestBody,
  type OfpMessage,
  type TableFeatures,
} from '../../../protocol/index.js';
import { decodeExact, golden, roundTrip } from './roundtrip.js';

const ANY = 0xffffffff;

function bodies<T extends 'multipart_request' | 'multipart_reply'>(type: T, re: RegExp) {
  return golden(re)
    .map((v) => decodeMessage(Buffer.from(v.hex, 'hex')))
    .filter((m) => m.type === type)
    .map((m) => (m as unknown as { body: T extends 'multipart_request' ? MultipartRequestBody : MultipartReplyBody }).body);
}

t.test('requests as ovs-ofctl sends them', async (t) => {
  const reqs = golden(/./).filter((v) => /^(OFPST|ONFST|NXST)_\w+ request/.test(v.text));
  for (const v of reqs) decodeExact(t, v.hex, v.text.split(' (')[0]);
  const kinds = new Set(reqs.map((v) => (decodeMessage(Buffer.from(v.hex, 'hex')) as { body: { kind: string } }).body.kind));
  t.same(
    [...kinds].sort(),
    [
      'aggregate',
      'desc',
      'experimenter',
      'flow',
      'flow_monitor',
      'group',
      'group_desc',
      'group_features',
      'meter',
      'meter_config',
      'meter_features',
      'port_desc',
      'port_stats',
      'queue',
      'table',
      'table_features',
    ].sort(),
  );
  const [flow] = bodies('multipart_request', /^dump-flows/);
  t.same(flow, {
    kind: 'flow',
    tableId: 2,
    outPort: ANY,
    outGroup: ANY,
    cookie: 0x10n,
    cookieMask: 0xffn,
    match: [{ field: 'eth_type', value: 0x800 }],
  });
  t.same(bodies('multipart_request', /^queue-stats/)[0], { kind: 'queue', portNo: 1, queueId: 2 });
  t.same(bodies('multipart_request', /^dump-group-stats/)[0], { kind: 'group', groupId: 0xfffffffc });
  t.same(bodies('multipart_request', /^dump-ipfix-bridge/)[0], {
    kind: 'experimenter',
    experimenter: 0x2320,
    expType: 3,
    data: Buffer.alloc(0),
  });
  t.match(bodies('multipart_request', /^monitor \(packet_in2/)[0], {
    kind: 'flow_monitor',
    requests: [{ id: 0, flags: 0x3e, outPort: ANY, tableId: 1, match: [{ field: 'eth_type', value: 0x800 }] }],
  });
});

t.test('replies from ovs-vswitchd', async (t) => {
  const replies = golden(/multipart_reply/).map((v) => ({ v, m: decodeExact(t, v.hex, v.name) }));
  const of = (kind: string) => replies.filter((r) => r.m.type === 'multipart_reply' && r.m.body.kind === kind);
  const body = <K extends MultipartReplyBody['kind']>(kind: K) =>
    (of(kind)[0]!.m as unknown as { body: Extract<MultipartReplyBody, { kind: K }> }).body;
  t.match(body('desc'), { mfrDesc: 'Nicira, Inc.', hwDesc: 'Open vSwitch', swDesc: '3.1.0' });
  t.ok(body('flow').flows.length >= 7, 'flow stats for every installed flow');
  const agg = of('aggregate')[0]!;
  t.match((agg.m as { body: object }).body, {
    packetCount: BigInt(/packet_count=(\d+)/.exec(agg.v.text)![1]!),
    flowCount: Number(/flow_count=(\d+)/.exec(agg.v.text)![1]),
  });
  t.equal(body('table').tables.length, 254, 'one table-stats record per table');
  t.equal(body('port_stats').ports.length, Number(/(\d+) ports/.exec(of('port_stats')[0]!.v.text)![1]));
  t.same(body('queue').queues, []);
  t.equal(body('group').groups.length, 4);
  t.match(
    body('group_desc')
      .groups.map((g) => g.groupType)
      .sort(),
    [0, 1, 2, 3],
  );
  t.match(body('group_features'), { types: 15 });
  t.match(body('meter').meters, [{ meterId: 1, bands: [{}] }]);
  t.match(body('meter_config').meters, [{ meterId: 1, flags: 0xd, bands: [{ type: 'drop', rate: 1000, burstSize: 100 }] }]);
  t.match(body('meter_features'), { maxMeter: Number(/max_meter:(\d+)/.exec(of('meter_features')[0]!.v.text)![1]) });
  t.ok(
    body('port_desc').ports.some((p) => p.name === 'v1' && p.portNo === 1),
    'port v1',
  );
  const tf = of('table_features');
  const tables = tf.flatMap((r) => (r.m as { body: { tables: TableFeatures[] } }).body.tables);
  t.equal(tables.length, 254, 'table features for every table, across several messages');
  t.ok(
    tf.slice(0, -1).every((r) => (r.m as { flags: number }).flags === 1) && (tf.at(-1)!.m as { flags: number }).flags === 0,
    'REPLY_MORE on all but the last',
  );
  const props = new Set(tables[0]!.properties.map((p) => p.type));
  t.same([...props].sort(), [
    'apply_actions',
    'apply_actions_miss',
    'apply_setfield',
    'apply_setfield_miss',
    'instructions',
    'instructions_miss',
    'match',
    'next_tables',
    'next_tables_miss',
    'wildcards',
    'write_actions',
    'write_actions_miss',
    'write_setfield',
    'write_setfield_miss',
  ]);
});

t.test('every reply body round-trips (typed ⇄ bytes ⇄ JSON)', async (t) => {
  const reply = (body: MultipartReplyBody, flags = 0): OfpMessage => ({ type: 'multipart_reply', xid: 1, flags, body });
  roundTrip(t, reply({ kind: 'desc', mfrDesc: 'm', hwDesc: 'h', swDesc: 's', serialNum: '0123456789abcdef0123456789abcdef', dpDesc: 'd' }));
  roundTrip(
    t,
    reply({ kind: 'aggregate', packetCount: 5n, byteCount: 334n, flowCount: 7 }),
    '04130028000000010002000000000000' + '0000000000000005000000000000014e0000000700000000',
  );
  roundTrip(t, reply({ kind: 'table', tables: [{ tableId: 0, activeCount: 9, lookupCount: 600n, matchedCount: 40n }] }));
  const ps = {
    portNo: 2,
    rxPackets: 1n,
    txPackets: 2n,
    rxBytes: 3n,
    txBytes: 4n,
    rxDropped: 5n,
    txDropped: 6n,
    rxErrors: 7n,
    txErrors: 8n,
    rxFrameErr: 9n,
    rxOverErr: 10n,
    rxCrcErr: 11n,
    collisions: 12n,
    durationSec: 13,
    durationNsec: 14,
  };
  const bytes = roundTrip(t, reply({ kind: 'port_stats', ports: [ps, { ...ps, portNo: 0xfffffffe }] }));
  t.equal(bytes.length, 16 + 2 * 112);
  roundTrip(
    t,
    reply({
      kind: 'queue',
      queues: [{ portNo: 1, queueId: 7, txBytes: 1500n, txPackets: 3n, txErrors: 1n, durationSec: 20, durationNsec: 250000000 }],
    }),
  );
  roundTrip(
    t,
    reply({
      kind: 'group',
      groups: [
        {
          groupId: 5,
          refCount: 2,
          packetCount: 10n,
          byteCount: 980n,
          durationSec: 3,
          durationNsec: 1e6,
          buckets: [
            { packetCount: 6n, byteCount: 600n },
            { packetCount: 4n, byteCount: 380n },
          ],
        },
      ],
    }),
  );
  roundTrip(
    t,
    reply({
      kind: 'group_desc',
      groups: [
        {
          groupType: 3,
          groupId: 1,
          buckets: [{ weight: 0, watchPort: 1, watchGroup: ANY, actions: [{ type: 'output', port: 1, maxLen: 0 }] }],
        },
      ],
    }),
  );
  roundTrip(t, reply({ kind: 'group_features', types: 15, capabilities: 7, maxGroups: [1, 2, 3, 4], actions: [0xffffff, 0, 1, 2] }));
  roundTrip(
    t,
    reply({
      kind: 'meter',
      meters: [
        {
          meterId: 3,
          flowCount: 2,
          packetInCount: 70n,
          byteInCount: 7000n,
          durationSec: 12,
          durationNsec: 3456,
          bands: [{ packetBandCount: 1n, byteBandCount: 100n }],
        },
      ],
    }),
  );
  roundTrip(
    t,
    reply({
      kind: 'meter_config',
      meters: [
        {
          flags: 5,
          meterId: 3,
          bands: [
            { type: 'drop', rate: 2000, burstSize: 200 },
            { type: 'dscp_remark', rate: 4000, burstSize: 0, precLevel: 2 },
          ],
        },
      ],
    }),
  );
  roundTrip(
    t,
    reply({ kind: 'meter_features', maxMeter: 200000, bandTypes: 2, capabilities: 15, maxBands: 1, maxColor: 0 }),
    '0413002000000001000b000000000000' + '00030d40000000020000000f01000000',
  );
  roundTrip(
    t,
    reply({
      kind: 'port_desc',
      ports: [
        {
          portNo: 0xfffffffe,
          hwAddr: '0a:00:00:00:00:01',
          name: 'br0',
          config: 1,
          state: 1,
          curr: 0,
          advertised: 0,
          supported: 0,
          peer: 0,
          currSpeed: 0,
          maxSpeed: 0,
        },
      ],
    }),
  );
  roundTrip(t, reply({ kind: 'experimenter', experimenter: 0x2320, expType: 3, data: Buffer.alloc(88, 1) }));
  roundTrip(
    t,
    reply(
      {
        kind: 'flow',
        flows: [
          {
            tableId: 1,
            durationSec: 2,
            durationNsec: 3,
            priority: 4,
            idleTimeout: 5,
            hardTimeout: 6,
            flags: 7,
            cookie: 8n,
            packetCount: 9n,
            byteCount: 10n,
            match: [{ field: 'in_port', value: 1 }],
            instructions: [{ type: 'goto_table', tableId: 2 }],
          },
        ],
      },
      1,
    ),
  );
});

t.test('table features: every property kind, unknown and experimenter ones kept', async (t) => {
  const table: TableFeatures = {
    tableId: 0,
    name: 'table0',
    metadataMatch: 0xffffffffffffffffn,
    metadataWrite: 0xffffffffffffffffn,
    config: 3,
    maxEntries: 1000000,
    properties: [
      { type: 'instructions', instructions: [{ type: 1 }, { type: 4 }, { type: 0xffff, experimenter: 0x2320 }] },
      { type: 'instructions_miss', instructions: [{ type: 1, data: Buffer.alloc(4) }] },
      { type: 'next_tables', tables: [1, 2, 3] },
      { type: 'next_tables_miss', tables: [] },
      { type: 'write_actions', actions: [{ type: 0 }, { type: 0xffff, experimenter: 0x2320, data: Buffer.from('0026', 'hex') }] },
      { type: 'write_actions_miss', actions: [] },
      { type: 'apply_actions', actions: [{ type: 22 }] },
      { type: 'apply_actions_miss', actions: [{ type: 25 }] },
      { type: 'match', oxms: [{ header: 0x80000004 }, { header: 0x80000d08 }, { header: 0xffff0008, experimenter: 0x4f4e4600 }] },
      { type: 'wildcards', oxms: [{ header: 0x80000d08 }] },
      { type: 'write_setfield', oxms: [] },
      { type: 'write_setfield_miss', oxms: [] },
      { type: 'apply_setfield', oxms: [{ header: 0x00010004 }] },
      { type: 'apply_setfield_miss', oxms: [] },
      { type: 'experimenter', experimenter: 0x2320, expType: 1, data: Buffer.from('01', 'hex') },
      { type: 'experimenter_miss', experimenter: 0x4f4e4600, expType: 2, data: Buffer.alloc(0) },
      { type: 'unknown', propType: 9, data: Buffer.from('abcdef', 'hex') },
    ],
  };
  roundTrip(t, {
    type: 'multipart_reply',
    xid: 0xd5,
    flags: 1,
    body: { kind: 'table_features', tables: [table, { ...table, tableId: 1, properties: [] }] },
  });
  roundTrip(
    t,
    { type: 'multipart_request', xid: 2, flags: 0, body: { kind: 'table_features', tables: [] } },
    '0412001000000002000c000000000000',
  );
  roundTrip(
    t,
    { type: 'multipart_request', xid: 2, flags: 0, body: { kind: 'table_features', tables: [table] } },
    undefined,
    'a table features request that sets the pipeline',
  );
});

t.test('every request body round-trips', async (t) => {
  const req = (body: MultipartRequestBody, flags = 0): OfpMessage => ({ type: 'multipart_request', xid: 2, flags, body });
  const f = { tableId: 0xff, outPort: ANY, outGroup: ANY, cookie: 0n, cookieMask: 0n, match: [] };
  for (const body of [
    { kind: 'desc' },
    { kind: 'flow', ...f },
    { kind: 'aggregate', ...f, match: [{ field: 'in_port', value: 1 }] },
    { kind: 'table' },
    { kind: 'port_stats', portNo: ANY },
    { kind: 'queue', portNo: ANY, queueId: ANY },
    { kind: 'group', groupId: 1 },
    { kind: 'group_desc' },
    { kind: 'group_features' },
    { kind: 'meter', meterId: 1 },
    { kind: 'meter_config', meterId: ANY },
    { kind: 'meter_features' },
    { kind: 'port_desc' },
    {
      kind: 'flow_monitor',
      requests: [
        { id: 4096, flags: 0x3f, outPort: 0xfffffffe, tableId: 1, match: [] },
        { id: 8192, flags: 4, outPort: 2, tableId: 1, match: [], matchLen: 0xffff },
      ],
    },
    { kind: 'experimenter', experimenter: 0x2320, expType: 4, data: Buffer.alloc(0) },
  ] as MultipartRequestBody[]) {
    roundTrip(t, req(body, body.kind === 'table' ? 1 : 0), undefined, body.kind);
  }
  t.throws(() => decodeMessage(Buffer.from('04120010000000020063000000000000', 'hex')), {
    name: 'ProtocolError',
    message: /unknown multipart type 99/,
  });
});
