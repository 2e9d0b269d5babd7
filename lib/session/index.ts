/** OpenFlow 1.3 sessions: handshake, xids, requests and replies, multipart, keep-alive, events. */
export {
  Session,
  type EncodedMessages,
  type EncodedSettle,
  type MultipartReplyOf,
  type Outgoing,
  type ReplyOf,
  type RequestOptions,
  type SessionEvents,
  type SessionOptions,
} from './session.js';
export {
  BatchError,
  HandshakeError,
  OpenFlowError,
  PeerDeadError,
  RequestTimeoutError,
  SessionClosedError,
  UnexpectedReplyError,
  versionName,
} from './errors.js';
