/**
 * `ofwire proxy`: the service proxy as a process.
 *
 *   ofwire proxy --bridge TARGET --source SOURCE [--kubeconfig FILE] [--node-name N]
 *                [--table-base N] [--next-table N] [--ct-zone N] [--ct-zone6 N] [--hairpin-ip IP]
 *                [--proxy-name NAME] [--node-ip IP[,IP]] [--nodeport-addresses CIDR,…|primary]
 *                [--cluster-cidr CIDR[,CIDR]] [--zone Z] [--health-check-address IP[,IP]]
 *                [--once [--timeout S]] [--metrics HOST:PORT]
 *                [--healthz HOST:PORT] [--healthz-grace S] [--log-level LEVEL]
 */
import type { Server } from 'node:http';
import type { Command } from 'commander';
import { Switch } from '../controller/switch.js';
import { LOG_LEVELS, isLogLevelName, jsonLinesLogger, type Logger } from '../logger.js';
import type { HealthCheckServer } from '../proxy/health-check-server.js';
import { hostAddresses, nodePortAddresses, parseNodePortAddresses, primaryPerFamily } from '../proxy/node-addresses.js';
import { resolveOptions } from '../proxy/options.js';
import { ServiceProxy } from '../proxy/proxy.js';
import { FileSource } from '../sources/file.js';
import type { ServiceSource } from '../sources/types.js';
import { CliError, action } from './errors.js';
import { ProxyHealth, healthRoutes, parseListenAddress, serveHttp } from './health.js';

interface ProxyCliOptions {
  bridge: string;
  source: string;
  kubeconfig?: string;
  namespace?: string;
  nodeName?: string;
  proxyName?: string;
  tableBase?: string;
  nextTable?: string;
  ctZone?: string;
  ctZone6?: string;
  hairpinIp?: string;
  nodeIp?: string;
  nodeportAddresses: string;
  clusterCidr?: string;
  zone?: string;
  healthCheckAddress: string;
  once?: boolean;
  timeout: string;
  metrics?: string;
  healthz: string;
  healthzGrace: string;
  logLevel: string;
}

function integer(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(v)) throw new CliError(`--${name}: "${v}" is not a number`);
  return Number(v);
}

async function openSource(spec: string, o: ProxyCliOptions, log: Logger): Promise<ServiceSource> {
  if (spec.startsWith('file:')) {
    const path = spec.slice(5);
    if (!path) throw new CliError(`--source ${spec}: file: needs a path, e.g. file:services.yaml`);
    return new FileSource(path, { logger: log });
  }
  if (spec === 'kube') {
    // Loaded only when used: the Kubernetes client is large.
    const { KubeSource } = await import('../sources/kube.js');
    return new KubeSource({
      kubeconfig: o.kubeconfig,
      namespace: o.namespace,
      logger: log,
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
    });
  }
  throw new CliError(`--source "${spec}": use kube or file:PATH`);
}

/** A stopping agent exits by then even if a request to the API server is still in flight. */
const STOP_DEADLINE_MS = 1500;

/** Milliseconds of a `--NAME SECONDS` option. */
function seconds(name: string, v: string): number {
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new CliError(`--${name}: "${v}" is not a number of seconds`);
  return Number(v) * 1000;
}

/**
 * The process's logger: JSON lines on stderr, errors as their message (no stack traces), and a
 * warning repeated with the same reason (a retry failing again) written once until something else
 * is logged: one line per change of state.
 */
function processLogger(level: string): Logger {
  if (!isLogLevelName(level)) throw new CliError(`--log-level: unknown level ${JSON.stringify(level)} (fatal, error, warn, info, debug)`);
  let lastWarning: string | undefined;
  return jsonLinesLogger({
    level,
    filter(levelNumber, fields, msg) {
      if (levelNumber === LOG_LEVELS.warn) {
        const err = fields.err;
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- whatever was logged as err
        const key = String(err instanceof Error ? err.message : (err ?? msg));
        if (key === lastWarning) return false;
        lastWarning = key;
      } else if (levelNumber > LOG_LEVELS.debug) {
        lastWarning = undefined;
      }
      return true;
    },
  });
}

/** Rejects with `reason()` if `promise` has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, reason: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CliError(reason())), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function list(v: string | undefined): string[] | undefined {
  return v === undefined
    ? undefined
    : v
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');
}

async function runProxy(o: ProxyCliOptions): Promise<void> {
  const log = processLogger(o.logLevel);
  let nodePortSpec: ReturnType<typeof parseNodePortAddresses>;
  try {
    nodePortSpec = parseNodePortAddresses(o.nodeportAddresses);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const flagIPs = list(o.nodeIp);
  /** Node addresses from the flags and, when it is known, the Node object. */
  const nodeInfo = (internalIPs: string[] = []) => {
    const nodeIPs = primaryPerFamily(flagIPs ?? internalIPs);
    return { nodeIPs, nodePortAddresses: nodePortAddresses(nodePortSpec, nodeIPs, [...internalIPs, ...hostAddresses()]) };
  };
  const initialNode = nodeInfo();
  const options = {
    nodeIPs: initialNode.nodeIPs,
    nodePortAddresses: initialNode.nodePortAddresses,
    clusterCidrs: list(o.clusterCidr),
    zone: o.zone,
    tableBase: integer('table-base', o.tableBase),
    nextTable: integer('next-table', o.nextTable),
    ctZone: integer('ct-zone', o.ctZone),
    ctZone6: integer('ct-zone6', o.ctZone6),
    hairpinIp: o.hairpinIp,
    nodeName: o.nodeName,
    proxyName: o.proxyName,
  };
  const timeoutMs = seconds('timeout', o.timeout);
  const graceMs = seconds('healthz-grace', o.healthzGrace);
  try {
    resolveOptions(options);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  if (o.metrics) parseListenAddress('metrics', o.metrics, '127.0.0.1');
  if (o.healthz && !o.once) parseListenAddress('healthz', o.healthz, '0.0.0.0');

  const source = await openSource(o.source, o, log);
  const sw = new Switch(o.bridge, { asyncEvents: true, logger: log });
  let proxy: ServiceProxy;
  try {
    proxy = new ServiceProxy(sw, source, { ...options, logger: log });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const health = new ProxyHealth(graceMs);
  let switchProblem: string | undefined;
  let sourceProblem: string | undefined;
  let failures = 0;
  sw.on('connected', () => {
    health.switchConnected(true);
    if (switchProblem !== undefined) log.info('switch connected');
    switchProblem = undefined;
  });
  /** Set once the agent is done (a signal, or --once synced): closing the switch connection then is no problem. */
  let stopping = false;
  sw.on('disconnected', (err) => {
    health.switchConnected(false);
    if (stopping) return;
    switchProblem = err?.message ?? 'connection closed';
    log.warn({ err: switchProblem }, 'switch disconnected; reconnecting');
  });
  sw.on('error', (err) => {
    switchProblem = err.message;
    log.warn({ err: err.message }, 'switch');
  });
  source.on('error', (err) => (sourceProblem = err.message));
  source.on('synced', () => (sourceProblem = undefined));
  source.on('changes', () => {
    health.changeQueued();
    void proxy.whenSynced({ allowFailures: true }).then(() => health.synced(true));
  });
  proxy.on('synced', () => health.synced(false));
  proxy.on('serviceError', () => failures++);
  // Without any address, the proxy warns once when a service has node ports.
  const noteNodeAddresses = (addresses: string[]) => {
    if (addresses.length) log.info({ addresses }, 'node port addresses');
  };
  if (flagIPs || o.source !== 'kube' || !o.nodeName) noteNodeAddresses(initialNode.nodePortAddresses);
  source.on('node', (node) => {
    const info = nodeInfo(node.internalIPs);
    noteNodeAddresses(info.nodePortAddresses);
    proxy.setNode({ ...info, ...((o.zone ?? node.zone) ? { zone: o.zone ?? node.zone } : {}) });
  });
  // A single sync opens no health-check ports: the server is loaded only by a running agent.
  let healthChecks: HealthCheckServer | undefined;
  if (!o.once) {
    const { HealthCheckServer } = await import('../proxy/health-check-server.js');
    const server = new HealthCheckServer({
      hosts: list(o.healthCheckAddress) ?? ['0.0.0.0'],
      proxyHealthy: () => health.healthy,
      onError: (port, err) => log.warn({ port, err: err.message }, 'health-check port not opened'),
    });
    healthChecks = server;
    proxy.on('healthCheck', (service, hc) => void server.update(service, hc));
  }

  const servers: Server[] = [];
  try {
    // What cannot heal (a kubeconfig that is missing or names no cluster) fails here, at once.
    await proxy.start();
    if (o.once) {
      sw.start();
      const reason = () => {
        const why = !sw.connected
          ? `the switch ${o.bridge} was not reachable${switchProblem ? ` (${switchProblem})` : ''}`
          : !source.isSynced
            ? `the source ${o.source} was not readable${sourceProblem ? ` (${sourceProblem})` : ''}`
            : 'the switch did not acknowledge the changes';
        return `not synced within --timeout ${o.timeout} s: ${why}`;
      };
      await within(proxy.whenSynced({ allowFailures: true }), timeoutMs, reason);
      stopping = true;
      if (failures) throw new CliError(`${failures} service change(s) refused by the switch (see the log)`);
      return;
    }
    if (o.metrics) {
      const m = await serveHttp('metrics', o.metrics, '127.0.0.1', {
        '/metrics': async () => ({ status: 200, type: proxy.metrics.contentType, body: proxy.metrics.text() }),
      });
      servers.push(m.server);
      log.info({ host: m.host, port: m.port }, 'serving metrics');
    }
    if (o.healthz) {
      const h = await serveHttp('healthz', o.healthz, '0.0.0.0', healthRoutes(health));
      servers.push(h.server);
      log.info({ host: h.host, port: h.port }, 'serving healthz');
    }
    sw.start();
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    // Flows and groups stay on the switch: the next agent reads them back and changes only what differs.
    stopping = true;
    log.info('stopping; flows and groups stay installed');
    setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref();
  } finally {
    await proxy.stop().catch(() => undefined);
    await healthChecks?.close();
    await sw.close().catch(() => undefined);
    for (const server of servers) {
      server.close();
      server.closeAllConnections();
    }
  }
}

export function registerProxyCommand(program: Command): void {
  program
    .command('proxy')
    .description('run the Kubernetes service proxy on an Open vSwitch bridge')
    .requiredOption('--bridge <target>', 'the bridge: unix:/run/openvswitch/br-int.mgmt, tcp:HOST:PORT …')
    .requiredOption('--source <source>', 'kube (the Kubernetes API) or file:PATH (Service and EndpointSlice manifests)')
    .option('--kubeconfig <file>', 'kubeconfig for --source kube (default $KUBECONFIG, then in-cluster)')
    .option('--namespace <ns>', 'watch one namespace only (default all)')
    .option('--node-name <name>', "this node's name (internalTrafficPolicy: Local, hairpin flows for local pods only)")
    .option('--proxy-name <name>', 'serve only services labelled service.kubernetes.io/service-proxy-name=<name>')
    .option('--table-base <n>', 'first of the six tables the proxy owns', '10')
    .option('--next-table <n>', 'table packets continue to, destination translated', '20')
    .option('--ct-zone <n>', 'conntrack zone for IPv4', '65520')
    .option('--ct-zone6 <n>', 'conntrack zone for IPv6', '65521')
    .option('--hairpin-ip <ip>', 'source address of a pod reaching itself through a service', '169.254.0.253')
    .option('--node-ip <ip[,ip]>', "this node's primary address per family (default: the Node object's InternalIP)")
    .option(
      '--nodeport-addresses <cidrs|primary>',
      'addresses that accept NodePort connections: CIDRs, or primary (the node IP per family)',
      'primary',
    )
    .option(
      '--cluster-cidr <cidr[,cidr]>',
      "the pods' CIDRs: pods reaching an external address of an externalTrafficPolicy Local service use every endpoint",
    )
    .option('--zone <zone>', "this node's zone for topology-aware routing (default: the Node object's topology.kubernetes.io/zone)")
    .option('--health-check-address <ip[,ip]>', 'where health-check node ports of Local load balancers listen', '0.0.0.0')
    .option('--once', 'sync once, wait for the switch to acknowledge, exit')
    .option('--timeout <seconds>', 'with --once: give up (exit 1) if not synced by then', '30')
    .option('--metrics <host:port>', 'serve Prometheus metrics on http://HOST:PORT/metrics')
    .option('--healthz <host:port>', "serve /healthz and /readyz (kube-proxy's port); empty to turn off", '0.0.0.0:10256')
    .option('--healthz-grace <seconds>', '/healthz fails when a change has waited for the switch longer than this', '60')
    .option('--log-level <level>', 'fatal, error, warn, info, debug', 'info')
    .action(action('proxy', runProxy));
}
