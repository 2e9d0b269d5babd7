/** Records what a source emits and waits for conditions on it, without clocks. */
import { EventEmitter, once } from 'node:events';
import type { ServiceSource, SourceChange } from '../../../lib/sources/index.js';

export class Recorder extends EventEmitter {
  readonly batches: SourceChange[][] = [];
  readonly errors: Error[] = [];
  syncs = 0;
  /** `changes` and `synced` in the order they came. */
  readonly order: Array<'changes' | 'synced'> = [];

  constructor(readonly source: ServiceSource) {
    super();
    source.on('changes', (changes) =>
      this.note(() => {
        this.batches.push(changes);
        this.order.push('changes');
      }),
    );
    source.on('error', (err) => this.note(() => this.errors.push(err)));
    source.on('synced', () =>
      this.note(() => {
        this.syncs += 1;
        this.order.push('synced');
      }),
    );
  }

  get changes(): SourceChange[] {
    return this.batches.flat();
  }

  /** Resolves once `condition` holds, re-checking after every event of the source. */
  async until(condition: () => boolean): Promise<void> {
    while (!condition()) await once(this, 'event');
  }

  private note(update: () => unknown): void {
    update();
    this.emit('event');
  }
}

/** `kind key` per change, `… deleted` for deletions, sorted: for comparing sets of changes. */
export function describeChanges(changes: SourceChange[]): string[] {
  return changes.map((c) => `${c.kind} ${c.key}${(c.kind === 'service' ? c.service : c.slice) ? '' : ' deleted'}`).sort();
}
