/**
 * Reply typing: which message answers which request, and the type a request settles with, so that
 * callers get `FeaturesReply` for a features request and `FlowStats` parts for a flow dump without
 * casting.
 */
import type {
  BarrierReply,
  BundleControl,
  EchoReply,
  FeaturesReply,
  GetAsyncReply,
  GetConfigReply,
  MessageType,
  MultipartReply,
  MultipartReplyBody,
  MultipartRequestBody,
  OfpMessage,
  QueueGetConfigReply,
  RoleReply,
} from '../../protocol/index.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A message to send: the session assigns the xid. */
export type Outgoing = DistributiveOmit<OfpMessage, 'xid'> & { xid?: number };

interface ReplyTypes {
  echo_request: EchoReply;
  features_request: FeaturesReply;
  get_config_request: GetConfigReply;
  barrier_request: BarrierReply;
  role_request: RoleReply;
  get_async_request: GetAsyncReply;
  queue_get_config_request: QueueGetConfigReply;
  bundle_control: BundleControl;
  multipart_request: MultipartReply[];
}

/** What `request()` resolves with: the reply, all multipart parts, or nothing for commands. */
export type ReplyOf<M extends { type: MessageType }> = M['type'] extends keyof ReplyTypes
  ? ReplyTypes[M['type']]
  : void;

/**
 * The reply body for a multipart request body: a `{ kind: 'flow' }` request is answered by
 * `{ kind: 'flow', flows }` parts (the session refuses a part of another kind).
 */
export type MultipartReplyOf<B extends { kind: MultipartRequestBody['kind'] }> = Extract<MultipartReplyBody, { kind: B['kind'] }>;

/** The message type that answers each request type; request types absent here are confirmed by a barrier. */
export const REPLY_TYPE: Partial<Record<MessageType, MessageType>> = {
  echo_request: 'echo_reply',
  features_request: 'features_reply',
  get_config_request: 'get_config_reply',
  barrier_request: 'barrier_reply',
  role_request: 'role_reply',
  get_async_request: 'get_async_reply',
  queue_get_config_request: 'queue_get_config_reply',
  bundle_control: 'bundle_control',
  multipart_request: 'multipart_reply',
};
