/**
 * Health checks of externalTrafficPolicy Local load balancers: one HTTP listener per
 * `healthCheckNodePort`, answering as kube-proxy does — 200 while this node has an endpoint of the
 * service and the proxy itself is healthy, 503 otherwise, with `{"service":{"namespace","name"},"localEndpoints":N,"serviceProxyHealthy":B}`.
 * Cloud load balancers probe it to send traffic only to nodes that can serve it. Listeners open and
 * close as services come and go.
 */
import { createServer, type Server } from 'node:http';
import type { HealthCheck } from './model.js';

/** Options of a HealthCheckServer. */
export interface HealthCheckServerOptions {
  /** Addresses to listen on. Default every IPv4 address (`0.0.0.0`). */
  hosts?: string[];
  /** Whether the proxy itself is healthy (the `serviceProxyHealthy` field). Default always. */
  proxyHealthy?: () => boolean;
  /** Called when a port cannot be opened (in use, not permitted); it is retried on the next update. */
  onError?: (port: number, err: Error) => void;
}

interface Listener {
  servers: Server[];
  /** service key → its check; the first one answers when two services share a port. */
  services: Map<string, HealthCheck>;
}

/** The body kube-proxy writes (its JSON, indented as kube-proxy indents it). */
export function healthCheckBody(hc: Pick<HealthCheck, 'namespace' | 'name' | 'localEndpoints'>, proxyHealthy: boolean): string {
  return [
    '{',
    '\t"service": {',
    `\t\t"namespace": ${JSON.stringify(hc.namespace)},`,
    `\t\t"name": ${JSON.stringify(hc.name)}`,
    '\t},',
    `\t"localEndpoints": ${hc.localEndpoints},`,
    `\t"serviceProxyHealthy": ${proxyHealthy}`,
    '}',
  ].join('\n');
}

/**
 * The health checks of externalTrafficPolicy Local services: an HTTP listener per health-check node
 * port, answering as kube-proxy does.
 */
export class HealthCheckServer {
  private readonly hosts: string[];
  private readonly proxyHealthy: () => boolean;
  private readonly onError: (port: number, err: Error) => void;
  private readonly listeners = new Map<number, Listener>();
  /** service key → the port it was given */
  private readonly portOf = new Map<string, number>();
  private closed = false;

  constructor(opts: HealthCheckServerOptions = {}) {
    this.hosts = opts.hosts ?? ['0.0.0.0'];
    this.proxyHealthy = opts.proxyHealthy ?? (() => true);
    this.onError = opts.onError ?? (() => undefined);
  }

  /** Ports listened on (or being opened). */
  get ports(): number[] {
    return [...this.listeners.keys()].sort((a, b) => a - b);
  }

  /** Sets (or, with undefined, removes) the health check of one service; resolves once its listener is open or closed. */
  async update(serviceKey: string, hc: HealthCheck | undefined): Promise<void> {
    if (this.closed) return;
    const before = this.portOf.get(serviceKey);
    if (before !== undefined && before !== hc?.port) {
      this.portOf.delete(serviceKey);
      const l = this.listeners.get(before)!;
      l.services.delete(serviceKey);
      if (!l.services.size) {
        this.listeners.delete(before);
        await closeAll(l.servers);
      }
    }
    if (!hc) return;
    this.portOf.set(serviceKey, hc.port);
    let l = this.listeners.get(hc.port);
    if (l) {
      l.services.set(serviceKey, hc);
      return;
    }
    l = { servers: [], services: new Map([[serviceKey, hc]]) };
    this.listeners.set(hc.port, l);
    const listener = l;
    await Promise.all(
      this.hosts.map(async (host) => {
        const server = createServer((_req, res) => {
          const current = listener.services.values().next().value;
          if (!current) {
            res.writeHead(503).end();
            return;
          }
          const proxyHealthy = this.proxyHealthy();
          res.setHeader('Content-Type', 'application/json');
          res.setHeader('X-Content-Type-Options', 'nosniff');
          // An unhealthy proxy fails every check, as kube-proxy's does: its flows may be stale.
          res.writeHead(current.localEndpoints > 0 && proxyHealthy ? 200 : 503);
          res.end(healthCheckBody(current, proxyHealthy));
        });
        try {
          await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(hc.port, host, () => {
              server.off('error', reject);
              resolve();
            });
          });
          listener.servers.push(server);
        } catch (err) {
          this.onError(hc.port, err as Error);
        }
      }),
    );
    if (!listener.servers.length) {
      // Nothing opened: forget it, so the next update tries again.
      if (this.listeners.get(hc.port) === listener) this.listeners.delete(hc.port);
      this.portOf.delete(serviceKey);
    } else if (this.listeners.get(hc.port) !== listener || this.closed) {
      await closeAll(listener.servers);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.listeners.values()];
    this.listeners.clear();
    this.portOf.clear();
    await Promise.all(all.map((l) => closeAll(l.servers)));
  }
}

async function closeAll(servers: Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        }),
    ),
  );
}
