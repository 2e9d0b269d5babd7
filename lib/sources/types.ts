import type { EventEmitter } from 'eventemitter3';

/**
 * What every source produces: Kubernetes Services and EndpointSlices reduced to what a service
 * proxy needs. Sources convert from the Kubernetes objects (see ./convert.ts); the proxy consumes
 * only these types.
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
/** An IP family as Kubernetes names it. */
export type IPFamily = 'IPv4' | 'IPv6';

/** One port of a Service. */
export interface ServicePort {
  /** Empty string when the Service has a single unnamed port. */
  name: string;
  protocol: Protocol;
  port: number;
  /** As given in the Service (number or named port); slices carry the resolved numbers. */
  targetPort?: number | string;
  /** `nodePort` of NodePort and LoadBalancer services; absent when none is allocated. */
  nodePort?: number;
}

/** A Kubernetes Service, with the fields the proxy uses. */
export interface Service {
  namespace: string;
  name: string;
  /** `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`. */
  type: string;
  /** `spec.clusterIPs` (falls back to `[spec.clusterIP]`); `None` for headless services. */
  clusterIPs: string[];
  ipFamilies: IPFamily[];
  ports: ServicePort[];
  sessionAffinity: 'None' | 'ClientIP';
  /** `sessionAffinityConfig.clientIP.timeoutSeconds`, default 10800. */
  affinityTimeoutSeconds: number;
  internalTrafficPolicy: 'Cluster' | 'Local';
  labels: Record<string, string>;
  resourceVersion?: string;
  /** `spec.externalIPs`. Absent = none. */
  externalIPs?: string[];
  /** `status.loadBalancer.ingress[].ip`, without the `ipMode: Proxy` entries. Absent = none. */
  loadBalancerIPs?: string[];
  /** `spec.externalTrafficPolicy`; absent = Cluster. */
  externalTrafficPolicy?: 'Cluster' | 'Local';
  /** `spec.healthCheckNodePort` (LoadBalancer services with externalTrafficPolicy Local). */
  healthCheckNodePort?: number;
  /** `spec.loadBalancerSourceRanges` as CIDRs. Absent = every client. */
  loadBalancerSourceRanges?: string[];
  /** `spec.trafficDistribution` (e.g. `PreferClose`). */
  trafficDistribution?: string;
  /** The `service.kubernetes.io/topology-mode` annotation (or the older `topology-aware-hints`). */
  topologyMode?: string;
}

/** One port of an EndpointSlice. */
export interface EndpointPort {
  /** Joins with ServicePort.name; empty string for the unnamed port. */
  name: string;
  protocol: Protocol;
  port: number;
}

/** One endpoint of an EndpointSlice: its addresses, conditions and node. */
export interface Endpoint {
  addresses: string[];
  /** `conditions.ready`; Kubernetes says an unknown (absent) value means ready. */
  ready: boolean;
  /** `conditions.serving`; absent → same as ready. */
  serving: boolean;
  /** `conditions.terminating`; absent → false. */
  terminating: boolean;
  nodeName?: string;
  zone?: string;
  /** `hints.forZones[].name`: the zones this endpoint should serve (topology-aware routing). */
  zoneHints?: string[];
}

/** A Kubernetes EndpointSlice, with the fields the proxy uses. */
export interface EndpointSlice {
  namespace: string;
  name: string;
  /** The `kubernetes.io/service-name` label; slices without it belong to no service. */
  serviceName: string;
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  ports: EndpointPort[];
  endpoints: Endpoint[];
  resourceVersion?: string;
}

/** One change, keyed by `namespace/name`. */
export type SourceChange =
  { kind: 'service'; key: string; service: Service | null } | { kind: 'slice'; key: string; slice: EndpointSlice | null };

/** The events of a ServiceSource. */
export interface SourceEvents {
  /**
   * A batch of changes, already coalesced: several changes to one key within a batch appear
   * once, with the latest value (null = deleted). Emitted before `synced` for the initial state
   * only if the source chooses to; consumers must read `snapshot()` on `synced`.
   */
  changes: (changes: SourceChange[]) => void;
  /** The source's caches hold a complete view (once per start; again after a full relist). */
  synced: () => void;
  /** A problem the source survived (it keeps its last good state and retries). */
  error: (err: Error) => void;
  /** This node's Node object changed (sources that watch it: Kubernetes with a node name). */
  node: (node: NodeObject) => void;
}

/** What the proxy reads of its Node object. */
export interface NodeObject {
  name: string;
  /** `status.addresses` of type InternalIP, in order. */
  internalIPs: string[];
  /** `topology.kubernetes.io/zone` label. */
  zone?: string;
}

/** Every Service and EndpointSlice a source holds, by namespace/name. */
export interface Snapshot {
  services: Map<string, Service>;
  slices: Map<string, EndpointSlice>;
}

/** A source of Services and EndpointSlices the proxy follows (Kubernetes, files, memory). */
export interface ServiceSource extends EventEmitter<SourceEvents> {
  /** Starts watching; resolves once started (not necessarily synced). */
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly isSynced: boolean;
  /** The current complete state (a live view; do not mutate). */
  snapshot(): Snapshot;
}
