import { EventEmitter } from 'eventemitter3';
import { ChangeBatcher } from './batcher.js';
import { sameContent, serviceKey, sliceKey } from './convert.js';
import type { EndpointSlice, Service, ServiceSource, Snapshot, SourceEvents } from './types.js';

/**
 * State and event plumbing shared by every source: the snapshot maps, change batching and the
 * `synced` signal. Before the first `synced` of a start nothing is batched (consumers read
 * `snapshot()` on `synced`); afterwards every effective change is batched.
 */
export abstract class BaseSource extends EventEmitter<SourceEvents> implements ServiceSource {
  protected readonly services = new Map<string, Service>();
  protected readonly slices = new Map<string, EndpointSlice>();
  private readonly batcher = new ChangeBatcher((changes) => this.emit('changes', changes));
  private synced = false;

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  get isSynced(): boolean {
    return this.synced;
  }

  snapshot(): Snapshot {
    return { services: this.services, slices: this.slices };
  }

  protected applyService(service: Service): void {
    const key = serviceKey(service);
    const previous = this.services.get(key);
    this.services.set(key, service);
    if (this.synced && (!previous || !sameContent(previous, service))) {
      this.batcher.add({ kind: 'service', key, service });
    }
  }

  protected removeService(key: string): void {
    if (!this.services.delete(key)) return;
    if (this.synced) this.batcher.add({ kind: 'service', key, service: null });
  }

  protected applySlice(slice: EndpointSlice): void {
    const key = sliceKey(slice);
    const previous = this.slices.get(key);
    this.slices.set(key, slice);
    if (this.synced && (!previous || !sameContent(previous, slice))) {
      this.batcher.add({ kind: 'slice', key, slice });
    }
  }

  protected removeSlice(key: string): void {
    if (!this.slices.delete(key)) return;
    if (this.synced) this.batcher.add({ kind: 'slice', key, slice: null });
  }

  /** Makes the state equal to a complete new view, recording only the differences. */
  protected replaceState(services: Map<string, Service>, slices: Map<string, EndpointSlice>): void {
    for (const key of [...this.services.keys()]) if (!services.has(key)) this.removeService(key);
    for (const key of [...this.slices.keys()]) if (!slices.has(key)) this.removeSlice(key);
    for (const service of services.values()) this.applyService(service);
    for (const slice of slices.values()) this.applySlice(slice);
  }

  /** The state is complete: deliver pending changes, then `synced`. */
  protected markStateSynced(): void {
    this.batcher.flush();
    this.synced = true;
    this.emit('synced');
  }

  /** Delivers pending changes and leaves the synced state (for `stop()`). */
  protected endSync(): void {
    this.batcher.flush();
    this.synced = false;
  }
}
