/**
 * A small Kubernetes API server for tests, speaking the real HTTP protocol for v1 Services and
 * discovery.k8s.io/v1 EndpointSlices:
 *  - list (always of the latest state), with the list's resourceVersion and optional
 *    `limit`/`continue` chunks (a continue token older than the compacted history gets 410);
 *  - watch (`watch=true|1`) from a resourceVersion, as a chunked stream of newline-delimited JSON
 *    events ADDED/MODIFIED/DELETED, BOOKMARK when `allowWatchBookmarks` is set, and an ERROR event
 *    with a 410 Expired Status for a resourceVersion older than the compacted history;
 *  - bearer-token authentication, and over HTTPS (`tls`) client certificates signed by `clientCa`.
 * Test controls: mutate objects (each bumps the resourceVersion), compact the history, send
 * bookmarks, expire or drop watch connections, and restart the whole server on the same port.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

export type Resource = 'services' | 'endpointslices' | 'nodes';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string; [field: string]: unknown };
  [field: string]: unknown;
}

interface ResourceInfo {
  kind: string;
  apiVersion: string;
  listKind: string;
  route: RegExp;
}

const RESOURCES: Record<Resource, ResourceInfo> = {
  services: {
    kind: 'Service',
    apiVersion: 'v1',
    listKind: 'ServiceList',
    route: /^\/api\/v1(?:\/namespaces\/([^/]+))?\/services$/,
  },
  endpointslices: {
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    listKind: 'EndpointSliceList',
    route: /^\/apis\/discovery\.k8s\.io\/v1(?:\/namespaces\/([^/]+))?\/endpointslices$/,
  },
  // Cluster-scoped: stored under the namespace "default" like the others, listed whole.
  nodes: {
    kind: 'Node',
    apiVersion: 'v1',
    listKind: 'NodeList',
    route: /^\/api\/v1\/nodes()$/,
  },
};

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface StoredEvent {
  resourceVersion: number;
  resource: Resource;
  namespace: string;
  type: EventType;
  object: KubeObject;
}

interface ActiveWatch {
  resource: Resource;
  namespace: string | undefined;
  bookmarks: boolean;
  response: ServerResponse;
}

export interface RequestRecord {
  resource: Resource;
  namespace: string | undefined;
  watch: boolean;
  query: Record<string, string>;
}

function resourceOfKind(kind: string | undefined): Resource {
  if (kind === 'Service') return 'services';
  if (kind === 'EndpointSlice') return 'endpointslices';
  if (kind === 'Node') return 'nodes';
  throw new Error(`fake apiserver: unsupported kind ${String(kind)}`);
}

/** Stored objects always have a namespace. */
function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace!}/${obj.metadata.name}`;
}

function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

export interface FakeApiServerOptions {
  /** Serve HTTPS with this key and certificate (PEM); accept clients whose certificate `clientCa` signed. */
  tls?: { key: Buffer; cert: Buffer; clientCa?: Buffer };
}

export class FakeApiServer extends EventEmitter {
  /** The bearer token it accepts; assign a new one to rotate it. */
  token = `token-${randomUUID()}`;
  /** Every list and watch request, in order. */
  readonly requests: RequestRecord[] = [];
  private readonly stores: Record<Resource, Map<string, KubeObject>> = { services: new Map(), endpointslices: new Map(), nodes: new Map() };
  private history: StoredEvent[] = [];
  private revision = 100;
  private compactedRevision = 0;
  private readonly watches = new Set<ActiveWatch>();
  private readonly rejections = new Map<Resource, number>();
  private readonly sockets = new Set<Socket>();
  private server: Server;
  private listening = false;
  port = 0;

  private constructor(private readonly options: FakeApiServerOptions) {
    super();
    this.server = this.createHttpServer();
  }

  static async start(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const api = new FakeApiServer(options);
    await api.listen(0);
    return api;
  }

  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  get resourceVersion(): string {
    return String(this.revision);
  }

  /** Creates or replaces an object (kind Service or EndpointSlice); returns the stored copy. */
  upsert(input: KubeObject): KubeObject {
    const resource = resourceOfKind(input.kind);
    const info = RESOURCES[resource];
    const store = this.stores[resource];
    const obj = clone(input);
    obj.apiVersion = info.apiVersion;
    obj.kind = info.kind;
    obj.metadata.namespace ??= 'default';
    const previous = store.get(keyOf(obj));
    obj.metadata.uid = previous?.metadata.uid ?? obj.metadata.uid ?? randomUUID();
    obj.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    obj.metadata.resourceVersion = String(++this.revision);
    store.set(keyOf(obj), obj);
    this.record(resource, previous ? 'MODIFIED' : 'ADDED', obj);
    return clone(obj);
  }

  /** Deletes an object; returns false when it did not exist. */
  delete(kind: 'Service' | 'EndpointSlice' | 'Node', namespace: string, name: string): boolean {
    const resource = resourceOfKind(kind);
    const store = this.stores[resource];
    const obj = store.get(`${namespace}/${name}`);
    if (!obj) return false;
    store.delete(keyOf(obj));
    const final = clone(obj);
    final.metadata.resourceVersion = String(++this.revision);
    this.record(resource, 'DELETED', final);
    return true;
  }

  get(kind: 'Service' | 'EndpointSlice', namespace: string, name: string): KubeObject | undefined {
    const obj = this.stores[resourceOfKind(kind)].get(`${namespace}/${name}`);
    return obj && clone(obj);
  }

  count(resource: Resource): number {
    return this.stores[resource].size;
  }

  /** Forgets the event history: watches from an older resourceVersion get 410 Gone. */
  compact(): void {
    this.history = [];
    this.compactedRevision = this.revision;
  }

  /** Sends a BOOKMARK at the current resourceVersion to every watch that asked for bookmarks. */
  bookmark(): void {
    for (const watch of this.watches) {
      if (!watch.bookmarks) continue;
      const { kind, apiVersion } = RESOURCES[watch.resource];
      this.send(watch.response, {
        type: 'BOOKMARK',
        object: { kind, apiVersion, metadata: { resourceVersion: this.resourceVersion } },
      });
    }
  }

  /** Ends every watch the way the API server does when its window expires: ERROR 410, then close. */
  expireWatches(): void {
    for (const watch of [...this.watches]) {
      this.send(watch.response, {
        type: 'ERROR',
        object: status(410, 'Expired', `too old resource version: ${this.compactedRevision} (${this.revision})`),
      });
      watch.response.end();
      this.watches.delete(watch);
    }
  }

  /** Ends watch streams cleanly (final chunk), as the API server does when a watch times out. */
  endWatches(resource?: Resource): void {
    for (const watch of [...this.watches]) {
      if (resource && watch.resource !== resource) continue;
      this.watches.delete(watch);
      watch.response.end();
    }
  }

  /** Cuts watch connections mid-stream (the TCP connection is destroyed, no final chunk). */
  dropWatches(resource?: Resource): void {
    for (const watch of [...this.watches]) {
      if (resource && watch.resource !== resource) continue;
      this.watches.delete(watch);
      watch.response.socket?.destroy();
    }
  }

  /** Answers every list and watch of `resource` with this HTTP error status; `undefined` stops. */
  reject(resource: Resource, code: number | undefined): void {
    if (code === undefined) this.rejections.delete(resource);
    else this.rejections.set(resource, code);
  }

  watchCount(resource?: Resource): number {
    return [...this.watches].filter((watch) => !resource || watch.resource === resource).length;
  }

  /** Resolves once at least `count` watches on `resource` are open. */
  async waitForWatches(resource: Resource, count = 1): Promise<void> {
    while (this.watchCount(resource) < count) await once(this, 'watch');
  }

  /** Resolves once no watch connection is open (watches close when their client goes away). */
  async waitForNoWatches(): Promise<void> {
    while (this.watches.size > 0) await once(this, 'unwatch');
  }

  /** Resolves once a request matching `match` has been served (counting from `from`). */
  async waitForRequest(match: (request: RequestRecord) => boolean, from = 0): Promise<RequestRecord> {
    for (;;) {
      const found = this.requests.slice(from).find(match);
      if (found) return found;
      await once(this, 'request');
    }
  }

  /** Stops accepting connections and destroys open ones, as a crashing API server would. */
  async down(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    this.watches.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    if (this.listening) return;
    this.server = this.createHttpServer();
    await this.listen(this.port);
  }

  /**
   * Restarts the server, running `whileDown` while it is down. By default the restarted server
   * has lost its watch history (as a real API server loses its watch cache), so watches resuming
   * from an older version get 410.
   */
  async restart(options: { keepHistory?: boolean; whileDown?: () => unknown } = {}): Promise<void> {
    await this.down();
    await options.whileDown?.();
    if (!options.keepHistory) this.compact();
    await this.up();
  }

  async close(): Promise<void> {
    await this.down();
  }

  /** Writes a kubeconfig for this server into `directory` and returns its path. */
  writeKubeconfig(directory: string, fileName = 'kubeconfig'): string {
    const path = join(directory, fileName);
    writeFileSync(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: fake',
        '  cluster:',
        `    server: ${this.url}`,
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: tester',
        '  user:',
        `    token: ${this.token}`,
        'contexts:',
        '- name: fake',
        '  context:',
        '    cluster: fake',
        '    user: tester',
        'current-context: fake',
        '',
      ].join('\n'),
    );
    return path;
  }

  private async listen(port: number): Promise<void> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    this.listening = true;
  }

  private createHttpServer(): Server {
    const tls = this.options.tls;
    const handler = (request: IncomingMessage, response: ServerResponse) => this.handle(request, response);
    const server = tls
      ? createHttpsServer(
          { key: tls.key, cert: tls.cert, ca: tls.clientCa, requestCert: Boolean(tls.clientCa), rejectUnauthorized: false },
          handler,
        )
      : createServer(handler);
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private record(resource: Resource, type: EventType, object: KubeObject): void {
    const event: StoredEvent = {
      resourceVersion: this.revision,
      resource,
      namespace: object.metadata.namespace!,
      type,
      object: clone(object),
    };
    this.history.push(event);
    for (const watch of this.watches) {
      if (watch.resource === resource && (!watch.namespace || watch.namespace === event.namespace)) {
        this.send(watch.response, { type, object: event.object });
      }
    }
  }

  /** Writes one event; each line goes out in two HTTP chunks so clients must reassemble lines. */
  private send(response: ServerResponse, event: unknown): void {
    const line = `${JSON.stringify(event)}\n`;
    const middle = Math.floor(line.length / 2);
    response.write(line.slice(0, middle));
    response.write(line.slice(middle));
  }

  private reply(response: ServerResponse, code: number, body: unknown): void {
    response.writeHead(code, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url!, 'http://fake');
    const certified = Boolean(this.options.tls?.clientCa) && (request.socket as TLSSocket).authorized === true;
    if (request.headers.authorization !== `Bearer ${this.token}` && !certified) {
      this.reply(response, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const match = (Object.keys(RESOURCES) as Resource[])
      .map((resource) => ({ resource, found: RESOURCES[resource].route.exec(url.pathname) }))
      .find(({ found }) => found);
    if (request.method !== 'GET' || !match?.found) {
      this.reply(response, 404, status(404, 'NotFound', `the server could not find the requested resource`));
      return;
    }
    const namespace = match.found[1] && decodeURIComponent(match.found[1]);
    const query = Object.fromEntries(url.searchParams);
    const watch = query.watch === 'true' || query.watch === '1';
    const record: RequestRecord = { resource: match.resource, namespace, watch, query };
    this.requests.push(record);
    const rejection = this.rejections.get(match.resource);
    if (rejection !== undefined) {
      this.reply(response, rejection, status(rejection, 'InternalError', `fake apiserver told to fail ${match.resource}`));
    } else if (watch) this.serveWatch(match.resource, namespace, query, response);
    else this.serveList(match.resource, namespace, query, response);
    this.emit('request', record);
  }

  private objectsOf(resource: Resource, namespace: string | undefined): KubeObject[] {
    return [...this.stores[resource].values()]
      .filter((obj) => !namespace || obj.metadata.namespace === namespace)
      .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  }

  private serveList(resource: Resource, namespace: string | undefined, query: Record<string, string>, response: ServerResponse): void {
    let listRevision = this.revision;
    let after = '';
    if (query.continue) {
      const token = JSON.parse(Buffer.from(query.continue, 'base64url').toString()) as { rv: number; after: string };
      if (token.rv < this.compactedRevision) {
        this.reply(
          response,
          410,
          status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result.'),
        );
        return;
      }
      listRevision = token.rv;
      after = token.after;
    }
    const all = this.objectsOf(resource, namespace).filter((obj) => keyOf(obj) > after);
    const limit = Number(query.limit) > 0 ? Number(query.limit) : all.length;
    const page = all.slice(0, limit);
    const metadata: Record<string, unknown> = { resourceVersion: String(listRevision) };
    if (page.length < all.length) {
      const last = page[page.length - 1]!;
      metadata.continue = Buffer.from(JSON.stringify({ rv: listRevision, after: keyOf(last) })).toString('base64url');
      metadata.remainingItemCount = all.length - page.length;
    }
    const items = page.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest);
    const { listKind, apiVersion } = RESOURCES[resource];
    this.reply(response, 200, { kind: listKind, apiVersion, metadata, items });
  }

  private serveWatch(resource: Resource, namespace: string | undefined, query: Record<string, string>, response: ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    response.flushHeaders();
    const from = query.resourceVersion;
    if (from && from !== '0' && Number(from) < this.compactedRevision) {
      this.send(response, {
        type: 'ERROR',
        object: status(410, 'Expired', `too old resource version: ${from} (${this.compactedRevision})`),
      });
      response.end();
      return;
    }
    if (!from || from === '0') {
      for (const object of this.objectsOf(resource, namespace)) this.send(response, { type: 'ADDED', object });
    } else {
      for (const event of this.history) {
        const inScope = event.resource === resource && (!namespace || event.namespace === namespace);
        if (inScope && event.resourceVersion > Number(from)) this.send(response, { type: event.type, object: event.object });
      }
    }
    const watch: ActiveWatch = { resource, namespace, bookmarks: query.allowWatchBookmarks === 'true', response };
    this.watches.add(watch);
    response.on('close', () => {
      this.watches.delete(watch);
      this.emit('unwatch', watch);
    });
    this.emit('watch', watch);
  }
}
