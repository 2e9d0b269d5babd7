/** OpenFlow 1.3 instructions (OFPIT_*). */
import { EncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { readActions, writeActions } from './codec.js';
import type { Instruction } from './types.js';

export const OFPIT_GOTO_TABLE = 1;
export const OFPIT_WRITE_METADATA = 2;
export const OFPIT_WRITE_ACTIONS = 3;
export const OFPIT_APPLY_ACTIONS = 4;
export const OFPIT_CLEAR_ACTIONS = 5;
export const OFPIT_METER = 6;
export const OFPIT_EXPERIMENTER = 0xffff;

export function writeInstruction(w: Writer, ins: Instruction, path: string): void {
  const start = w.pos;
  switch (ins.type) {
    case 'goto_table':
      w.u16(OFPIT_GOTO_TABLE);
      w.u16(8);
      w.u8(ins.tableId);
      w.zeros(3);
      return;
    case 'write_metadata':
      w.u16(OFPIT_WRITE_METADATA);
      w.u16(24);
      w.zeros(4);
      w.u64(ins.metadata);
      w.u64(ins.metadataMask);
      return;
    case 'write_actions':
    case 'apply_actions':
      w.u16(ins.type === 'write_actions' ? OFPIT_WRITE_ACTIONS : OFPIT_APPLY_ACTIONS);
      w.u16(0);
      w.zeros(4);
      writeActions(w, ins.actions, `${path}.actions`);
      w.fillLength16(start, start + 2, path);
      return;
    case 'clear_actions':
      w.u16(OFPIT_CLEAR_ACTIONS);
      w.u16(8);
      w.zeros(4);
      return;
    case 'meter':
      w.u16(OFPIT_METER);
      w.u16(8);
      w.u32(ins.meterId);
      return;
    case 'experimenter':
      w.u16(OFPIT_EXPERIMENTER);
      w.u16(0);
      w.u32(ins.experimenter);
      w.bytes(ins.data);
      if ((w.pos - start) % 8) throw new EncodeError('experimenter instruction length is not a multiple of 8', path);
      w.fillLength16(start, start + 2, path);
      return;
    default:
      throw new EncodeError(`unknown instruction type "${(ins as { type: string }).type}"`, path);
  }
}

export function writeInstructions(w: Writer, list: readonly Instruction[], path: string): void {
  for (let i = 0; i < list.length; i++) writeInstruction(w, list[i]!, `${path}[${i}]`);
}

export function readInstruction(r: Reader, structure: string): Instruction {
  const start = r.pos;
  const type = r.u16(structure);
  const len = r.u16(structure);
  if (len < 8 || len % 8) r.fail(`instruction length ${len} is not a positive multiple of 8`, structure, start);
  r.pos = start;
  const b = r.sub(len, structure);
  b.skip(4, structure);
  const fixed = (want: number, name: string) => {
    if (len !== want) r.fail(`${name} instruction length ${len}, expected ${want}`, structure, start);
  };
  switch (type) {
    case OFPIT_GOTO_TABLE: {
      fixed(8, 'goto_table');
      const tableId = b.u8(structure);
      b.pad(3, structure);
      return { type: 'goto_table', tableId };
    }
    case OFPIT_WRITE_METADATA: {
      fixed(24, 'write_metadata');
      b.pad(4, structure);
      const metadata = b.u64(structure);
      return { type: 'write_metadata', metadata, metadataMask: b.u64(structure) };
    }
    case OFPIT_WRITE_ACTIONS:
    case OFPIT_APPLY_ACTIONS: {
      b.pad(4, structure);
      const actions = readActions(b, `${structure}.actions`);
      return { type: type === OFPIT_WRITE_ACTIONS ? 'write_actions' : 'apply_actions', actions };
    }
    case OFPIT_CLEAR_ACTIONS:
      fixed(8, 'clear_actions');
      b.pad(4, structure);
      return { type: 'clear_actions' };
    case OFPIT_METER:
      fixed(8, 'meter');
      return { type: 'meter', meterId: b.u32(structure) };
    case OFPIT_EXPERIMENTER: {
      const experimenter = b.u32(structure);
      return { type: 'experimenter', experimenter, data: b.bytes(b.remaining, structure) };
    }
    default:
      return r.fail(`unknown instruction type ${type}`, structure, start);
  }
}

export function readInstructions(r: Reader, structure: string): Instruction[] {
  const out: Instruction[] = [];
  while (r.remaining > 0) out.push(readInstruction(r, structure));
  return out;
}
