/**
 * TARGET as ovs-ofctl reads it, and the connection to it.
 *
 * A TARGET with a colon is a connection method (unix:PATH, tcp:HOST[:PORT], ssl:HOST[:PORT]). A
 * bare word is a socket file if one exists at that path, otherwise a bridge name: the bridge's
 * management socket, $OVS_RUNDIR/NAME.mgmt (OVS_RUNDIR defaulting to /var/run/openvswitch).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from '../session/session.js';
import { connect } from '../transport/connect.js';
import { CliError } from './errors.js';
import type { SwitchOptions } from './switch-options.js';

export const DEFAULT_RUNDIR = '/var/run/openvswitch';

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

/** The target in connection-method notation; throws CliError for a name that is neither. */
export function resolveTarget(name: string, env: NodeJS.ProcessEnv = process.env): string {
  if (name.includes(':')) return name;
  if (name === '') throw new CliError('empty TARGET');
  if (isSocket(name)) return `unix:${name}`;
  const rundir = env.OVS_RUNDIR || DEFAULT_RUNDIR;
  const mgmt = join(rundir, `${name}.mgmt`);
  if (isSocket(mgmt)) return `unix:${mgmt}`;
  throw new CliError(`${name} is not a bridge or a socket (no ${mgmt})`);
}

/** Opens an OpenFlow 1.3 session with TARGET. */
export async function openSession(target: string, options: SwitchOptions): Promise<Session> {
  const resolved = resolveTarget(target);
  const tls =
    options.privateKey !== undefined || options.certificate !== undefined || options.caCert !== undefined
      ? { key: options.privateKey ?? '', cert: options.certificate ?? '', ca: options.caCert ?? '' }
      : undefined;
  if (resolved.startsWith('ssl:') && (!options.privateKey || !options.certificate || !options.caCert)) {
    throw new CliError(`${resolved}: needs --private-key, --certificate and --ca-cert`);
  }
  const channel = await connect(resolved, tls ? { tls } : {});
  return Session.open(channel);
}

/** Port name → number, for flows that name ports (as ovs-ofctl accepts unless --no-names). */
export async function portNames(session: Session): Promise<Map<string, number>> {
  const names = new Map<string, number>();
  const parts = await session.multipart({ kind: 'port_desc' });
  for (const part of parts) for (const p of part.ports) names.set(p.name, p.portNo);
  return names;
}
