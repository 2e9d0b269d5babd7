/** Property tests: random valid messages survive bytes and JSON unchanged. */
import fc from 'fast-check';
import t from 'tap';
import {
  decodeMessage,
  encodeMessage,
  messageFromJSON,
  messageToJSON,
  type Action,
  type Bucket,
  type Instruction,
  type MeterBand,
  type OfpMessage,
  type OxmField,
  type PortDesc,
  type TableFeatureProperty,
} from '../../protocol/index.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: 0xffffffffffffffffn });
const bytes = (max = 40) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
const mac = fc.array(u8, { minLength: 6, maxLength: 6 }).map((a) => a.map((b) => b.toString(16).padStart(2, '0')).join(':'));
const ipv4 = fc.array(u8, { minLength: 4, maxLength: 4 }).map((a) => a.join('.'));
const name = (max: number) => fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.'.split('')), maxLength: max });
const xid = u32;

const oxm: fc.Arbitrary<OxmField> = fc.oneof(
  u32.map((value) => ({ field: 'in_port', value })),
  u16.map((value) => ({ field: 'eth_type', value })),
  fc
    .tuple(mac, fc.option(mac, { nil: undefined }))
    .map(([value, mask]) => (mask ? { field: 'eth_dst', value, mask } : { field: 'eth_dst', value })),
  fc.tuple(ipv4, ipv4).map(([value, mask]) => ({ field: 'ipv4_dst', value, mask })),
  u8.map((value) => ({ field: 'ip_proto', value })),
  fc.tuple(fc.integer({ min: 0, max: 15 }), u32).map(([i, value]) => ({ field: `reg${i}`, value })),
  u64.map((value) => ({ field: 'metadata', value })),
);
const match = fc.array(oxm, { maxLength: 4 });

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.tuple(u32, u16).map(([port, maxLen]) => ({ type: 'output' as const, port, maxLen })),
  u32.map((groupId) => ({ type: 'group' as const, groupId })),
  u32.map((queueId) => ({ type: 'set_queue' as const, queueId })),
  fc.constant({ type: 'pop_vlan' as const }),
  fc.constant({ type: 'dec_nw_ttl' as const }),
  u16.map((ethertype) => ({ type: 'push_vlan' as const, ethertype })),
);
const actions = fc.array(action, { maxLength: 3 });

const instruction: fc.Arbitrary<Instruction> = fc.oneof(
  u8.map((tableId) => ({ type: 'goto_table' as const, tableId })),
  fc.tuple(u64, u64).map(([metadata, metadataMask]) => ({ type: 'write_metadata' as const, metadata, metadataMask })),
  actions.map((a) => ({ type: 'apply_actions' as const, actions: a })),
  actions.map((a) => ({ type: 'write_actions' as const, actions: a })),
  fc.constant({ type: 'clear_actions' as const }),
  u32.map((meterId) => ({ type: 'meter' as const, meterId })),
);

const bucket: fc.Arbitrary<Bucket> = fc.record({ weight: u16, watchPort: u32, watchGroup: u32, actions });
const band: fc.Arbitrary<MeterBand> = fc.oneof(
  fc.record({ type: fc.constant('drop' as const), rate: u32, burstSize: u32 }),
  fc.record({ type: fc.constant('dscp_remark' as const), rate: u32, burstSize: u32, precLevel: u8 }),
  fc.record({ type: fc.constant('experimenter' as const), rate: u32, burstSize: u32, experimenter: u32, data: bytes(16) }),
);
const port: fc.Arbitrary<PortDesc> = fc.record({
  portNo: u32,
  hwAddr: mac,
  name: name(16),
  config: u32,
  state: u32,
  curr: u32,
  advertised: u32,
  supported: u32,
  peer: u32,
  currSpeed: u32,
  maxSpeed: u32,
});
const rawProps = fc.array(fc.record({ type: u16, data: bytes(12) }), { maxLength: 3 });
const featureId = fc.oneof(
  u16.filter((x) => x !== 0xffff).map((type) => ({ type })),
  fc
    .tuple(
      u32,
      fc.option(
        bytes(6).filter((b) => b.length > 0),
        { nil: undefined },
      ),
    )
    .map(([experimenter, data]) => (data ? { type: 0xffff, experimenter, data } : { type: 0xffff, experimenter })),
);
const tableProp: fc.Arbitrary<TableFeatureProperty> = fc.oneof(
  fc.record({
    type: fc.constantFrom('instructions' as const, 'instructions_miss' as const),
    instructions: fc.array(featureId, { maxLength: 4 }),
  }),
  fc.record({ type: fc.constantFrom('next_tables' as const, 'next_tables_miss' as const), tables: fc.array(u8, { maxLength: 9 }) }),
  fc.record({
    type: fc.constantFrom('write_actions' as const, 'apply_actions_miss' as const),
    actions: fc.array(featureId, { maxLength: 4 }),
  }),
  fc.record({
    type: fc.constantFrom('match' as const, 'wildcards' as const, 'apply_setfield' as const),
    oxms: fc.array(
      fc.oneof(
        u32.filter((h) => h >>> 16 !== 0xffff).map((header) => ({ header })),
        fc.tuple(u16, u32).map(([lo, experimenter]) => ({ header: (0xffff0000 | lo) >>> 0, experimenter })),
      ),
      { maxLength: 4 },
    ),
  }),
  fc.record({
    type: fc.constantFrom('experimenter' as const, 'experimenter_miss' as const),
    experimenter: u32,
    expType: u32,
    data: bytes(9),
  }),
  fc.record({ type: fc.constant('unknown' as const), propType: fc.constantFrom(9, 11, 16, 0x1234), data: bytes(9) }),
);

const message: fc.Arbitrary<OfpMessage> = fc.oneof(
  fc.record({
    type: fc.constant('hello' as const),
    version: fc.integer({ min: 1, max: 6 }),
    xid,
    elements: fc.array(
      fc.oneof(
        fc.record({ type: fc.constant('versionbitmap' as const), bitmaps: fc.array(u32, { maxLength: 3 }) }),
        fc.record({ type: fc.constant('unknown' as const), elementType: u16.filter((x) => x !== 1), data: bytes(10) }),
      ),
      { maxLength: 3 },
    ),
  }),
  fc.record({ type: fc.constant('echo_request' as const), xid, data: bytes() }),
  fc.record({ type: fc.constant('error' as const), xid, errType: u16.filter((x) => x !== 0xffff), code: u16, data: bytes() }),
  fc.record({ type: fc.constant('error' as const), xid, errType: fc.constant(0xffff), code: u16, experimenter: u32, data: bytes() }),
  fc.record({
    type: fc.constant('experimenter' as const),
    xid,
    experimenter: u32.filter((e) => e !== 0x2320 && e !== 0x4f4e4600),
    expType: u32,
    data: bytes(),
  }),
  fc.record({
    type: fc.constant('features_reply' as const),
    xid,
    datapathId: u64,
    nBuffers: u32,
    nTables: u8,
    auxiliaryId: u8,
    capabilities: u32,
    reserved: u32,
  }),
  fc.record({ type: fc.constant('set_config' as const), xid, flags: u16, missSendLen: u16 }),
  fc.record({
    type: fc.constant('packet_in' as const),
    xid,
    bufferId: u32,
    totalLen: u16,
    reason: u8,
    tableId: u8,
    cookie: u64,
    match,
    data: bytes(60),
  }),
  fc.record({
    type: fc.constant('flow_removed' as const),
    xid,
    cookie: u64,
    priority: u16,
    reason: u8,
    tableId: u8,
    durationSec: u32,
    durationNsec: u32,
    idleTimeout: u16,
    hardTimeout: u16,
    packetCount: u64,
    byteCount: u64,
    match,
  }),
  fc.record({ type: fc.constant('port_status' as const), xid, reason: u8, desc: port }),
  fc.record({ type: fc.constant('packet_out' as const), xid, bufferId: u32, inPort: u32, actions, data: bytes(60) }),
  fc.record({
    type: fc.constant('flow_mod' as const),
    xid,
    cookie: u64,
    cookieMask: u64,
    tableId: u8,
    command: u8,
    idleTimeout: u16,
    hardTimeout: u16,
    priority: u16,
    bufferId: u32,
    outPort: u32,
    outGroup: u32,
    flags: u16,
    match,
    instructions: fc.array(instruction, { maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('group_mod' as const),
    xid,
    command: u16,
    groupType: u8,
    groupId: u32,
    buckets: fc.array(bucket, { maxLength: 4 }),
  }),
  fc.record({ type: fc.constant('port_mod' as const), xid, portNo: u32, hwAddr: mac, config: u32, mask: u32, advertise: u32 }),
  fc.record({
    type: fc.constant('meter_mod' as const),
    xid,
    command: fc.integer({ min: 0, max: 2 }),
    flags: u16.filter((f) => (f & 3) !== 3),
    meterId: u32,
    bands: fc.array(band, { maxLength: 3 }),
  }),
  fc.record({ type: fc.constant('role_request' as const), xid, role: u32, generationId: u64 }),
  fc.record({
    type: fc.constant('set_async' as const),
    xid,
    packetInMask: fc.tuple(u32, u32),
    portStatusMask: fc.tuple(u32, u32),
    flowRemovedMask: fc.tuple(u32, u32),
  }),
  fc.record({ type: fc.constant('role_status' as const), xid, role: u32, reason: u8, generationId: u64, properties: rawProps }),
  fc.record({ type: fc.constant('bundle_control' as const), xid, bundleId: u32, ctrlType: u16, flags: u16, properties: rawProps }),
  fc.record({
    type: fc.constant('nx_ct_flush' as const),
    xid,
    ipProto: u8,
    zoneId: u16,
    orig: fc.record({ src: ipv4, dst: ipv4, srcPort: u16, dstPort: u16 }),
  }),
  fc.record({
    type: fc.constant('nx_set_async_config2' as const),
    xid,
    properties: fc.array(fc.record({ propType: u16, mask: u32 }), { maxLength: 5 }),
  }),
  fc.record({
    type: fc.constant('nx_packet_in2' as const),
    xid,
    packet: bytes(60),
    tableId: u8,
    cookie: u64,
    reason: u8,
    metadata: match,
    userdata: bytes(8),
    continuation: bytes(24),
  }),
  fc.record({
    type: fc.constant('multipart_reply' as const),
    xid,
    flags: fc.constantFrom(0, 1),
    body: fc.record({ kind: fc.constant('port_desc' as const), ports: fc.array(port, { maxLength: 3 }) }),
  }),
  fc.record({
    type: fc.constant('multipart_reply' as const),
    xid,
    flags: fc.constantFrom(0, 1),
    body: fc.record({
      kind: fc.constant('group_desc' as const),
      groups: fc.array(fc.record({ groupType: u8, groupId: u32, buckets: fc.array(bucket, { maxLength: 3 }) }), { maxLength: 2 }),
    }),
  }),
  fc.record({
    type: fc.constant('multipart_reply' as const),
    xid,
    flags: fc.constantFrom(0, 1),
    body: fc.record({
      kind: fc.constant('meter_config' as const),
      meters: fc.array(fc.record({ flags: u16, meterId: u32, bands: fc.array(band, { maxLength: 2 }) }), { maxLength: 2 }),
    }),
  }),
  fc.record({
    type: fc.constant('multipart_reply' as const),
    xid,
    flags: fc.constantFrom(0, 1),
    body: fc.record({
      kind: fc.constant('table_features' as const),
      tables: fc.array(
        fc.record({
          tableId: u8,
          name: name(32),
          metadataMatch: u64,
          metadataWrite: u64,
          config: u32,
          maxEntries: u32,
          properties: fc.array(tableProp, { maxLength: 5 }),
        }),
        { maxLength: 2 },
      ),
    }),
  }),
  fc.record({
    type: fc.constant('multipart_request' as const),
    xid,
    flags: fc.constantFrom(0, 1),
    body: fc.record({ kind: fc.constant('flow' as const), tableId: u8, outPort: u32, outGroup: u32, cookie: u64, cookieMask: u64, match }),
  }),
);

t.test('random valid messages: typed → bytes → typed', async (t) => {
  fc.assert(
    fc.property(message, (m) => {
      const bytes = encodeMessage(m);
      t.same(decodeMessage(bytes), m);
      return bytes.readUInt16BE(2) === bytes.length;
    }),
    { numRuns: 400 },
  );
});

t.test('random valid messages: typed → JSON text → typed → the same bytes', async (t) => {
  fc.assert(
    fc.property(message, (m) => {
      const back = messageFromJSON(JSON.parse(JSON.stringify(messageToJSON(m))));
      t.same(back, m);
      return encodeMessage(back).equals(encodeMessage(m));
    }),
    { numRuns: 400 },
  );
});

t.test('bundles wrapping random messages', async (t) => {
  fc.assert(
    fc.property(message, u32, rawProps, (inner, bundleId, properties) => {
      const m: OfpMessage = { type: 'bundle_add', xid: inner.xid, bundleId, flags: 3, message: inner, properties };
      t.same(decodeMessage(encodeMessage(m)), m);
    }),
    { numRuns: 150 },
  );
});
