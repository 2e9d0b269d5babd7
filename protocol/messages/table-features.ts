/** OFPMP_TABLE_FEATURES (struct ofp13_table_features and every OFPTFPT_* property). */
import { EncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { readRecords, registerMultipart } from './multipart.js';
import type { FeatureId, OxmId, TableFeatureProperty, TableFeatures } from './multipart-types.js';
import { readName, writeName } from './names.js';
import { checkUint, readProperties, writeProperty } from './properties.js';
import { put16, put32, put64, put8, putBytes } from './put-lenient.js';
import { OFPXMC_EXPERIMENTER, OFP_MAX_TABLE_NAME_LEN } from '../constants/openflow13.js';

const ID_EXPERIMENTER = 0xffff;

type PropType = Exclude<TableFeatureProperty['type'], 'unknown'>;
type PropShape = 'instructions' | 'tables' | 'actions' | 'oxms' | 'experimenter';

/** OFPTFPT_* number → name and the shape of its body. */
const PROPS: readonly [number, PropType, PropShape][] = [
  [0, 'instructions', 'instructions'],
  [1, 'instructions_miss', 'instructions'],
  [2, 'next_tables', 'tables'],
  [3, 'next_tables_miss', 'tables'],
  [4, 'write_actions', 'actions'],
  [5, 'write_actions_miss', 'actions'],
  [6, 'apply_actions', 'actions'],
  [7, 'apply_actions_miss', 'actions'],
  [8, 'match', 'oxms'],
  [10, 'wildcards', 'oxms'],
  [12, 'write_setfield', 'oxms'],
  [13, 'write_setfield_miss', 'oxms'],
  [14, 'apply_setfield', 'oxms'],
  [15, 'apply_setfield_miss', 'oxms'],
  [0xfffe, 'experimenter', 'experimenter'],
  [0xffff, 'experimenter_miss', 'experimenter'],
];
const byNumber = new Map(PROPS.map(([n, name, shape]) => [n, { name, shape }]));
const byName = new Map(PROPS.map(([n, name, shape]) => [name as string, { n, shape }]));

// ---- ids inside properties ----------------------------------------------------------------------

/** Instruction and action ids are 4-byte TLV headers, experimenter ones followed by the id. */
function readFeatureIds(r: Reader, s: string): FeatureId[] {
  const out: FeatureId[] = [];
  while (r.remaining > 0) {
    const start = r.pos;
    const type = r.u16(s);
    const len = r.u16(s);
    if (len < 4) r.fail(`id length ${len} is shorter than its 4-byte header`, s, start);
    const body = r.sub(len - 4, s);
    const id: FeatureId = { type };
    if (type === ID_EXPERIMENTER && body.remaining >= 4) id.experimenter = body.u32(s);
    if (body.remaining > 0) id.data = body.bytes(body.remaining, s);
    out.push(id);
  }
  return out;
}

function writeFeatureIds(w: Writer, ids: readonly FeatureId[], path: string): void {
  ids.forEach((id, i) => {
    const p = `${path}[${i}]`;
    const start = w.pos;
    put16(w, id.type, p, 'type');
    w.u16(0);
    if (id.experimenter !== undefined) {
      if (id.type !== ID_EXPERIMENTER) throw new EncodeError('only type 0xffff ids carry an experimenter', p);
      put32(w, id.experimenter, p, 'experimenter');
    }
    if (id.data !== undefined) putBytes(w, id.data, p, 'data');
    w.fillLength16(start, start + 2, p);
  });
}

function readOxmIds(r: Reader, s: string): OxmId[] {
  const out: OxmId[] = [];
  while (r.remaining > 0) {
    const header = r.u32(s);
    const id: OxmId = { header };
    if (header >>> 16 === OFPXMC_EXPERIMENTER) id.experimenter = r.u32(s);
    out.push(id);
  }
  return out;
}

function writeOxmIds(w: Writer, ids: readonly OxmId[], path: string): void {
  ids.forEach((id, i) => {
    const p = `${path}[${i}]`;
    put32(w, id.header, p, 'header');
    const exp = id.header >>> 16 === OFPXMC_EXPERIMENTER;
    if (exp !== (id.experimenter !== undefined)) {
      throw new EncodeError('an experimenter id is required exactly for OXM class 0xffff', p);
    }
    if (exp) put32(w, id.experimenter!, p, 'experimenter');
  });
}

// ---- properties ---------------------------------------------------------------------------------

function readTableProperty(type: number, b: Reader, s: string): TableFeatureProperty {
  const known = byNumber.get(type);
  const si = `${s}(${known?.name ?? type})`;
  switch (known?.shape) {
    case 'instructions':
      return { type: known.name as 'instructions', instructions: readFeatureIds(b, si) };
    case 'tables':
      return { type: known.name as 'next_tables', tables: [...b.view(b.remaining, si)] };
    case 'actions':
      return { type: known.name as 'write_actions', actions: readFeatureIds(b, si) };
    case 'oxms':
      return { type: known.name as 'match', oxms: readOxmIds(b, si) };
    case 'experimenter':
      if (b.remaining >= 8) {
        const experimenter = b.u32(si);
        const expType = b.u32(si);
        return { type: known.name as 'experimenter', experimenter, expType, data: b.bytes(b.remaining, si) };
      }
  }
  return { type: 'unknown', propType: type, data: b.bytes(b.remaining, si) };
}

function writeTableProperty(w: Writer, p: TableFeatureProperty, path: string): void {
  if (p.type === 'unknown') {
    checkUint(p.propType, 16, `${path}.propType`);
    return writeProperty(w, p.propType, path, () => putBytes(w, p.data, path, 'data'));
  }
  const known = byName.get(p.type);
  if (!known) throw new EncodeError(`unknown table feature property "${(p as { type: string }).type}"`, path);
  writeProperty(w, known.n, path, () => {
    switch (known.shape) {
      case 'instructions':
        return writeFeatureIds(w, (p as { instructions: FeatureId[] }).instructions, `${path}.instructions`);
      case 'actions':
        return writeFeatureIds(w, (p as { actions: FeatureId[] }).actions, `${path}.actions`);
      case 'tables':
        return (p as { tables: number[] }).tables.forEach((t, i) => put8(w, t, path, `tables[${i}]`));
      case 'oxms':
        return writeOxmIds(w, (p as { oxms: OxmId[] }).oxms, `${path}.oxms`);
      case 'experimenter': {
        const e = p as { experimenter: number; expType: number; data: Buffer };
        put32(w, e.experimenter, path, 'experimenter');
        put32(w, e.expType, path, 'expType');
        putBytes(w, e.data, path, 'data');
      }
    }
  });
}

// ---- table records ------------------------------------------------------------------------------

function writeTableFeatures(w: Writer, t: TableFeatures, path: string): void {
  const start = w.pos;
  w.u16(0);
  put8(w, t.tableId, path, 'tableId');
  w.zeros(5);
  writeName(w, t.name, OFP_MAX_TABLE_NAME_LEN, `${path}.name`);
  put64(w, t.metadataMatch, path, 'metadataMatch');
  put64(w, t.metadataWrite, path, 'metadataWrite');
  put32(w, t.config, path, 'config');
  put32(w, t.maxEntries, path, 'maxEntries');
  t.properties.forEach((p, i) => writeTableProperty(w, p, `${path}.properties[${i}]`));
  w.fillLength16(start, start, path);
}

function readTableFeatures(r: Reader, s: string): TableFeatures {
  r.skip(2, s);
  const tableId = r.u8(s);
  // Byte 3 is `command` only from OpenFlow 1.5 on; in 1.3 it is padding.
  r.pad(5, s);
  const name = readName(r, OFP_MAX_TABLE_NAME_LEN, `${s}.name`);
  const metadataMatch = r.u64(s);
  const metadataWrite = r.u64(s);
  const config = r.u32(s);
  const maxEntries = r.u32(s);
  const properties: TableFeatureProperty[] = [];
  readProperties(r, `${s}.properties`, (p) => {
    const prop = readTableProperty(p.type, p.body, `${s}.properties`);
    p.body.done(`${s}.properties`);
    properties.push(prop);
  });
  return { tableId, name, metadataMatch, metadataWrite, config, maxEntries, properties };
}

registerMultipart({
  kind: 'table_features',
  name: 'OFPST_TABLE_FEATURES',
  mpType: 12,
  encodeRequest: (w, b, path) => b.tables.forEach((t, i) => writeTableFeatures(w, t, `${path}.tables[${i}]`)),
  decodeRequest: (r, s) => ({ kind: 'table_features', tables: readRecords(r, `${s}.tables`, 64, 0, readTableFeatures) }),
  encodeReply: (w, b, path) => b.tables.forEach((t, i) => writeTableFeatures(w, t, `${path}.tables[${i}]`)),
  decodeReply: (r, s) => ({ kind: 'table_features', tables: readRecords(r, `${s}.tables`, 64, 0, readTableFeatures) }),
});
