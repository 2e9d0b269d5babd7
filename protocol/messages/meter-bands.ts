/** Meter bands (struct ofp13_meter_band_*), shared by METER_MOD and the METER_CONFIG reply. */
import { EncodeError } from '../errors.js';
import type { MeterBand } from '../message.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { put32, put8, putBytes } from './put-lenient.js';
import { OFPMBT_DROP, OFPMBT_DSCP_REMARK, OFPMBT_EXPERIMENTER } from '../constants/openflow13.js';

export function writeBands(w: Writer, bands: readonly MeterBand[], path: string): void {
  bands.forEach((b, i) => {
    const p = `${path}[${i}]`;
    const start = w.pos;
    const type =
      b.type === 'drop'
        ? OFPMBT_DROP
        : b.type === 'dscp_remark'
          ? OFPMBT_DSCP_REMARK
          : b.type === 'experimenter'
            ? OFPMBT_EXPERIMENTER
            : -1;
    if (type < 0) throw new EncodeError(`unknown meter band type "${(b as { type: string }).type}"`, p);
    w.u16(type);
    w.u16(0);
    put32(w, b.rate, p, 'rate');
    put32(w, b.burstSize, p, 'burstSize');
    if (b.type === 'drop') w.zeros(4);
    else if (b.type === 'dscp_remark') {
      put8(w, b.precLevel, p, 'precLevel');
      w.zeros(3);
    } else if (b.type === 'experimenter') {
      put32(w, b.experimenter, p, 'experimenter');
      putBytes(w, b.data, p, 'data');
    }
    w.fillLength16(start, start + 2, p);
  });
}

export function readBands(r: Reader, s: string): MeterBand[] {
  const out: MeterBand[] = [];
  while (r.remaining > 0) {
    const start = r.pos;
    const type = r.u16(s);
    const len = r.u16(s);
    if (len < 16) r.fail(`meter band length ${len} is shorter than 16`, s, start);
    r.pos = start;
    const b = r.sub(len, s);
    b.skip(4, s);
    const rate = b.u32(s);
    const burstSize = b.u32(s);
    if (type === OFPMBT_DROP || type === OFPMBT_DSCP_REMARK) {
      if (len !== 16) r.fail(`meter band length ${len}, expected 16`, s, start);
      if (type === OFPMBT_DROP) {
        b.pad(4, s);
        out.push({ type: 'drop', rate, burstSize });
      } else {
        const precLevel = b.u8(s);
        b.pad(3, s);
        out.push({ type: 'dscp_remark', rate, burstSize, precLevel });
      }
    } else if (type === OFPMBT_EXPERIMENTER) {
      const experimenter = b.u32(s);
      out.push({ type: 'experimenter', rate, burstSize, experimenter, data: b.bytes(b.remaining, s) });
    } else {
      r.fail(`unknown meter band type ${type}`, s, start);
    }
  }
  return out;
}
