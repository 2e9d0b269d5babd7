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
export type ReplyOf<M extends { type: MessageType }> = M['type'] extends keyof ReplyTypes ? ReplyTypes[M['type']] : void;

/**
 * The reply body for a multipart request body: a `{ kind: 'flow' }` request is answered by
 * `{ kind: 'flow', flows }` parts (the session refuses a part of another kind).
 */
export type MultipartReplyOf<B extends { kind: MultipartRequestBody['kind'] }> = Extract<MultipartReplyBody, { kind: B['kind'] }>;
