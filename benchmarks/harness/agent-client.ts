/** The harness's side of an ofwire agent process: spawn, call, events, peak RSS, exit. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AgentCall, AgentEvent } from './agent-protocol.js';
import { buildAgent, cliNodeFlags } from './build-agent.js';
import { resetPeakRss, statusKb } from './switchd.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface SyncedEvent {
  hrtime: bigint;
  messages: number;
  full: boolean;
  durationMs: number;
}

export class Agent {
  private nextId = 1;
  private readonly calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** Each returns true once it has taken its event. */
  private syncedWaiters: ((e: SyncedEvent) => boolean)[] = [];
  private connectedWaiters: ((hrtime: bigint) => void)[] = [];
  /** Messages the agent logged (proxy errors, refused services). */
  readonly log: string[] = [];
  private exited: Error | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: AgentEvent) => this.onMessage(m));
    child.on('exit', (code, signal) => {
      this.exited = new Error(`ofwire agent exited (${code ?? signal})`);
      for (const c of this.calls.values()) c.reject(this.exited);
      this.calls.clear();
    });
  }

  /** A directory for CPU profiles of the agents' timed sections (see agent.ts), or undefined. */
  static profileDir: string | undefined;

  static async spawn(): Promise<Agent> {
    const env = Agent.profileDir ? { ...process.env, OFWIRE_BENCH_PROFILE_DIR: Agent.profileDir } : process.env;
    const child = fork(buildAgent(), [], { cwd: REPO, env, execArgv: cliNodeFlags(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const agent = new Agent(child);
    await new Promise<void>((resolve, reject) => {
      const onMsg = (m: AgentEvent) => {
        if ('event' in m && m.event === 'ready') {
          child.off('message', onMsg);
          resolve();
        }
      };
      child.on('message', onMsg);
      child.once('exit', (code) => reject(new Error(`ofwire agent exited during start-up (${code})`)));
    });
    return agent;
  }

  get pid(): number {
    return this.child.pid!;
  }

  call<T = unknown>(req: AgentCall): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...req, id });
    });
  }

  /** The next `synced` event the agent forwards (see `forwardSynced`) that `accept` takes. */
  nextSynced(accept: (e: SyncedEvent) => boolean = () => true): Promise<SyncedEvent> {
    return new Promise((resolve) => {
      const w = (e: SyncedEvent) => {
        if (!accept(e)) return false;
        resolve(e);
        return true;
      };
      this.syncedWaiters.push(w);
    });
  }

  /** The next reconnection of the agent's Switch (forwarded with `forwardSynced`). */
  nextConnected(): Promise<bigint> {
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  /** Peak RSS (VmHWM) in MB since start or the last resetPeak(). */
  peakRssMb(): number {
    return statusKb(this.pid, 'VmHWM') / 1024;
  }

  rssMb(): number {
    return statusKb(this.pid, 'VmRSS') / 1024;
  }

  resetPeak(): boolean {
    return resetPeakRss(this.pid);
  }

  async exit(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    await this.call({ op: 'exit' }).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private onMessage(m: AgentEvent): void {
    if ('id' in m) {
      const c = this.calls.get(m.id);
      if (!c) return;
      this.calls.delete(m.id);
      if (m.error !== undefined) c.reject(new Error(`ofwire agent: ${m.error}`));
      else c.resolve(m.result);
      return;
    }
    if (m.event === 'log') this.log.push(m.message);
    if (m.event === 'connected') for (const w of this.connectedWaiters.splice(0)) w(BigInt(m.hrtime));
    if (m.event === 'synced') {
      const e: SyncedEvent = { hrtime: BigInt(m.hrtime), messages: m.messages, full: m.full, durationMs: m.durationMs };
      this.syncedWaiters = this.syncedWaiters.filter((w) => !w(e));
    }
  }
}
