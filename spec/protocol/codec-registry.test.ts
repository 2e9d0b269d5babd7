/**
 * The codec knows every message whichever module is loaded first: this file loads codec.ts alone
 * (no protocol/index.ts) and decodes every recorded message, from ovs-ofctl and from a live switch.
 */
import t from 'tap';
import { decodeMessage, encodeMessage } from '../../protocol/codec.js';
import { messageVectors } from '../helpers/vectors.js';

const vectors = messageVectors() as { name: string; hex: string; message: { type: string } }[];

t.test('codec.ts loaded alone decodes and re-encodes every recorded message', async (t) => {
  const types = new Set<string>();
  for (const v of vectors) {
    const bytes = Buffer.from(v.hex, 'hex');
    const m = decodeMessage(bytes);
    t.equal(m.type, v.message.type, v.name);
    t.equal(encodeMessage(m).toString('hex'), v.hex, `${v.name}: same bytes`);
    types.add(m.type);
  }
  t.ok(types.size > 30, `${types.size} message types`);
});
