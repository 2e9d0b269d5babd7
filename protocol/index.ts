/** ofwire/protocol — the OpenFlow 1.3 codec: pure functions, no I/O. */
// The field and action layers register their codecs when loaded.
import './fields/index.js';
import './actions/index.js';
import './messages/hello.js';
import './messages/error.js';
import './messages/echo.js';
import './messages/experimenter.js';
import './messages/features.js';
import './messages/switch-config.js';
import './messages/packet-in.js';
import './messages/flow-removed.js';
import './messages/port-status.js';
import './messages/packet-out.js';
import './messages/flow-mod.js';
import './messages/group-mod.js';
import './messages/port-mod.js';
import './messages/table-mod.js';
import './messages/multipart.js';
import './messages/multipart-desc.js';
import './messages/multipart-flow.js';
import './messages/multipart-port.js';
import './messages/multipart-group.js';
import './messages/multipart-meter.js';
import './messages/table-features.js';
import './messages/flow-monitor.js';
import './messages/barrier.js';
import './messages/queue-config.js';
import './messages/role.js';
import './messages/async-config.js';
import './messages/meter-mod.js';
import './messages/role-status.js';
import './messages/requestforward.js';
import './messages/bundle.js';
import './messages/nx-config.js';
import './messages/nx-ct-flush.js';
import './messages/nx-packet-in2.js';

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
