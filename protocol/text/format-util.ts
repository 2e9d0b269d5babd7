/** Small printing helpers shared by the ovs-ofctl text printers (C printf conventions, ports, ids). */
import { OFPG_ALL, OFPG_ANY, OFPP16_MAX } from '../constants/openflow13.js';

/** C's `%#x`: `0x` and lowercase hex digits, except that zero prints as `0`. */
export function hexAlt(v: number | bigint): string {
  return v === 0 || v === 0n ? '0' : `0x${v.toString(16)}`;
}

/** `0x` and lowercase hex digits, zero-padded to `width` digits (C's `0x%0Nx`). */
export function hexPad(v: number | bigint, width = 0): string {
  return `0x${v.toString(16).padStart(width, '0')}`;
}

/** Bytes as `0x` and hex with leading zero bytes skipped, `0` when all are zero (OVS's ds_put_hex). */
export function hexBytes(b: Uint8Array): string {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return '0';
  let s = `0x${b[i]!.toString(16)}`;
  for (i++; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
}

/** An unsigned integer of `bytes` bytes as ds_put_hex prints it. */
export function hexOfWidth(v: bigint, bytes: number): string {
  const b = new Uint8Array(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return hexBytes(b);
}

/** Bytes as two hex digits each, separated by dots (OVS's format_hex_arg). */
export function hexDotted(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('.');
}

// ---- ports, tables, groups ----------------------------------------------------------------------

/** OpenFlow 1.0 port numbers of the reserved ports, as Open vSwitch names them. */
const RESERVED_PORTS: ReadonlyMap<number, string> = new Map([
  [0xfff7, 'UNSET'],
  [0xfff8, 'IN_PORT'],
  [0xfff9, 'TABLE'],
  [0xfffa, 'NORMAL'],
  [0xfffb, 'FLOOD'],
  [0xfffc, 'ALL'],
  [0xfffd, 'CONTROLLER'],
  [0xfffe, 'LOCAL'],
  [0xffff, 'ANY'],
]);

/**
 * The 16-bit port Open vSwitch keeps for an OpenFlow 1.1+ 32-bit port: numbers below 0xff00 stay,
 * 0xffffff00 and up move down to 0xff00 and up. Other numbers have no 16-bit form (null).
 */
export function port16(port32: number): number | null {
  if (port32 < OFPP16_MAX) return port32;
  if (port32 >= 0xffffff00) return port32 - 0xffff0000;
  return null;
}

/** A 16-bit port as ovs-ofctl prints it: a reserved name or a decimal number. */
export function formatPort16(port: number): string {
  return RESERVED_PORTS.get(port) ?? String(port);
}

/** An OpenFlow 1.3 (32-bit) port as ovs-ofctl prints it. */
export function formatPort(port32: number): string {
  const p = port16(port32 >>> 0);
  return p === null ? String(port32 >>> 0) : formatPort16(p);
}

export function formatGroupId(id: number): string {
  if (id === OFPG_ALL) return 'ALL';
  if (id === OFPG_ANY) return 'ANY';
  return String(id >>> 0);
}

export function formatTable(id: number): string {
  return String(id);
}

/** `12.345s` as ofp_print_duration writes a seconds/nanoseconds pair. */
export function formatDuration(sec: number, nsec: number): string {
  let s = String(sec >>> 0);
  if (nsec > 0) {
    const msec = Math.floor(nsec / 1_000_000);
    if (msec * 1_000_000 === nsec) s += `.${String(msec).padStart(3, '0')}`;
    else s += `.${String(nsec).padStart(9, '0').replace(/0+$/, '')}`;
  }
  return `${s}s`;
}

/** OFPR_* packet-in reasons as Open vSwitch names them (6 and 7 are its internal miss kinds). */
export function packetInReason(reason: number): string {
  switch (reason) {
    case 0:
      return 'no_match';
    case 1:
      return 'action';
    case 2:
      return 'invalid_ttl';
    case 3:
      return 'action_set';
    case 4:
      return 'group';
    case 5:
      return 'packet_out';
    case 6:
    case 7:
      return '';
    default:
      return String(reason);
  }
}

/** Flow-mod flags as ovs-ofctl prints them, each followed by a space. */
export function flowModFlagsText(flags: number): string {
  let s = '';
  if (flags & 1) s += 'send_flow_rem ';
  if (flags & 2) s += 'check_overlap ';
  if (flags & 4) s += 'reset_counts ';
  if (flags & 8) s += 'no_packet_counts ';
  if (flags & 16) s += 'no_byte_counts ';
  return s;
}

/** OFPRR_* flow-removed reasons as Open vSwitch names them. */
export function flowRemovedReason(reason: number): string {
  return ['idle', 'hard', 'delete', 'group_delete', 'meter_delete', 'eviction'][reason] ?? String(reason);
}

/** A queue id, `ALL` for OFPQ_ALL. */
export function queueName(q: number): string {
  return q >>> 0 === 0xffffffff ? 'ALL' : String(q >>> 0);
}

/**
 * Names the set bits of `bits` lowest first, separated by `sep`; bits without a name are
 * printed together as one hex number at the end; no bits at all print as `0`
 * (ofp_print_bit_names).
 */
export function bitNames(bits: number, name: (bit: number) => string | undefined, sep: string): string {
  if (!bits) return '0';
  const out: string[] = [];
  let rest = bits >>> 0;
  for (let i = 0; i < 32; i++) {
    const bit = (1 << i) >>> 0;
    if (rest & bit) {
      const n = name(bit);
      if (n !== undefined) {
        out.push(n);
        rest = (rest & ~bit) >>> 0;
      }
    }
  }
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out.join(sep);
}

/**
 * Bits named lowest first, each followed by `sep`, unnamed bits as one hex number, the last
 * separator dropped; zero prints `0` (OVS's format_flags).
 */
export function flagNames(flags: number, name: (bit: number) => string | undefined, sep: string): string {
  if (!flags) return '0';
  let s = '';
  let bad = 0;
  for (let rest = flags >>> 0; rest;) {
    const bit = (rest & -rest) >>> 0;
    const n = name(bit);
    if (n !== undefined) s += n + sep;
    else bad |= bit;
    rest = (rest & ~bit) >>> 0;
  }
  if (bad) s += `0x${(bad >>> 0).toString(16)}${sep}`;
  return s.endsWith(sep) ? s.slice(0, -sep.length) : s;
}

/**
 * `+name-name…` for the bits of `mask` (lowest first), or the plain flags when the mask is the
 * whole field, or `0/0` for an empty mask (OVS's format_flags_masked, without the `name=`).
 */
export function flagsMasked(flags: number, mask: number, maxMask: number, name: (bit: number) => string | undefined): string {
  if (mask === maxMask) return flagNames(flags, name, '|');
  if (!mask) return '0/0';
  let s = '';
  for (let rest = mask >>> 0; rest;) {
    const bit = (rest & -rest) >>> 0;
    s += `${flags & bit ? '+' : '-'}${name(bit) ?? '[Unknown]'}`;
    rest = (rest & ~bit) >>> 0;
  }
  return s;
}

/** Text trimmed at its first NUL (fixed-size C strings on the wire). */
export function cString(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/** OVS's ds_put_hex_dump: 16 bytes a line, `-` after the 8th, offsets, optionally the ASCII. */
export function hexDump(b: Uint8Array, ascii: boolean): string {
  let s = '';
  for (let ofs = 0; ofs < b.length; ofs += 16) {
    const n = Math.min(16, b.length - ofs);
    let line = `${ofs.toString(16).padStart(8, '0')}  `;
    for (let i = 0; i < n; i++) line += `${b[ofs + i]!.toString(16).padStart(2, '0')}${i === 7 ? '-' : ' '}`;
    if (ascii) {
      line += '   '.repeat(16 - n);
      line += '|';
      for (let i = 0; i < n; i++) {
        const c = b[ofs + i]!;
        line += c >= 32 && c < 127 ? String.fromCharCode(c) : '.';
      }
      line += ' '.repeat(16 - n);
      line += '|';
    } else if (line.endsWith(' ')) {
      line = line.slice(0, -1);
    }
    s += `${line}\n`;
  }
  return s;
}

/**
 * Raised by a printer when Open vSwitch would refuse to decode what ofwire accepted; the message
 * printer turns it into `***decode error: NAME***` after whatever `partial` text came first.
 */
export class OvsDecodeError extends Error {
  constructor(
    readonly errorName: string,
    readonly partial = '',
  ) {
    super(`Open vSwitch would not decode this: ${errorName}`);
  }
}
