/** OFPT_QUEUE_GET_CONFIG_REQUEST / _REPLY (struct ofp11_queue_get_config_*, ofp12_packet_queue). */
import { registerMessage } from '../codec.js';
import { EncodeError } from '../errors.js';
import type { PacketQueue, QueueGetConfigReply, QueueGetConfigRequest, QueueProperty } from '../message.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { put16, put32, putBytes } from './put-lenient.js';
import { OFPQT_EXPERIMENTER, OFPQT_MAX_RATE, OFPQT_MIN_RATE } from '../constants/openflow13.js';

registerMessage<QueueGetConfigRequest>({
  type: 'queue_get_config_request',
  name: 'OFPT_QUEUE_GET_CONFIG_REQUEST',
  reply: 'queue_get_config_reply',
  ofpType: 22,
  encode: (w, m, path) => {
    put32(w, m.port, path, 'port');
    w.zeros(4);
  },
  decode: (r, h, s) => {
    const port = r.u32(s);
    r.pad(4, s);
    return { type: 'queue_get_config_request', xid: h.xid, port };
  },
});

registerMessage<QueueGetConfigReply>({
  type: 'queue_get_config_reply',
  name: 'OFPT_QUEUE_GET_CONFIG_REPLY',
  ofpType: 23,
  encode: (w, m, path) => {
    put32(w, m.port, path, 'port');
    w.zeros(4);
    m.queues.forEach((q, i) => writeQueue(w, q, `${path}.queues[${i}]`));
  },
  decode: (r, h, s) => {
    const port = r.u32(s);
    r.pad(4, s);
    const queues: PacketQueue[] = [];
    while (r.remaining > 0) queues.push(readQueue(r, `${s}.queues`));
    return { type: 'queue_get_config_reply', xid: h.xid, port, queues };
  },
});

function writeQueue(w: Writer, q: PacketQueue, path: string): void {
  const start = w.pos;
  put32(w, q.queueId, path, 'queueId');
  put32(w, q.port, path, 'port');
  w.u16(0);
  w.zeros(6);
  q.properties.forEach((p, i) => writeQueueProperty(w, p, `${path}.properties[${i}]`));
  w.fillLength16(start, start + 8, path);
}

function readQueue(r: Reader, s: string): PacketQueue {
  const start = r.pos;
  const queueId = r.u32(s);
  const port = r.u32(s);
  const len = r.u16(s);
  if (len < 16) r.fail(`queue length ${len} is shorter than 16`, s, start);
  r.pad(6, s);
  const body = r.sub(len - 16, s);
  const properties: QueueProperty[] = [];
  while (body.remaining > 0) properties.push(readQueueProperty(body, `${s}.properties`));
  return { queueId, port, properties };
}

function writeQueueProperty(w: Writer, p: QueueProperty, path: string): void {
  const start = w.pos;
  switch (p.type) {
    case 'min_rate':
    case 'max_rate':
      w.u16(p.type === 'min_rate' ? OFPQT_MIN_RATE : OFPQT_MAX_RATE);
      w.u16(16);
      w.zeros(4);
      put16(w, p.rate, path, 'rate');
      w.zeros(6);
      return;
    case 'experimenter':
      w.u16(OFPQT_EXPERIMENTER);
      w.u16(0);
      w.zeros(4);
      put32(w, p.experimenter, path, 'experimenter');
      w.zeros(4);
      putBytes(w, p.data, path, 'data');
      break;
    case 'unknown':
      put16(w, p.propType, path, 'propType');
      w.u16(0);
      putBytes(w, p.data, path, 'data');
      break;
    default:
      throw new EncodeError(`unknown queue property type "${(p as { type: string }).type}"`, path);
  }
  w.fillLength16(start, start + 2, path);
}

function readQueueProperty(r: Reader, s: string): QueueProperty {
  const start = r.pos;
  const type = r.u16(s);
  const len = r.u16(s);
  if (len < 8) r.fail(`queue property length ${len} is shorter than 8`, s, start);
  r.pos = start;
  const p = r.sub(len, s);
  p.skip(4, s);
  if (type === OFPQT_MIN_RATE || type === OFPQT_MAX_RATE) {
    if (len !== 16) r.fail(`queue rate property length ${len}, expected 16`, s, start);
    p.pad(4, s);
    const rate = p.u16(s);
    p.pad(6, s);
    return { type: type === OFPQT_MIN_RATE ? 'min_rate' : 'max_rate', rate };
  }
  if (type === OFPQT_EXPERIMENTER && len >= 16) {
    p.pad(4, s);
    const experimenter = p.u32(s);
    p.pad(4, s);
    return { type: 'experimenter', experimenter, data: p.bytes(p.remaining, s) };
  }
  return { type: 'unknown', propType: type, data: p.bytes(p.remaining, s) };
}
