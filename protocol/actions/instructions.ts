/**
 * OpenFlow 1.3 instructions (OFPIT_*). Order and repetition are kept as received (Open vSwitch
 * reorders and rejects duplicates; that is a matter of meaning, not of encoding).
 */
import { EncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { readActions, writeNestedActions } from './codec.js';
import { OVS_CHECK_ABOVE, checkOvsWriteActions } from './ovs-limits.js';
import { put32, put64, put8, putZeros } from './put-strict.js';
import type { Instruction } from './types.js';
import {
  OFPIT_APPLY_ACTIONS,
  OFPIT_CLEAR_ACTIONS,
  OFPIT_EXPERIMENTER,
  OFPIT_GOTO_TABLE,
  OFPIT_METER,
  OFPIT_WRITE_ACTIONS,
  OFPIT_WRITE_METADATA,
} from '../constants/openflow13.js';

const MAX_INSTRUCTION_LEN = 65528;

function encodeInstruction(w: Writer, ins: Instruction, path: string): void {
  if (ins === null || typeof ins !== 'object') throw new EncodeError('an instruction must be an object', path);
  const start = w.pos;
  switch (ins.type) {
    case 'goto_table':
      w.u16(OFPIT_GOTO_TABLE);
      w.u16(8);
      put8(w, ins.tableId, path, 'tableId');
      putZeros(w, 3);
      return;
    case 'write_metadata':
      w.u16(OFPIT_WRITE_METADATA);
      w.u16(24);
      putZeros(w, 4);
      put64(w, ins.metadata, path, 'metadata');
      put64(w, ins.metadataMask, path, 'metadataMask');
      return;
    case 'write_actions':
    case 'apply_actions':
      w.u16(ins.type === 'write_actions' ? OFPIT_WRITE_ACTIONS : OFPIT_APPLY_ACTIONS);
      w.u16(0);
      putZeros(w, 4);
      writeNestedActions(w, ins.actions, path);
      w.fillLength16(start, start + 2, path);
      if (ins.type === 'write_actions' && w.pos - start > OVS_CHECK_ABOVE) checkOvsWriteActions(ins.actions, path);
      return;
    case 'clear_actions':
      w.u16(OFPIT_CLEAR_ACTIONS);
      w.u16(8);
      putZeros(w, 4);
      return;
    case 'meter':
      w.u16(OFPIT_METER);
      w.u16(8);
      put32(w, ins.meterId, path, 'meterId');
      return;
    case 'experimenter': {
      if (!Buffer.isBuffer(ins.data)) throw new EncodeError('data must be a Buffer', `${path}.data`);
      const len = 8 + ins.data.length;
      if (len % 8 || len > MAX_INSTRUCTION_LEN) {
        throw new EncodeError(`experimenter instruction of ${len} bytes: the length must be a multiple of 8`, `${path}.data`);
      }
      w.u16(OFPIT_EXPERIMENTER);
      w.u16(len);
      put32(w, ins.experimenter, path, 'experimenter');
      w.bytes(ins.data);
      return;
    }
    default:
      throw new EncodeError(`unknown instruction type "${String((ins as { type: unknown }).type)}"`, path);
  }
}

/** Appends one instruction; errors name `path`. */
export function writeInstruction(w: Writer, ins: Instruction, path: string): void {
  encodeInstruction(w, ins, path);
}

/** Appends an instruction list. The element path is only built when an instruction fails to encode. */
export function writeInstructions(w: Writer, list: readonly Instruction[], path: string): void {
  const value: unknown = list; // tested as unknown: Array.isArray would make list any[]
  if (!Array.isArray(value)) throw new EncodeError('instructions must be an array', path);
  let i = 0;
  try {
    for (; i < list.length; i++) encodeInstruction(w, list[i]!, '');
  } catch (err) {
    if (err instanceof EncodeError) throw err.at(`${path}[${i}]${err.path}`);
    throw err;
  }
}

const NAMES: Record<number, string> = {
  [OFPIT_GOTO_TABLE]: 'ofp_instruction_goto_table',
  [OFPIT_WRITE_METADATA]: 'ofp_instruction_write_metadata',
  [OFPIT_CLEAR_ACTIONS]: 'ofp_instruction_actions',
  [OFPIT_METER]: 'ofp_instruction_meter',
};

function fixedLength(b: Reader, type: number, len: number, want: number, start: number): void {
  if (len !== want) b.fail(`length ${len}, expected ${want}`, NAMES[type]!, start);
}

/** Reads one instruction; `structure` names the list it is read from. */
export function readInstruction(r: Reader, structure: string): Instruction {
  const start = r.pos;
  const type = r.u16(structure);
  const len = r.u16(structure);
  if (len < 8 || len % 8) r.fail(`instruction length ${len} is not a positive multiple of 8`, structure, start);
  if (len - 4 > r.remaining) {
    r.fail(`instruction length ${len} runs past the end of the list (${r.remaining + 4} bytes left)`, structure, start);
  }
  // Read in place, the reader's end narrowed to the instruction, then put back.
  const outerEnd = r.end;
  r.end = start + len;
  const ins = readInstructionBody(r, type, len, start, structure);
  r.end = outerEnd;
  return ins;
}

function readInstructionBody(b: Reader, type: number, len: number, start: number, structure: string): Instruction {
  switch (type) {
    case OFPIT_GOTO_TABLE: {
      fixedLength(b, type, len, 8, start);
      const s = 'ofp_instruction_goto_table';
      const tableId = b.u8(s);
      b.pad(3, 'ofp_instruction_goto_table.pad');
      return { type: 'goto_table', tableId };
    }
    case OFPIT_WRITE_METADATA: {
      fixedLength(b, type, len, 24, start);
      const s = 'ofp_instruction_write_metadata';
      b.pad(4, 'ofp_instruction_write_metadata.pad');
      const metadata = b.u64(s);
      return { type: 'write_metadata', metadata, metadataMask: b.u64(s) };
    }
    case OFPIT_WRITE_ACTIONS:
    case OFPIT_APPLY_ACTIONS: {
      b.pad(4, 'ofp_instruction_actions.pad');
      const actions = readActions(b, 'ofp_instruction_actions.actions');
      return { type: type === OFPIT_WRITE_ACTIONS ? 'write_actions' : 'apply_actions', actions };
    }
    case OFPIT_CLEAR_ACTIONS:
      fixedLength(b, type, len, 8, start);
      b.pad(4, 'ofp_instruction_actions.pad');
      return { type: 'clear_actions' };
    case OFPIT_METER:
      fixedLength(b, type, len, 8, start);
      return { type: 'meter', meterId: b.u32('ofp_instruction_meter') };
    case OFPIT_EXPERIMENTER: {
      const experimenter = b.u32('ofp_instruction_experimenter');
      return { type: 'experimenter', experimenter, data: b.bytes(b.remaining, 'ofp_instruction_experimenter') };
    }
    default:
      return b.fail(`unknown instruction type ${type}`, structure, start);
  }
}

/** Reads instructions until the reader's end. */
export function readInstructions(r: Reader, structure: string): Instruction[] {
  if (r.pos >= r.end) return [];
  const first = readInstruction(r, structure);
  // Most lists hold one instruction: a one-element array, not one grown by push.
  if (r.pos >= r.end) return [first];
  const out: Instruction[] = [first];
  while (r.remaining > 0) out.push(readInstruction(r, structure));
  return out;
}
