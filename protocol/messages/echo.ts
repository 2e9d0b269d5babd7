/** OFPT_ECHO_REQUEST / OFPT_ECHO_REPLY. */
import { registerMessage } from '../codec.js';
import type { EchoReply, EchoRequest } from '../message.js';
import { putBytes } from './put-lenient.js';

registerMessage<EchoRequest>({
  type: 'echo_request',
  name: 'OFPT_ECHO_REQUEST',
  reply: 'echo_reply',
  ofpType: 2,
  encode: (w, m, path) => putBytes(w, m.data, path, 'data'),
  decode: (r, h, s) => ({ type: 'echo_request', xid: h.xid, data: r.bytes(r.remaining, s) }),
});

registerMessage<EchoReply>({
  type: 'echo_reply',
  name: 'OFPT_ECHO_REPLY',
  ofpType: 3,
  encode: (w, m, path) => putBytes(w, m.data, path, 'data'),
  decode: (r, h, s) => ({ type: 'echo_reply', xid: h.xid, data: r.bytes(r.remaining, s) }),
});
