/**
 * An async iterator fed by the connection: multipart reply parts wait here until the consumer
 * takes them. Above `high` waiting parts the producer is asked to pause (the session stops reading
 * the socket, so the switch sees TCP backpressure); below `low` it is asked to resume.
 */
export interface PartQueueHooks {
  pause(): void;
  resume(): void;
  /** The consumer stopped early (break / return()). */
  cancel(): void;
}

export class PartQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  private ended = false;
  private failure: Error | undefined;
  private paused = false;
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly hooks: PartQueueHooks,
    private readonly high = 16,
    private readonly low = 4,
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.ended) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (!this.paused && this.length >= this.high) {
      this.paused = true;
      this.hooks.pause();
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.wakeDone();
  }

  fail(err: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = err;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(err);
    }
    this.unpause();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.length > 0) {
      const value = this.items[this.head]!;
      this.items[this.head++] = undefined as T;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      if (this.length <= this.low) this.unpause();
      return Promise.resolve({ value, done: false });
    }
    if (this.failure) {
      const err = this.failure;
      this.failure = undefined;
      return Promise.reject(err);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    this.unpause();
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.ended) {
      this.ended = true;
      this.hooks.cancel();
    }
    this.items = [];
    this.head = 0;
    this.failure = undefined;
    this.unpause();
    this.wakeDone();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private unpause(): void {
    if (!this.paused) return;
    this.paused = false;
    this.hooks.resume();
  }

  private wakeDone(): void {
    if (this.waiter && this.length === 0) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value: undefined, done: true });
    }
  }
}
