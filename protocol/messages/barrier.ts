/** OFPT_BARRIER_REQUEST / OFPT_BARRIER_REPLY. */
import { registerMessage } from '../codec.js';
import type { BarrierReply, BarrierRequest } from '../message.js';

registerMessage<BarrierRequest>({
  type: 'barrier_request',
  name: 'OFPT_BARRIER_REQUEST',
  reply: 'barrier_reply',
  ofpType: 20,
  encode: () => {},
  decode: (_r, h) => ({ type: 'barrier_request', xid: h.xid }),
});

registerMessage<BarrierReply>({
  type: 'barrier_reply',
  name: 'OFPT_BARRIER_REPLY',
  ofpType: 21,
  encode: () => {},
  decode: (_r, h) => ({ type: 'barrier_reply', xid: h.xid }),
});
