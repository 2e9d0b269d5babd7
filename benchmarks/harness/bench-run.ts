/**
 * What every workload of one `npm run bench` shares: its settings, the sandboxed ovs-vswitchd, the
 * ofwire agents it started, the result rows and notes of the report, and the progress bar.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from './agent-client.js';
import { ThrowawayNetns } from './iptables.js';
import type { OskenController } from './osken.js';
import { Progress } from './progress.js';
import type { Result } from './results.js';
import type { ServiceSet } from './services.js';
import type { SizeFiles } from './size-files.js';
import type { Vswitchd } from './switchd.js';

/** The repository's root directory. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** The workloads `--only` can choose. */
export const WORKLOADS = ['cold-sync', 'churn', 'restart', 'recovery', 'cli', 'codec'] as const;
/** One of the workloads `--only` can choose. */
export type WorkloadName = (typeof WORKLOADS)[number];

/** A benchmark run's settings, from its command-line flags. */
export interface BenchSettings {
  quick: boolean;
  /** Endpoints per service. */
  endpoints: number;
  sizes: number[];
  /** --runs: runs per measurement, instead of the defaults of `runs()`. */
  runsArg: number | undefined;
  churnChanges: number;
  spawnChanges: number;
  sustainedSeconds: number;
  sustainedRate: number;
  externalEvery: number | undefined;
  only: ReadonlySet<string>;
  withOsken: boolean;
  withIptables: boolean;
  withKube: boolean;
  withCodec: boolean;
}

/** One benchmark run: its settings, its switch and agents, and the report it builds. */
export class BenchRun {
  readonly results: Result[] = [];
  readonly notes: string[] = [];
  readonly progress = new Progress();
  /** The run's temporary directory: the baselines' files, kubeconfigs, os-ken's input. */
  readonly tmp = mkdtempSync(join(os.tmpdir(), 'ofwire-bench-'));
  /** The network namespace iptables-restore loads its rules into. */
  readonly ipt = new ThrowawayNetns();
  /** The os-ken controller while a cold sync runs it. */
  osken: OskenController | undefined;
  private switchd: Vswitchd | undefined;
  private readonly agents = new Set<Agent>();

  constructor(readonly settings: BenchSettings) {}

  /** The sandboxed ovs-vswitchd every workload programs. */
  get sw(): Vswitchd {
    if (!this.switchd) throw new Error('bench: ovs-vswitchd is not started');
    return this.switchd;
  }

  set sw(vs: Vswitchd) {
    this.switchd = vs;
  }

  /** The service mixes measured at every size: ClusterIP only, then the north-south mix when asked for. */
  get mixes(): (number | undefined)[] {
    const every = this.settings.externalEvery;
    return every === undefined ? [undefined] : [undefined, every];
  }

  /** The Kubernetes-watch churn needs the list of N services over HTTP first: run it up to 10k. */
  get kubeSizes(): number[] {
    return this.settings.sizes.filter((s) => s <= 10000);
  }

  /** Runs per measurement: ≥ 5 where a run is cheap, 3 for the slow contenders and the largest size. */
  runs(services: number, slow = false): number {
    const { runsArg, quick } = this.settings;
    if (runsArg) return runsArg;
    if (services >= 50000) return 3;
    if (slow && services >= 10000) return 3;
    return quick && services >= 10000 ? 3 : 5;
  }

  /** Runs of each churn measurement. */
  get churnRuns(): number {
    const { runsArg, quick } = this.settings;
    return runsArg ? Math.min(runsArg, 3) : quick ? 2 : 3;
  }

  /** iptables-nft-restore is quadratic in chains here: measured once, at the smallest size if ≤ 1000. */
  nftSize(services: number): boolean {
    return services === Math.min(...this.settings.sizes) && services <= 1000;
  }

  /** os-ken runs on the ClusterIP mix only. */
  oskenFor(set: ServiceSet): boolean {
    return this.settings.withOsken && set.externalEvery === undefined;
  }

  /** iptables-restore runs on the ClusterIP mix only. */
  iptablesFor(set: ServiceSet): boolean {
    return this.settings.withIptables && set.externalEvery === undefined;
  }

  /** Adds a note to the report, once. */
  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** Adds a note to the report and prints it as a warning. */
  warn(text: string): void {
    this.note(text);
    this.progress.log(`warning: ${text}`);
  }

  /** Starts an ofwire agent process, stopped at cleanup if still running. */
  async spawnAgent(): Promise<Agent> {
    const a = await Agent.spawn();
    this.agents.add(a);
    return a;
  }

  /** Stops an agent, its log lines becoming warnings. */
  async exitAgent(a: Agent): Promise<void> {
    for (const line of a.log) this.warn(`ofwire agent: ${line}`);
    await a.exit();
    this.agents.delete(a);
  }

  /** The agent's setup for this set (its size and mix). */
  agentSetup(f: SizeFiles) {
    const set = f.set;
    return {
      op: 'setup' as const,
      target: this.sw.target,
      services: set.services,
      endpointsPerService: this.settings.endpoints,
      ...(set.externalEvery === undefined ? {} : { externalEvery: set.externalEvery }),
    };
  }

  /** A fresh, empty switch and a new agent that programs it from scratch (a cold-started agent). */
  async programmedAgent(f: SizeFiles, purpose: string): Promise<Agent> {
    const vs = this.sw;
    this.progress.task(`${f.set.services}${f.suffix ? ' north-south' : ''}: programming the switch for ${purpose}`);
    await vs.fresh();
    const a = await this.spawnAgent();
    await a.call({ ...this.agentSetup(f), source: 'memory' });
    await a.call({ op: 'connect' });
    await a.call({ op: 'startProxy' });
    return a;
  }

  /** Whether two canonical dumps hold the same entries; warns with the difference when not. */
  sameDump(what: string, reference: string[], actual: string[]): boolean {
    if (reference.length === actual.length && reference.every((l, i) => l === actual[i])) return true;
    const ref = new Set(reference);
    const act = new Set(actual);
    const missing = reference.filter((l) => !act.has(l));
    const extra = actual.filter((l) => !ref.has(l));
    this.warn(
      `${what}: installed state differs from ofwire's (${missing.length} entries missing, ${extra.length} extra; e.g. ${JSON.stringify(missing[0] ?? extra[0])})`,
    );
    return false;
  }

  /** Stops everything the run started and removes its temporary files. */
  async cleanup(): Promise<void> {
    this.progress.stop();
    this.osken?.stop();
    for (const a of this.agents) a.kill();
    this.ipt.remove();
    await this.switchd?.close();
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
