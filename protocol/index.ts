/** ofwire/protocol — the OpenFlow 1.3 codec: pure functions, no I/O. */
// Loading the codec loads every message, field and action codec (see messages/index.ts).

export * from './errors.js';
export { errorName, errorNames, type ErrorNames } from './error-names.js';
export * from './message.js';
export type * from './messages/multipart-types.js';
export type * from './messages/port-types.js';
export type * from './fields/types.js';
export * from './actions/index.js';
export { Writer } from './wire/writer.js';
export { Reader } from './wire/reader.js';
export { Framer } from './framer.js';
export {
  decodeMessage,
  decodeMessages,
  encodeMessage,
  readMessage,
  writeMessage,
  peekHeader,
  messageCodec,
  type MessageHeader,
} from './codec.js';
export { messageFromJSON, messageToJSON, type JsonValue } from './json.js';
export { helloVersions, versionBitmaps } from './messages/hello.js';
export * from './constants/openflow13.js';
export * from './constants/nicira.js';
export * from './constants/onf.js';
export * from './constants/packet.js';
export * from './fields/index.js';
