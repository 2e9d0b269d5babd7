/**
 * One resource kept current from the Kubernetes API: list (in chunks), then watch from the list's
 * resourceVersion, with bookmarks so that a reconnect resumes instead of relisting. A watch the
 * server ends is resumed; 410 Gone (history compacted) relists; any other failure is reported and
 * retried after a capped, jittered exponential backoff, resuming the watch when a version is known.
 * Objects go to the handlers as they arrive and are not kept here.
 */
import { Backoff, type BackoffOptions } from '../controller/backoff.js';
import { SourceError, firstLine } from './errors.js';
import { KubeApiError, WatchLostError, type KubeClient, type WatchEvent } from './kube-client.js';
import type { SourceLogger } from './logger.js';
import { objectKey } from './convert.js';

/** An object as the API sends it; the handlers convert it. */
export interface KubeObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  [field: string]: unknown;
}

export interface InformerHandlers {
  upsert(obj: KubeObject): void;
  remove(key: string): void;
  /** A full list has been applied; `keys` holds the `namespace/name` of every listed object. */
  listed(keys: Set<string>): void;
  /** A failure the informer survives (it retries after a backoff). */
  error(err: SourceError): void;
}

export interface InformerOptions {
  client: KubeClient;
  /** For messages and RBAC hints, e.g. `services`. */
  resource: string;
  /** Collection path, e.g. `/api/v1/services`. */
  path: string;
  pageSize: number;
  backoff: BackoffOptions;
  logger: SourceLogger;
  handlers: InformerHandlers;
}

/** `namespace/name` of an object from the API. */
export function keyOfObject(obj: KubeObject): string {
  return objectKey(obj.metadata?.namespace ?? '', obj.metadata?.name ?? '');
}

/** One line for a failed list or watch; a 401 or 403 says what the agent's account lacks. */
export function describeKubeError(err: unknown, verb: 'list' | 'watch', resource: string): string {
  if (err instanceof KubeApiError) {
    const hint =
      err.status === 403
        ? ` (the agent's account needs RBAC permission to ${verb} ${resource})`
        : err.status === 401
          ? ' (the token or client certificate was not accepted)'
          : '';
    return `${verb} failed: ${err.message}${hint}`;
  }
  if (err instanceof WatchLostError) return verb === 'watch' ? err.message : `${verb} failed: ${err.message}`;
  return `${verb} failed: ${firstLine(err)}`;
}

function isGone(err: unknown): boolean {
  return err instanceof KubeApiError && (err.status === 410 || err.reason === 'Expired' || err.reason === 'Gone');
}

interface ListPage {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

/** Lists and watches one resource until stopped; an informer runs once (make a new one to restart). */
export class RestartingInformer {
  private isStopped = false;
  private readonly backoff: Backoff;
  private readonly abort = new AbortController();
  private wake: (() => void) | undefined;
  private readonly running: Promise<void>;

  constructor(private readonly options: InformerOptions) {
    this.backoff = new Backoff(options.backoff);
    this.running = this.run();
  }

  get stopped(): boolean {
    return this.isStopped;
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    this.abort.abort();
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    let version: string | undefined;
    while (!this.isStopped) {
      let verb: 'list' | 'watch' = 'list';
      try {
        if (version === undefined) version = await this.listAll();
        if (this.isStopped) return;
        verb = 'watch';
        version = await this.watchFrom(version);
      } catch (err) {
        if (this.isStopped) return;
        if (isGone(err)) {
          this.options.logger.debug({ resource: this.options.resource, verb }, 'history compacted (410); relisting');
          version = undefined;
          continue;
        }
        await this.failed(err, verb);
      }
    }
  }

  private async failed(err: unknown, verb: 'list' | 'watch'): Promise<void> {
    const delay = this.backoff.next();
    const { resource, logger, handlers } = this.options;
    const message = `kube: ${resource}: ${describeKubeError(err, verb, resource)}; retrying in ${delay} ms`;
    logger.warn({ resource, delay }, message);
    handlers.error(new SourceError(message, { cause: err }));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  /**
   * Lists in pages, handing each object on as it comes; an expired continue token (410) restarts
   * the list once from the top. Returns the list's resourceVersion.
   */
  private async listAll(): Promise<string> {
    const { client, path, pageSize, handlers, logger, resource } = this.options;
    const keys = new Set<string>();
    let version: string | undefined;
    let token: string | undefined;
    let restarted = false;
    for (;;) {
      let page: ListPage;
      try {
        // A list in flight is left to finish (and its answer dropped) when the informer stops.
        page = (await client.get(path, { limit: pageSize, continue: token })) as ListPage;
      } catch (err) {
        if (token === undefined || restarted || !isGone(err)) throw err;
        logger.debug({ resource }, 'list continue token expired; relisting');
        restarted = true;
        keys.clear();
        version = token = undefined;
        continue;
      }
      if (this.isStopped) return '';
      for (const item of page.items ?? []) {
        keys.add(keyOfObject(item));
        handlers.upsert(item);
      }
      version ??= page.metadata?.resourceVersion ?? '';
      token = page.metadata?.continue || undefined;
      if (token === undefined) break;
    }
    this.backoff.reset();
    logger.debug({ resource, items: keys.size, resourceVersion: version }, 'listed');
    handlers.listed(keys);
    return version;
  }

  /** Watches from `version` until the server ends the stream; returns the last version seen. */
  private async watchFrom(version: string): Promise<string> {
    const { client, path, handlers } = this.options;
    let last = version;
    // Spread reconnects, as client-go does: 5 to 10 minutes.
    const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
    await client.watch(
      path,
      { resourceVersion: version, allowWatchBookmarks: 'true', timeoutSeconds },
      (event: WatchEvent) => {
        if (this.isStopped) return;
        this.backoff.reset();
        const obj = event.object as KubeObject;
        if (event.type === 'ERROR') {
          const status = event.object as { code?: unknown; reason?: string; message?: string };
          throw new KubeApiError(Number(status.code) || 0, String(status.reason ?? ''), String(status.message ?? ''));
        }
        const rv = obj.metadata?.resourceVersion;
        if (rv) last = rv;
        if (event.type === 'ADDED' || event.type === 'MODIFIED') handlers.upsert(obj);
        else if (event.type === 'DELETED') handlers.remove(keyOfObject(obj));
      },
      this.abort.signal,
    );
    return last;
  }
}
