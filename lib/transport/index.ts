/** Bytes in, bytes out: OpenFlow connections over unix, tcp and ssl sockets, active or passive. */
export { Channel, type ChannelEvents, type ChannelOptions, type ChannelStats } from './channel.js';
export { connect, type ConnectOptions } from './connect.js';
export { listen, Listener, type ListenerEvents, type ListenOptions } from './listen.js';
export { ConnectionError } from './errors.js';
export { TlsConfigError, type TlsFiles } from './tls.js';
export {
  DEFAULT_LISTEN_HOST,
  OPENFLOW_PORT,
  TargetError,
  formatTarget,
  isPassive,
  parseTarget,
  type ActiveTarget,
  type PassiveTarget,
  type Target,
} from './target.js';
