/**
 * Echo keep-alive: after `intervalMs` without receiving anything the session probes the peer with
 * ECHO_REQUEST, and declares it dead when nothing arrives within `timeoutMs` of the probe. While the
 * session stopped reading on purpose (a slow stream consumer), silence means nothing.
 */
export interface KeepAliveHooks {
  /** False while probing makes no sense (not open, or not writable). */
  active(): boolean;
  /** True while the session has stopped reading the socket on purpose. */
  paused(): boolean;
  /** Sends ECHO_REQUEST. */
  probe(): void;
  /** The peer answered nothing for `silentMs`. */
  dead(silentMs: number): void;
}

export class KeepAlive {
  private lastRx = Date.now();
  private probeSentAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly hooks: KeepAliveHooks) {}

  /** Something arrived from the peer. */
  received(): void {
    this.lastRx = Date.now();
    this.probeSentAt = 0;
  }

  /** Reading resumes: the silence so far does not count. */
  resumed(): void {
    this.lastRx = Date.now();
  }

  /** Starts probing; `intervalMs` 0 or less disables it. */
  start(intervalMs: number, timeoutMs: number): void {
    if (intervalMs <= 0) return;
    const tick = Math.max(10, Math.min(intervalMs, timeoutMs) / 2);
    this.timer = setInterval(() => {
      if (!this.hooks.active()) return;
      const now = Date.now();
      if (this.hooks.paused()) {
        this.lastRx = now;
        return;
      }
      if (this.probeSentAt) {
        if (now - this.probeSentAt >= timeoutMs) this.hooks.dead(now - this.lastRx);
        return;
      }
      if (now - this.lastRx >= intervalMs) {
        this.probeSentAt = now;
        this.hooks.probe();
      }
    }, tick);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
