import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { SourceError, firstLine } from './errors.js';
import type { SourceLogger } from './logger.js';
import { objectKey } from './model.js';

export interface BackoffOptions {
  /** First retry delay (ms), default 100. */
  initialMs?: number;
  /** Longest retry delay (ms), default 30000. */
  maxMs?: number;
}

export interface InformerHandlers<T> {
  upsert(obj: T): void;
  remove(obj: T): void;
  /** A full list has been applied; `keys` holds the `namespace/name` of every listed object. */
  listed(keys: Set<string>): void;
  /** A failure the informer survives (it restarts after a backoff). */
  error(err: SourceError): void;
}

export interface InformerOptions<T extends KubernetesObject> {
  kubeConfig: KubeConfig;
  /** For messages, e.g. `services`. */
  resource: string;
  /** Watch path, e.g. `/api/v1/services`. */
  path: string;
  listPage(limit: number, continueToken: string | undefined): Promise<KubernetesListObject<T>>;
  pageSize: number;
  backoff: Required<BackoffOptions>;
  logger: SourceLogger;
  handlers: InformerHandlers<T>;
}

/**
 * One line for a failure of the list (an ApiException from the typed client), the watch request
 * (client-node's Watch sets `statusCode`), or the connection (node-fetch errors).
 */
export function describeKubeError(err: unknown): string {
  const { code, statusCode, body } = (err ?? {}) as { code?: unknown; statusCode?: unknown; body?: unknown };
  if (typeof code === 'number') {
    let status = body;
    if (typeof status === 'string') {
      try {
        status = JSON.parse(status);
      } catch {
        // not a Status object
      }
    }
    const message = (status as { message?: unknown } | undefined)?.message;
    return typeof message === 'string' && message ? `list failed: HTTP ${code}: ${message}` : `list failed: HTTP ${code}`;
  }
  const line = firstLine(err);
  if (typeof statusCode === 'number') return `watch failed: HTTP ${statusCode} ${line}`;
  const fetchFailure = /^request to (\S+) failed, reason: (.+)$/.exec(line);
  if (fetchFailure) {
    const isWatch = /[?&]watch=(true|1)(&|$)/.test(fetchFailure[1]!);
    return `${isWatch ? 'watch' : 'list'} failed: ${fetchFailure[2]}`;
  }
  if (line === 'Premature close') return 'watch connection lost';
  return line;
}

/** `namespace/name` of an object from the API (which always has both). */
export function keyOfObject(obj: KubernetesObject): string {
  return objectKey(obj.metadata!.namespace!, obj.metadata!.name!);
}

/**
 * The client's Watch, plus watch bookmarks (so a reconnect resumes from a recent version instead
 * of relisting) and hooks that tell the informer when its cache is current and the stream alive.
 */
class InformerWatch extends Watch {
  constructor(
    config: KubeConfig,
    private readonly owner: { readonly stopped: boolean; watchStarting(): void; streamAlive(): void },
  ) {
    super(config);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: any, watchObj?: any) => void,
    done: (err: any) => void,
  ): Promise<AbortController> {
    if (this.owner.stopped) return new AbortController();
    this.owner.watchStarting();
    const controller = await super.watch(
      path,
      { ...queryParams, allowWatchBookmarks: true },
      (phase, apiObj, watchObj) => {
        this.owner.streamAlive();
        callback(phase, apiObj, watchObj);
      },
      done,
    );
    if (this.owner.stopped) controller.abort();
    return controller;
  }
}

/**
 * A client-node ListWatch that survives failures. The 1.4 ListWatch relists by itself on 410
 * Gone (as an HTTP status or a watch ERROR event) and re-watches when a stream ends cleanly, but
 * on any other failure it emits `error` and stops. This restarts it after a capped, jittered
 * exponential backoff. The ListWatch keeps its cache and resourceVersion across restarts, so it
 * resumes watching where it left off; when it has to relist, `listed` lets the owner drop
 * whatever vanished meanwhile.
 */
export class RestartingInformer<T extends KubernetesObject> {
  private readonly listWatch: ListWatch<T>;
  private isStopped = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Keys of a list that completed and whose watch has not started yet. */
  private justListed: Set<string> | undefined;

  /** Starts listing and watching at once; an informer runs once (make a new one to restart). */
  constructor(private readonly options: InformerOptions<T>) {
    const { kubeConfig, path, handlers } = options;
    this.listWatch = new ListWatch<T>(path, new InformerWatch(kubeConfig, this), () => this.listAll(), false);
    const upsert = (obj: T): void => {
      if (!this.isStopped) handlers.upsert(obj);
    };
    this.listWatch.on('add', upsert);
    this.listWatch.on('update', upsert);
    this.listWatch.on('delete', (obj: T) => {
      if (!this.isStopped) handlers.remove(obj);
    });
    this.listWatch.on('error', this.failed);
    this.run();
  }

  get stopped(): boolean {
    return this.isStopped;
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    clearTimeout(this.retryTimer);
    await this.listWatch.stop();
  }

  /** Called by the watch: the ListWatch has applied everything up to its resourceVersion. */
  watchStarting(): void {
    const keys = this.justListed;
    this.justListed = undefined;
    if (keys) this.options.handlers.listed(keys);
  }

  streamAlive(): void {
    this.failures = 0;
  }

  private run(): void {
    this.listWatch.start().catch(this.failed);
  }

  private readonly failed = (err: unknown): void => {
    if (this.isStopped) return;
    const delay = this.nextDelay();
    const message = `kube: ${this.options.resource}: ${describeKubeError(err)}; retrying in ${delay} ms`;
    this.options.logger.warn({ resource: this.options.resource, delay }, message);
    this.options.handlers.error(new SourceError(message, { cause: err }));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.run(), delay);
  };

  /** Exponential from `initialMs`, capped at `maxMs`, with the upper half jittered. */
  private nextDelay(): number {
    const { initialMs, maxMs } = this.options.backoff;
    const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(this.failures, 30));
    this.failures += 1;
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  /** Lists in pages; an expired continue token (410) restarts the list once from the top. */
  private async listAll(): Promise<KubernetesListObject<T>> {
    const items: T[] = [];
    let resourceVersion: string | undefined;
    let token: string | undefined;
    let restarted = false;
    for (;;) {
      let page: KubernetesListObject<T>;
      try {
        page = await this.options.listPage(this.options.pageSize, token);
      } catch (err) {
        if (token === undefined || restarted || (err as { code?: unknown }).code !== 410) throw err;
        this.options.logger.debug({ resource: this.options.resource }, 'list continue token expired; relisting');
        restarted = true;
        items.length = 0;
        resourceVersion = undefined;
        token = undefined;
        continue;
      }
      const { metadata = {} } = page;
      for (const item of page.items) items.push(item);
      resourceVersion ??= metadata.resourceVersion;
      token = metadata._continue || undefined;
      if (token === undefined) break;
    }
    this.failures = 0;
    this.justListed = new Set(items.map(keyOfObject));
    this.options.logger.debug({ resource: this.options.resource, items: items.length, resourceVersion }, 'listed');
    return { metadata: { resourceVersion }, items };
  }
}
