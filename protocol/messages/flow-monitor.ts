/**
 * ONF flow monitoring for OpenFlow 1.3: the ONFST_FLOW_MONITOR multipart body (experimenter
 * multipart 1870; struct onf_flow_monitor_request, onf_flow_update_full/abbrev) and the
 * ONFT_FLOW_MONITOR_CANCEL / PAUSED / RESUMED messages.
 */
import { readInstructions, writeInstructions } from '../actions/instructions.js';
import { registerMessage } from '../codec.js';
import { EncodeError } from '../errors.js';
import { readMatch, writeMatch } from '../fields/oxm.js';
import type { FlowMonitorCancel, FlowMonitorPaused, FlowMonitorResumed } from '../message.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { readRecords, registerMultipart } from './multipart.js';
import type { FlowMonitorRequest, FlowUpdate } from './multipart-types.js';
import { put16, put32, put64, put8 } from './put-lenient.js';
import { checkUint } from './properties.js';
import type { Match } from '../fields/types.js';
import { ONFST_FLOW_MONITOR, ONF_VENDOR_ID } from '../constants/onf.js';
import { OFPMP_EXPERIMENTER } from '../constants/openflow13.js';

const EVENTS = ['added', 'deleted', 'modified', 'abbrev'] as const;

/**
 * Writes an ofp_match and back-fills `lenAt` with match_len: the match's own length field (header
 * included, padding not), or the value the entry arrived with.
 */
function writeMatchWithLen(w: Writer, e: { match: Match; matchLen?: number }, lenAt: number, path: string): void {
  const start = w.pos;
  writeMatch(w, e.match, `${path}.match`);
  if (e.matchLen !== undefined) checkUint(e.matchLen, 16, `${path}.matchLen`);
  w.setU16(lenAt, e.matchLen ?? w.buf.readUInt16BE(start + 2));
}

/** Reads the ofp_match; match_len is kept only when it disagrees with the match's length. */
function readMatchWithLen(r: Reader, matchLen: number, s: string): { match: Match; matchLen?: number } {
  r.need(4, s);
  const own = r.buf.readUInt16BE(r.pos + 2);
  const match = readMatch(r, `${s}.match`);
  return own === matchLen ? { match } : { match, matchLen };
}

function writeRequest(w: Writer, q: FlowMonitorRequest, path: string): void {
  put32(w, q.id, path, 'id');
  put16(w, q.flags, path, 'flags');
  const lenAt = w.pos;
  w.u16(0);
  put32(w, q.outPort, path, 'outPort');
  put8(w, q.tableId, path, 'tableId');
  w.zeros(3);
  writeMatchWithLen(w, q, lenAt, path);
}

function readRequest(r: Reader, s: string): FlowMonitorRequest {
  const id = r.u32(s);
  const flags = r.u16(s);
  const matchLen = r.u16(s);
  const outPort = r.u32(s);
  const tableId = r.u8(s);
  r.pad(3, s);
  return { id, flags, outPort, tableId, ...readMatchWithLen(r, matchLen, s) };
}

function writeUpdate(w: Writer, u: FlowUpdate, path: string): void {
  const start = w.pos;
  const event = EVENTS.indexOf(u.event);
  if (event < 0) throw new EncodeError(`unknown flow update event "${String(u.event)}"`, `${path}.event`);
  w.u16(0);
  w.u16(event);
  if (u.event === 'abbrev') {
    put32(w, u.xid, path, 'xid');
  } else {
    put16(w, u.reason, path, 'reason');
    put16(w, u.priority, path, 'priority');
    put16(w, u.idleTimeout, path, 'idleTimeout');
    put16(w, u.hardTimeout, path, 'hardTimeout');
    const lenAt = w.pos;
    w.u16(0);
    put8(w, u.tableId, path, 'tableId');
    w.zeros(1);
    put64(w, u.cookie, path, 'cookie');
    writeMatchWithLen(w, u, lenAt, path);
    writeInstructions(w, u.instructions, `${path}.instructions`);
  }
  w.fillLength16(start, start, path);
}

function readUpdate(r: Reader, s: string): FlowUpdate {
  const start = r.pos;
  r.skip(2, s);
  const event = r.u16(s);
  if (event === 3) {
    if (r.remaining !== 4) r.fail(`abbreviated update length ${r.end - start}, expected 8`, s, start);
    return { event: 'abbrev', xid: r.u32(s) };
  }
  if (event > 2) r.fail(`unknown flow update event ${event}`, s, start + 2);
  const reason = r.u16(s);
  const priority = r.u16(s);
  const idleTimeout = r.u16(s);
  const hardTimeout = r.u16(s);
  const matchLen = r.u16(s);
  const tableId = r.u8(s);
  r.pad(1, s);
  const cookie = r.u64(s);
  const m = readMatchWithLen(r, matchLen, s);
  const instructions = readInstructions(r, `${s}.instructions`);
  const ev = EVENTS[event] as 'added' | 'deleted' | 'modified';
  return { event: ev, reason, priority, idleTimeout, hardTimeout, tableId, cookie, ...m, instructions };
}

registerMultipart({
  kind: 'flow_monitor',
  name: 'ONFST_FLOW_MONITOR',
  mpType: OFPMP_EXPERIMENTER,
  experimenter: ONF_VENDOR_ID,
  expType: ONFST_FLOW_MONITOR,
  encodeRequest: (w, b, path) => b.requests.forEach((q, i) => writeRequest(w, q, `${path}.requests[${i}]`)),
  decodeRequest: (r, s) => {
    const requests: FlowMonitorRequest[] = [];
    for (let i = 0; r.remaining > 0; i++) requests.push(readRequest(r, `${s}.requests[${i}]`));
    return { kind: 'flow_monitor', requests };
  },
  encodeReply: (w, b, path) => b.updates.forEach((u, i) => writeUpdate(w, u, `${path}.updates[${i}]`)),
  decodeReply: (r, s) => ({ kind: 'flow_monitor', updates: readRecords(r, `${s}.updates`, 8, 0, readUpdate) }),
});

registerMessage<FlowMonitorCancel>({
  type: 'flow_monitor_cancel',
  name: 'ONFT_FLOW_MONITOR_CANCEL',
  ofpType: 4,
  experimenter: ONF_VENDOR_ID,
  expType: 1870,
  encode: (w, m, path) => put32(w, m.id, path, 'id'),
  decode: (r, h, s) => ({ type: 'flow_monitor_cancel', xid: h.xid, id: r.u32(s) }),
});

registerMessage<FlowMonitorPaused>({
  type: 'flow_monitor_paused',
  name: 'ONFT_FLOW_MONITOR_PAUSED',
  ofpType: 4,
  experimenter: ONF_VENDOR_ID,
  expType: 1871,
  encode: () => {},
  decode: (_r, h) => ({ type: 'flow_monitor_paused', xid: h.xid }),
});

registerMessage<FlowMonitorResumed>({
  type: 'flow_monitor_resumed',
  name: 'ONFT_FLOW_MONITOR_RESUMED',
  ofpType: 4,
  experimenter: ONF_VENDOR_ID,
  expType: 1872,
  encode: () => {},
  decode: (_r, h) => ({ type: 'flow_monitor_resumed', xid: h.xid }),
});
