/**
 * NXAST_ENCAP and NXAST_DECAP. Encap carries ofp_ed_prop properties (u16 class, u8 type, u8 length
 * counting the 4-byte header, then zero padding to 8 bytes); the two NSH ones are typed when in the
 * form Open vSwitch writes, anything else is kept verbatim.
 */
import { EncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { MAX_ACTION_LEN, nxCodec as nx, registerAction } from './codec.js';
import { checkArray, put16, put32, put8, putBuffer, putZeros } from './put-strict.js';
import type { EncapProperty } from './types.js';
import { OFPPPC_NSH, OFPPPT_PROP_NSH_MDTYPE, OFPPPT_PROP_NSH_TLV } from '../constants/openflow13.js';

const PROP = 'ofp_ed_prop';
const PROP_PAD = 'ofp_ed_prop.pad';

function isZero(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}

function readProperty(r: Reader): EncapProperty {
  const start = r.pos;
  const propClass = r.u16(PROP);
  const propType = r.u8(PROP);
  const len = r.u8(PROP);
  if (len < 4) r.fail(`property length ${len} is shorter than its 4-byte header`, PROP, start);
  const padded = (len + 7) & ~7;
  if (padded - 4 > r.remaining) r.fail(`property length ${len} runs past the end of the action`, PROP, start);
  const body = r.view(len - 4, PROP);
  r.pad(padded - len, PROP_PAD);
  if (propClass === OFPPPC_NSH && propType === OFPPPT_PROP_NSH_MDTYPE && len === 5) {
    return { type: 'nsh_md_type', mdType: body[0]! };
  }
  if (propClass === OFPPPC_NSH && propType === OFPPPT_PROP_NSH_TLV && len >= 8) {
    const tlvLen = body[3]!;
    if (len === 8 + ((tlvLen + 7) & ~7) && isZero(body, 4 + tlvLen, body.length)) {
      return {
        type: 'nsh_tlv',
        tlvClass: (body[0]! << 8) | body[1]!,
        tlvType: body[2]!,
        value: Buffer.from(body.subarray(4, 4 + tlvLen)),
      };
    }
  }
  return { type: 'unknown', propClass, propType, data: Buffer.from(body) };
}

function writeProperty(w: Writer, p: EncapProperty, path: string): void {
  if (p === null || typeof p !== 'object') throw new EncodeError('a property must be an object', path);
  const start = w.pos;
  switch (p.type) {
    case 'nsh_md_type':
      w.u16(OFPPPC_NSH);
      w.u8(OFPPPT_PROP_NSH_MDTYPE);
      w.u8(5);
      put8(w, p.mdType, path, 'mdType');
      break;
    case 'nsh_tlv': {
      if (!Buffer.isBuffer(p.value) || p.value.length > 127) {
        throw new EncodeError('value must be a Buffer of at most 127 bytes', `${path}.value`);
      }
      w.u16(OFPPPC_NSH);
      w.u8(OFPPPT_PROP_NSH_TLV);
      w.u8(8 + ((p.value.length + 7) & ~7));
      put16(w, p.tlvClass, path, 'tlvClass');
      put8(w, p.tlvType, path, 'tlvType');
      w.u8(p.value.length);
      w.bytes(p.value);
      break;
    }
    case 'unknown':
      if (!Buffer.isBuffer(p.data) || p.data.length > 251) {
        throw new EncodeError('data must be a Buffer of at most 251 bytes', `${path}.data`);
      }
      put16(w, p.propClass, path, 'propClass');
      put8(w, p.propType, path, 'propType');
      w.u8(4 + p.data.length);
      putBuffer(w, p.data, path, 'data');
      break;
    default:
      throw new EncodeError(`unknown property type "${String((p as { type: unknown }).type)}"`, `${path}.type`);
  }
  w.padFrom(start, 8);
}

const encap = nx(
  'encap',
  46,
  'nx_action_encap',
  16,
  (w, a, path) => {
    put16(w, a.hdrSize, path, 'hdrSize');
    put32(w, a.packetType, path, 'packetType');
    const props = checkArray(a.properties, path, 'properties');
    for (let i = 0; i < props.length; i++) writeProperty(w, props[i]!, `${path}.properties[${i}]`);
  },
  (r, s) => {
    const hdrSize = r.u16(s);
    const packetType = r.u32(s);
    const properties: EncapProperty[] = [];
    while (r.remaining > 0) properties.push(readProperty(r));
    return { type: 'encap', hdrSize, packetType, properties };
  },
  MAX_ACTION_LEN,
);

const decap = nx(
  'decap',
  47,
  'nx_action_decap',
  16,
  (w, a, path) => {
    putZeros(w, 2);
    put32(w, a.packetType, path, 'packetType');
  },
  (r, s) => {
    r.pad(2, s);
    return { type: 'decap', packetType: r.u32(s) };
  },
);

registerAction(encap);
registerAction(decap);
