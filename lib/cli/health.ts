/**
 * `/healthz` and `/readyz` for `ofwire proxy`, with kube-proxy's semantics: healthy while the switch
 * is connected and no change has waited for it longer than a grace period (200 with
 * `{"lastUpdated", "currentTime"}`, else 503); ready once the first full sync is acknowledged.
 */
import type { Server } from 'node:http';
import { CliError } from './errors.js';

/** What the health endpoints report, fed by the proxy's and the switch's events. */
export class ProxyHealth {
  private connected = false;
  private ready = false;
  /** When the oldest change not yet acknowledged by the switch arrived. */
  private waitingSince: number | undefined;
  private lastUpdated: number | undefined;

  constructor(
    private readonly graceMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  switchConnected(up: boolean): void {
    this.connected = up;
  }

  /** A change arrived from the source. */
  changeQueued(): void {
    this.waitingSince ??= this.now();
  }

  /** The switch acknowledged a sync that holds every change so far. */
  synced(idle: boolean): void {
    this.lastUpdated = this.now();
    this.ready = true;
    if (idle) this.waitingSince = undefined;
  }

  get healthy(): boolean {
    if (!this.connected) return false;
    return this.waitingSince === undefined || this.now() - this.waitingSince <= this.graceMs;
  }

  get isReady(): boolean {
    return this.ready;
  }

  body(): string {
    const stamp = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    return JSON.stringify({ lastUpdated: stamp(this.lastUpdated), currentTime: stamp(this.now()) });
  }
}

/** `HOST:PORT`, `[V6]:PORT` or `PORT` (on `defaultHost`). */
export function parseListenAddress(option: string, where: string, defaultHost: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]*):)?(\d{1,5})$/.exec(where);
  if (!m || Number(m[2]) > 65535) throw new CliError(`--${option} "${where}": expected HOST:PORT or PORT`);
  return { host: (m[1] || defaultHost).replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

/** Serves `routes` (path → status and body) on `where`; resolves with the server and its port. */
export async function serveHttp(
  option: string,
  where: string,
  defaultHost: string,
  routes: Record<string, () => Promise<{ status: number; type: string; body: string }>>,
): Promise<{ server: Server; port: number; host: string }> {
  const { host, port } = parseListenAddress(option, where, defaultHost);
  // Loaded only by an agent that serves: `ofwire proxy --once` does without.
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (!route) {
      res.statusCode = 404;
      res.end(`see ${Object.keys(routes).join(', ')}\n`);
      return;
    }
    route().then(
      (r) => {
        res.statusCode = r.status;
        res.setHeader('content-type', r.type);
        res.end(r.body);
      },
      (err: Error) => {
        res.statusCode = 500;
        res.end(err.message);
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new CliError(`--${option} ${where}: ${err.message}`)));
    server.listen(port, host, () => {
      const address = server.address();
      resolve({ server, host, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}

/** The `/healthz` and `/readyz` routes of `health`. */
export function healthRoutes(health: ProxyHealth): Record<string, () => Promise<{ status: number; type: string; body: string }>> {
  const json = 'application/json';
  return {
    '/healthz': async () => ({ status: health.healthy ? 200 : 503, type: json, body: health.body() }),
    '/livez': async () => ({ status: health.healthy ? 200 : 503, type: json, body: health.body() }),
    '/readyz': async () => ({ status: health.isReady ? 200 : 503, type: 'text/plain', body: health.isReady ? 'ok\n' : 'not synced yet\n' }),
  };
}
