/**
 * The Node contenders. Each runs in a process of its own (contender-worker.ts), so that no
 * contender's JIT feedback or heap shapes another's figures, as they would in one process.
 */
import { readFileSync } from 'node:fs';
import { decodeMessage, encodeMessage } from '../../protocol/index.js';
import { Writer } from '../../protocol/wire/writer.js';
import { writeMessage } from '../../protocol/codec.js';
import { parseFlowStatsReply } from './binary-parser-flow-stats.js';
import { keep } from './measure.js';
import { writeFlowModPlain } from './plain-flow-mod-writer.js';
import { readFlowStatsReply } from './plain-flow-stats-reader.js';
import { serviceFlowMod, splitMessages } from './workloads.js';

export const ENCODE = 'encode FLOW_MOD';
export const DECODE = 'decode FLOW_STATS';

export interface ContenderDef {
  id: string;
  workload: typeof ENCODE | typeof DECODE;
  name: string;
  /** What one operation is. */
  unit: 'msg' | 'entry';
  /** Builds the timed function (one call → the number of operations done) from the reply file. */
  make(replyFile: string): () => number;
}

/** A decode call reads the next reply message (cycling through them) and returns its entry count. */
function cyclic(replyFile: string, decode: (m: Buffer) => number): () => number {
  const messages = splitMessages(readFileSync(replyFile));
  let i = 0;
  return () => {
    const n = decode(messages[i]!);
    i = i + 1 === messages.length ? 0 : i + 1;
    return n;
  };
}

function flowCount(m: ReturnType<typeof decodeMessage>): number {
  if (m.type !== 'multipart_reply' || m.body.kind !== 'flow') throw new Error(`decoded ${m.type}, not a flow stats reply`);
  return m.body.flows.length;
}

export const CONTENDERS: ContenderDef[] = [
  {
    id: 'ofwire-encode',
    workload: ENCODE,
    name: 'ofwire encodeMessage (new Buffer)',
    unit: 'msg',
    make: () => {
      const m = serviceFlowMod();
      return () => (keep(encodeMessage(m)), 1);
    },
  },
  {
    id: 'ofwire-write',
    workload: ENCODE,
    name: 'ofwire writeMessage (reused Writer)',
    unit: 'msg',
    make: () => {
      const m = serviceFlowMod();
      const w = new Writer(1 << 16);
      return () => {
        w.reset();
        writeMessage(w, m);
        return keep(w.pos) > 0 ? 1 : 0;
      };
    },
  },
  {
    id: 'plain-write',
    workload: ENCODE,
    name: 'reference: unchecked straight-line writer',
    unit: 'msg',
    make: () => {
      const m = serviceFlowMod();
      return () => (keep(writeFlowModPlain(m)), 1);
    },
  },
  {
    id: 'ofwire-decode',
    workload: DECODE,
    name: 'ofwire decodeMessage (typed, validated)',
    unit: 'entry',
    make: (file) => cyclic(file, (m) => flowCount(keep(decodeMessage(m)))),
  },
  {
    id: 'binary-parser',
    workload: DECODE,
    name: 'binary-parser (raw fields, unchecked)',
    unit: 'entry',
    make: (file) => cyclic(file, (m) => keep(parseFlowStatsReply(m)).flows.length),
  },
  {
    id: 'plain-read',
    workload: DECODE,
    name: 'hand-written reader (same raw fields)',
    unit: 'entry',
    make: (file) => cyclic(file, (m) => keep(readFlowStatsReply(m)).flows.length),
  },
];
