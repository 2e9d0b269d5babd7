/** OFPT_GET_ASYNC_REQUEST / _REPLY and OFPT_SET_ASYNC (struct ofp13_async_config). */
import { registerMessage } from '../codec.js';
import type { AsyncConfig, GetAsyncReply, GetAsyncRequest, SetAsync } from '../message.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { put32 } from './put-lenient.js';

const MASKS = ['packetInMask', 'portStatusMask', 'flowRemovedMask'] as const;

registerMessage<GetAsyncRequest>({
  type: 'get_async_request',
  name: 'OFPT_GET_ASYNC_REQUEST',
  reply: 'get_async_reply',
  ofpType: 26,
  encode: () => {},
  decode: (_r, h) => ({ type: 'get_async_request', xid: h.xid }),
});

function writeAsync(w: Writer, m: AsyncConfig, path: string): void {
  for (const k of MASKS) {
    const pair = m[k];
    put32(w, pair?.[0], path, `${k}[0]`);
    put32(w, pair?.[1], path, `${k}[1]`);
  }
}

function readAsync(r: Reader, s: string): AsyncConfig {
  return {
    packetInMask: [r.u32(s), r.u32(s)],
    portStatusMask: [r.u32(s), r.u32(s)],
    flowRemovedMask: [r.u32(s), r.u32(s)],
  };
}

for (const [type, ofpType, name, reply] of [
  ['get_async_reply', 27, 'OFPT_GET_ASYNC_REPLY', undefined],
  ['set_async', 28, 'OFPT_SET_ASYNC', undefined],
] as const) {
  registerMessage<GetAsyncReply | SetAsync>({
    type,
    ofpType,
    name,
    reply,
    encode: (w, m, path) => writeAsync(w, m, path),
    decode: (r, h, s) => ({ type, xid: h.xid, ...readAsync(r, s) }),
  });
}
