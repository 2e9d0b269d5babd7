/** ONFT_REQUESTFORWARD (OpenFlow 1.3 extension 2350): another controller's GROUP_MOD or METER_MOD. */
import { readMessage, registerMessage, writeMessage } from '../codec.js';
import type { RequestForward } from '../message.js';
import { ONF_VENDOR_ID } from '../constants/onf.js';

registerMessage<RequestForward>({
  type: 'requestforward',
  name: 'ONFT_REQUESTFORWARD',
  ofpType: 4,
  experimenter: ONF_VENDOR_ID,
  expType: 2350,
  encode: (w, m, path) => writeMessage(w, m.message, `${path}.message`),
  decode: (r, h, s) => ({ type: 'requestforward', xid: h.xid, message: readMessage(r, `${s}.message`) }),
});
