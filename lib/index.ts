/**
 * ofwire: OpenFlow 1.3 switch connections and a controller API for Open vSwitch, and a Kubernetes
 * service proxy on top, fed by a source of Services and EndpointSlices. The codec alone (no I/O)
 * is `ofwire/protocol`, ovs-ofctl's text syntax `ofwire/text`, the Kubernetes source `ofwire/kube`.
 */

// Switch connections: bytes in and out over unix, tcp and ssl sockets, active or passive.
export { Channel, type ChannelEvents, type ChannelOptions, type ChannelStats } from './transport/channel.js';
export { connect, type ConnectOptions } from './transport/connect.js';
export { listen, Listener, type ListenerEvents, type ListenOptions } from './transport/listen.js';
export { ConnectionError } from './transport/errors.js';
export { TlsConfigError, type TlsFiles } from './transport/tls.js';
export { TargetError, formatTarget, parseTarget, type ActiveTarget, type PassiveTarget, type Target } from './transport/target.js';

// OpenFlow sessions: handshake, requests and replies, multipart, keep-alive, events.
export {
  Session,
  type MultipartReplyOf,
  type Outgoing,
  type ReplyOf,
  type RequestOptions,
  type SessionEvents,
  type SessionOptions,
} from './session/session.js';
export {
  BatchError,
  HandshakeError,
  OpenFlowError,
  PeerDeadError,
  RequestTimeoutError,
  SessionClosedError,
  UnexpectedReplyError,
} from './session/errors.js';

// The controller API: switches, flows, groups, bundles, statistics.
export { Switch, ROLES, type ConnectedInfo, type Role, type SwitchEvents, type SwitchOptions } from './controller/switch.js';
export { Controller, type ControllerEvents, type ControllerOptions } from './controller/controller.js';
export { BundleBuilder, type BundleOptions } from './controller/bundle.js';
export type { BackoffOptions } from './controller/backoff.js';
export { BundleError, NotConnectedError, SwitchClosedError, type BundleMemberFailure } from './controller/errors.js';
export {
  FlowFlags,
  GROUP_TYPES,
  SpecError,
  toFlowMod,
  toFlowStatsRequest,
  toGroupDelete,
  toGroupMod,
  toMatch,
  type BucketSpec,
  type FlowCommand,
  type FlowFilter,
  type FlowSpec,
  type GroupCommand,
  type GroupSpec,
  type GroupType,
  type MatchInput,
} from './controller/specs.js';
export { flowFromText, groupFromText } from './controller/text.js';

// The service proxy and what it needs of a switch.
export { ServiceProxy, type ServiceProxyOptions, type ProxyEvents, type SyncInfo } from './proxy/proxy.js';
export type { ProxySwitch } from './proxy/proxy-switch.js';
export type { ReconcilerSwitch } from './proxy/reconcile.js';
export { DEFAULT_OPTIONS, ProxyConfigError, type ProxyOptions, type ProxyRegisters } from './proxy/options.js';
export { ProxyMetrics } from './proxy/metrics.js';
export { HealthCheckServer, type HealthCheckServerOptions } from './proxy/health-check-server.js';

// Sources of Services and EndpointSlices (the Kubernetes one is `ofwire/kube`).
export type * from './sources/types.js';
export { BaseSource } from './sources/base.js';
export { ObjectError, SourceError, type FieldPath, type ObjectKind, type SourceErrorDetails } from './sources/errors.js';
export { FileSource, type FileSourceOptions } from './sources/file.js';
export { MemorySource, type MemorySourceOptions } from './sources/memory.js';
export type { SourceLogger } from './sources/logger.js';
export { silentLogger, type Logger } from './logger.js';
