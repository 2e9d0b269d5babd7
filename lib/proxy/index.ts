/** The ClusterIP service proxy: model → pipeline → reconciler. */
export { ServiceProxy, type ServiceProxyOptions, type ProxyEvents, type SyncInfo } from './proxy.js';
export { DEFAULT_OPTIONS, ProxyConfigError, resolveOptions, tablesOf, type ProxyOptions, type ProxyRegisters } from './options.js';
export { ServiceModel, MAX_AFFINITY_SECONDS, portKey, type ServicePortState, type EndpointTarget, type PortMode } from './model.js';
export { baseEntries, compilePort, usesGroup, type CompiledPort } from './compile.js';
export { groupWeights, dealSlots, type GroupWeights } from './weights.js';
export { ProxyMetrics } from './metrics.js';
export { rejectFrame } from './reject.js';
export { CookieKind, cookie, cookieKind, cookieId } from './cookies.js';
