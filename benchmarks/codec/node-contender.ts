/** A Node contender running in its own process (contender-worker.ts), one run per `round()`. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ContenderDef } from './contenders.js';
import type { WorkerMessage } from './contender-worker.js';
import type { Run } from './measure.js';

const WORKER = fileURLToPath(new URL('./contender-worker.ts', import.meta.url));

/**
 * The young generation at V8's default maximum (16 MB semi-spaces) from the start. A decoded
 * 64 KiB reply is megabytes of objects still alive at the next scavenge; left to its heuristics,
 * V8 sometimes keeps the young generation small for a process's whole life, and that process then
 * spends most of its time copying survivors (seen here: decoders 3–5× slower in some processes
 * than in others, run to run).
 */
const V8_FLAGS = ['--min-semi-space-size=16'];

export class NodeContender {
  readonly runs: Run[] = [];
  private constructor(
    readonly def: ContenderDef,
    private readonly child: ChildProcess,
  ) {}

  /** Forks the worker (with this process's loader flags, e.g. tsx's, and V8_FLAGS) and waits for its warm-up. */
  static async start(def: ContenderDef, replyFile: string, runMs: number, warmupMs: number): Promise<NodeContender> {
    const child = fork(WORKER, [def.id, replyFile, String(runMs), String(warmupMs)], { execArgv: [...process.execArgv, ...V8_FLAGS] });
    const c = new NodeContender(def, child);
    await c.next();
    return c;
  }

  private next(): Promise<WorkerMessage> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${this.def.id} worker exited (${String(code)})`));
      this.child.once('exit', onExit);
      this.child.once('message', (m: WorkerMessage) => {
        this.child.off('exit', onExit);
        if ('error' in m) reject(new Error(`${this.def.id}: ${m.error}`));
        else resolve(m);
      });
    });
  }

  async round(): Promise<void> {
    const reply = this.next();
    this.child.send('run');
    const m = await reply;
    if (!('run' in m)) throw new Error(`${this.def.id} worker answered ${JSON.stringify(m)}`);
    this.runs.push(m.run);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    if (this.child.connected) this.child.send('exit');
    await exited;
  }
}
