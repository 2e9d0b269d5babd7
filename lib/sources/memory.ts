import { BaseSource } from './base.js';
import { objectKey, serviceFromObject, sliceFromObject } from './convert.js';
import type { EndpointSlice, Service } from './types.js';

/** Options of a MemorySource. */
export interface MemorySourceOptions {
  /**
   * When true, `start()` does not announce `synced`: the embedder loads its initial objects and
   * then calls `markSynced()`. Default false: the source is synced as soon as it starts.
   */
  manualSync?: boolean;
}

/**
 * A source fed by the embedding program. It takes Kubernetes-shaped objects (as
 * `kubectl get -o json` prints them) and throws an ObjectError for invalid ones.
 */
export class MemorySource extends BaseSource {
  private running = false;

  constructor(private readonly options: MemorySourceOptions = {}) {
    super();
  }

  async start(): Promise<void> {
    this.running = true;
    if (!this.options.manualSync) this.markSynced();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.endSync();
  }

  /** Announces that the state is complete (only needed with `manualSync`). */
  markSynced(): void {
    if (!this.running) throw new Error('MemorySource.markSynced: the source is not started');
    this.markStateSynced();
  }

  upsertService(obj: unknown): Service {
    const service = serviceFromObject(obj);
    this.applyService(service);
    return service;
  }

  /** Returns false when there was no such Service. */
  deleteService(namespace: string, name: string): boolean {
    const key = objectKey(namespace, name);
    const existed = this.services.has(key);
    this.removeService(key);
    return existed;
  }

  upsertEndpointSlice(obj: unknown): EndpointSlice {
    const slice = sliceFromObject(obj);
    this.applySlice(slice);
    return slice;
  }

  /** Returns false when there was no such EndpointSlice. */
  deleteEndpointSlice(namespace: string, name: string): boolean {
    const key = objectKey(namespace, name);
    const existed = this.slices.has(key);
    this.removeSlice(key);
    return existed;
  }
}
