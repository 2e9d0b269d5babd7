/**
 * A reference point, not a codec: FLOW_MOD written from the same typed object by a writer that
 * knows only this message's shape (the five OXMs, apply_actions, group) and checks nothing.
 * It bounds what any encoder of the typed object can reach in this runtime on this machine.
 */
import { parseIpv4 } from '../../protocol/fields/values.js';
import type { FlowMod } from '../../protocol/index.js';

/** Header (class << 16 | field << 9) and value width of the OXMs the workload uses. */
const OXM: Record<string, { header: number; bytes: number }> = {
  eth_type: { header: 0x80000a00, bytes: 2 },
  ipv4_dst: { header: 0x80001800, bytes: 4 },
  ip_proto: { header: 0x80001400, bytes: 1 },
  tcp_dst: { header: 0x80001c00, bytes: 2 },
  ct_state: { header: 0x0001d200, bytes: 4 },
};

function put(b: Buffer, p: number, v: number, bytes: number): number {
  for (let i = bytes - 1; i >= 0; i--) {
    b[p + i] = v & 0xff;
    v >>>= 8;
  }
  return p + bytes;
}

const scratch = Buffer.alloc(1024);

export function writeFlowModPlain(m: FlowMod): Buffer {
  const b = scratch;
  b[0] = 4;
  b[1] = 14;
  put(b, 4, m.xid, 4);
  b.writeBigUInt64BE(m.cookie, 8);
  b.writeBigUInt64BE(m.cookieMask, 16);
  b[24] = m.tableId;
  b[25] = m.command;
  put(b, 26, m.idleTimeout, 2);
  put(b, 28, m.hardTimeout, 2);
  put(b, 30, m.priority, 2);
  put(b, 32, m.bufferId, 4);
  put(b, 36, m.outPort, 4);
  put(b, 40, m.outGroup, 4);
  put(b, 44, m.flags, 2);
  put(b, 46, 0, 2);
  let p = 52;
  for (const f of m.match) {
    const o = OXM[f.field]!;
    const masked = f.mask !== undefined;
    p = put(b, p, o.header | (masked ? 0x100 : 0) | (masked ? 2 * o.bytes : o.bytes), 4);
    const v = typeof f.value === 'string' ? parseIpv4(f.value) : (f.value as number);
    p = put(b, p, v, o.bytes);
    if (masked) p = put(b, p, f.mask as number, o.bytes);
  }
  put(b, 48, 1, 2);
  put(b, 50, p - 48, 2);
  const padded = 48 + ((p - 48 + 7) & ~7);
  b.fill(0, p, padded);
  p = padded;
  for (const ins of m.instructions) {
    if (ins.type !== 'apply_actions') throw new Error('reference writer: apply_actions only');
    const start = p;
    put(b, p, 4, 2);
    put(b, p + 4, 0, 4);
    p += 8;
    for (const a of ins.actions) {
      if (a.type !== 'group') throw new Error('reference writer: group only');
      put(b, p, 22, 2);
      put(b, p + 2, 8, 2);
      put(b, p + 4, a.groupId, 4);
      p += 8;
    }
    put(b, start + 2, p - start, 2);
  }
  put(b, 2, p, 2);
  return Buffer.from(b.subarray(0, p));
}
