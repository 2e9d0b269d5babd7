import { isIPv4, isIPv6 } from 'node:net';
import { ObjectError, type FieldPath, type ObjectKind } from './errors.js';
import type { Endpoint, EndpointPort, EndpointSlice, IPFamily, NodeObject, Protocol, Service, ServicePort } from './types.js';

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

/** The path of a field: `at` followed by `key` when there is one. Built only to report a problem. */
function fieldPath(at: FieldPath, key: string | number | undefined): FieldPath {
  return key === undefined ? at : [...at, key];
}

/**
 * Reads fields of one object, failing with errors that name the object and the field. A field is
 * named by its parent's path and its own key, so that reading a valid object builds no paths.
 */
class FieldReader {
  constructor(
    private readonly kind: ObjectKind,
    private readonly ref: string,
  ) {}

  fail(at: FieldPath, problem: string, key?: string | number): never {
    throw new ObjectError(this.kind, this.ref, fieldPath(at, key), problem);
  }

  /** An optional object: absent or null reads as undefined. */
  record(value: unknown, at: FieldPath, key?: string | number): Json | undefined {
    if (value === undefined || value === null) return undefined;
    return this.object(value, at, key);
  }

  object(value: unknown, at: FieldPath, key?: string | number): Json {
    if (!isRecord(value)) this.fail(at, 'must be an object', key);
    return value;
  }

  /** An absent or null list reads as empty. */
  list(value: unknown, at: FieldPath, key?: string | number): unknown[] {
    if (value === undefined || value === null) return NO_ITEMS as unknown[];
    if (!Array.isArray(value)) this.fail(at, 'must be a list', key);
    return value;
  }

  optString(value: unknown, at: FieldPath, key?: string | number): string | undefined {
    if (typeof value === 'string' || value === undefined || value === null) return value ?? undefined;
    this.fail(at, 'must be a string', key);
  }

  optBoolean(value: unknown, at: FieldPath, key?: string | number): boolean | undefined {
    if (typeof value === 'boolean' || value === undefined || value === null) return value ?? undefined;
    this.fail(at, 'must be true or false', key);
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T | undefined, at: FieldPath, key?: string | number): T {
    if ((value === undefined || value === null || value === '') && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(at, `must be one of ${allowed.join(', ')}`, key);
    }
    return value as T;
  }

  port(value: unknown, at: FieldPath, key?: string | number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
      this.fail(at, 'must be 1-65535', key);
    }
    return value;
  }

  labels(value: unknown, at: FieldPath): Record<string, string> {
    const labels = this.record(value, at);
    const out: Record<string, string> = {};
    if (labels === undefined) return out;
    for (const name in labels) {
      if (!Object.hasOwn(labels, name)) continue;
      const text = labels[name];
      if (typeof text !== 'string') this.fail(at, 'must be a string', name);
      out[name] = text;
    }
    return out;
  }
}

/** The list an absent list reads as (never written to: conversions copy what they keep). */
const NO_ITEMS: readonly unknown[] = Object.freeze([]);

const ROOT: FieldPath = [];
const METADATA: FieldPath = ['metadata'];
const SPEC: FieldPath = ['spec'];
const SPEC_PORTS: FieldPath = ['spec', 'ports'];
const SPEC_CLUSTER_IPS: FieldPath = ['spec', 'clusterIPs'];
const SPEC_IP_FAMILIES: FieldPath = ['spec', 'ipFamilies'];
const SPEC_EXTERNAL_IPS: FieldPath = ['spec', 'externalIPs'];
const SPEC_SOURCE_RANGES: FieldPath = ['spec', 'loadBalancerSourceRanges'];
const AFFINITY_CONFIG: FieldPath = ['spec', 'sessionAffinityConfig'];
const AFFINITY_CLIENT_IP: FieldPath = ['spec', 'sessionAffinityConfig', 'clientIP'];
const STATUS: FieldPath = ['status'];
const LOAD_BALANCER: FieldPath = ['status', 'loadBalancer'];
const LB_INGRESS: FieldPath = ['status', 'loadBalancer', 'ingress'];
const LABELS: FieldPath = ['metadata', 'labels'];
const ANNOTATIONS: FieldPath = ['metadata', 'annotations'];
const PORTS: FieldPath = ['ports'];
const ENDPOINTS: FieldPath = ['endpoints'];
const NODE_ADDRESSES: FieldPath = ['status', 'addresses'];

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
  if (!isRecord(obj)) anonymous.fail(ROOT, 'must be an object');
  if (obj.kind !== undefined && obj.kind !== kind) anonymous.fail(ROOT, `must be ${kind}`, 'kind');
  const metadata = anonymous.record(obj.metadata, METADATA);
  if (!metadata) anonymous.fail(METADATA, 'required');
  const name = anonymous.optString(metadata.name, METADATA, 'name');
  if (!name) anonymous.fail(METADATA, 'required', 'name');
  const namespace = anonymous.optString(metadata.namespace, METADATA, 'namespace') || 'default';
  const read: FieldReader = new FieldReader(kind, objectKey(namespace, name));
  const meta: ObjectMeta = {
    namespace,
    name,
    labels: read.labels(metadata.labels, LABELS),
    annotations: read.labels(metadata.annotations, ANNOTATIONS),
  };
  const resourceVersion = read.optString(metadata.resourceVersion, METADATA, 'resourceVersion');
  if (resourceVersion) meta.resourceVersion = resourceVersion;
  return { meta, read, body: obj };
}

function readServicePort(read: FieldReader, value: unknown, i: number): ServicePort {
  const port = isRecord(value) ? value : read.object(value, SPEC_PORTS, i);
  const out: ServicePort = {
    name: (typeof port.name === 'string' ? port.name : read.optString(port.name, [...SPEC_PORTS, i], 'name')) ?? '',
    protocol: port.protocol === 'TCP' ? 'TCP' : read.oneOf(port.protocol, PROTOCOLS, 'TCP', [...SPEC_PORTS, i], 'protocol'),
    port: read.port(port.port, [...SPEC_PORTS, i], 'port'),
  };
  const nodePort = port.nodePort;
  if (nodePort !== undefined && nodePort !== null && nodePort !== 0) out.nodePort = read.port(nodePort, [...SPEC_PORTS, i], 'nodePort');
  const target = port.targetPort;
  if (typeof target === 'number') {
    out.targetPort = read.port(target, [...SPEC_PORTS, i], 'targetPort');
  } else if (typeof target === 'string' && target !== '') {
    out.targetPort = target;
  } else if (target !== undefined && target !== null) {
    read.fail([...SPEC_PORTS, i], 'must be a port number or a port name', 'targetPort');
  }
  return out;
}

function readServicePorts(read: FieldReader, value: unknown): ServicePort[] {
  const listed = read.list(value, SPEC_PORTS);
  const ports: ServicePort[] = new Array<ServicePort>(listed.length);
  for (let i = 0; i < listed.length; i++) ports[i] = readServicePort(read, listed[i], i);
  if (ports.length === 1) return ports;
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    if (port.name === '') read.fail([...SPEC_PORTS, i], 'required when a Service has more than one port', 'name');
    if (seen.has(port.name)) read.fail([...SPEC_PORTS, i], `duplicate port name "${port.name}"`, 'name');
    seen.add(port.name);
  });
  return ports;
}

function isClusterIP(ip: unknown): ip is string {
  return typeof ip === 'string' && (ip === 'None' || isIPv4(ip) || isIPv6(ip));
}

function readClusterIPs(read: FieldReader, spec: Json): string[] {
  const listed = read.list(spec.clusterIPs, SPEC_CLUSTER_IPS);
  const single = read.optString(spec.clusterIP, SPEC, 'clusterIP');
  if (listed.length === 0) {
    if (!single) return [];
    if (!isClusterIP(single)) read.fail(SPEC, 'must be an IP address or None', 'clusterIP');
    return [single];
  }
  const ips: string[] = new Array<string>(listed.length);
  for (let i = 0; i < listed.length; i++) {
    const ip = listed[i];
    if (!isClusterIP(ip)) read.fail(SPEC_CLUSTER_IPS, 'must be an IP address or None', i);
    ips[i] = ip;
  }
  return ips;
}

function readIPFamilies(read: FieldReader, spec: Json, clusterIPs: string[]): IPFamily[] {
  const listed = read.list(spec.ipFamilies, SPEC_IP_FAMILIES);
  const families: IPFamily[] = [];
  if (listed.length > 0) {
    for (let i = 0; i < listed.length; i++) families.push(read.oneOf(listed[i], IP_FAMILIES, undefined, SPEC_IP_FAMILIES, i));
    return families;
  }
  for (const ip of clusterIPs) if (ip !== 'None') families.push(isIPv4(ip) ? 'IPv4' : 'IPv6');
  return families;
}

function readAffinityTimeout(read: FieldReader, spec: Json): number {
  if (spec.sessionAffinityConfig === undefined || spec.sessionAffinityConfig === null) return DEFAULT_AFFINITY_TIMEOUT;
  const config = read.record(spec.sessionAffinityConfig, AFFINITY_CONFIG);
  const clientIP = read.record(config?.clientIP, AFFINITY_CONFIG, 'clientIP');
  const timeout = clientIP?.timeoutSeconds;
  if (timeout === undefined || timeout === null) return DEFAULT_AFFINITY_TIMEOUT;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > MAX_AFFINITY_TIMEOUT) {
    read.fail(AFFINITY_CLIENT_IP, `must be 1-${MAX_AFFINITY_TIMEOUT}`, 'timeoutSeconds');
  }
  return timeout;
}

/** Annotations that turn topology-aware routing on (the older name is still honoured by kube-proxy). */
export const TOPOLOGY_MODE_ANNOTATION = 'service.kubernetes.io/topology-mode';
export const TOPOLOGY_HINTS_ANNOTATION = 'service.kubernetes.io/topology-aware-hints';

function readAddresses(read: FieldReader, value: unknown, at: FieldPath): string[] {
  return read.list(value, at).map((ip, i) => {
    if (typeof ip !== 'string' || (!isIPv4(ip) && !isIPv6(ip))) read.fail(at, 'must be an IP address', i);
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
function readExternal(
  read: FieldReader,
  spec: Json,
  status: Json | undefined,
  service: Service,
  annotations: Record<string, string>,
): void {
  const externalIPs = readAddresses(read, spec.externalIPs, SPEC_EXTERNAL_IPS);
  if (externalIPs.length) service.externalIPs = externalIPs;
  const lb = read.record(status?.loadBalancer, LOAD_BALANCER);
  const ingress: string[] = [];
  read.list(lb?.ingress, LB_INGRESS).forEach((value, i) => {
    const path: FieldPath = [...LB_INGRESS, i];
    const entry = read.object(value, LB_INGRESS, i);
    const ip = read.optString(entry.ip, path, 'ip');
    if (!ip) return;
    if (!isIPv4(ip) && !isIPv6(ip)) read.fail(path, 'must be an IP address', 'ip');
    // ipMode Proxy: the load balancer delivers to the nodes itself; the address must not be captured.
    if (read.oneOf(entry.ipMode, ['VIP', 'Proxy'] as const, 'VIP', path, 'ipMode') === 'Proxy') return;
    ingress.push(ip);
  });
  if (ingress.length && service.type === 'LoadBalancer') service.loadBalancerIPs = ingress;
  const etp = read.oneOf(spec.externalTrafficPolicy, ['Cluster', 'Local'] as const, 'Cluster', SPEC, 'externalTrafficPolicy');
  if (etp === 'Local') service.externalTrafficPolicy = 'Local';
  const hc = spec.healthCheckNodePort;
  if (hc !== undefined && hc !== null && hc !== 0) service.healthCheckNodePort = read.port(hc, SPEC, 'healthCheckNodePort');
  const ranges = read.list(spec.loadBalancerSourceRanges, SPEC_SOURCE_RANGES).map((r, i) => {
    const text = typeof r === 'string' ? r.trim() : r;
    if (typeof text !== 'string' || !isCidr(text)) read.fail(SPEC_SOURCE_RANGES, 'must be a CIDR, e.g. 203.0.113.0/24', i);
    return text;
  });
  if (ranges.length) service.loadBalancerSourceRanges = ranges;
  const distribution = read.optString(spec.trafficDistribution, SPEC, 'trafficDistribution');
  if (distribution) service.trafficDistribution = distribution;
  const mode = annotations[TOPOLOGY_MODE_ANNOTATION] ?? annotations[TOPOLOGY_HINTS_ANNOTATION];
  if (mode) service.topologyMode = mode;
}

/**
 * Converts a v1 Service as the API returns it (`kubectl get svc -o json`) to the source's Service.
 * Throws an ObjectError naming the object and field, e.g.
 * `Service default/web: spec.ports[1].port: must be 1-65535`.
 */
export function serviceFromObject(obj: unknown): Service {
  const { meta, read, body } = readEnvelope('Service', obj);
  const spec = read.record(body.spec, SPEC) ?? {};
  const clusterIPs = readClusterIPs(read, spec);
  const service: Service = {
    namespace: meta.namespace,
    name: meta.name,
    type: read.oneOf(spec.type, SERVICE_TYPES, 'ClusterIP', SPEC, 'type'),
    clusterIPs,
    ipFamilies: readIPFamilies(read, spec, clusterIPs),
    ports: readServicePorts(read, spec.ports),
    sessionAffinity: read.oneOf(spec.sessionAffinity, ['None', 'ClientIP'] as const, 'None', SPEC, 'sessionAffinity'),
    affinityTimeoutSeconds: readAffinityTimeout(read, spec),
    internalTrafficPolicy: read.oneOf(spec.internalTrafficPolicy, ['Cluster', 'Local'] as const, 'Cluster', SPEC, 'internalTrafficPolicy'),
    labels: meta.labels,
  };
  readExternal(read, spec, read.record(body.status, STATUS), service, meta.annotations);
  if (meta.resourceVersion) service.resourceVersion = meta.resourceVersion;
  return service;
}

/** A port without a number means "all ports", which a ClusterIP proxy cannot program: it is left out. */
function readEndpointPort(read: FieldReader, value: unknown, i: number): EndpointPort | undefined {
  const port = isRecord(value) ? value : read.object(value, PORTS, i);
  if (port.port === undefined || port.port === null) return undefined;
  return {
    name: (typeof port.name === 'string' ? port.name : read.optString(port.name, [...PORTS, i], 'name')) ?? '',
    protocol: port.protocol === 'TCP' ? 'TCP' : read.oneOf(port.protocol, PROTOCOLS, 'TCP', [...PORTS, i], 'protocol'),
    port: read.port(port.port, [...PORTS, i], 'port'),
  };
}

function readAddressList(read: FieldReader, addressType: EndpointSlice['addressType'], value: unknown, i: number): string[] {
  const listed = read.list(value, [...ENDPOINTS, i], 'addresses');
  const addresses: string[] = new Array<string>(listed.length);
  for (let k = 0; k < listed.length; k++) {
    const address = listed[k];
    if (typeof address !== 'string' || address === '') read.fail([...ENDPOINTS, i, 'addresses'], 'must be a non-empty string', k);
    if (addressType === 'IPv4' ? !isIPv4(address) : addressType === 'IPv6' && !isIPv6(address)) {
      read.fail([...ENDPOINTS, i, 'addresses'], `must be an ${addressType} address`, k);
    }
    addresses[k] = address;
  }
  if (addresses.length === 0) read.fail([...ENDPOINTS, i], 'must list at least one address', 'addresses');
  return addresses;
}

function readEndpoint(read: FieldReader, addressType: EndpointSlice['addressType'], value: unknown, i: number): Endpoint {
  const endpoint = isRecord(value) ? value : read.object(value, ENDPOINTS, i);
  const addresses = readAddressList(read, addressType, endpoint.addresses, i);
  let ready = true;
  let serving: boolean | undefined;
  let terminating = false;
  if (endpoint.conditions !== undefined && endpoint.conditions !== null) {
    const conditions = isRecord(endpoint.conditions)
      ? endpoint.conditions
      : read.object(endpoint.conditions, [...ENDPOINTS, i], 'conditions');
    const { ready: r, serving: s, terminating: t } = conditions;
    if (typeof r === 'boolean') ready = r;
    else if (r !== undefined && r !== null) read.optBoolean(r, [...ENDPOINTS, i, 'conditions'], 'ready');
    if (typeof s === 'boolean') serving = s;
    else if (s !== undefined && s !== null) read.optBoolean(s, [...ENDPOINTS, i, 'conditions'], 'serving');
    if (typeof t === 'boolean') terminating = t;
    else if (t !== undefined && t !== null) read.optBoolean(t, [...ENDPOINTS, i, 'conditions'], 'terminating');
  }
  const out: Endpoint = { addresses, ready, serving: serving ?? ready, terminating };
  const nodeName = endpoint.nodeName;
  if (typeof nodeName === 'string') {
    if (nodeName) out.nodeName = nodeName;
  } else {
    read.optString(nodeName, [...ENDPOINTS, i], 'nodeName');
  }
  const zone = endpoint.zone;
  if (typeof zone === 'string') {
    if (zone) out.zone = zone;
  } else {
    read.optString(zone, [...ENDPOINTS, i], 'zone');
  }
  if (endpoint.hints !== undefined && endpoint.hints !== null) {
    const at: FieldPath = [...ENDPOINTS, i, 'hints'];
    const hints = read.object(endpoint.hints, [...ENDPOINTS, i], 'hints');
    const zoneHints = read.list(hints.forZones, at, 'forZones').map((z, k) => {
      const name = read.optString(read.object(z, [...at, 'forZones'], k).name, [...at, 'forZones', k], 'name');
      if (!name) read.fail([...at, 'forZones', k], 'required', 'name');
      return name;
    });
    if (zoneHints.length) out.zoneHints = zoneHints;
  }
  return out;
}

/**
 * Converts a discovery.k8s.io/v1 EndpointSlice as the API returns it to the source's EndpointSlice.
 * Throws an ObjectError naming the object and field.
 */
export function sliceFromObject(obj: unknown): EndpointSlice {
  const { meta, read, body } = readEnvelope('EndpointSlice', obj);
  const addressType = read.oneOf(body.addressType, ADDRESS_TYPES, undefined, ROOT, 'addressType');
  const ports: EndpointPort[] = [];
  const listedPorts = read.list(body.ports, PORTS);
  for (let i = 0; i < listedPorts.length; i++) {
    const converted = readEndpointPort(read, listedPorts[i], i);
    if (converted) ports.push(converted);
  }
  const listedEndpoints = read.list(body.endpoints, ENDPOINTS);
  const endpoints: Endpoint[] = new Array<Endpoint>(listedEndpoints.length);
  for (let i = 0; i < listedEndpoints.length; i++) endpoints[i] = readEndpoint(read, addressType, listedEndpoints[i], i);
  const slice: EndpointSlice = {
    namespace: meta.namespace,
    name: meta.name,
    serviceName: meta.labels[SERVICE_NAME_LABEL] ?? '',
    addressType,
    ports,
    endpoints,
  };
  if (meta.resourceVersion) slice.resourceVersion = meta.resourceVersion;
  return slice;
}

/** Label that names a node's zone (topology-aware routing). */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** Converts a v1 Node to what the proxy reads of it; throws an ObjectError naming the field. */
export function nodeFromObject(obj: unknown): NodeObject {
  const anonymous: FieldReader = new FieldReader('Node', '(unnamed)');
  if (!isRecord(obj)) anonymous.fail(ROOT, 'must be an object');
  const metadata = anonymous.record(obj.metadata, METADATA);
  const name = anonymous.optString(metadata?.name, METADATA, 'name');
  if (!name) anonymous.fail(METADATA, 'required', 'name');
  const read: FieldReader = new FieldReader('Node', name);
  const labels = read.labels(metadata!.labels, LABELS);
  const status = read.record(obj.status, STATUS);
  const internalIPs: string[] = [];
  read.list(status?.addresses, STATUS, 'addresses').forEach((value, i) => {
    const a = read.object(value, NODE_ADDRESSES, i);
    const address = read.optString(a.address, [...NODE_ADDRESSES, i], 'address');
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

/** Deep equality of two values of the same source type (plain data, no nulls, optional fields left out), skipping `skip` at the top. */
function sameValue(a: unknown, b: unknown, skip?: string): boolean {
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  const objectA = a as Json;
  const objectB = b as Json;
  let count = 0;
  for (const key in objectA) {
    if (key === skip) continue;
    if (!sameValue(objectA[key], objectB[key])) return false;
    count++;
  }
  for (const key in objectB) if (key !== skip) count--;
  return count === 0;
}

/** Whether two converted objects describe the same thing, ignoring `resourceVersion`. */
export function sameContent<T extends Service | EndpointSlice>(a: T, b: T): boolean {
  return sameValue(a, b, 'resourceVersion');
}
