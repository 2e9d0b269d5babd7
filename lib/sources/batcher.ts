import type { SourceChange } from './types.js';

/**
 * Collects changes per object (the last write wins) and hands them over once per macrotask:
 * a lone change goes out on the next turn of the event loop, a synchronous burst goes out as
 * one batch.
 */
export class ChangeBatcher {
  private pending = new Map<string, SourceChange>();
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly deliver: (changes: SourceChange[]) => void) {}

  get size(): number {
    return this.pending.size;
  }

  add(change: SourceChange): void {
    this.pending.set(`${change.kind} ${change.key}`, change);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Delivers what is pending now (no-op when nothing is). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.pending.size === 0) return;
    const changes = [...this.pending.values()];
    this.pending = new Map();
    this.deliver(changes);
  }
}
