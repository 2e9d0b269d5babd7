/**
 * `ofwire proxy --once` as a whole process (Node's start-up, module loading, the manifest, the
 * compile, one bundle), run as the bundled command users get, built from the current sources, with its peak RSS and
 * CPU time recorded at exit.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_BUILD_DIR, buildCli, cliNodeFlags } from './build-agent.js';
import { proxyFlags, type ServiceSet } from './services.js';
import { timedSpawn } from './ofctl.js';

export interface ProcessRun {
  seconds: number;
  peakRssMb: number;
  cpuSeconds: number;
}

export async function ofwireProxyOnce(target: string, manifest: string, usageFile: string, set?: Partial<ServiceSet>): Promise<ProcessRun> {
  const main = buildCli();
  const preload = join(AGENT_BUILD_DIR, 'benchmarks', 'harness', 'hwm-preload.js');
  rmSync(usageFile, { force: true });
  const r = await timedSpawn(
    process.execPath,
    [
      ...cliNodeFlags(),
      '--import',
      preload,
      main,
      'proxy',
      '--once',
      '--bridge',
      target,
      '--source',
      `file:${manifest}`,
      ...proxyFlags(set),
      '--log-level',
      'warn',
    ],
    { env: { ...process.env, OFWIRE_BENCH_USAGE_FILE: usageFile } },
  );
  if (r.code !== 0) throw new Error(`ofwire proxy --once failed (${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { hwmKb: number; cpuSeconds: number };
  return { seconds: r.seconds, peakRssMb: usage.hwmKb / 1024, cpuSeconds: usage.cpuSeconds };
}

/** `ofwire ARGS…` as the bundled command, spawn to exit; throws with its stderr when it fails. */
export async function ofwireCommand(args: readonly string[]): Promise<number> {
  const r = await timedSpawn(process.execPath, [...cliNodeFlags(), buildCli(), ...args]);
  if (r.code !== 0) throw new Error(`ofwire ${args[0]} … failed (${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return r.seconds;
}
