/**
 * ofwire/protocol — the OpenFlow 1.3 codec: messages as typed objects to bytes and back, their JSON
 * form, and the wire constants. Pure functions, no I/O. ovs-ofctl's text syntax is `ofwire/text`.
 */
// Loading the codec loads every message, field and action codec (see messages/index.ts).
export { decodeMessage, decodeMessages, encodeMessage, peekHeader, type MessageHeader } from './codec.js';
export { Framer } from './framer.js';
export { messageFromJSON, messageToJSON, type JsonValue } from './json.js';
export { EncodeError, OvsLimitError, ProtocolError } from './errors.js';
export { errorName, errorNames, type ErrorNames } from './error-names.js';
export type * from './message.js';
export type * from './messages/multipart-types.js';
export type * from './messages/port-types.js';
export type * from './fields/types.js';
export type * from './actions/types.js';
export * from './constants/openflow13.js';
export * from './constants/nicira.js';
export * from './constants/onf.js';
export * from './constants/packet.js';
