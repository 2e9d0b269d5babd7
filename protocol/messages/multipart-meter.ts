/** OFPMP_METER, OFPMP_METER_CONFIG and OFPMP_METER_FEATURES. */
import { readBands, writeBands } from './meter-bands.js';
import { emptyBody, readFixed, readRecords, registerMultipart } from './multipart.js';
import { put16, put32, put64, put8 } from './put-lenient.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

function writeMeterRequest(w: Writer, b: { meterId: number }, path: string): void {
  put32(w, b.meterId, path, 'meterId');
  w.zeros(4);
}

function readMeterId(r: Reader, s: string): number {
  const meterId = r.u32(s);
  r.pad(4, s);
  return meterId;
}

registerMultipart({
  kind: 'meter',
  name: 'OFPST_METER',
  mpType: 9,
  encodeRequest: writeMeterRequest,
  decodeRequest: (r, s) => ({ kind: 'meter', meterId: readMeterId(r, s) }),
  encodeReply: (w, b, path) => {
    b.meters.forEach((m, i) => {
      const p = `${path}.meters[${i}]`;
      const start = w.pos;
      put32(w, m.meterId, p, 'meterId');
      w.u16(0);
      w.zeros(6);
      put32(w, m.flowCount, p, 'flowCount');
      put64(w, m.packetInCount, p, 'packetInCount');
      put64(w, m.byteInCount, p, 'byteInCount');
      put32(w, m.durationSec, p, 'durationSec');
      put32(w, m.durationNsec, p, 'durationNsec');
      m.bands.forEach((b, j) => {
        put64(w, b.packetBandCount, `${p}.bands[${j}]`, 'packetBandCount');
        put64(w, b.byteBandCount, `${p}.bands[${j}]`, 'byteBandCount');
      });
      w.fillLength16(start, start + 4, p);
    });
  },
  decodeReply: (r, s) => ({
    kind: 'meter',
    meters: readRecords(r, `${s}.meters`, 40, 4, (m, s) => {
      const meterId = m.u32(s);
      m.skip(2, s);
      m.pad(6, s);
      const flowCount = m.u32(s);
      const packetInCount = m.u64(s);
      const byteInCount = m.u64(s);
      const durationSec = m.u32(s);
      const durationNsec = m.u32(s);
      const bands = readFixed(m, `${s}.band_stats`, 16, (b, s) => ({ packetBandCount: b.u64(s), byteBandCount: b.u64(s) }));
      return { meterId, flowCount, packetInCount, byteInCount, durationSec, durationNsec, bands };
    }),
  }),
});

registerMultipart({
  kind: 'meter_config',
  name: 'OFPST_METER_CONFIG',
  mpType: 10,
  encodeRequest: writeMeterRequest,
  decodeRequest: (r, s) => ({ kind: 'meter_config', meterId: readMeterId(r, s) }),
  encodeReply: (w, b, path) => {
    b.meters.forEach((m, i) => {
      const p = `${path}.meters[${i}]`;
      const start = w.pos;
      w.u16(0);
      put16(w, m.flags, p, 'flags');
      put32(w, m.meterId, p, 'meterId');
      writeBands(w, m.bands, `${p}.bands`);
      w.fillLength16(start, start, p);
    });
  },
  decodeReply: (r, s) => ({
    kind: 'meter_config',
    meters: readRecords(r, `${s}.meters`, 8, 0, (m, s) => {
      m.skip(2, s);
      const flags = m.u16(s);
      const meterId = m.u32(s);
      return { flags, meterId, bands: readBands(m, `${s}.bands`) };
    }),
  }),
});

const meterFeatures = emptyBody('meter_features');
registerMultipart({
  kind: 'meter_features',
  name: 'OFPST_METER_FEATURES',
  mpType: 11,
  encodeRequest: meterFeatures.encode,
  decodeRequest: meterFeatures.decode,
  encodeReply: (w, b, path) => {
    put32(w, b.maxMeter, path, 'maxMeter');
    put32(w, b.bandTypes, path, 'bandTypes');
    put32(w, b.capabilities, path, 'capabilities');
    put8(w, b.maxBands, path, 'maxBands');
    put8(w, b.maxColor, path, 'maxColor');
    w.zeros(2);
  },
  decodeReply: (r, s) => {
    const maxMeter = r.u32(s);
    const bandTypes = r.u32(s);
    const capabilities = r.u32(s);
    const maxBands = r.u8(s);
    const maxColor = r.u8(s);
    r.pad(2, s);
    return { kind: 'meter_features', maxMeter, bandTypes, capabilities, maxBands, maxColor };
  },
});
