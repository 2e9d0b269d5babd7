/**
 * Owners whose changes the switch refused, held back and retried after a backoff that grows while
 * they keep failing and starts again once one of their entries is applied.
 */
import { Backoff, type BackoffOptions } from '../controller/backoff.js';

export class Quarantine {
  private readonly held = new Map<string, NodeJS.Timeout>();
  private readonly backoffs = new Map<string, Backoff>();

  constructor(
    private readonly retry: BackoffOptions,
    /** Called when an owner's delay is over: its changes are to be sent again. */
    private readonly release: (owner: string) => void,
  ) {}

  get size(): number {
    return this.held.size;
  }

  owners(): IterableIterator<string> {
    return this.held.keys();
  }

  /** Holds `owner` back (again) for its next delay. */
  hold(owner: string): void {
    let backoff = this.backoffs.get(owner);
    if (backoff === undefined) this.backoffs.set(owner, (backoff = new Backoff(this.retry)));
    clearTimeout(this.held.get(owner));
    const timer = setTimeout(() => {
      this.held.delete(owner);
      this.release(owner);
    }, backoff.next());
    timer.unref?.();
    this.held.set(owner, timer);
  }

  /** One of the owner's entries was applied: its next refusal starts from the first delay. */
  succeeded(owner: string): void {
    this.backoffs.delete(owner);
  }

  clear(): void {
    for (const timer of this.held.values()) clearTimeout(timer);
    this.held.clear();
  }
}
