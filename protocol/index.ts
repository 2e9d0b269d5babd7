/** ofwire/protocol — the OpenFlow 1.3 codec: pure functions, no I/O. */
import './fields/table.js';
import './actions/standard.js';
import './actions/nicira.js';
import './actions/ct.js';
import './messages/hello.js';
import './messages/error.js';
import './messages/echo.js';
import './messages/experimenter.js';
import './messages/features.js';
import './messages/switch-config.js';
import './messages/barrier.js';
import './messages/flow-mod.js';
import './messages/group-mod.js';

export * from './errors.js';
export * from './message.js';
export type * from './messages/multipart-types.js';
export type * from './messages/port-types.js';
export type * from './fields/types.js';
export type * from './actions/types.js';
export { Writer } from './wire/writer.js';
export { Reader } from './wire/reader.js';
export { Framer } from './framer.js';
export {
  OFP13_VERSION,
  decodeMessage,
  decodeMessages,
  encodeMessage,
  readMessage,
  writeMessage,
  peekHeader,
  type MessageHeader,
} from './codec.js';
export { helloVersions, versionBitmaps } from './messages/hello.js';
export { fieldByName, fieldByHeader, allFields, type FieldDef } from './fields/registry.js';
