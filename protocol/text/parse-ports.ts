/**
 * Ports, tables and groups as ovs-ofctl reads them in flows and actions. Ports are kept as Open
 * vSwitch keeps them, 16-bit OpenFlow 1.0 numbers (reserved ports 0xfff8–0xffff), and widened to
 * OpenFlow 1.1+ numbers where a message carries 32 bits.
 */
import { PORT_NAMES } from '../fields/text.js';
import { parseDecimalU32 } from './parse-numbers.js';
import { OFPP16_MAX, OFPP16_NONE } from '../constants/openflow13.js';
import { nameTable } from './parse-util.js';

/** OpenFlow 1.0 numbers of the reserved ports ovs-ofctl names. */
export const OFPP = { MAX: OFPP16_MAX, ...PORT_NAMES, NONE: OFPP16_NONE } as const;

const NAMED: Readonly<Record<string, number>> = nameTable({
  IN_PORT: OFPP.IN_PORT,
  TABLE: OFPP.TABLE,
  NORMAL: OFPP.NORMAL,
  FLOOD: OFPP.FLOOD,
  ALL: OFPP.ALL,
  CONTROLLER: OFPP.CONTROLLER,
  LOCAL: OFPP.LOCAL,
  ANY: OFPP.ANY,
  UNSET: OFPP.UNSET,
  NONE: OFPP.NONE,
});

/**
 * ofputil_port_from_string(): a decimal port number (0–65535, or 0xffffff00–0xffffffff in
 * OpenFlow 1.1+ numbering) or a reserved port name in any case. Returns the 16-bit port or null.
 */
export function portFromString(s: string, names?: ReadonlyMap<string, number>): number | null {
  if (s.startsWith('-')) return null;
  const n = parseDecimalU32(s);
  if (n !== null) {
    if (n <= 0xffff) return n;
    if (n < 0xffffff00) return null;
    return n - 0xffff0000;
  }
  const named = NAMED[s.toUpperCase()];
  if (named !== undefined) return named;
  if (names) {
    const unquoted = s.length > 1 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
    const p = names.get(unquoted);
    if (p !== undefined) return p >= 0xffffff00 ? p - 0xffff0000 : p;
  }
  return null;
}

/** The OpenFlow 1.1+ number of a 16-bit port. */
export function port32(p16: number): number {
  return p16 < OFPP.MAX ? p16 : (p16 + 0xffff0000) >>> 0;
}

/** ofputil_table_from_string(): a decimal table number 0–255. */
export function tableFromString(s: string): number | null {
  if (s.startsWith('-')) return null;
  const n = parseDecimalU32(s);
  return n !== null && n <= 255 ? n : null;
}

export const OFPG = { MAX: 0xffffff00, ALL: 0xfffffffc, ANY: 0xffffffff } as const;

/** ofputil_group_from_string(): a decimal group id or ANY/ALL. */
export function groupFromString(s: string): number | null {
  const l = s.toLowerCase();
  if (l === 'any') return OFPG.ANY;
  if (l === 'all') return OFPG.ALL;
  return parseDecimalU32(s);
}
