/**
 * Field prerequisites, as Open vSwitch checks them (mf_are_match_prereqs_ok): tcp_dst needs
 * ip_proto=6 and an IP eth_type, nd_target needs an ICMPv6 neighbor discovery type, and so on.
 */
import type { EntryIntegers } from './canonical.js';
import { FlowMatch, applyField, applyValue, hasSlot } from './flow.js';
import { fieldByName, type Prerequisite } from './registry.js';
import type { Match } from './types.js';

const CS_VALID = 0x01n | 0x02n | 0x04n | 0x08n | 0x40n | 0x80n;
const CS_INVALID = 0x10n;
const CS_TRACKED = 0x20n;
const FRAG_LATER = 2n;

const PROTO: Partial<Record<Prerequisite, [number, string]>> = { tcp: [6, 'tcp'], udp: [17, 'udp'], sctp: [132, 'sctp'] };

/** Whether the flow satisfies `p`. */
export function prereqMet(f: FlowMatch, p: Prerequisite): boolean {
  switch (p) {
    case 'eth':
      return f.isEthernet();
    case 'arp':
      return f.isArp();
    case 'vlan':
      return (f.val('vlan_tci') & 0x1000n) !== 0n;
    case 'ip':
      return f.isIp();
    case 'ipv6':
      return f.isIpv6();
    case 'ip_any':
      return f.isIpAny();
    case 'mpls':
      return f.isMpls();
    case 'nsh':
      return f.dlType() === 0x894f;
    case 'tcp':
    case 'udp':
    case 'sctp':
      return f.isIpAny() && f.nwProto() === PROTO[p]![0] && (f.val('nw_frag') & FRAG_LATER) === 0n;
    case 'icmp':
      return f.isIcmpv4();
    case 'icmp6':
      return f.isIcmpv6();
    case 'nd':
      return f.isNd();
    case 'nd_solicit':
      return f.isNd() && f.val('tp_src') === 135n;
    case 'nd_advert':
      return f.isNd() && f.val('tp_src') === 136n;
    case 'ct': {
      const s = f.get('ct_state');
      return (s.v & CS_VALID) !== 0n || ((s.v & CS_TRACKED) !== 0n && (s.m & CS_INVALID) !== 0n && (s.v & CS_INVALID) === 0n);
    }
    case 'in_port':
      return f.mask('in_port') !== 0n;
    case 'pbb':
      return f.dlType() === 0x88e7;
    case 'l4':
      return prereqMet(f, 'tcp') || prereqMet(f, 'udp') || prereqMet(f, 'sctp') || prereqMet(f, 'icmp') || prereqMet(f, 'icmp6');
  }
}

const IP_ANY = 'eth_type=0x0800 (ip) or 0x86dd (ipv6)';

/** What `p` asks for, in words, given what the flow already has. */
export function prereqText(f: FlowMatch, p: Prerequisite): string {
  switch (p) {
    case 'eth':
      return 'an Ethernet packet_type';
    case 'arp':
      return 'eth_type=0x0806 (arp) or 0x8035 (rarp)';
    case 'vlan':
      return 'a VLAN tag (vlan_vid with OFPVID_PRESENT 0x1000, or dl_vlan)';
    case 'ip':
      return 'eth_type=0x0800 (ip)';
    case 'ipv6':
      return 'eth_type=0x86dd (ipv6)';
    case 'ip_any':
      return IP_ANY;
    case 'mpls':
      return 'eth_type=0x8847 or 0x8848 (mpls)';
    case 'nsh':
      return 'eth_type=0x894f (nsh)';
    case 'tcp':
    case 'udp':
    case 'sctp': {
      const [n, name] = PROTO[p]!;
      if (!f.isIpAny()) return `${IP_ANY} and ip_proto=${n} (${name})`;
      if (f.nwProto() === n) return 'ip_frag not to match later fragments';
      return `ip_proto=${n} (${name})`;
    }
    case 'icmp':
      return 'eth_type=0x0800 (ip) and ip_proto=1 (icmp)';
    case 'icmp6':
      return 'eth_type=0x86dd (ipv6) and ip_proto=58 (icmp6)';
    case 'nd':
      return 'icmp6 with icmpv6_type=135 or 136 and icmpv6_code=0 (neighbor discovery)';
    case 'nd_solicit':
      return 'icmp6 with icmpv6_type=135 and icmpv6_code=0 (neighbor solicitation)';
    case 'nd_advert':
      return 'icmp6 with icmpv6_type=136 and icmpv6_code=0 (neighbor advertisement)';
    case 'ct':
      return 'ct_state matching a tracked connection (+new, +est, +rel, +rpl, +snat, +dnat, or +trk-inv)';
    case 'l4':
      return 'ip_proto=6, 17 or 132 (tcp, udp, sctp), or icmp/icmp6';
    case 'in_port':
      return 'in_port';
    case 'pbb':
      return 'eth_type=0x88e7 (pbb)';
  }
}

/**
 * Checks every entry's prerequisites against the entries before it, as the switch does when it
 * decodes the match. Returns null when all are met, else a one-line message naming the field and
 * what it needs, e.g. `tcp_dst requires ip_proto=6 (tcp)`. Unknown entries are not checked; a
 * value a field cannot hold is reported too.
 */
export function checkPrerequisites(match: Match): string | null {
  return checkPrerequisitesInto(match, new FlowMatch());
}

/**
 * checkPrerequisites, applying the entries to `before` as it goes: when it returns null and every
 * entry has a slot, `before` is the FlowMatch of the whole match (flowOf's result, built once).
 * `integers` (from emitOf13) are the entries' values and masks, applied as they are.
 */
export function checkPrerequisitesInto(match: Match, before: FlowMatch, integers?: readonly EntryIntegers[]): string | null {
  for (let i = 0; i < match.length; i++) {
    const e = match[i]!;
    if (e.field === 'unknown') continue;
    const def = fieldByName(e.field);
    if (!def) return `unknown field "${e.field}"`;
    if (def.prereq && !prereqMet(before, def.prereq)) {
      const whole = new FlowMatch();
      try {
        for (const x of match) {
          const d = x.field === 'unknown' ? undefined : fieldByName(x.field);
          if (d && hasSlot(d) && x !== e) applyField(whole, x);
        }
      } catch {
        // reported below, in order
      }
      if (prereqMet(whole, def.prereq)) {
        return `${e.field} requires ${prereqText(before, def.prereq)} before it in the match`;
      }
      return `${e.field} requires ${prereqText(before, def.prereq)}`;
    }
    if (!hasSlot(def)) continue;
    try {
      const n = integers?.[i];
      if (n) applyValue(before, def, n.v, n.m, e.field);
      else applyField(before, e);
    } catch (err) {
      return (err as Error).message;
    }
  }
  return null;
}

/** The slots prereqMet reads, as bits. */
const PACKET_TYPE = 1;
const DL_TYPE = 2;
const NW_PROTO = 4;
const NW_FRAG = 8;
const VLAN_TCI = 0x10;
const TP_SRC = 0x20;
const TP_DST = 0x40;
const CT_STATE = 0x80;
const IN_PORT = 0x100;
const READ_SLOTS: ReadonlyMap<string, number> = new Map([
  ['packet_type', PACKET_TYPE],
  ['dl_type', DL_TYPE],
  ['nw_proto', NW_PROTO],
  ['nw_frag', NW_FRAG],
  ['vlan_tci', VLAN_TCI],
  ['tp_src', TP_SRC],
  ['tp_dst', TP_DST],
  ['ct_state', CT_STATE],
  ['in_port', IN_PORT],
]);
const IP_PROTO = DL_TYPE | NW_PROTO;
const READS: Readonly<Record<Prerequisite, number>> = {
  eth: PACKET_TYPE,
  arp: DL_TYPE,
  vlan: VLAN_TCI,
  ip: DL_TYPE,
  ipv6: DL_TYPE,
  ip_any: DL_TYPE,
  mpls: DL_TYPE,
  nsh: DL_TYPE,
  pbb: DL_TYPE,
  tcp: IP_PROTO | NW_FRAG,
  udp: IP_PROTO | NW_FRAG,
  sctp: IP_PROTO | NW_FRAG,
  l4: IP_PROTO | NW_FRAG,
  icmp: IP_PROTO,
  icmp6: IP_PROTO,
  nd: IP_PROTO | TP_SRC | TP_DST,
  nd_solicit: IP_PROTO | TP_SRC | TP_DST,
  nd_advert: IP_PROTO | TP_SRC | TP_DST,
  ct: CT_STATE,
  in_port: IN_PORT,
};

/** Those of `bits` (READ_SLOTS bits) whose slots hold something in `f` (an empty slot reads as a missing one). */
function filledReadSlots(f: FlowMatch, bits: number): number {
  let filled = 0;
  if (bits & PACKET_TYPE && f.val('packet_type') !== 0n) filled |= PACKET_TYPE;
  if (bits & DL_TYPE && f.val('dl_type') !== 0n) filled |= DL_TYPE;
  if (bits & NW_PROTO && f.val('nw_proto') !== 0n) filled |= NW_PROTO;
  if (bits & NW_FRAG && f.val('nw_frag') !== 0n) filled |= NW_FRAG;
  if (bits & VLAN_TCI && f.val('vlan_tci') !== 0n) filled |= VLAN_TCI;
  if (bits & TP_SRC && f.val('tp_src') !== 0n) filled |= TP_SRC;
  if (bits & TP_DST && f.val('tp_dst') !== 0n) filled |= TP_DST;
  if (bits & CT_STATE && f.mask('ct_state') !== 0n) filled |= CT_STATE;
  if (bits & IN_PORT && f.mask('in_port') !== 0n) filled |= IN_PORT;
  return filled;
}

/**
 * checkPrerequisitesInto for emitOf13's output without reading it back, where that can be judged
 * on `f` alone: every entry restores its slot of `f` as it is (`copied` has no null), and every
 * slot a prerequisite reads is, where it is filled, restored before the entry that needs it. Then
 * true means the entries read back in order meet every prerequisite and hold every value, and
 * the match read back is `f` on the copied slots and empty elsewhere. False when any of that does
 * not hold or cannot be told so: checkPrerequisitesInto says what, if anything, is wrong.
 */
export function copiesMeetPrerequisites(f: FlowMatch, match: Match, copied: readonly (string | null)[]): boolean {
  let restored = 0;
  for (let i = 0; i < match.length; i++) {
    const slot = copied[i];
    if (slot === null || slot === undefined) return false;
    const p = fieldByName(match[i]!.field)?.prereq;
    if (p !== undefined) {
      const unread = READS[p] & ~restored;
      if ((unread !== 0 && filledReadSlots(f, unread) !== 0) || !prereqMet(f, p)) return false;
    }
    restored |= READ_SLOTS.get(slot) ?? 0;
  }
  return true;
}
