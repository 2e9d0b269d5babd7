/**
 * The ovs-vswitchd every contender programs: the project's sandbox (own netns, ovsdb-server,
 * userspace vswitchd, one netdev bridge), plus what the benchmark needs around it — a fresh empty
 * switch per run, the daemon's CPU time, readiness of the management socket, and dumps in
 * ovs-ofctl's text for like-for-like checks.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createSandbox, run, sleep, type Sandbox } from '../../spec/helpers/ovs-sandbox.js';

const CLK_TCK = 100;

export class Vswitchd {
  private constructor(readonly sb: Sandbox) {}

  static async start(): Promise<Vswitchd> {
    return new Vswitchd(await createSandbox());
  }

  get bridge(): string {
    return this.sb.bridge;
  }

  /** `unix:…/BRIDGE.mgmt` */
  get target(): string {
    return this.sb.mgmt;
  }

  get socketPath(): string {
    return this.sb.mgmt.slice('unix:'.length);
  }

  get netns(): string {
    return this.sb.netns;
  }

  get pid(): number {
    return Number(readFileSync(join(this.sb.dir, 'ovs-vswitchd.pid'), 'utf8').trim());
  }

  /** User + system CPU seconds ovs-vswitchd has used (all threads). */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  }

  rssMb(): number {
    return statusKb(this.pid, 'VmRSS') / 1024;
  }

  /** Kills ovs-vswitchd and starts it again: an empty bridge (flows and groups are not persistent). */
  async fresh(): Promise<void> {
    await this.sb.restartVswitchd();
    // Let the new daemon finish its first bridge reconfiguration before anything is timed.
    await sleep(150);
  }

  async kill(): Promise<void> {
    await this.sb.kill();
  }

  /** Starts ovs-vswitchd after kill() and resolves when the sandbox sees every bridge. */
  async startDaemon(): Promise<void> {
    await this.sb.start();
  }

  /** Polls the management socket every `everyMs` until a connection succeeds. */
  async waitForSocket(everyMs = 2, timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect(this.socketPath);
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      });
      if (ok) return;
      if (Date.now() > until) throw new Error(`${this.socketPath} did not come up within ${timeoutMs} ms`);
      await sleep(everyMs);
    }
  }

  ofctl(...args: string[]): Promise<string> {
    return this.sb.ofctl(...args);
  }

  vsctl(...args: string[]): Promise<string> {
    return this.sb.vsctl(...args);
  }

  /** Flows and groups as ovs-ofctl prints them, without statistics, sorted: for equality checks. */
  async canonicalDump(): Promise<string[]> {
    const flows = await this.sb.ofctl('dump-flows', '--no-stats', this.target);
    const groups = await this.sb.ofctl('dump-groups', this.target);
    return [...flows.split('\n'), ...groups.split('\n')]
      .map((l) => l.trim())
      .filter((l) => l && !/^(OFPST|NXST|OFPT)_/.test(l))
      .sort();
  }

  /** Flow count (OFPST_AGGREGATE). */
  async flowCount(): Promise<number> {
    const out = await this.sb.ofctl('dump-aggregate', this.target);
    const m = /flow_count=(\d+)/.exec(out);
    if (!m) throw new Error(`dump-aggregate: unexpected output ${out.trim()}`);
    return Number(m[1]);
  }

  async groupCount(): Promise<number> {
    const out = await this.sb.ofctl('dump-groups', this.target);
    return out.split('\n').filter((l) => l.includes('group_id=')).length;
  }

  /** Flow durations by flow (the line without statistics), for detecting re-added flows. */
  async flowDurations(): Promise<Map<string, number>> {
    const out = await this.sb.ofctl('dump-flows', this.target);
    const map = new Map<string, number>();
    for (const line of out.split('\n')) {
      const m = /duration=([0-9.]+)s/.exec(line);
      if (!m) continue;
      const key = line.replace(/ duration=[0-9.]+s,| n_packets=\d+,| n_bytes=\d+,| idle_age=\d+,| hard_age=\d+,/g, '').trim();
      map.set(key, Number(m[1]));
    }
    return map;
  }

  async version(): Promise<string> {
    const out = await run('ovs-vswitchd', ['--version']);
    return out.split('\n')[0]!.trim();
  }

  async close(): Promise<void> {
    await this.sb.close();
  }
}

/** A field of /proc/PID/status in kB (VmHWM, VmRSS), 0 when the process is gone. */
export function statusKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resets a process's peak RSS (VmHWM) to its current RSS (Linux ≥ 4.0); false if not allowed. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Flows whose duration went down between two dumps (re-added), and flows that disappeared. */
export function readdedFlows(before: Map<string, number>, after: Map<string, number>): { readded: number; missing: number } {
  let readded = 0;
  let missing = 0;
  for (const [key, d] of before) {
    const now = after.get(key);
    if (now === undefined) missing++;
    else if (now + 0.0005 < d) readded++;
  }
  return { readded, missing };
}
