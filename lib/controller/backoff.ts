/** Capped exponential backoff with jitter, for reconnecting. */
export interface BackoffOptions {
  /** First delay. Default 100 ms. */
  minDelayMs?: number;
  /** Cap. Default 10 s. */
  maxDelayMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Fraction of each delay that is randomised (0 = none, 1 = anywhere from 0 to the delay). Default 0.5. */
  jitter?: number;
}

export class Backoff {
  private attempt = 0;
  private readonly min: number;
  private readonly max: number;
  private readonly factor: number;
  private readonly jitter: number;

  constructor(
    opts: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.min = Math.max(0, opts.minDelayMs ?? 100);
    this.max = Math.max(this.min, opts.maxDelayMs ?? 10_000);
    this.factor = Math.max(1, opts.factor ?? 2);
    this.jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.5));
  }

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt. */
  next(): number {
    const base = Math.min(this.max, this.min * this.factor ** this.attempt);
    this.attempt++;
    return Math.round(base * (1 - this.jitter * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
