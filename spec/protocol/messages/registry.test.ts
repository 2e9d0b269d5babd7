/** The codec registry carries each message's ovs-ofctl name and, for requests, the type of its reply. */
import t from 'tap';
import { OFPT_EXPERIMENTER, OFPT_METER_MOD, OFPT_MULTIPART_REPLY, OFPT_MULTIPART_REQUEST } from '../../../protocol/constants/openflow13.js';
import { codecByOfpType, messageCodec, replyType } from '../../../protocol/message-registry.js';
import type { MessageType } from '../../../protocol/message.js';
import { multipartCodec, multipartCodecByMpType } from '../../../protocol/messages/multipart.js';
import { decodeMessage, encodeMessage } from '../../../protocol/index.js';

t.test('every OpenFlow 1.3 message number has a codec named OFPT_*', async (t) => {
  for (let n = 0; n <= OFPT_METER_MOD; n++) {
    if (n === OFPT_EXPERIMENTER || n === 18 || n === 19) continue;
    const c = codecByOfpType(n);
    t.ok(c?.name?.startsWith('OFPT_'), `${n}: ${c?.name}`);
  }
  t.equal(codecByOfpType(OFPT_MULTIPART_REQUEST)?.name, 'OFPT_MULTIPART_REQUEST');
  t.equal(codecByOfpType(OFPT_MULTIPART_REPLY)?.name, 'OFPT_MULTIPART_REPLY');
  t.equal(codecByOfpType(OFPT_EXPERIMENTER)?.name, undefined, 'a raw experimenter message has no name of its own');
  t.equal(messageCodec('bundle_add')?.name, 'ONFT_BUNDLE_ADD_MESSAGE');
  t.equal(messageCodec('nx_packet_in2')?.name, 'NXT_PACKET_IN2');
});

t.test('requests name the message type that answers them', async (t) => {
  const expected: Partial<Record<MessageType, MessageType>> = {
    echo_request: 'echo_reply',
    features_request: 'features_reply',
    get_config_request: 'get_config_reply',
    barrier_request: 'barrier_reply',
    role_request: 'role_reply',
    get_async_request: 'get_async_reply',
    queue_get_config_request: 'queue_get_config_reply',
    bundle_control: 'bundle_control',
    multipart_request: 'multipart_reply',
  };
  for (const [req, rep] of Object.entries(expected)) t.equal(replyType(req as MessageType), rep, req);
  t.equal(replyType('flow_mod'), undefined, 'a flow_mod is confirmed by a barrier');
  t.equal(replyType('echo_reply'), undefined);
});

t.test('multipart bodies are named by kind and by number', async (t) => {
  t.equal(multipartCodec('port_stats')?.name, 'OFPST_PORT');
  t.equal(multipartCodec('flow_monitor')?.name, 'ONFST_FLOW_MONITOR');
  t.equal(multipartCodec('nothing'), undefined);
  for (let n = 0; n <= 13; n++) t.ok(multipartCodecByMpType(n)?.name.startsWith('OFPST_'), `OFPMP ${n}`);
  t.equal(multipartCodecByMpType(0xffff), undefined, 'experimenter bodies are found by experimenter id');
  const m = decodeMessage(encodeMessage({ type: 'multipart_request', xid: 1, flags: 0, body: { kind: 'desc' } }));
  t.equal(m.type === 'multipart_request' && multipartCodec(m.body.kind)?.name, 'OFPST_DESC');
});
