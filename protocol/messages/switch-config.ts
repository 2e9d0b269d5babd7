/** OFPT_GET_CONFIG_REQUEST / OFPT_GET_CONFIG_REPLY / OFPT_SET_CONFIG. */
import { registerMessage } from '../codec.js';
import type { GetConfigReply, GetConfigRequest, SetConfig } from '../message.js';
import { put16 } from './put-lenient.js';

registerMessage<GetConfigRequest>({
  type: 'get_config_request',
  name: 'OFPT_GET_CONFIG_REQUEST',
  reply: 'get_config_reply',
  ofpType: 7,
  encode: () => {},
  decode: (_r, h) => ({ type: 'get_config_request', xid: h.xid }),
});

for (const [type, ofpType, name, reply] of [
  ['get_config_reply', 8, 'OFPT_GET_CONFIG_REPLY', undefined],
  ['set_config', 9, 'OFPT_SET_CONFIG', undefined],
] as const) {
  registerMessage<GetConfigReply | SetConfig>({
    type,
    ofpType,
    name,
    reply,
    encode: (w, m, path) => {
      put16(w, m.flags, path, 'flags');
      put16(w, m.missSendLen, path, 'missSendLen');
    },
    decode: (r, h, s) => {
      const flags = r.u16(s);
      return { type, xid: h.xid, flags, missSendLen: r.u16(s) };
    },
  });
}
