/**
 * The little of the Kubernetes API a node agent needs — a chunked list and a watch stream of one
 * resource, as JSON over HTTP(S) with a bearer token or a client certificate — on Node's own http
 * and https modules. (A general Kubernetes client costs an agent on every node about 80 MB of
 * memory to load; this costs nothing measurable.)
 */
import { readFile } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Where the API server is and how to authenticate to it (see kube-config.ts). */
export interface KubeConnection {
  /** `https://host:port` or `http://host:port`, perhaps with a path prefix. */
  server: string;
  /** CA certificates that sign the server's certificate (PEM); default: Node's. */
  ca?: Buffer;
  /** Do not verify the server's certificate. */
  insecure?: boolean;
  /** The name to verify the server's certificate against, when not the server's host. */
  tlsServerName?: string;
  token?: string;
  /** A file holding the token, read again for every request (service-account tokens rotate). */
  tokenFile?: string;
  /** A client certificate and its key (PEM). */
  cert?: Buffer;
  key?: Buffer;
  username?: string;
  password?: string;
}

/** A response of the API server with an error status (from a `Status` object where it sent one). */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(
    readonly status: number,
    /** The Status object's `reason` (Forbidden, Expired, Gone…). */
    readonly reason: string,
    readonly apiMessage: string,
  ) {
    super(`HTTP ${status}${apiMessage ? `: ${apiMessage}` : reason ? ` ${reason}` : ''}`);
  }
}

/** A watch stream that ended by a broken connection rather than by the server closing it. */
export class WatchLostError extends Error {
  override readonly name = 'WatchLostError';
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

export class KubeClient {
  private readonly base: URL;
  private readonly agent: HttpAgent;
  private readonly secure: boolean;

  constructor(readonly connection: KubeConnection) {
    this.base = new URL(connection.server);
    this.secure = this.base.protocol === 'https:';
    this.agent = this.secure
      ? new HttpsAgent({
          keepAlive: true,
          ca: connection.ca,
          cert: connection.cert,
          key: connection.key,
          rejectUnauthorized: !connection.insecure,
          servername: connection.tlsServerName,
        })
      : new HttpAgent({ keepAlive: true });
  }

  /** GET `path` with `query`; the parsed JSON body, or a KubeApiError. */
  async get(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<unknown> {
    const res = await this.request(path, query, signal);
    const body = await readBody(res);
    if (res.statusCode! >= 400) throw apiError(res.statusCode!, body);
    return JSON.parse(body);
  }

  /**
   * Watches `path` from `resourceVersion`, calling `onEvent` for each event. Resolves when the
   * server ends the stream (its timeout); rejects with KubeApiError for an error status and with
   * WatchLostError when the connection breaks or stays silent past the timeout.
   */
  async watch(
    path: string,
    query: Record<string, string | number | undefined>,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const timeoutSeconds = Number(query.timeoutSeconds ?? 300);
    const res = await this.request(path, { ...query, watch: 1 }, signal, (timeoutSeconds + 30) * 1000);
    if (res.statusCode! >= 400) throw apiError(res.statusCode!, await readBody(res));
    res.setEncoding('utf8');
    let pending = '';
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        res.destroy();
        reject(err);
      };
      res.on('data', (chunk: string) => {
        // Most chunks hold whole events: parsed straight from the chunk, only a partial line is kept.
        const text = pending ? pending + chunk : chunk;
        let start = 0;
        let nl: number;
        while ((nl = text.indexOf('\n', start)) >= 0) {
          const line = text.slice(start, nl);
          start = nl + 1;
          if (!line.trim()) continue;
          try {
            onEvent(JSON.parse(line) as WatchEvent);
          } catch (err) {
            fail(err as Error);
            return;
          }
        }
        pending = start < text.length ? text.slice(start) : '';
      });
      res.on('end', () => (failed ? undefined : resolve()));
      res.on('aborted', () => fail(new WatchLostError('watch connection lost')));
      res.on('error', (err) => fail(signal.aborted ? err : new WatchLostError('watch connection lost')));
    });
  }

  /** Closes idle connections. */
  close(): void {
    this.agent.destroy();
  }

  private async headers(): Promise<Record<string, string>> {
    const c = this.connection;
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = c.tokenFile ? (await readFile(c.tokenFile, 'utf8')).trim() : c.token;
    if (token) headers.authorization = `Bearer ${token}`;
    else if (c.username !== undefined)
      headers.authorization = `Basic ${Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64')}`;
    return headers;
  }

  private async request(
    path: string,
    query: Record<string, string | number | undefined>,
    signal: AbortSignal | undefined,
    idleMs = 60_000,
  ): Promise<IncomingMessage> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers = await this.headers();
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = (this.secure ? httpsRequest : httpRequest)(url, { agent: this.agent, headers, signal }, resolve);
      req.setTimeout(idleMs, () => req.destroy(new WatchLostError(`no answer from ${url.host} in ${idleMs / 1000} s`)));
      req.on('error', reject);
      req.end();
    });
  }
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** The error for a failed response, from its Status object when it is one. */
export function apiError(status: number, body: string): KubeApiError {
  let reason = '';
  let message = '';
  try {
    const s = JSON.parse(body) as { kind?: unknown; reason?: unknown; message?: unknown };
    if (typeof s.reason === 'string') reason = s.reason;
    if (typeof s.message === 'string') message = s.message;
  } catch {
    message = body.trim().split('\n')[0]!.slice(0, 200);
  }
  return new KubeApiError(status, reason, message);
}
