/**
 * Connection targets in ovs-ofctl's notation:
 *   active   unix:PATH · tcp:HOST[:PORT] · ssl:HOST[:PORT]
 *   passive  punix:PATH · ptcp:[PORT][:IP] · pssl:[PORT][:IP]
 * IPv6 addresses go in brackets (`tcp:[::1]:6653`, `ptcp:6653:[::1]`). The port defaults to 6653;
 * passive targets bind 127.0.0.1 unless an address is given.
 */

export const OPENFLOW_PORT = 6653;
export const DEFAULT_LISTEN_HOST = '127.0.0.1';

/** A target ofwire connects to: `unix:PATH`, `tcp:HOST:PORT` or `ssl:HOST:PORT`. */
export type ActiveTarget =
  { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number } | { kind: 'ssl'; host: string; port: number };

/** A target ofwire listens on: `punix:PATH`, `ptcp:[PORT][:IP]` or `pssl:[PORT][:IP]`. */
export type PassiveTarget =
  { kind: 'punix'; path: string } | { kind: 'ptcp'; host: string; port: number } | { kind: 'pssl'; host: string; port: number };

/** A connection target in ovs-ofctl's notation, parsed. */
export type Target = ActiveTarget | PassiveTarget;

/** A target string that cannot be used. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`target "${target}": ${reason}`);
  }
}

function parsePort(text: string, target: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new TargetError(target, `port "${text}" is not a number`);
  const port = Number(text);
  if (port > 65535) throw new TargetError(target, `port ${port} is out of range (0–65535)`);
  return port;
}

/** Splits `HOST[:PORT]` where HOST may be `[v6]`. */
function splitHostPort(rest: string, target: string): { host: string; port?: string } {
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new TargetError(target, 'unterminated "[" in IPv6 address');
    const host = rest.slice(1, close);
    const tail = rest.slice(close + 1);
    if (tail === '') return { host };
    if (!tail.startsWith(':')) throw new TargetError(target, `unexpected "${tail}" after "]"`);
    return { host, port: tail.slice(1) };
  }
  const colon = rest.indexOf(':');
  if (colon < 0) return { host: rest };
  if (rest.indexOf(':', colon + 1) >= 0) {
    throw new TargetError(target, 'an IPv6 address must be written in brackets, e.g. tcp:[::1]:6653');
  }
  return { host: rest.slice(0, colon), port: rest.slice(colon + 1) };
}

/** Parses a target; throws TargetError naming the offending part. */
export function parseTarget(target: string): Target {
  const colon = target.indexOf(':');
  if (colon < 0) {
    throw new TargetError(target, 'expected METHOD:ADDRESS (unix:, tcp:, ssl:, punix:, ptcp: or pssl:)');
  }
  const method = target.slice(0, colon);
  const rest = target.slice(colon + 1);
  switch (method) {
    case 'unix':
    case 'punix':
      if (rest === '') throw new TargetError(target, 'missing socket path');
      return { kind: method, path: rest };
    case 'tcp':
    case 'ssl': {
      const { host, port } = splitHostPort(rest, target);
      if (host === '') throw new TargetError(target, 'missing host');
      return { kind: method, host, port: port === undefined || port === '' ? OPENFLOW_PORT : parsePort(port, target) };
    }
    case 'ptcp':
    case 'pssl': {
      // ptcp:[PORT][:IP] — the port comes first.
      let portText = rest;
      let host = DEFAULT_LISTEN_HOST;
      const c = rest.indexOf(':');
      if (c >= 0) {
        portText = rest.slice(0, c);
        let ip = rest.slice(c + 1);
        if (ip.startsWith('[')) {
          if (!ip.endsWith(']')) throw new TargetError(target, 'unterminated "[" in IPv6 address');
          ip = ip.slice(1, -1);
        }
        if (ip === '') throw new TargetError(target, 'missing listen address after ":"');
        host = ip;
      }
      const port = portText === '' ? OPENFLOW_PORT : parsePort(portText, target);
      return { kind: method, host, port };
    }
    default:
      throw new TargetError(target, `unknown method "${method}" (expected unix, tcp, ssl, punix, ptcp or pssl)`);
  }
}

export function isPassive(t: Target): t is PassiveTarget {
  return t.kind === 'punix' || t.kind === 'ptcp' || t.kind === 'pssl';
}

function hostText(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The target in ovs-ofctl notation. */
export function formatTarget(t: Target): string {
  switch (t.kind) {
    case 'unix':
    case 'punix':
      return `${t.kind}:${t.path}`;
    case 'tcp':
    case 'ssl':
      return `${t.kind}:${hostText(t.host)}:${t.port}`;
    case 'ptcp':
    case 'pssl':
      return `${t.kind}:${t.port}:${hostText(t.host)}`;
  }
}
