/**
 * A match as Open vSwitch holds it: one value/mask pair per packet header slot (struct flow and
 * its wildcards). Several fields share a slot (tcp_src, udp_src, tp_src and icmp_type all set the
 * transport source slot; nw_tos, ip_dscp and ip_ecn share the TOS byte; xreg1 is reg2 and reg3).
 * Setting a field here does what OVS's mf_set() does, so the slots are what OVS would encode.
 */
import { ones, toBig } from './convert.js';
import { fieldByName, fieldBytes, type FieldDef } from './registry.js';
import type { OxmField } from './types.js';

/** A header slot's value and mask as integers. */
export interface Slot {
  v: bigint;
  m: bigint;
}

/** Slot widths, in bits. */
// prettier-ignore
export const SLOT_BITS: Readonly<Record<string, number>> = {
  packet_type: 32, dp_hash: 32, recirc_id: 32, conj_id: 32, in_port: 32, actset_output: 32,
  dl_src: 48, dl_dst: 48, dl_type: 16, vlan_tci: 16, mpls_lse: 32,
  nw_src: 32, nw_dst: 32, ipv6_src: 128, ipv6_dst: 128, ipv6_label: 32, nw_frag: 8, nw_tos: 8, nw_ttl: 8, nw_proto: 8,
  tp_src: 16, tp_dst: 16, tcp_flags: 16, arp_sha: 48, arp_tha: 48, nd_target: 128, nd_reserved: 32,
  tun_id: 64, tun_flags: 16, tun_src: 32, tun_dst: 32, tun_ipv6_src: 128, tun_ipv6_dst: 128, tun_gbp_id: 16,
  tun_gbp_flags: 8, tun_erspan_idx: 32, tun_erspan_ver: 8, tun_erspan_dir: 8, tun_erspan_hwid: 8,
  tun_gtpu_flags: 8, tun_gtpu_msgtype: 8,
  nsh_flags: 8, nsh_ttl: 8, nsh_mdtype: 8, nsh_np: 8, nsh_spi: 32, nsh_si: 8, nsh_c1: 32, nsh_c2: 32, nsh_c3: 32, nsh_c4: 32,
  pkt_mark: 32, ct_state: 8, ct_zone: 16, ct_mark: 32, ct_label: 128, ct_nw_src: 32, ct_nw_dst: 32,
  ct_ipv6_src: 128, ct_ipv6_dst: 128, ct_nw_proto: 8, ct_tp_src: 16, ct_tp_dst: 16, metadata: 64,
  ...Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`reg${i}`, 32])),
};

const ZERO: Slot = { v: 0n, m: 0n };

/**
 * A match as Open vSwitch holds it: one value and mask per packet header slot, which several fields
 * may share.
 */
export class FlowMatch {
  readonly slots = new Map<string, Slot>();
  /** For each slot, the names of the entries that set it (for error messages). */
  readonly setBy = new Map<string, string[]>();

  get(slot: string): Slot {
    return this.slots.get(slot) ?? ZERO;
  }
  /** The slot's value (already masked). */
  val(slot: string): bigint {
    return this.get(slot).v;
  }
  mask(slot: string): bigint {
    return this.get(slot).m;
  }
  put(slot: string, v: bigint, m: bigint): void {
    // Every BigInt operation allocates: mask only what needs masking (comparisons allocate nothing).
    const full = ones(SLOT_BITS[slot]!);
    if (m < 0n || m > full) m &= full;
    if (m === 0n) this.slots.delete(slot);
    else this.slots.set(slot, { v: m === full && v >= 0n && v <= full ? v : v & m, m });
  }
  /** Sets some bits of a slot, leaving the others as they are (OVS's partial setters). */
  putBits(slot: string, v: bigint, bits: bigint): void {
    const cur = this.get(slot);
    this.put(slot, (cur.v & ~bits) | (v & bits), cur.m | bits);
  }
  note(slot: string, field: string): void {
    const list = this.setBy.get(slot);
    if (list) {
      if (!list.includes(field)) list.push(field);
    } else {
      this.setBy.set(slot, [field]);
    }
  }

  dlType(): number {
    return Number(this.val('dl_type'));
  }
  nwProto(): number {
    return Number(this.val('nw_proto'));
  }
  isIp(): boolean {
    return this.dlType() === 0x0800;
  }
  isIpv6(): boolean {
    return this.dlType() === 0x86dd;
  }
  isIpAny(): boolean {
    return this.isIp() || this.isIpv6();
  }
  isArp(): boolean {
    const t = this.dlType();
    return t === 0x0806 || t === 0x8035;
  }
  isMpls(): boolean {
    const t = this.dlType();
    return t === 0x8847 || t === 0x8848;
  }
  isIcmpv4(): boolean {
    return this.isIp() && this.nwProto() === 1;
  }
  isIcmpv6(): boolean {
    return this.isIpv6() && this.nwProto() === 58;
  }
  isNd(): boolean {
    if (!this.isIcmpv6() || this.val('tp_dst') !== 0n) return false;
    const t = this.val('tp_src');
    return t === 135n || t === 136n;
  }
  isEthernet(): boolean {
    return this.val('packet_type') === 0n;
  }
  hasDefaultPacketType(): boolean {
    const s = this.get('packet_type');
    return s.v === 0n && s.m === 0xffffffffn;
  }
}

const VLAN_CFI = 0x1000n;
const VLAN_VID_CFI = 0x1fffn;
const VLAN_PCP = 0xe000n;

/** How a field lands in the slots: exact value, or value under a partial mask. */
interface SlotSetter {
  exact(f: FlowMatch, v: bigint): void;
  masked(f: FlowMatch, v: bigint, m: bigint): void;
  clear(f: FlowMatch): void;
  slots: readonly string[];
  /** Stores the value and mask in its one slot as they are, leaving the slot's other bits alone. */
  whole?: true;
}

function plain(slot: string): SlotSetter {
  return {
    slots: [slot],
    whole: true,
    exact: (f, v) => f.put(slot, v, ones(SLOT_BITS[slot]!)),
    masked: (f, v, m) => f.put(slot, v, m),
    clear: (f) => f.put(slot, 0n, 0n),
  };
}

/** A field that is some bits of a slot (nw_tos, mpls_label…), exact-match only. */
function bits(slot: string, shift: bigint, fieldMask: bigint): SlotSetter {
  return {
    slots: [slot],
    exact: (f, v) => f.putBits(slot, v << shift, fieldMask),
    masked: (f, v) => f.putBits(slot, v << shift, fieldMask),
    clear: (f) => {
      const cur = f.get(slot);
      f.put(slot, cur.v & ~fieldMask, cur.m & ~fieldMask);
    },
  };
}

/** OVS 3.1 stores these tunnel fields' masks as the value itself (match_set_tun_erspan_ver_masked…). */
function maskIsValue(slot: string): SlotSetter {
  return {
    slots: [slot],
    exact: (f, v) => f.put(slot, v, v),
    masked: (f, v, m) => f.put(slot, v & m, v),
    clear: (f) => f.put(slot, 0n, 0n),
  };
}

/** Several 32-bit registers as one wide field, most significant first. */
function regs(first: number, count: number): SlotSetter {
  const names = Array.from({ length: count }, (_, i) => `reg${first + i}`);
  const set = (f: FlowMatch, v: bigint, m: bigint) => {
    for (let i = 0; i < count; i++) {
      const shift = BigInt(32 * (count - 1 - i));
      f.put(names[i]!, v >> shift, m >> shift);
    }
  };
  return {
    slots: names,
    exact: (f, v) => set(f, v, ones(32 * count)),
    masked: set,
    clear: (f) => set(f, 0n, 0n),
  };
}

const vlanTci: SlotSetter = plain('vlan_tci');
const dlVlan: SlotSetter = {
  slots: ['vlan_tci'],
  exact: (f, v) => f.putBits('vlan_tci', (v & 0xfffn) | VLAN_CFI, VLAN_VID_CFI),
  masked: (f, v) => dlVlan.exact(f, v),
  clear: (f) => vlanVid.clear(f),
};
const vlanVid: SlotSetter = {
  slots: ['vlan_tci'],
  exact: (f, v) => vlanVid.masked(f, v, VLAN_VID_CFI),
  masked: (f, v, m) => {
    m &= VLAN_VID_CFI;
    const cur = f.get('vlan_tci');
    f.put('vlan_tci', (cur.v & ~VLAN_VID_CFI) | (v & m), m | (cur.m & VLAN_PCP));
  },
  clear: (f) => {
    const cur = f.get('vlan_tci');
    f.put('vlan_tci', cur.v & VLAN_PCP, cur.m & VLAN_PCP);
  },
};
const vlanPcp: SlotSetter = {
  slots: ['vlan_tci'],
  exact: (f, v) => f.putBits('vlan_tci', ((v << 13n) & VLAN_PCP) | VLAN_CFI, VLAN_PCP | VLAN_CFI),
  masked: (f, v) => vlanPcp.exact(f, v),
  clear: (f) => {
    const cur = f.get('vlan_tci');
    f.put('vlan_tci', cur.v & ~VLAN_PCP, cur.m & ~VLAN_PCP);
  },
};

const ipFrag: SlotSetter = {
  slots: ['nw_frag'],
  exact: (f, v) => {
    const cur = f.get('nw_frag');
    f.put('nw_frag', v, cur.m | 3n);
  },
  masked: (f, v, m) => f.put('nw_frag', v, m),
  clear: (f) => f.put('nw_frag', 0n, 0n),
};
const ipv6Label: SlotSetter = {
  slots: ['ipv6_label'],
  exact: (f, v) => f.put('ipv6_label', v, 0xffffffffn),
  masked: (f, v, m) => ((m & 0xfffffn) === 0xfffffn ? ipv6Label.exact(f, v) : f.put('ipv6_label', v, m)),
  clear: (f) => f.put('ipv6_label', 0n, 0n),
};
const tunFlags: SlotSetter = {
  slots: ['tun_flags'],
  exact: (f, v) => f.put('tun_flags', v, 1n),
  masked: (f, v, m) => f.put('tun_flags', v, m & 1n),
  clear: (f) => f.put('tun_flags', 0n, 0n),
};
const ctState: SlotSetter = {
  slots: ['ct_state'],
  whole: true,
  exact: (f, v) => f.put('ct_state', v, 0xffn),
  masked: (f, v, m) => f.put('ct_state', v, m),
  clear: (f) => f.put('ct_state', 0n, 0n),
};
/** nd_options_type and the ICMP type/code are 8-bit fields stored in 16-bit slots, exact only. */
function narrow(slot: string): SlotSetter {
  return {
    slots: [slot],
    exact: (f, v) => f.put(slot, v, ones(SLOT_BITS[slot]!)),
    masked: (f, v) => f.put(slot, v, ones(SLOT_BITS[slot]!)),
    clear: (f) => f.put(slot, 0n, 0n),
  };
}

const SETTERS = new Map<string, SlotSetter>();
function setter(names: string[], s: SlotSetter): void {
  for (const n of names) SETTERS.set(n, s);
}
for (const n of Object.keys(SLOT_BITS)) SETTERS.set(n, plain(n));
setter(['eth_src'], plain('dl_src'));
setter(['eth_dst'], plain('dl_dst'));
setter(['eth_type'], plain('dl_type'));
setter(['vlan_tci'], vlanTci);
setter(['dl_vlan'], dlVlan);
setter(['vlan_vid'], vlanVid);
setter(['dl_vlan_pcp', 'vlan_pcp'], vlanPcp);
setter(['mpls_label'], bits('mpls_lse', 12n, 0xfffff000n));
setter(['mpls_tc'], bits('mpls_lse', 9n, 0xe00n));
setter(['mpls_bos'], bits('mpls_lse', 8n, 0x100n));
setter(['mpls_ttl'], bits('mpls_lse', 0n, 0xffn));
setter(['ipv4_src', 'arp_spa'], plain('nw_src'));
setter(['ipv4_dst', 'arp_tpa'], plain('nw_dst'));
setter(['ipv6_label'], ipv6Label);
setter(['ip_proto'], plain('nw_proto'));
setter(['arp_op'], narrow('nw_proto'));
setter(['nw_tos'], bits('nw_tos', 0n, 0xfcn));
setter(['ip_dscp'], bits('nw_tos', 2n, 0xfcn));
setter(['ip_ecn'], bits('nw_tos', 0n, 0x03n));
setter(['ip_frag'], ipFrag);
setter(['tcp_src', 'udp_src', 'sctp_src'], plain('tp_src'));
setter(['tcp_dst', 'udp_dst', 'sctp_dst'], plain('tp_dst'));
setter(['icmp_type', 'icmpv6_type'], narrow('tp_src'));
setter(['icmp_code', 'icmpv6_code'], narrow('tp_dst'));
setter(['nd_options_type'], narrow('tcp_flags'));
setter(['nd_sll'], plain('arp_sha'));
setter(['nd_tll'], plain('arp_tha'));
setter(['tun_flags'], tunFlags);
/**
 * Tunnel fields OVS 3.1 keeps in a whole byte with the value as its own mask: a value wider than
 * the field's bits (tun_erspan_ver=16) reaches the switch as written.
 */
export const MASK_IS_VALUE_FIELDS: ReadonlySet<string> = new Set([
  'tun_erspan_ver',
  'tun_erspan_dir',
  'tun_erspan_hwid',
  'tun_gtpu_flags',
  'tun_gtpu_msgtype',
]);
for (const n of MASK_IS_VALUE_FIELDS) SETTERS.set(n, maskIsValue(n));
setter(['ct_state'], ctState);
for (let i = 0; i < 8; i++) SETTERS.set(`xreg${i}`, regs(2 * i, 2));
for (let i = 0; i < 4; i++) SETTERS.set(`xxreg${i}`, regs(4 * i, 4));

/** The slots a field is stored in (for messages and tests). */
export function slotsOf(def: FieldDef): readonly string[] {
  return SETTERS.get(def.name)?.slots ?? [];
}

/**
 * Whether an entry of `def` whose value `v` and mask `m` were read unchanged from `slot` of a
 * FlowMatch (`m` all ones of the field's width making it exact) is accepted when applied and
 * sets that slot back to the same value and mask, and no other slot.
 */
export function restoresSlot(def: FieldDef, slot: string, v: bigint, m: bigint): boolean {
  let whole = WHOLE_SLOT.get(def);
  if (whole === undefined) WHOLE_SLOT.set(def, (whole = wholeSlot(def)));
  if (whole !== slot) return false;
  if (!def.maskable && m !== ones(fieldBytes(def) * 8)) return false;
  if (def.kind === 'uint' && v > ones(def.bits)) return false;
  return (def.name !== 'in_port' && def.name !== 'actset_output') || v < 0xff00n || v >= 0xffffff00n;
}

/** Each field's slot, when its setter keeps the value and mask there as they are and the field is as wide as the slot or wider. */
const WHOLE_SLOT = new Map<FieldDef, string | null>();

function wholeSlot(def: FieldDef): string | null {
  const s = SETTERS.get(def.name);
  if (s === undefined || s.whole !== true) return null;
  const slot = s.slots[0]!;
  return fieldBytes(def) * 8 >= SLOT_BITS[slot]! ? slot : null;
}

/** Whether the flow model knows the field (every table field but tun_metadata). */
export function hasSlot(def: FieldDef): boolean {
  return SETTERS.has(def.name);
}

/**
 * Applies one entry the way OVS's mf_set() does: exact when the mask is absent or all ones,
 * a wildcard when it is all zeros, otherwise a masked match. Throws a one-line Error for values
 * the field cannot hold.
 */
export function applyField(f: FlowMatch, entry: OxmField): FieldDef {
  const def = fieldByName(entry.field);
  if (!def) throw new Error(`unknown field "${entry.field}"`);
  const v = toBig(def, entry.value);
  applyValue(f, def, v, entry.mask === undefined ? null : toBig(def, entry.mask), entry.field);
  return def;
}

/**
 * applyField for a value (and mask, null when exact) already an unsigned integer of the field's
 * width; `name` is the spelling the entry used.
 */
export function applyValue(f: FlowMatch, def: FieldDef, v: bigint, mask: bigint | null, name: string): void {
  const s = SETTERS.get(def.name);
  if (!s) throw new Error(`${def.name} is not supported in a match built by ofwire (it needs the switch's TLV map)`);
  const full = ones(fieldBytes(def) * 8);
  let m = mask ?? full;
  if (def.name === 'in_port' || def.name === 'actset_output') checkPort(def, v);
  if (def.kind === 'uint' && v > ones(def.bits) && !MASK_IS_VALUE_FIELDS.has(def.name)) {
    throw new Error(`${name}: 0x${v.toString(16)} does not fit the field's ${def.bits} bits`);
  }
  if (def.name === 'nw_tos' && v & 3n) throw new Error(`${name}: ${v} has ECN bits set (nw_tos holds the DSCP bits in place)`);
  if (m === full) s.exact(f, v);
  else if (m === 0n) s.clear(f);
  else if (!def.maskable) throw new Error(`${name} cannot be masked`);
  else {
    if (m > full) m &= full;
    s.masked(f, v & m, m);
  }
  const slots = s.slots;
  for (let i = 0; i < slots.length; i++) f.note(slots[i]!, name);
}

function checkPort(def: FieldDef, v: bigint): void {
  if (v >= 0xff00n && v < 0xffffff00n) {
    throw new Error(`${def.name}: port ${v} is outside 0 through 0xfeff and 0xffffff00 through 0xffffffff`);
  }
}

/** The flow model of a list of entries, applied in order. */
export function flowOf(entries: readonly OxmField[]): FlowMatch {
  const f = new FlowMatch();
  for (const e of entries) if (e.field !== 'unknown') applyField(f, e);
  return f;
}
