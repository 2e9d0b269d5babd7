/**
 * Drives oskn_codec.py under /usr/bin/python3 (where Debian's python3-os-ken is importable): the
 * child warms up once, then runs one round each time it is asked, so that its runs interleave
 * with the Node contenders' runs in the same benchmark run.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Run } from './measure.js';

export const OSKEN_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./oskn_codec.py', import.meta.url));

export type OskenWorkload = 'encode_serialize' | 'encode_build_serialize' | 'decode';

export interface OskenInfo {
  osken: string;
  python: string;
  /** The FLOW_MOD as os-ken serialized it. */
  flowModHex: string;
}

export class Osken {
  readonly runs: Record<OskenWorkload, Run[]> = { encode_serialize: [], encode_build_serialize: [], decode: [] };
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterator<string>,
    private readonly rl: Interface,
    readonly info: OskenInfo,
  ) {}

  static async start(replyFile: string, flows: number, runMs: number, warmupMs: number): Promise<Osken> {
    const child = spawn(OSKEN_PYTHON, [
      SCRIPT,
      '--reply',
      replyFile,
      '--flows',
      String(flows),
      '--run-ms',
      String(runMs),
      '--warmup-ms',
      String(warmupMs),
    ]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const rl = createInterface({ input: child.stdout });
    const lines = rl[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) {
      const code = await new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
      throw new Error(`os-ken benchmark exited (${String(code)}) before it was ready: ${stderr.trim().split('\n').pop() ?? ''}`);
    }
    return new Osken(child, lines, rl, JSON.parse(first.value) as OskenInfo);
  }

  /** Runs one round of every os-ken workload. */
  async round(): Promise<void> {
    this.child.stdin.write('run\n');
    const line = await this.lines.next();
    if (line.done) throw new Error('os-ken benchmark exited in the middle of a round');
    const r = JSON.parse(line.value) as Record<OskenWorkload, Run>;
    for (const k of Object.keys(this.runs) as OskenWorkload[]) this.runs[k].push(r[k]);
  }

  async stop(): Promise<void> {
    this.child.stdin.end();
    this.rl.close();
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
  }
}
