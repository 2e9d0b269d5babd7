/**
 * The os-ken contender: osken_program.py under /usr/bin/python3 (the interpreter that imports
 * Debian's python3-os-ken), listening inside the vswitchd's network namespace; each run points the
 * bridge's controller at it and reads the time it reports.
 *
 * os-ken 2.5 drops the padding of a Nicira NAT action that ends a message, so a GROUP_MOD whose
 * last bucket DNATs (with or without a port) is short and OVS refuses it; the program pads such
 * messages after os-ken serializes them (see osken_program.py) and the groups stay exactly the
 * proxy's. `bucketNat: 'ip'` gives buckets address-only NAT instead (nat(dst=IP)).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Action, Instruction } from '../../protocol/index.js';
import type { FlowEntry, GroupEntry } from '../../lib/proxy/entries.js';
import { resources, killPid, run } from '../../spec/helpers/ovs-sandbox.js';
import type { Vswitchd } from './switchd.js';
import { statusKb } from './switchd.js';

export const OSKEN_PYTHON = '/usr/bin/python3';
const PROGRAM = fileURLToPath(new URL('./osken_program.py', import.meta.url));

function actionSpec(a: Action, ipOnly: boolean): Record<string, unknown> {
  switch (a.type) {
    case 'ct':
      return {
        type: 'ct',
        flags: a.flags,
        zone: a.zone,
        table: a.recircTable,
        alg: a.alg,
        actions: a.actions.map((x) => actionSpec(x, ipOnly)),
      };
    case 'nat': {
      const out: Record<string, unknown> = { type: 'nat', flags: a.flags };
      if (a.ipMin !== undefined) out.ipMin = a.ipMin;
      if (a.ipMax !== undefined) out.ipMax = a.ipMax;
      if (!ipOnly && a.portMin !== undefined) out.portMin = a.portMin;
      if (!ipOnly && a.portMax !== undefined) out.portMax = a.portMax;
      return out;
    }
    case 'group':
      return { type: 'group', groupId: a.groupId };
    case 'output':
      return { type: 'output', port: a.port, maxLen: a.maxLen };
    default:
      throw new Error(`the os-ken contender does not translate action ${a.type}`);
  }
}

function instructionSpec(i: Instruction): Record<string, unknown> {
  if (i.type === 'apply_actions') return { type: 'apply_actions', actions: i.actions.map((a) => actionSpec(a, false)) };
  if (i.type === 'goto_table') return { type: 'goto_table', tableId: i.tableId };
  throw new Error(`the os-ken contender does not translate instruction ${i.type}`);
}

export type BucketNat = 'ip-port' | 'ip';

/** The groups and flows as os-ken's program reads them. */
export function oskenSpec(groups: readonly GroupEntry[], flows: readonly FlowEntry[], bucketNat: BucketNat): string {
  return JSON.stringify({
    groups: groups.map((g) => ({
      groupId: g.groupId,
      groupType: g.groupType,
      buckets: g.buckets.map((b) => ({
        weight: b.weight,
        watchPort: b.watchPort,
        watchGroup: b.watchGroup,
        actions: b.actions.map((a) => actionSpec(a, bucketNat === 'ip')),
      })),
    })),
    flows: flows.map((f) => ({
      table: f.table,
      priority: f.priority,
      cookie: f.cookie.toString(16),
      match: f.match.map((m) =>
        m.mask === undefined ? { field: m.field, value: m.value } : { field: m.field, value: m.value, mask: m.mask },
      ),
      instructions: f.instructions.map(instructionSpec),
    })),
  });
}

/** What the ofwire dump looks like with address-only bucket NAT, for the like-for-like check. */
export function withoutBucketPorts(lines: string[]): string[] {
  return lines.map((l) => (l.startsWith('group_id=') ? l.replace(/nat\(dst=([0-9.]+):\d+\)/g, 'nat(dst=$1)') : l)).sort();
}

export interface OskenRun {
  seconds: number;
  sendSeconds: number;
  messages: number;
  errors: number;
  /** GROUP_MODs whose missing trailing padding the program added. */
  padded: number;
  firstError?: string;
}

export class OskenController {
  private readonly lines: AsyncIterator<string>;
  private stderr = '';
  private readonly release: () => void;

  private constructor(
    private readonly child: ChildProcess,
    private readonly sw: Vswitchd,
    readonly port: number,
  ) {
    this.lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.release = resources.add(() => killPid(child.pid));
  }

  static async start(
    sw: Vswitchd,
    specFile: string,
    groups: readonly GroupEntry[],
    flows: readonly FlowEntry[],
    bucketNat: BucketNat = 'ip-port',
  ): Promise<OskenController> {
    writeFileSync(specFile, oskenSpec(groups, flows, bucketNat));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn('ip', ['netns', 'exec', sw.netns, OSKEN_PYTHON, PROGRAM, specFile, String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const c = new OskenController(child, sw, port);
    const first = await c.nextLine(120_000);
    if (!('ready' in first)) throw new Error(`os-ken did not start: ${JSON.stringify(first)}`);
    return c;
  }

  get pid(): number {
    return this.child.pid!;
  }

  peakRssMb(): number {
    return statusKb(this.pid, 'VmHWM') / 1024;
  }

  private async nextLine(timeoutMs: number): Promise<Record<string, unknown>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`os-ken: no answer within ${timeoutMs / 1000} s; stderr: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`),
          ),
        timeoutMs,
      );
    });
    try {
      const r = await Promise.race([this.lines.next(), timeout]);
      if (r.done) throw new Error(`os-ken exited: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      return JSON.parse(r.value) as Record<string, unknown>;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Points the (fresh, empty) bridge at os-ken and waits for its report of one programming run.
   * `inspect` runs before the controller is removed again (OVS flushes the bridge's flows and
   * groups when its last controller goes).
   */
  async programOnce(inspect?: () => Promise<void>, timeoutMs = 600_000): Promise<OskenRun> {
    await this.sw.vsctl(
      'set-controller',
      this.sw.bridge,
      `tcp:127.0.0.1:${this.port}`,
      '--',
      'set',
      'controller',
      this.sw.bridge,
      'connection-mode=out-of-band',
    );
    try {
      let firstError: string | undefined;
      for (;;) {
        const line = await this.nextLine(timeoutMs);
        if ('firstError' in line) {
          firstError = String(line.firstError);
          continue;
        }
        const r = line as unknown as OskenRun;
        if (firstError) r.firstError = firstError;
        await inspect?.();
        return r;
      }
    } finally {
      await this.sw.vsctl('del-controller', this.sw.bridge);
    }
  }

  async version(): Promise<string> {
    const out = await run(OSKEN_PYTHON, ['-c', 'import os_ken, sys; print(os_ken.__version__, sys.version.split()[0])']);
    return out.trim();
  }

  stop(): void {
    this.release();
  }
}
