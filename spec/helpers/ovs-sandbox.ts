/**
 * An isolated Open vSwitch for tests: its own network namespace, temp dir, ovsdb-server and
 * userspace ovs-vswitchd, and one netdev bridge (fail-mode=secure, OpenFlow 1.3).
 *
 * Everything started here is registered with `resources`, which tears it down on close(), on
 * tap teardown, and on process exit or a terminating signal — whatever ends the test first.
 * Sandboxes left behind by a process that was SIGKILLed are swept when the next one starts.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';
const DIR_PREFIX = 'ofwire-sandbox-';

// ---- running commands ---------------------------------------------------------------------------

export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly command: string,
    readonly code: number | string | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`\`${command}\` failed (${code}): ${stderr.trim() || stdout.trim()}`);
  }
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Runs a program (no shell) and resolves with its stdout; rejects with CommandError. */
export function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 1 << 30 },
      (err, stdout, stderr) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
          reject(new CommandError([file, ...args].join(' '), code, String(stdout), String(stderr)));
        } else {
          resolve(String(stdout));
        }
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Best-effort synchronous command for teardown paths (never throws). */
function runQuiet(file: string, args: readonly string[]): void {
  spawnSync(file, args, { stdio: 'ignore', timeout: 10_000 });
}

export function randomSuffix(bytes = 3): string {
  return randomBytes(bytes).toString('hex');
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it resolves truthy or `timeoutMs` passes. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    }
    await sleep(delay);
  }
}

// ---- teardown registry --------------------------------------------------------------------------

/** Synchronous teardown steps, run in reverse order of registration. */
class Resources {
  private steps = new Map<number, () => void>();
  private next = 1;
  private hooked = false;

  add(step: () => void): () => void {
    this.hook();
    const id = this.next++;
    this.steps.set(id, step);
    return () => {
      const s = this.steps.get(id);
      if (!s) return;
      this.steps.delete(id);
      try {
        s();
      } catch {
        // teardown is best effort: keep going
      }
    };
  }

  releaseAll(): void {
    const ids = [...this.steps.keys()].reverse();
    for (const id of ids) {
      const s = this.steps.get(id);
      this.steps.delete(id);
      try {
        s?.();
      } catch {
        // keep going
      }
    }
  }

  private hook(): void {
    if (this.hooked) return;
    this.hooked = true;
    process.on('exit', () => this.releaseAll());
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(sig, () => {
        this.releaseAll();
        // Deliver the signal again: with no other listener the default action ends the process;
        // other listeners (e.g. signal-exit) see it once more, now without this one in the way.
        process.kill(process.pid, sig);
      });
    }
  }
}

export const resources = new Resources();

/** Kills a process (SIGKILL) if it is still alive; synchronous. */
export function killPid(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function readPid(file: string): number | undefined {
  try {
    const n = parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Deletes a network namespace, after killing every process still inside it (deleting a namespace
 * does not end its processes); every link inside it goes with it. Synchronous, never throws.
 */
export function deleteNetns(name: string): void {
  const r = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8', timeout: 10_000 });
  if (r.status === 0) {
    for (const line of r.stdout.split('\n')) {
      const pid = parseInt(line, 10);
      if (pid > 0) killPid(pid);
    }
  }
  runQuiet('ip', ['netns', 'del', name]);
}

/** Kills the daemon named in a pidfile, if that pid still runs a command that mentions `dir`. */
function killDaemon(pidfile: string, dir: string): void {
  const pid = readPid(pidfile);
  if (!pid) return;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (cmdline.includes(dir)) killPid(pid);
}

// A sandbox dir records what to remove if its owner dies without cleaning up.
interface Manifest {
  owner: number;
  /** Namespaces to empty and delete (their processes are found with `ip netns pids`). */
  namespaces: string[];
  /** Links in the root namespace. */
  links: string[];
  pidfiles: string[];
  /** Other processes, with their start time so that a reused pid is never mistaken for ours. */
  pids?: { pid: number; start: string }[];
}

/** A process's start time (field 22 of /proc/PID/stat), or '' when it is gone. */
function startTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function sweepAbandoned(): void {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir()).filter((e) => e.startsWith(DIR_PREFIX));
  } catch {
    return;
  }
  for (const e of entries) {
    const dir = join(tmpdir(), e);
    let m: Manifest;
    try {
      m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    } catch {
      continue;
    }
    if (alive(m.owner)) continue;
    for (const f of m.pidfiles) killDaemon(f, dir);
    for (const p of m.pids ?? []) if (p.start && startTime(p.pid) === p.start) killPid(p.pid);
    for (const ns of m.namespaces) deleteNetns(ns);
    for (const l of m.links ?? []) runQuiet('ip', ['link', 'del', l]);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the sandbox --------------------------------------------------------------------------------

export interface SandboxOptions {
  /** Bridge name; a unique random one by default. */
  bridge?: string;
  /** OpenFlow versions the bridge accepts (default OpenFlow13). */
  protocols?: string;
  /** 16 hex digits; random by default. */
  datapathId?: string;
  /** Tap test to hook teardown into. */
  t?: { teardown(fn: () => unknown): void };
}

export interface Sandbox {
  bridge: string;
  /** The network namespace ovs-vswitchd runs in. */
  netns: string;
  dir: string;
  /** `unix:<dir>/<bridge>.mgmt` */
  mgmt: string;
  datapathId: string;
  env: NodeJS.ProcessEnv;
  /** `ovs-ofctl -O OpenFlow13 ARGS…` (the bridge is not added: pass it, e.g. `ofctl('dump-flows', sb.bridge)`). */
  ofctl(...args: string[]): Promise<string>;
  vsctl(...args: string[]): Promise<string>;
  appctl(...args: string[]): Promise<string>;
  /** Adds another bridge to the same vswitchd; returns its name and mgmt target. */
  addBridge(opts?: { datapathId?: string; protocols?: string }): Promise<{ bridge: string; mgmt: string; datapathId: string }>;
  /** SIGKILLs ovs-vswitchd (a crash: flows and groups are lost, the database stays). */
  kill(): Promise<void>;
  /** Starts ovs-vswitchd again after kill() and waits for every bridge's management socket. */
  start(): Promise<void>;
  /** kill() then start(). */
  restartVswitchd(): Promise<void>;
  /**
   * A veth link between this process's network namespace and the vswitchd's, with a random
   * 169.254.x.y/30 on each side: for tcp:/ssl: connections in either direction.
   */
  hostLink(): Promise<{ hostIp: string; switchIp: string }>;
  /** Registers extra teardown (e.g. pods) to run before the sandbox itself goes. */
  onClose(step: () => void): () => void;
  /**
   * Records a namespace or a process in the crash manifest, so that a later sweep removes it (a
   * namespace is emptied of its processes first).
   */
  track(what: { netns?: string; pid?: number }): void;
  /** Removes everything; idempotent. */
  close(): Promise<void>;
}

/** Starts an isolated ovsdb-server + ovs-vswitchd with one bridge. */
export async function createSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  sweepAbandoned();
  const id = randomSuffix();
  const bridge = opts.bridge ?? `ofw${id}`;
  if (bridge.length > 15) throw new Error(`bridge name "${bridge}" is longer than 15 characters`);
  const dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${bridge}-`));
  const netns = `${bridge}-ovs`;
  const datapathId = opts.datapathId ?? randomDpid();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OVS_RUNDIR: dir,
    OVS_DBDIR: dir,
    OVS_LOGDIR: dir,
    OVS_SYSCONFDIR: dir,
  };
  const db = `unix:${join(dir, 'db.sock')}`;
  const vswitchdPidfile = join(dir, 'ovs-vswitchd.pid');
  const ovsdbPidfile = join(dir, 'ovsdb-server.pid');
  const bridges = [bridge];
  const manifest: Manifest = {
    owner: process.pid,
    namespaces: [netns],
    links: [],
    pidfiles: [vswitchdPidfile, ovsdbPidfile],
  };
  const saveManifest = () => writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  saveManifest();

  const extra: (() => void)[] = [];
  const teardown = () => {
    for (const step of extra.splice(0).reverse()) {
      try {
        step();
      } catch {
        // keep going
      }
    }
    killDaemon(vswitchdPidfile, dir);
    killDaemon(ovsdbPidfile, dir);
    deleteNetns(netns);
    rmSync(dir, { recursive: true, force: true });
  };
  const release = resources.add(teardown);

  const vsctl = (...args: string[]) => run('ovs-vsctl', [`--db=${db}`, '--timeout=30', ...args], { env });
  const ofctl = (...args: string[]) => run('ovs-ofctl', ['-O', 'OpenFlow13', ...args], { env });
  const appctl = (...args: string[]) => run('ovs-appctl', ['-t', join(dir, 'ovs-vswitchd.ctl'), ...args], { env });

  const startVswitchd = async () => {
    await run(
      'ip',
      [
        'netns',
        'exec',
        netns,
        'ovs-vswitchd',
        db,
        '--disable-system',
        `--pidfile=${vswitchdPidfile}`,
        `--unixctl=${join(dir, 'ovs-vswitchd.ctl')}`,
        `--log-file=${join(dir, 'ovs-vswitchd.log')}`,
        '--detach',
      ],
      { env },
    );
  };
  const waitForBridges = async () => {
    for (const br of bridges) {
      await waitFor(`${br}.mgmt`, async () => {
        await run('ovs-ofctl', ['-O', 'OpenFlow10,OpenFlow11,OpenFlow12,OpenFlow13,OpenFlow14,OpenFlow15', 'show', br], { env });
        return true;
      });
    }
  };

  try {
    await run('ip', ['netns', 'add', netns]);
    await run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
    await run('ovsdb-tool', ['create', join(dir, 'conf.db'), SCHEMA], { env });
    await run(
      'ip',
      [
        'netns',
        'exec',
        netns,
        'ovsdb-server',
        join(dir, 'conf.db'),
        `--remote=punix:${join(dir, 'db.sock')}`,
        `--pidfile=${ovsdbPidfile}`,
        `--unixctl=${join(dir, 'ovsdb-server.ctl')}`,
        `--log-file=${join(dir, 'ovsdb-server.log')}`,
        '--detach',
      ],
      { env },
    );
    await vsctl('--no-wait', 'init');
    await startVswitchd();
    await addBridgeRow(vsctl, bridge, datapathId, opts.protocols ?? 'OpenFlow13');
    await waitForBridges();
  } catch (err) {
    release();
    throw err;
  }

  let closed = false;
  let link: { hostIp: string; switchIp: string } | undefined;
  const sandbox: Sandbox = {
    bridge,
    netns,
    dir,
    mgmt: `unix:${join(dir, `${bridge}.mgmt`)}`,
    datapathId,
    env,
    ofctl,
    vsctl,
    appctl,
    async addBridge(o = {}) {
      const br = `ofw${randomSuffix()}`;
      const dpid = o.datapathId ?? randomDpid();
      await addBridgeRow(vsctl, br, dpid, o.protocols ?? opts.protocols ?? 'OpenFlow13');
      bridges.push(br);
      await waitForBridges();
      return { bridge: br, mgmt: `unix:${join(dir, `${br}.mgmt`)}`, datapathId: dpid };
    },
    async kill() {
      const pid = readPid(vswitchdPidfile);
      killPid(pid);
      await waitFor('ovs-vswitchd to exit', async () => !alive(pid));
    },
    async start() {
      await startVswitchd();
      await waitForBridges();
    },
    async restartVswitchd() {
      await sandbox.kill();
      await sandbox.start();
    },
    async hostLink() {
      if (link) return link;
      const hostSide = `${bridge.slice(0, 14)}h`;
      const a = 1 + Math.floor(Math.random() * 254);
      const b = 4 * Math.floor(Math.random() * 64);
      const hostIp = `169.254.${a}.${b + 1}`;
      const switchIp = `169.254.${a}.${b + 2}`;
      manifest.links.push(hostSide);
      saveManifest();
      extra.push(() => runQuiet('ip', ['link', 'del', hostSide]));
      await run('ip', ['link', 'add', hostSide, 'type', 'veth', 'peer', 'name', 'uplink', 'netns', netns]);
      await run('ip', ['addr', 'add', `${hostIp}/30`, 'dev', hostSide]);
      await run('ip', ['link', 'set', hostSide, 'up']);
      await run('ip', ['-n', netns, 'addr', 'add', `${switchIp}/30`, 'dev', 'uplink']);
      await run('ip', ['-n', netns, 'link', 'set', 'uplink', 'up']);
      link = { hostIp, switchIp };
      return link;
    },
    onClose(step) {
      extra.push(step);
      return () => {
        const i = extra.indexOf(step);
        if (i >= 0) extra.splice(i, 1);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      release();
    },
    track(what) {
      if (what.netns) manifest.namespaces.push(what.netns);
      if (what.pid) (manifest.pids ??= []).push({ pid: what.pid, start: startTime(what.pid) });
      if (existsSync(dir)) saveManifest();
    },
  };
  opts.t?.teardown(() => sandbox.close());
  return sandbox;
}

function randomDpid(): string {
  // A locally administered, non-zero id that cannot collide with OVS's MAC-derived ones.
  return `0f${randomBytes(7).toString('hex')}`;
}

async function addBridgeRow(
  vsctl: (...a: string[]) => Promise<string>,
  bridge: string,
  datapathId: string,
  protocols: string,
): Promise<void> {
  await vsctl(
    'add-br',
    bridge,
    '--',
    'set',
    'bridge',
    bridge,
    'datapath_type=netdev',
    'fail-mode=secure',
    `protocols=${protocols}`,
    `other-config:datapath-id=${datapathId}`,
  );
}
