/** The match-field layer: field table, OXM/NXM codec, prerequisites, OpenFlow 1.3 canonical form, ovs-ofctl value text. */
import './table.js';

export type { FieldValue, Match, OxmField } from './types.js';
export {
  allFields,
  fieldByHeader,
  fieldByName,
  fieldBytes,
  type FieldDef,
  type FieldEncoding,
  type FieldFormat,
  type FieldLookup,
  type Prerequisite,
  type ValueKind,
} from './registry.js';
export { FIELD_TABLE } from './table.js';
export { readFieldHeader, readMatch, readOxm, writeFieldHeader, writeMatch, writeOxm, type FieldHeaderRef } from './oxm.js';
export { checkPrerequisites, prereqMet, prereqText } from './prereq.js';
export { canonicalMatch, emitOf13 } from './canonical.js';
export { FlowMatch, SLOT_BITS, applyField, flowOf, hasSlot, slotsOf, type Slot } from './flow.js';
export { fromBig, toBig } from './convert.js';
export {
  formatFieldValue,
  formatPort,
  matchName,
  parseFieldValue,
  PORT_NAMES,
  type FormatStyle,
  type ParsedField,
  type ParseOptions,
} from './text.js';
