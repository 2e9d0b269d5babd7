/** The service proxy (cluster IPs, node ports, external and load-balancer IPs): model → pipeline → reconciler. */
export { ServiceProxy, type ServiceProxyOptions, type ProxyEvents, type SyncInfo } from './proxy.js';
export { DEFAULT_OPTIONS, ProxyConfigError, resolveOptions, tablesOf, type ProxyOptions, type ProxyRegisters } from './options.js';
export {
  ServiceModel,
  MAX_AFFINITY_SECONDS,
  portKey,
  podsPortKey,
  type ServicePortState,
  type EndpointTarget,
  type PortMode,
  type Frontend,
  type NodeInfo,
  type HealthCheck,
} from './model.js';
export { HealthCheckServer, healthCheckBody, type HealthCheckServerOptions } from './health-check-server.js';
export { categorizeEndpoints, canUseTopology, type Categorized, type TopologyEndpoint, type TopologyService } from './topology.js';
export { parseCidr, cidrContains, type Cidr } from './cidr.js';
export { parseNodePortAddresses, nodePortAddresses, hostAddresses, primaryPerFamily, type NodePortAddressSpec } from './node-addresses.js';
export { baseEntries, compilePort, usesGroup, type CompiledPort } from './compile.js';
export { groupWeights, dealSlots, type GroupWeights } from './weights.js';
export { ProxyMetrics } from './metrics.js';
export { rejectFrame } from './reject.js';
export { CookieKind, cookie, cookieKind, cookieId } from './cookies.js';
