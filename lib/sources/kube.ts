import { BaseSource } from './base.js';
import { SourceError, type ObjectError } from './errors.js';
import { KubeClient } from './kube-client.js';
import { loadKubeConfig } from './kube-config.js';
import type { BackoffOptions } from '../controller/backoff.js';
import { RestartingInformer, type InformerHandlers, type KubeObject } from './kube-informer.js';
import { silentLogger, type SourceLogger } from './logger.js';
import { nodeFromObject, serviceFromObject, sliceFromObject } from './convert.js';

/** Options of a KubeSource. */
export interface KubeSourceOptions {
  /** Path of a kubeconfig file; default: $KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  kubeconfig?: string;
  /** Watch one namespace; default all. */
  namespace?: string;
  logger?: SourceLogger;
  /** Objects per list request (the list is chunked with limit/continue). Default 500. */
  pageSize?: number;
  /** Restart delays after a failed list or watch. Default 100 ms doubling up to 30 s. */
  backoff?: BackoffOptions;
  /** Where the pod's service-account token and CA are (for the in-cluster config). */
  serviceAccountDir?: string;
  /** Also watch this Node (addresses, zone), reported by `node` events. */
  nodeName?: string;
}

type Resource = 'services' | 'endpointslices';

/**
 * Services (v1) and EndpointSlices (discovery.k8s.io/v1) from the Kubernetes API, each listed and
 * watched by an informer. `synced` comes once both have listed, and again after any relist (whose
 * differences have already been delivered as changes). Failed lists and watches are retried with
 * backoff while the last known state is kept. All Services are delivered, including headless and
 * ExternalName ones: consumers filter with `isProxyableService`.
 */
export class KubeSource extends BaseSource {
  private readonly logger: SourceLogger;
  private informers: RestartingInformer[] = [];
  private client: KubeClient | undefined;
  private readonly listed = new Set<Resource>();

  constructor(private readonly options: KubeSourceOptions = {}) {
    super();
    this.logger = options.logger ?? silentLogger;
  }

  async start(): Promise<void> {
    if (this.informers.length > 0) return;
    const { connection } = loadKubeConfig(this.options.kubeconfig, { serviceAccountDir: this.options.serviceAccountDir });
    const client = new KubeClient(connection);
    this.client = client;
    const namespace = this.options.namespace;
    const scope = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    const common = {
      client,
      pageSize: this.options.pageSize ?? 500,
      backoff: { minDelayMs: 100, maxDelayMs: 30_000, ...this.options.backoff },
      logger: this.logger,
    };
    this.listed.clear();
    const services = new RestartingInformer({
      ...common,
      resource: 'services',
      path: `/api/v1${scope}/services`,
      handlers: this.handlers('services', this.services, {
        apply: (obj) => this.applyService(serviceFromObject(obj)),
        remove: (key) => this.removeService(key),
      }),
    });
    const slices = new RestartingInformer({
      ...common,
      resource: 'endpointslices',
      path: `/apis/discovery.k8s.io/v1${scope}/endpointslices`,
      handlers: this.handlers('endpointslices', this.slices, {
        apply: (obj) => this.applySlice(sliceFromObject(obj)),
        remove: (key) => this.removeSlice(key),
      }),
    });
    this.informers = [services, slices];
    const nodeName = this.options.nodeName;
    if (nodeName !== undefined) this.informers.push(this.nodeInformer(common, nodeName));
  }

  /** Watches the Node objects (the agent's account may list nodes, not get one by a selector) for this node's. */
  private nodeInformer(
    common: Omit<ConstructorParameters<typeof RestartingInformer>[0], 'resource' | 'path' | 'handlers'>,
    nodeName: string,
  ): RestartingInformer {
    return new RestartingInformer({
      ...common,
      resource: 'nodes',
      path: '/api/v1/nodes',
      handlers: {
        upsert: (obj) => {
          if (obj.metadata?.name !== nodeName) return;
          try {
            this.emit('node', nodeFromObject(obj));
          } catch (err) {
            this.report(new SourceError(`kube: ${(err as Error).message}`, { cause: err }));
          }
        },
        remove: () => undefined,
        listed: () => undefined,
        error: (err) => this.report(err),
      },
    });
  }

  async stop(): Promise<void> {
    const informers = this.informers;
    this.informers = [];
    await Promise.all(informers.map((informer) => informer.stop()));
    this.client?.close();
    this.client = undefined;
    this.endSync();
  }

  private handlers(
    resource: Resource,
    state: Map<string, unknown>,
    target: { apply(obj: KubeObject): void; remove(key: string): void },
  ): InformerHandlers {
    return {
      upsert: (obj) => {
        try {
          target.apply(obj);
        } catch (err) {
          // The conversion throws only ObjectErrors.
          const problem = err as ObjectError;
          const message = `kube: ${problem.message}; keeping the last good version`;
          this.logger.warn({ resource, field: problem.field }, message);
          this.report(new SourceError(message, { field: problem.field, cause: problem }));
        }
      },
      remove: (key) => target.remove(key),
      listed: (keys) => {
        for (const key of [...state.keys()]) if (!keys.has(key)) target.remove(key);
        this.listed.add(resource);
        this.logger.debug({ resource, objects: keys.size }, 'informer listed');
        if (this.listed.size < 2) return;
        this.markStateSynced();
        this.logger.info({ services: this.services.size, slices: this.slices.size }, 'kube source synced');
      },
      error: (err) => this.report(err),
    };
  }

  private report(err: SourceError): void {
    this.emit('error', err);
  }
}
