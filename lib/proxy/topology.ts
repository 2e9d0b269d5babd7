/**
 * Which endpoints a service port uses, as kube-proxy's CategorizeEndpoints decides it: the
 * cluster-wide set (ready endpoints, narrowed to this node's zone by topology hints when they can
 * be used, else the serving-and-terminating ones), and the local set (this node's ready endpoints,
 * else its serving-and-terminating ones).
 */

export interface TopologyEndpoint {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  local: boolean;
  /** `hints.forZones` names; empty or absent = no hint. */
  zoneHints?: readonly string[];
}

export interface TopologyService {
  /** `spec.trafficDistribution`: any value turns hints on regardless of the annotation. */
  trafficDistribution?: string;
  /** `service.kubernetes.io/topology-mode` (or the older annotation): `Auto` turns hints on. */
  topologyMode?: string;
  /** Whether cluster-wide endpoints are needed (some traffic policy is Cluster). */
  usesCluster: boolean;
  /** Whether this node's endpoints are needed (some traffic policy is Local). */
  usesLocal: boolean;
}

export interface Categorized<E> {
  cluster: E[];
  local: E[];
  /** Whether any endpoint is ready, or serving and terminating, anywhere. */
  hasAny: boolean;
}

/**
 * kube-proxy's rule for using hints: enabled by trafficDistribution or the annotation `Auto`, the
 * node has a zone, every ready endpoint carries a hint, and at least one is hinted for this zone.
 */
export function canUseTopology<E extends TopologyEndpoint>(
  endpoints: readonly E[],
  svc: TopologyService,
  zone: string | undefined,
): boolean {
  if (svc.trafficDistribution === undefined) {
    const mode = svc.topologyMode;
    if (mode !== 'Auto' && mode !== 'auto') return false;
  }
  let forZone = false;
  for (const e of endpoints) {
    if (!e.ready) continue;
    if (!e.zoneHints?.length) return false;
    if (!zone) return false;
    if (e.zoneHints.includes(zone)) forZone = true;
  }
  return forZone;
}

export function categorizeEndpoints<E extends TopologyEndpoint>(
  endpoints: readonly E[],
  svc: TopologyService,
  zone: string | undefined,
): Categorized<E> {
  let cluster: E[] = [];
  let local: E[] = [];
  let hasAny = false;
  if (svc.usesCluster) {
    const topology = canUseTopology(endpoints, svc, zone);
    cluster = endpoints.filter((e) => e.ready && (!topology || e.zoneHints!.includes(zone!)));
    // No ready endpoint anywhere (topology was already given up when the zone had none).
    if (!cluster.length) cluster = endpoints.filter((e) => e.serving && e.terminating);
    hasAny = cluster.length > 0;
  }
  if (!svc.usesLocal) return { cluster, local, hasAny };
  let localReady = false;
  let localTerminating = false;
  for (const e of endpoints) {
    if (e.ready) {
      hasAny = true;
      if (e.local) localReady = true;
    } else if (e.serving && e.terminating) {
      hasAny = true;
      if (e.local) localTerminating = true;
    }
  }
  if (localReady) local = endpoints.filter((e) => e.local && e.ready);
  else if (localTerminating) local = endpoints.filter((e) => e.local && e.serving && e.terminating);
  return { cluster, local, hasAny };
}
