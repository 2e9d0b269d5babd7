/**
 * Kubernetes objects and a CNI-like forwarding table for proxy tests: what a node agent would
 * install around the proxy's tables.
 */
import { Switch } from '../../lib/controller/index.js';
import type { MemorySource } from '../../lib/sources/index.js';
import { ServiceProxy, type ServiceProxyOptions, type SyncInfo } from '../../lib/proxy/proxy.js';
import { run, type Sandbox } from './ovs-sandbox.js';
import { GATEWAY_MAC, type Pod } from './netns.js';
import { podIp6 } from './pod-tools.js';

export function service(name: string, spec: Record<string, unknown>, namespace = 'default', labels: Record<string, string> = {}): unknown {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels }, spec: { type: 'ClusterIP', ...spec } };
}

export interface SliceEndpoint {
  ip: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  nodeName?: string;
}

export function slice(
  serviceName: string,
  name: string,
  ports: { name?: string; port: number; protocol?: string }[],
  endpoints: SliceEndpoint[],
  addressType = 'IPv4',
  namespace = 'default',
): unknown {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': serviceName } },
    addressType,
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
      ...(e.nodeName ? { nodeName: e.nodeName } : {}),
    })),
  };
}

/** The cookie of the forwarding flows installForwarding() writes (not the proxy's). */
export const FORWARDING_COOKIE = '0xc0';

/**
 * Table 0 hands IP to the proxy (tableBase 10); table 20 delivers by destination address (IPv4
 * 10.244.0.N and IPv6 fd00:10:244::N of every pod), back out of the ingress port when the
 * destination is the sender (hairpin). Installed with ovs-ofctl and a cookie of its own, as a CNI
 * would: the proxy must leave these alone.
 */
export async function installForwarding(sb: Sandbox, pods: Pod[], opts: { tableBase?: number; next?: number } = {}): Promise<void> {
  const base = opts.tableBase ?? 10;
  const next = opts.next ?? 20;
  const c = `cookie=${FORWARDING_COOKIE}`;
  const flows = [`${c},table=0,priority=0,actions=goto_table:${base}`, `${c},table=${next},priority=0,actions=drop`];
  for (const p of pods) {
    const rewrite = `set_field:${GATEWAY_MAC}->eth_src,set_field:${p.mac}->eth_dst`;
    const ip6 = podIp6(p.ofport);
    flows.push(`${c},table=${next},priority=200,ip,in_port=${p.ofport},nw_dst=${p.ip},actions=${rewrite},IN_PORT`);
    flows.push(`${c},table=${next},priority=100,ip,nw_dst=${p.ip},actions=${rewrite},output:${p.ofport}`);
    flows.push(`${c},table=${next},priority=200,ipv6,in_port=${p.ofport},ipv6_dst=${ip6},actions=${rewrite},IN_PORT`);
    flows.push(`${c},table=${next},priority=100,ipv6,ipv6_dst=${ip6},actions=${rewrite},output:${p.ofport}`);
  }
  await run('ovs-ofctl', ['-O', 'OpenFlow13', 'add-flows', sb.bridge, '-'], { env: sb.env, input: flows.join('\n') });
}

export interface RunningProxy {
  proxy: ServiceProxy;
  sw: Switch;
  /** `warning` events so far, as `service: message`. */
  warnings: string[];
  /** Every `synced` event, the initial sync included. */
  syncs: SyncInfo[];
  /** Stops the proxy and closes its switch connection (also done at teardown). */
  stop: () => Promise<void>;
}

/**
 * Connects to the sandbox bridge and starts a proxy on `source`; fails the test on any `error` or
 * `serviceError` event. Resolves once the switch holds what the source says.
 */
export async function startProxy(
  t: { teardown(fn: () => unknown): void; fail(message: string): unknown },
  sb: Sandbox,
  source: MemorySource,
  opts: ServiceProxyOptions = {},
): Promise<RunningProxy> {
  const sw = await Switch.connect(sb.mgmt, { asyncEvents: true });
  const proxy = new ServiceProxy(sw, source, opts);
  const warnings: string[] = [];
  const syncs: SyncInfo[] = [];
  proxy.on('synced', (s) => syncs.push(s));
  proxy.on('error', (e) => t.fail(`proxy error: ${e.message}`));
  proxy.on('serviceError', (s, e) => t.fail(`service ${s} not programmed: ${e.message}`));
  proxy.on('warning', (s, m) => warnings.push(`${s}: ${m}`));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await proxy.stop();
    await sw.close();
  };
  t.teardown(stop);
  await proxy.start();
  await proxy.whenSynced();
  return { proxy, sw, warnings, syncs, stop };
}

/** `ovs-ofctl dump-flows` lines (without the header), optionally of one table or filter. */
export async function flowLines(sb: Sandbox, filter?: string): Promise<string[]> {
  const out = await sb.ofctl('dump-flows', sb.bridge, ...(filter ? [filter] : []));
  return out.split('\n').filter((l) => l.startsWith(' cookie='));
}

/** A dumped flow line without its counters and age, for comparing dumps. */
export function withoutCounters(line: string): string {
  return line
    .replace(/ duration=[0-9.]+s,/, '')
    .replace(/ n_packets=\d+, n_bytes=\d+,/, '')
    .replace(/ idle_age=\d+,/, '')
    .trim();
}
