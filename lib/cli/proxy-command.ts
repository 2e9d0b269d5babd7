/**
 * `ofwire proxy`: the ClusterIP service proxy as a process.
 *
 *   ofwire proxy --bridge TARGET --source SOURCE [--kubeconfig FILE] [--node-name N]
 *                [--table-base N] [--next-table N] [--ct-zone N] [--ct-zone6 N] [--hairpin-ip IP]
 *                [--proxy-name NAME] [--once] [--metrics HOST:PORT] [--log-level LEVEL]
 */
import { createServer, type Server } from 'node:http';
import type { Command } from 'commander';
import { pino, type Logger } from 'pino';
import { Switch } from '../controller/switch.js';
import { resolveOptions } from '../proxy/options.js';
import { ServiceProxy } from '../proxy/proxy.js';
import { FileSource } from '../sources/file.js';
import type { ServiceSource } from '../sources/types.js';
import { CliError, action } from './errors.js';

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
  once?: boolean;
  metrics?: string;
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
    return new KubeSource({ kubeconfig: o.kubeconfig, namespace: o.namespace, logger: log });
  }
  throw new CliError(`--source "${spec}": use kube or file:PATH`);
}

function serveMetrics(where: string, proxy: ServiceProxy, log: Logger): Promise<Server> {
  const m = /^(?:(\[[^\]]+\]|[^:]*):)?(\d+)$/.exec(where);
  if (!m) throw new CliError(`--metrics "${where}": expected HOST:PORT or PORT`);
  const host = (m[1] || '127.0.0.1').replace(/^\[|\]$/g, '');
  const port = Number(m[2]);
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.statusCode = 404;
      res.end('see /metrics\n');
      return;
    }
    proxy.metrics.registry
      .metrics()
      .then((text) => {
        res.setHeader('content-type', proxy.metrics.registry.contentType);
        res.end(text);
      })
      .catch((err: Error) => {
        res.statusCode = 500;
        res.end(err.message);
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new CliError(`--metrics ${where}: ${err.message}`)));
    server.listen(port, host, () => {
      const address = server.address();
      log.info({ host, port: typeof address === 'object' && address ? address.port : port }, 'serving metrics');
      resolve(server);
    });
  });
}

async function runProxy(o: ProxyCliOptions): Promise<void> {
  const log = pino({ level: o.logLevel, base: undefined }, pino.destination(2));
  const options = {
    tableBase: integer('table-base', o.tableBase),
    nextTable: integer('next-table', o.nextTable),
    ctZone: integer('ct-zone', o.ctZone),
    ctZone6: integer('ct-zone6', o.ctZone6),
    hairpinIp: o.hairpinIp,
    nodeName: o.nodeName,
    proxyName: o.proxyName,
  };
  try {
    resolveOptions(options);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const source = await openSource(o.source, o, log);
  const sw = o.once
    ? await Switch.connect(o.bridge, { asyncEvents: true, logger: log, reconnect: false })
    : new Switch(o.bridge, { asyncEvents: true, logger: log });
  let proxy: ServiceProxy;
  try {
    proxy = new ServiceProxy(sw, source, { ...options, logger: log });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  let failures = 0;
  proxy.on('serviceError', () => failures++);
  proxy.on('error', (err) => log.warn({ err: err.message }, 'proxy error'));

  if (o.once) {
    await proxy.start();
    await proxy.whenSynced({ allowFailures: true });
    await proxy.stop();
    await sw.close();
    if (failures) throw new CliError(`${failures} service change(s) refused by the switch (see the log)`);
    return;
  }

  const metrics = o.metrics ? await serveMetrics(o.metrics, proxy, log) : undefined;
  sw.on('error', (err) => log.warn({ err: err.message }, 'switch'));
  sw.start();
  await proxy.start();
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log.info('stopping');
  await proxy.stop();
  await sw.close();
  metrics?.close();
}

export function registerProxyCommand(program: Command): void {
  program
    .command('proxy')
    .description('run the Kubernetes ClusterIP service proxy on an Open vSwitch bridge')
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
    .option('--once', 'sync once, wait for the switch to acknowledge, exit')
    .option('--metrics <host:port>', 'serve Prometheus metrics on http://HOST:PORT/metrics')
    .option('--log-level <level>', 'fatal, error, warn, info, debug', 'info')
    .action(action('proxy', runProxy));
}
