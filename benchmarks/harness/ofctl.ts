/**
 * ovs-ofctl contenders: the same groups and flows as ovs-ofctl text (printed by ofwire's own
 * formatter, then checked on the switch against what ofwire installed), one atomic
 * `ovs-ofctl bundle` transaction for a whole set, and one `ovs-ofctl mod-group` process per change.
 */
import { spawn } from 'node:child_process';
import { formatGroupDesc, formatInstructions, formatMatch } from '../../protocol/text/index.js';
import type { FlowEntry, GroupEntry } from '../../lib/proxy/entries.js';

export function flowText(e: FlowEntry): string {
  return `table=${e.table},cookie=0x${e.cookie.toString(16)},${formatMatch(e.match, e.priority)},actions=${formatInstructions(e.instructions)}`;
}

export function groupText(e: GroupEntry): string {
  return formatGroupDesc({ groupId: e.groupId, groupType: e.groupType, buckets: e.buckets });
}

/** A file for `ovs-ofctl bundle`: every group, then every flow, in one transaction. */
export function bundleFile(groups: readonly GroupEntry[], flows: readonly FlowEntry[]): string {
  const lines: string[] = [];
  for (const g of groups) lines.push(`group add ${groupText(g)}`);
  for (const f of flows) lines.push(`flow add ${flowText(f)}`);
  return `${lines.join('\n')}\n`;
}

export interface Spawned {
  seconds: number;
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs a program and measures its wall time from spawn to exit. */
export function timedSpawn(
  file: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; stdinFile?: number } = {},
): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, args, {
      env: opts.env ?? process.env,
      stdio: [opts.stdinFile ?? 'ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ seconds: (performance.now() - t0) / 1000, stdout, stderr, code }));
  });
}

/** `ovs-ofctl -O OpenFlow13 ARGS…`, spawn to exit; throws with its stderr when it fails. */
export async function ofctl(args: readonly string[]): Promise<number> {
  const r = await timedSpawn('ovs-ofctl', ['-O', 'OpenFlow13', ...args]);
  if (r.code !== 0) throw new Error(`ovs-ofctl ${args[0]} failed (${r.code}): ${r.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
  return r.seconds;
}

export function ofctlBundle(target: string, file: string): Promise<number> {
  return ofctl(['bundle', target, file]);
}

export function ofctlModGroup(target: string, group: GroupEntry): Promise<number> {
  return ofctl(['mod-group', target, groupText(group)]);
}
