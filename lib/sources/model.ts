import { isIPv4, isIPv6 } from 'node:net';
import { ObjectError, type FieldPath, type ObjectKind } from './errors.js';
import type {
  Endpoint,
  EndpointPort,
  EndpointSlice,
  IPFamily,
  NodeObject,
  Protocol,
  Service,
  ServicePort,
} from './types.js';

/** Label that hands a Service to a specific proxy implementation (as kube-proxy honours it). */
export const SERVICE_PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name';
/** Label that joins an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const IP_FAMILIES: readonly IPFamily[] = ['IPv4', 'IPv6'];
const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'] as const;
const DEFAULT_AFFINITY_TIMEOUT = 10800;
const MAX_AFFINITY_TIMEOUT = 86400;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `namespace/name`, the key every source and the proxy use. */
export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function serviceKey(service: Pick<Service, 'namespace' | 'name'>): string {
  return objectKey(service.namespace, service.name);
}

export function sliceKey(slice: Pick<EndpointSlice, 'namespace' | 'name'>): string {
  return objectKey(slice.namespace, slice.name);
}

/** The key of the Service a slice belongs to (its `kubernetes.io/service-name` label). */
export function sliceServiceKey(slice: Pick<EndpointSlice, 'namespace' | 'serviceName'>): string {
  return objectKey(slice.namespace, slice.serviceName);
}

/** Reads fields of one object, failing with errors that name the object and the field. */
class FieldReader {
  constructor(
    private readonly kind: ObjectKind,
    private readonly ref: string,
  ) {}

  fail(path: FieldPath, problem: string): never {
    throw new ObjectError(this.kind, this.ref, path, problem);
  }

  /** An optional object: absent or null reads as undefined. */
  record(value: unknown, path: FieldPath): Json | undefined {
    if (value === undefined || value === null) return undefined;
    return this.object(value, path);
  }

  object(value: unknown, path: FieldPath): Json {
    if (!isRecord(value)) this.fail(path, 'must be an object');
    return value;
  }

  /** An absent or null list reads as empty. */
  list(value: unknown, path: FieldPath): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, 'must be a list');
    return value;
  }

  optString(value: unknown, path: FieldPath): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(path, 'must be a string');
    return value;
  }

  optBoolean(value: unknown, path: FieldPath): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(path, 'must be true or false');
    return value;
  }

  oneOf<T extends string>(value: unknown, path: FieldPath, allowed: readonly T[], fallback?: T): T {
    if ((value === undefined || value === null || value === '') && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(path, `must be one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  port(value: unknown, path: FieldPath): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
      this.fail(path, 'must be 1-65535');
    }
    return value;
  }

  labels(value: unknown, path: FieldPath): Record<string, string> {
    const labels = this.record(value, path) ?? {};
    const out: Record<string, string> = {};
    for (const [name, text] of Object.entries(labels)) {
      if (typeof text !== 'string') this.fail([...path, name], 'must be a string');
      out[name] = text;
    }
    return out;
  }
}

interface ObjectMeta {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  resourceVersion?: string;
}

/** Checks the envelope (`kind`, `metadata`) and returns a reader that names the object. */
function readEnvelope(kind: ObjectKind, obj: unknown): { meta: ObjectMeta; read: FieldReader; body: Json } {
  const anonymous: FieldReader = new FieldReader(kind, '(unnamed)');
  if (!isRecord(obj)) anonymous.fail([], 'must be an object');
  if (obj.kind !== undefined && obj.kind !== kind) anonymous.fail(['kind'], `must be ${kind}`);
  const metadata = anonymous.record(obj.metadata, ['metadata']);
  if (!metadata) anonymous.fail(['metadata'], 'required');
  const name = anonymous.optString(metadata.name, ['metadata', 'name']);
  if (!name) anonymous.fail(['metadata', 'name'], 'required');
  const namespace = anonymous.optString(metadata.namespace, ['metadata', 'namespace']) || 'default';
  const read: FieldReader = new FieldReader(kind, objectKey(namespace, name));
  const meta: ObjectMeta = {
    namespace,
    name,
    labels: read.labels(metadata.labels, ['metadata', 'labels']),
    annotations: read.labels(metadata.annotations, ['metadata', 'annotations']),
  };
  const resourceVersion = read.optString(metadata.resourceVersion, ['metadata', 'resourceVersion']);
  if (resourceVersion) meta.resourceVersion = resourceVersion;
  return { meta, read, body: obj };
}

function readServicePort(read: FieldReader, value: unknown, path: FieldPath): ServicePort {
  const port = read.object(value, path);
  const out: ServicePort = {
    name: read.optString(port.name, [...path, 'name']) ?? '',
    protocol: read.oneOf(port.protocol, [...path, 'protocol'], PROTOCOLS, 'TCP'),
    port: read.port(port.port, [...path, 'port']),
  };
  const nodePort = port.nodePort;
  if (nodePort !== undefined && nodePort !== null && nodePort !== 0) out.nodePort = read.port(nodePort, [...path, 'nodePort']);
  const target = port.targetPort;
  if (typeof target === 'number') {
    out.targetPort = read.port(target, [...path, 'targetPort']);
  } else if (typeof target === 'string' && target !== '') {
    out.targetPort = target;
  } else if (target !== undefined && target !== null) {
    read.fail([...path, 'targetPort'], 'must be a port number or a port name');
  }
  return out;
}

function readServicePorts(read: FieldReader, value: unknown): ServicePort[] {
  const ports = read.list(value, ['spec', 'ports']).map((port, i) => readServicePort(read, port, ['spec', 'ports', i]));
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    if (ports.length > 1 && port.name === '') {
      read.fail(['spec', 'ports', i, 'name'], 'required when a Service has more than one port');
    }
    if (seen.has(port.name)) read.fail(['spec', 'ports', i, 'name'], `duplicate port name "${port.name}"`);
    seen.add(port.name);
  });
  return ports;
}

function readClusterIPs(read: FieldReader, spec: Json): string[] {
  const listed = read.list(spec.clusterIPs, ['spec', 'clusterIPs']);
  const single = read.optString(spec.clusterIP, ['spec', 'clusterIP']);
  const ips = listed.length > 0 ? listed : single ? [single] : [];
  const path = listed.length > 0 ? (i: number): FieldPath => ['spec', 'clusterIPs', i] : (): FieldPath => ['spec', 'clusterIP'];
  return ips.map((ip, i) => {
    if (typeof ip !== 'string' || (ip !== 'None' && !isIPv4(ip) && !isIPv6(ip))) {
      read.fail(path(i), 'must be an IP address or None');
    }
    return ip;
  });
}

function readIPFamilies(read: FieldReader, spec: Json, clusterIPs: string[]): IPFamily[] {
  const listed = read.list(spec.ipFamilies, ['spec', 'ipFamilies']);
  if (listed.length > 0) {
    return listed.map((family, i) => read.oneOf(family, ['spec', 'ipFamilies', i], IP_FAMILIES));
  }
  return clusterIPs.filter((ip) => ip !== 'None').map((ip): IPFamily => (isIPv4(ip) ? 'IPv4' : 'IPv6'));
}

function readAffinityTimeout(read: FieldReader, spec: Json): number {
  const config = read.record(spec.sessionAffinityConfig, ['spec', 'sessionAffinityConfig']);
  const clientIP = read.record(config?.clientIP, ['spec', 'sessionAffinityConfig', 'clientIP']);
  const timeout = clientIP?.timeoutSeconds;
  if (timeout === undefined || timeout === null) return DEFAULT_AFFINITY_TIMEOUT;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > MAX_AFFINITY_TIMEOUT) {
    read.fail(['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'], `must be 1-${MAX_AFFINITY_TIMEOUT}`);
  }
  return timeout;
}

/** Annotations that turn topology-aware routing on (the older name is still honoured by kube-proxy). */
export const TOPOLOGY_MODE_ANNOTATION = 'service.kubernetes.io/topology-mode';
export const TOPOLOGY_HINTS_ANNOTATION = 'service.kubernetes.io/topology-aware-hints';

function readAddresses(read: FieldReader, value: unknown, path: FieldPath): string[] {
  return read.list(value, path).map((ip, i) => {
    if (typeof ip !== 'string' || (!isIPv4(ip) && !isIPv6(ip))) read.fail([...path, i], 'must be an IP address');
    return ip;
  });
}

function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  const ip = slash < 0 ? text : text.slice(0, slash);
  const bits = slash < 0 ? undefined : text.slice(slash + 1);
  const max = isIPv4(ip) ? 32 : isIPv6(ip) ? 128 : -1;
  if (max < 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
}

/** The north-south fields: node ports' companions, external and load-balancer addresses, policies. */
function readExternal(read: FieldReader, spec: Json, status: Json | undefined, service: Service, annotations: Record<string, string>): void {
  const externalIPs = readAddresses(read, spec.externalIPs, ['spec', 'externalIPs']);
  if (externalIPs.length) service.externalIPs = externalIPs;
  const lb = read.record(status?.loadBalancer, ['status', 'loadBalancer']);
  const ingress: string[] = [];
  read.list(lb?.ingress, ['status', 'loadBalancer', 'ingress']).forEach((value, i) => {
    const path: FieldPath = ['status', 'loadBalancer', 'ingress', i];
    const entry = read.object(value, path);
    const ip = read.optString(entry.ip, [...path, 'ip']);
    if (!ip) return;
    if (!isIPv4(ip) && !isIPv6(ip)) read.fail([...path, 'ip'], 'must be an IP address');
    // ipMode Proxy: the load balancer delivers to the nodes itself; the address must not be captured.
    if (read.oneOf(entry.ipMode, [...path, 'ipMode'], ['VIP', 'Proxy'] as const, 'VIP') === 'Proxy') return;
    ingress.push(ip);
  });
  if (ingress.length && service.type === 'LoadBalancer') service.loadBalancerIPs = ingress;
  const etp = read.oneOf(spec.externalTrafficPolicy, ['spec', 'externalTrafficPolicy'], ['Cluster', 'Local'] as const, 'Cluster');
  if (etp === 'Local') service.externalTrafficPolicy = 'Local';
  const hc = spec.healthCheckNodePort;
  if (hc !== undefined && hc !== null && hc !== 0) service.healthCheckNodePort = read.port(hc, ['spec', 'healthCheckNodePort']);
  const ranges = read.list(spec.loadBalancerSourceRanges, ['spec', 'loadBalancerSourceRanges']).map((r, i) => {
    const text = typeof r === 'string' ? r.trim() : r;
    if (typeof text !== 'string' || !isCidr(text)) read.fail(['spec', 'loadBalancerSourceRanges', i], 'must be a CIDR, e.g. 203.0.113.0/24');
    return text;
  });
  if (ranges.length) service.loadBalancerSourceRanges = ranges;
  const distribution = read.optString(spec.trafficDistribution, ['spec', 'trafficDistribution']);
  if (distribution) service.trafficDistribution = distribution;
  const mode = annotations[TOPOLOGY_MODE_ANNOTATION] ?? annotations[TOPOLOGY_HINTS_ANNOTATION];
  if (mode) service.topologyMode = mode;
}

/**
 * Converts a v1 Service as the API returns it (`kubectl get svc -o json`) to the model.
 * Throws an ObjectError naming the object and field, e.g.
 * `Service default/web: spec.ports[1].port: must be 1-65535`.
 */
export function serviceFromObject(obj: unknown): Service {
  const { meta, read, body } = readEnvelope('Service', obj);
  const spec = read.record(body.spec, ['spec']) ?? {};
  const clusterIPs = readClusterIPs(read, spec);
  const service: Service = {
    namespace: meta.namespace,
    name: meta.name,
    type: read.oneOf(spec.type, ['spec', 'type'], SERVICE_TYPES, 'ClusterIP'),
    clusterIPs,
    ipFamilies: readIPFamilies(read, spec, clusterIPs),
    ports: readServicePorts(read, spec.ports),
    sessionAffinity: read.oneOf(spec.sessionAffinity, ['spec', 'sessionAffinity'], ['None', 'ClientIP'] as const, 'None'),
    affinityTimeoutSeconds: readAffinityTimeout(read, spec),
    internalTrafficPolicy: read.oneOf(
      spec.internalTrafficPolicy,
      ['spec', 'internalTrafficPolicy'],
      ['Cluster', 'Local'] as const,
      'Cluster',
    ),
    labels: meta.labels,
  };
  readExternal(read, spec, read.record(body.status, ['status']), service, meta.annotations);
  if (meta.resourceVersion) service.resourceVersion = meta.resourceVersion;
  return service;
}

/** A port without a number means "all ports", which a ClusterIP proxy cannot program: it is left out. */
function readEndpointPort(read: FieldReader, value: unknown, path: FieldPath): EndpointPort | undefined {
  const port = read.object(value, path);
  if (port.port === undefined || port.port === null) return undefined;
  return {
    name: read.optString(port.name, [...path, 'name']) ?? '',
    protocol: read.oneOf(port.protocol, [...path, 'protocol'], PROTOCOLS, 'TCP'),
    port: read.port(port.port, [...path, 'port']),
  };
}

function checkAddress(read: FieldReader, addressType: EndpointSlice['addressType'], address: unknown, path: FieldPath): string {
  if (typeof address !== 'string' || address === '') read.fail(path, 'must be a non-empty string');
  if (addressType === 'IPv4' && !isIPv4(address)) read.fail(path, 'must be an IPv4 address');
  if (addressType === 'IPv6' && !isIPv6(address)) read.fail(path, 'must be an IPv6 address');
  return address;
}

function readEndpoint(read: FieldReader, addressType: EndpointSlice['addressType'], value: unknown, path: FieldPath): Endpoint {
  const endpoint = read.object(value, path);
  const addresses = read
    .list(endpoint.addresses, [...path, 'addresses'])
    .map((address, i) => checkAddress(read, addressType, address, [...path, 'addresses', i]));
  if (addresses.length === 0) read.fail([...path, 'addresses'], 'must list at least one address');
  const conditions = read.record(endpoint.conditions, [...path, 'conditions']) ?? {};
  const ready = read.optBoolean(conditions.ready, [...path, 'conditions', 'ready']) ?? true;
  const out: Endpoint = {
    addresses,
    ready,
    serving: read.optBoolean(conditions.serving, [...path, 'conditions', 'serving']) ?? ready,
    terminating: read.optBoolean(conditions.terminating, [...path, 'conditions', 'terminating']) ?? false,
  };
  const nodeName = read.optString(endpoint.nodeName, [...path, 'nodeName']);
  if (nodeName) out.nodeName = nodeName;
  const zone = read.optString(endpoint.zone, [...path, 'zone']);
  if (zone) out.zone = zone;
  const hints = read.record(endpoint.hints, [...path, 'hints']);
  const zoneHints = read.list(hints?.forZones, [...path, 'hints', 'forZones']).map((z, i) => {
    const name = read.optString(read.object(z, [...path, 'hints', 'forZones', i]).name, [...path, 'hints', 'forZones', i, 'name']);
    if (!name) read.fail([...path, 'hints', 'forZones', i, 'name'], 'required');
    return name;
  });
  if (zoneHints.length) out.zoneHints = zoneHints;
  return out;
}

/**
 * Converts a discovery.k8s.io/v1 EndpointSlice as the API returns it to the model.
 * Throws an ObjectError naming the object and field.
 */
export function sliceFromObject(obj: unknown): EndpointSlice {
  const { meta, read, body } = readEnvelope('EndpointSlice', obj);
  const addressType = read.oneOf(body.addressType, ['addressType'], ADDRESS_TYPES);
  const ports: EndpointPort[] = [];
  read.list(body.ports, ['ports']).forEach((port, i) => {
    const converted = readEndpointPort(read, port, ['ports', i]);
    if (converted) ports.push(converted);
  });
  const slice: EndpointSlice = {
    namespace: meta.namespace,
    name: meta.name,
    serviceName: meta.labels[SERVICE_NAME_LABEL] ?? '',
    addressType,
    ports,
    endpoints: read.list(body.endpoints, ['endpoints']).map((ep, i) => readEndpoint(read, addressType, ep, ['endpoints', i])),
  };
  if (meta.resourceVersion) slice.resourceVersion = meta.resourceVersion;
  return slice;
}

/** Label that names a node's zone (topology-aware routing). */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** Converts a v1 Node to what the proxy reads of it; throws an ObjectError naming the field. */
export function nodeFromObject(obj: unknown): NodeObject {
  const anonymous: FieldReader = new FieldReader('Node', '(unnamed)');
  if (!isRecord(obj)) anonymous.fail([], 'must be an object');
  const metadata = anonymous.record(obj.metadata, ['metadata']);
  const name = anonymous.optString(metadata?.name, ['metadata', 'name']);
  if (!name) anonymous.fail(['metadata', 'name'], 'required');
  const read: FieldReader = new FieldReader('Node', name);
  const labels = read.labels(metadata!.labels, ['metadata', 'labels']);
  const status = read.record(obj.status, ['status']);
  const internalIPs: string[] = [];
  read.list(status?.addresses, ['status', 'addresses']).forEach((value, i) => {
    const a = read.object(value, ['status', 'addresses', i]);
    const address = read.optString(a.address, ['status', 'addresses', i, 'address']);
    if (a.type === 'InternalIP' && address && (isIPv4(address) || isIPv6(address))) internalIPs.push(address);
  });
  const node: NodeObject = { name, internalIPs };
  if (labels[ZONE_LABEL]) node.zone = labels[ZONE_LABEL];
  return node;
}

export interface ProxyableOptions {
  /** This proxy's name for the `service.kubernetes.io/service-proxy-name` label; unset = the default proxy. */
  proxyName?: string;
}

/**
 * Whether a ClusterIP proxy serves this Service: not ExternalName, not headless, has a cluster IP,
 * and the service-proxy-name label matches (absent label → only the default proxy serves it;
 * present → only the proxy of that name).
 */
export function isProxyableService(service: Service, options: ProxyableOptions = {}): boolean {
  if (service.type === 'ExternalName') return false;
  const primary = service.clusterIPs[0];
  if (primary === undefined || primary === 'None') return false;
  const label = service.labels[SERVICE_PROXY_NAME_LABEL];
  if (label === undefined) return options.proxyName === undefined;
  return label === options.proxyName;
}

/** Deep equality of two values of the same model type (plain data, no nulls). */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object') return a === b;
  const objectA = a as Json;
  const objectB = b as Json;
  const keys = Object.keys(objectA);
  return keys.length === Object.keys(objectB).length && keys.every((key) => sameValue(objectA[key], objectB[key]));
}

/** Whether two model objects describe the same thing, ignoring `resourceVersion`. */
export function sameModel<T extends Service | EndpointSlice>(a: T, b: T): boolean {
  const { resourceVersion: _a, ...restA } = a;
  const { resourceVersion: _b, ...restB } = b;
  return sameValue(restA, restB);
}
