/**
 * Shared by the actions-*.test.ts files: list encode/decode helpers and fast-check arbitraries that
 * produce every action and instruction variant in the form the decoder returns (so that
 * decode(encode(a)) deep-equals a).
 */
import fc from 'fast-check';
import { ProtocolError } from '../../../protocol/errors.js';
import { fieldByName, type FieldDef } from '../../../protocol/fields/registry.js';
import { formatIpv4, formatIpv6 } from '../../../protocol/fields/values.js';
import type { FieldValue } from '../../../protocol/fields/types.js';
import {
  readActions,
  readInstructions,
  writeActions,
  writeInstructions,
  type Action,
  type EncapProperty,
  type FieldRef,
  type Instruction,
  type LearnSpec,
  type SubField,
} from '../../../protocol/actions/index.js';
import { contextEncoding } from '../../../protocol/actions/field-ref.js';
import '../../../protocol/index.js';
import { Reader } from '../../../protocol/wire/reader.js';
import { Writer } from '../../../protocol/wire/writer.js';

export function encodeActions(actions: readonly Action[]): Buffer {
  const w = new Writer(64);
  writeActions(w, actions, 'actions');
  return w.copyFrom(0);
}

export function decodeActions(buf: Uint8Array): Action[] {
  return readActions(new Reader(buf), 'actions');
}

export function encodeInstructions(list: readonly Instruction[]): Buffer {
  const w = new Writer(64);
  writeInstructions(w, list, 'instructions');
  return w.copyFrom(0);
}

export function decodeInstructions(buf: Uint8Array): Instruction[] {
  return readInstructions(new Reader(buf), 'instructions');
}

/** Runs `f`; returns the ProtocolError it throws, undefined if it returns, rethrows anything else. */
export function protocolErrorOf(f: () => unknown): ProtocolError | undefined {
  try {
    f();
    return undefined;
  } catch (err) {
    if (err instanceof ProtocolError) return err;
    throw err;
  }
}

/** JSON with bigints and Buffers readable, for test messages. */
export function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (x && typeof x === 'object' && (x as { type?: unknown }).type === 'Buffer') {
      return `<${Buffer.from((x as { data: number[] }).data).toString('hex')}>`;
    }
    return x;
  });
}

// ---- arbitraries ---------------------------------------------------------------------------------

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: 0xffffffffffffffffn });
const bytes = (max: number, min = 0) => fc.uint8Array({ minLength: min, maxLength: max }).map((a) => Buffer.from(a));

function defs(names: string[]): FieldDef[] {
  return names.map((n) => fieldByName(n)).filter((d): d is FieldDef => d !== undefined && d.name !== undefined);
}

/** Fields whose Nicira-action header is a plain 32-bit NXM/OXM header. */
const narrowDefs = defs([
  'reg0',
  'reg5',
  'reg15',
  'xreg3',
  'xxreg1',
  'eth_src',
  'ipv4_dst',
  'tcp_src',
  'tun_id',
  'ct_mark',
  'ct_label',
  'metadata',
  'in_port',
]).filter((d) => contextEncoding(d, 'nxm').experimenter === undefined);
/** Fields whose Nicira-action header is an experimenter OXM (8 bytes). */
const wideOnlyDefs = defs(['nsh_c1', 'nsh_spi', 'tun_erspan_idx']).filter((d) => contextEncoding(d, 'nxm').experimenter !== undefined);

function canonicalRef(defsList: FieldDef[]): fc.Arbitrary<FieldRef> {
  return fc.constantFrom(...defsList).map((d) => ({ field: d.name }));
}

/** A known field under a header with a length OVS would not write (kept in `header`). */
function oddHeaderRef(defsList: FieldDef[]): fc.Arbitrary<FieldRef> {
  return fc
    .tuple(fc.constantFrom(...defsList), fc.integer({ min: 0, max: 0x1ff }))
    .filter(([d, low]) => low !== 0 && low !== contextEncoding(d, 'nxm').bytes)
    .map(([d, low]) => ({ field: d.name, header: (contextEncoding(d, 'nxm').header | low) >>> 0 }));
}

/** A header no field uses (class 0x0005). */
const unknownNarrowRef: fc.Arbitrary<FieldRef> = fc
  .integer({ min: 0, max: 0xffff })
  .map((low) => ({ field: 'unknown', header: (0x00050000 | low) >>> 0 }));

const unknownWideRef: fc.Arbitrary<FieldRef> = fc
  .tuple(fc.integer({ min: 0, max: 0xffff }), u32)
  .filter(([, exp]) => exp !== 0x00002320 && exp !== 0x4f4e4600)
  .map(([low, experimenter]) => ({ field: 'unknown', header: (0xffff0000 | low) >>> 0, experimenter }));

export const narrowRef: fc.Arbitrary<FieldRef> = fc.oneof(
  { weight: 6, arbitrary: canonicalRef(narrowDefs) },
  { weight: 1, arbitrary: oddHeaderRef(narrowDefs) },
  { weight: 1, arbitrary: unknownNarrowRef },
);

export const wideRef: fc.Arbitrary<FieldRef> =
  wideOnlyDefs.length > 0
    ? fc.oneof(
        { weight: 5, arbitrary: narrowRef },
        { weight: 2, arbitrary: canonicalRef(wideOnlyDefs) },
        { weight: 1, arbitrary: unknownWideRef },
      )
    : fc.oneof({ weight: 5, arbitrary: narrowRef }, { weight: 1, arbitrary: unknownWideRef });

/** (ofs, nBits) packed as ofs_nbits. */
const packedRange = fc.record({ ofs: fc.integer({ min: 0, max: 1023 }), nBits: fc.integer({ min: 1, max: 64 }) });

function sub(ref: fc.Arbitrary<FieldRef>, range: fc.Arbitrary<{ ofs: number; nBits: number }>): fc.Arbitrary<SubField> {
  return fc.tuple(ref, range).map(([r, g]) => ({ ...r, ...g }));
}

export const packedNarrowSub = sub(narrowRef, packedRange);
export const packedWideSub = sub(wideRef, packedRange);

function valueOf(def: FieldDef, bytesLen: number): fc.Arbitrary<FieldValue> {
  switch (def.kind) {
    case 'mac':
      return fc.uint8Array({ minLength: 6, maxLength: 6 }).map((a) => Array.from(a, (b) => b.toString(16).padStart(2, '0')).join(':'));
    case 'ipv4':
      return u32.map(formatIpv4);
    case 'ipv6':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map(formatIpv6);
    default:
      if (bytesLen <= 4) return fc.integer({ min: 0, max: 2 ** (bytesLen * 8) - 1 });
      return fc.bigInt({ min: 0n, max: (1n << BigInt(bytesLen * 8)) - 1n });
  }
}

const assignDefs = defs([
  'reg0',
  'reg7',
  'eth_src',
  'eth_dst',
  'ipv4_dst',
  'ipv6_src',
  'tcp_dst',
  'metadata',
  'ct_mark',
  'tun_id',
  'tcp_flags',
  'vlan_tci',
  'ip_dscp',
]);

/** set_field: canonical (no header) or under another of the field's encodings. */
const setFieldAction: fc.Arbitrary<Action> = fc.constantFrom(...assignDefs).chain((def) => {
  const encs = def.encodings;
  return fc.tuple(fc.integer({ min: 0, max: encs.length - 1 }), fc.constant(def)).chain(([i, d]) =>
    valueOf(d, encs[i]!.bytes).map((value) => {
      const a: Action = { type: 'set_field', field: d.name, value };
      if (i !== 0) {
        a.header = encs[i]!.header;
        if (encs[i]!.experimenter !== undefined) a.experimenter = encs[i]!.experimenter;
      }
      return a;
    }),
  );
});

const unknownSetField: fc.Arbitrary<Action> = fc
  .tuple(fc.integer({ min: 0, max: 127 }), bytes(20))
  .map(([field, value]) => ({ type: 'set_field', field: 'unknown', value, header: (0x00050000 | (field << 9)) >>> 0 }));

const regLoad2Action: fc.Arbitrary<Action> = fc.constantFrom(...assignDefs.filter((d) => d.maskable)).chain((def) => {
  const nxm = contextEncoding(def, 'nxm');
  const encs = def.encodings;
  return fc.tuple(fc.integer({ min: 0, max: encs.length - 1 }), fc.boolean()).chain(([i, masked]) => {
    const enc = encs[i]!;
    return fc.tuple(valueOf(def, enc.bytes), valueOf(def, enc.bytes)).map(([value, mask]) => {
      const a: Action = { type: 'reg_load2', field: def.name, value };
      if (masked) a.mask = mask;
      if (enc !== nxm) {
        a.header = enc.header;
        if (enc.experimenter !== undefined) a.experimenter = enc.experimenter;
      }
      return a;
    });
  });
});

const learnSpec: fc.Arbitrary<LearnSpec> = fc
  .tuple(fc.integer({ min: 1, max: 1023 }), u16, u16, narrowRef, narrowRef, fc.integer({ min: 0, max: 4 }))
  .chain(([nBits, srcOfs, dstOfs, srcRef, dstRef, kind]) => {
    const src: SubField = { ...srcRef, ofs: srcOfs, nBits };
    const dst: SubField = { ...dstRef, ofs: dstOfs, nBits };
    const width = 2 * Math.ceil(nBits / 16);
    const value = fc.uint8Array({ minLength: width, maxLength: width }).map((a) => Buffer.from(a));
    switch (kind) {
      case 0:
        return fc.constant<LearnSpec>({ kind: 'match_field', src, dst });
      case 1:
        return fc.constant<LearnSpec>({ kind: 'load_field', src, dst });
      case 2:
        return value.map<LearnSpec>((v) => ({ kind: 'match_immediate', value: v, dst }));
      case 3:
        return value.map<LearnSpec>((v) => ({ kind: 'load_immediate', value: v, dst }));
      default:
        return fc.constant<LearnSpec>({ kind: 'output', src });
    }
  });

const learnBody = fc.record({
  idleTimeout: u16,
  hardTimeout: u16,
  priority: u16,
  cookie: u64,
  tableId: u8,
  finIdleTimeout: u16,
  finHardTimeout: u16,
  specs: fc.array(learnSpec, { maxLength: 4 }),
});

const learnAction: fc.Arbitrary<Action> = fc
  .tuple(learnBody, fc.integer({ min: 0, max: 0xffff }))
  .map(([b, flags]) => ({ type: 'learn', ...b, flags }));

const learn2Action: fc.Arbitrary<Action> = fc
  .tuple(learnBody, fc.integer({ min: 0, max: 0xffff }), u32, sub(wideRef, fc.record({ ofs: u16, nBits: fc.constant(1) })))
  .map(([b, flags, limit, resultDst]) => {
    const a: Action = { type: 'learn2', ...b, flags, limit };
    if (flags & 4) a.resultDst = resultDst;
    return a;
  });

const ipv4Text = u32.map(formatIpv4);
const ipv6Text = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(formatIpv6);

const natAction: fc.Arbitrary<Action> = fc
  .record(
    {
      flags: u16,
      v6: fc.boolean(),
      min: fc.boolean(),
      max: fc.boolean(),
      portMin: fc.option(u16, { nil: undefined }),
      portMax: fc.option(u16, { nil: undefined }),
    },
    { requiredKeys: ['flags', 'v6', 'min', 'max'] },
  )
  .chain((o) =>
    fc.tuple(o.v6 ? ipv6Text : ipv4Text, o.v6 ? ipv6Text : ipv4Text).map(([lo, hi]) => {
      const a: Action = { type: 'nat', flags: o.flags };
      if (o.min) a.ipMin = lo;
      if (o.max) a.ipMax = hi;
      if (o.portMin !== undefined) a.portMin = o.portMin;
      if (o.portMax !== undefined) a.portMax = o.portMax;
      return a;
    }),
  );

const controller2Action: fc.Arbitrary<Action> = fc
  .record(
    {
      maxLen: u16,
      controllerId: u16,
      reason: u8,
      userdata: bytes(24),
      pause: fc.constant(true),
      meterId: u32,
    },
    { requiredKeys: [] },
  )
  .chain((props) => {
    const names = (['max_len', 'controller_id', 'reason', 'userdata', 'pause', 'meter_id'] as const).filter(
      (n) =>
        props[
          (
            {
              max_len: 'maxLen',
              controller_id: 'controllerId',
              reason: 'reason',
              userdata: 'userdata',
              pause: 'pause',
              meter_id: 'meterId',
            } as const
          )[n]
        ] !== undefined,
    );
    return fc.shuffledSubarray(names, { minLength: names.length, maxLength: names.length }).map((order) => {
      const a: Action = { type: 'controller2', ...props };
      const sorted = order.every((n, i) => i === 0 || names.indexOf(n) > names.indexOf(order[i - 1]!));
      if (!sorted) a.propertyOrder = [...order];
      return a;
    });
  });

const encapProperty: fc.Arbitrary<EncapProperty> = fc.oneof(
  u8.map<EncapProperty>((mdType) => ({ type: 'nsh_md_type', mdType })),
  fc.record({ tlvClass: u16, tlvType: u8, value: bytes(127) }).map<EncapProperty>((p) => ({ type: 'nsh_tlv', ...p })),
  fc
    .record({ propClass: u16.filter((c) => c !== 4), propType: u8, data: bytes(40) })
    .map<EncapProperty>((p) => ({ type: 'unknown', ...p })),
);

const sample = { probability: u16, collectorSetId: u32, obsDomainId: u32, obsPointId: u32 };

/** Leaf actions (no nested lists). */
const leafAction: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('output' as const), port: u32, maxLen: u16 }),
  fc.record({ type: fc.constant('set_vlan_vid' as const), vlanVid: u16 }),
  fc.record({ type: fc.constant('set_vlan_pcp' as const), vlanPcp: u8 }),
  fc.record({
    type: fc.constantFrom('set_dl_src' as const, 'set_dl_dst' as const),
    mac: fc.uint8Array({ minLength: 6, maxLength: 6 }).map((a) => Array.from(a, (b) => b.toString(16).padStart(2, '0')).join(':')),
  }),
  fc.record({ type: fc.constantFrom('set_nw_src' as const, 'set_nw_dst' as const), ip: ipv4Text }),
  fc.record({ type: fc.constant('set_nw_tos' as const), tos: u8 }),
  fc.record({ type: fc.constant('set_nw_ecn' as const), ecn: u8 }),
  fc.record({ type: fc.constantFrom('set_tp_src' as const, 'set_tp_dst' as const), port: u16 }),
  fc.record({
    type: fc.constantFrom(
      'copy_ttl_out' as const,
      'copy_ttl_in' as const,
      'dec_mpls_ttl' as const,
      'pop_vlan' as const,
      'dec_nw_ttl' as const,
      'pop_pbb' as const,
    ),
  }),
  fc.record({ type: fc.constant('set_mpls_label' as const), label: u32 }),
  fc.record({ type: fc.constant('set_mpls_tc' as const), tc: u8 }),
  fc.record({ type: fc.constantFrom('set_mpls_ttl' as const, 'set_nw_ttl' as const), ttl: u8 }),
  fc.record({
    type: fc.constantFrom('push_vlan' as const, 'push_mpls' as const, 'pop_mpls' as const, 'push_pbb' as const),
    ethertype: u16,
  }),
  fc.record({ type: fc.constant('set_queue' as const), queueId: u32 }),
  fc.record({ type: fc.constant('group' as const), groupId: u32 }),
  setFieldAction,
  unknownSetField,
  fc
    .record({ type: fc.constant('copy_field' as const), nBits: u16, src: fc.tuple(wideRef, u16), dst: fc.tuple(wideRef, u16) })
    .map<Action>((o) => ({
      type: 'copy_field',
      src: { ...o.src[0], ofs: o.src[1], nBits: o.nBits },
      dst: { ...o.dst[0], ofs: o.dst[1], nBits: o.nBits },
    })),
  fc.record({ type: fc.constant('resubmit' as const), inPort: u16 }),
  fc.record({ type: fc.constantFrom('resubmit_table' as const, 'resubmit_table_ct' as const), inPort: u16, tableId: u8 }),
  fc.record({ type: fc.constant('set_tunnel' as const), tunId: u32 }),
  fc.record({ type: fc.constant('set_tunnel64' as const), tunId: u64 }),
  fc.record({
    type: fc.constantFrom(
      'pop_queue' as const,
      'exit' as const,
      'ct_clear' as const,
      'dec_nsh_ttl' as const,
      'debug_recirc' as const,
      'debug_slow' as const,
    ),
  }),
  fc
    .record({ type: fc.constant('reg_move' as const), nBits: u16, src: fc.tuple(wideRef, u16), dst: fc.tuple(wideRef, u16) })
    .map<Action>((o) => ({
      type: 'reg_move',
      src: { ...o.src[0], ofs: o.src[1], nBits: o.nBits },
      dst: { ...o.dst[0], ofs: o.dst[1], nBits: o.nBits },
    })),
  fc.record({ type: fc.constant('reg_load' as const), dst: packedNarrowSub, value: u64 }),
  regLoad2Action,
  fc.record({ type: fc.constant('note' as const), note: bytes(40) }).filter((a) => (a.note.length + 10) % 8 === 0 && a.note.length >= 6),
  fc.record({
    type: fc.constant('multipath' as const),
    fields: u16,
    basis: u16,
    algorithm: u16,
    maxLink: u16,
    arg: u32,
    dst: packedNarrowSub,
  }),
  fc.record({
    type: fc.constant('bundle' as const),
    algorithm: u16,
    fields: u16,
    basis: u16,
    memberType: u32,
    members: fc.array(u16, { maxLength: 9 }),
  }),
  fc.record({
    type: fc.constant('bundle_load' as const),
    algorithm: u16,
    fields: u16,
    basis: u16,
    memberType: u32,
    members: fc.array(u16, { maxLength: 9 }),
    dst: packedNarrowSub,
  }),
  fc.record({ type: fc.constantFrom('output_reg' as const), src: packedNarrowSub, maxLen: u16 }),
  fc.record({ type: fc.constantFrom('output_reg2' as const), src: packedWideSub, maxLen: u16 }),
  learnAction,
  learn2Action,
  fc.record({ type: fc.constant('dec_ttl_cnt_ids' as const), controllerIds: fc.array(u16, { maxLength: 9 }) }),
  fc.record({ type: fc.constant('fin_timeout' as const), finIdleTimeout: u16, finHardTimeout: u16 }),
  fc.record({ type: fc.constant('controller' as const), maxLen: u16, controllerId: u16, reason: u8 }),
  controller2Action,
  fc.record({ type: fc.constant('write_metadata' as const), metadata: u64, mask: u64 }),
  fc.record({
    type: fc.constantFrom('stack_push' as const, 'stack_pop' as const),
    field: sub(wideRef, fc.record({ ofs: u16, nBits: u16 })),
  }),
  fc.record({ type: fc.constant('sample' as const), ...sample }),
  fc.record({ type: fc.constant('sample2' as const), ...sample, samplingPort: u16 }),
  fc.record({ type: fc.constant('sample3' as const), ...sample, samplingPort: u16, direction: u8 }),
  fc.record({ type: fc.constant('conjunction' as const), id: u32, clause: u8, nClauses: u8 }),
  natAction,
  fc.record({ type: fc.constant('output_trunc' as const), port: u16, maxLen: u32 }),
  fc.record({ type: fc.constant('encap' as const), hdrSize: u16, packetType: u32, properties: fc.array(encapProperty, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('decap' as const), packetType: u32 }),
  fc.record({
    type: fc.constant('check_pkt_larger' as const),
    pktLen: u16,
    dst: sub(wideRef, fc.record({ ofs: u16, nBits: fc.constant(1) })),
  }),
  wideRef.map<Action>((r) => ({ type: 'delete_field', ...r })),
  fc
    .record({ actionType: fc.integer({ min: 28, max: 0xfffe }), data: bytes(28, 4) })
    .filter((u) => (u.data.length + 4) % 8 === 0)
    .map<Action>((u) => ({ type: 'unknown', ...u })),
  fc
    .record({ subtype: fc.integer({ min: 51, max: 253 }), rest: bytes(22, 6) })
    .filter((u) => (u.rest.length + 10) % 8 === 0)
    .map<Action>((u) => ({
      type: 'unknown',
      actionType: 0xffff,
      data: Buffer.concat([Buffer.from([0, 0, 0x23, 0x20, u.subtype >> 8, u.subtype & 255]), u.rest]),
    })),
);

const ctZone = fc.oneof(
  u16.map((zone) => ({ zone })),
  fc
    .tuple(
      narrowRef.filter((r) => r.header !== 0),
      packedRange,
    )
    .map(([r, g]) => ({ zone: 0, zoneSrc: { ...r, ...g } })),
);

/** Any action, nesting clone and ct up to a small depth. */
export const anyAction: fc.Arbitrary<Action> = fc.letrec<{ action: Action }>((tie) => ({
  action: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 12, arbitrary: leafAction },
    {
      weight: 1,
      arbitrary: fc.array(tie('action'), { maxLength: 3 }).map<Action>((actions) => ({ type: 'clone', actions })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(u16, ctZone, u8, u16, fc.array(tie('action'), { maxLength: 3 }))
        .map<Action>(([flags, z, recircTable, alg, actions]) => {
          const a: Action = { type: 'ct', flags, zone: z.zone, recircTable, alg, actions };
          if ('zoneSrc' in z) a.zoneSrc = z.zoneSrc;
          return a;
        }),
    },
  ),
})).action;

/** A deep copy made of plain objects (fast-check may build records without a prototype). */
export function plain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(plain) as T;
  if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = plain(x);
  return out as T;
}

export const actionList = fc.array(anyAction, { maxLength: 6 }).map(plain);

export const anyInstruction: fc.Arbitrary<Instruction> = fc.oneof(
  fc.record({ type: fc.constant('goto_table' as const), tableId: u8 }),
  fc.record({ type: fc.constant('write_metadata' as const), metadata: u64, metadataMask: u64 }),
  fc.record({ type: fc.constantFrom('write_actions' as const, 'apply_actions' as const), actions: actionList }),
  fc.record({ type: fc.constant('clear_actions' as const) }),
  fc.record({ type: fc.constant('meter' as const), meterId: u32 }),
  fc.record({ type: fc.constant('experimenter' as const), experimenter: u32, data: bytes(24) }).filter((i) => i.data.length % 8 === 0),
);

export const instructionList = fc.array(anyInstruction, { maxLength: 5 }).map(plain);
