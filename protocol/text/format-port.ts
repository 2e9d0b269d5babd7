/** Ports as ovs-ofctl prints them: `show`, port status, port-desc replies and port stats. */
import type { PortStats } from '../messages/multipart-types.js';
import type { PortDesc } from '../messages/port-types.js';
import { bitNames, formatDuration, formatPort, port16 } from './format-util.js';

const CONFIG_NAMES: Record<number, string> = {
  0x01: 'PORT_DOWN',
  0x02: 'NO_STP',
  0x04: 'NO_RECV',
  0x08: 'NO_RECV_STP',
  0x10: 'NO_FLOOD',
  0x20: 'NO_FWD',
  0x40: 'NO_PACKET_IN',
};

const STATE_NAMES: Record<number, string> = {
  0x1: 'LINK_DOWN',
  0x2: 'BLOCKED',
  0x4: 'LIVE',
};

const FEATURE_NAMES = [
  '10MB-HD',
  '10MB-FD',
  '100MB-HD',
  '100MB-FD',
  '1GB-HD',
  '1GB-FD',
  '10GB-FD',
  '40GB-FD',
  '100GB-FD',
  '1TB-FD',
  'OTHER',
  'COPPER',
  'FIBER',
  'AUTO_NEG',
  'AUTO_PAUSE',
  'AUTO_PAUSE_ASYM',
];

/** Port config bits, space-separated, then a newline. */
export function formatPortConfig(config: number): string {
  return `${bitNames(config, (b) => CONFIG_NAMES[b], ' ')}\n`;
}

/** Port state bits (OpenFlow 1.3 has no STP state), then a newline. */
export function formatPortState(state: number): string {
  return `${bitNames(state, (b) => STATE_NAMES[b], ' ')}\n`;
}

/** Port feature bits (`10GB-FD COPPER`), then a newline. */
export function formatPortFeatures(features: number): string {
  return `${bitNames(features, (b) => FEATURE_NAMES[Math.log2(b)], ' ')}\n`;
}

/** A port name cut at its first unprintable character, as ovs-ofctl shows it. */
function printableName(name: string): string {
  let i = 0;
  while (i < name.length && i < 15) {
    const c = name.charCodeAt(i);
    if (c < 32 || c > 126) break;
    i++;
  }
  return name.slice(0, i);
}

/** One port's description block (starts with a space, ends with a newline). */
export function formatPortDesc(p: PortDesc): string {
  let s = ` ${formatPort(p.portNo)}(${printableName(p.name)}): addr:${p.hwAddr}\n`;
  s += `     config:     ${formatPortConfig(p.config & 0x65)}`;
  s += `     state:      ${formatPortState(p.state & 0x7)}`;
  const curr = p.curr & 0xffff;
  const advertised = p.advertised & 0xffff;
  const supported = p.supported & 0xffff;
  const peer = p.peer & 0xffff;
  if (curr) s += `     current:    ${formatPortFeatures(curr)}`;
  if (advertised) s += `     advertised: ${formatPortFeatures(advertised)}`;
  if (supported) s += `     supported:  ${formatPortFeatures(supported)}`;
  if (peer) s += `     peer:       ${formatPortFeatures(peer)}`;
  s += `     speed: ${Math.floor((p.currSpeed >>> 0) / 1000)} Mbps now, ${Math.floor((p.maxSpeed >>> 0) / 1000)} Mbps max\n`;
  return s;
}

/** Ports in the order ovs-ofctl lists them (by their 16-bit number). */
export function sortPorts(ports: readonly PortDesc[]): PortDesc[] {
  const key = (p: PortDesc) => port16(p.portNo >>> 0) ?? p.portNo & 0xffff;
  return [...ports].sort((a, b) => key(a) - key(b));
}

function stat(v: bigint): string {
  return v === 0xffffffffffffffffn ? '?' : String(v);
}

/** One port's counters, three lines (the third only with a known duration). */
export function formatPortStats(ps: PortStats): string {
  const p = port16(ps.portNo >>> 0);
  let s = `  port ${p !== null && p < 10 ? ' ' : ''}${formatPort(ps.portNo)}: rx `;
  s += `pkts=${stat(ps.rxPackets)}, bytes=${stat(ps.rxBytes)}, drop=${stat(ps.rxDropped)}, errs=${stat(ps.rxErrors)}, `;
  s += `frame=${stat(ps.rxFrameErr)}, over=${stat(ps.rxOverErr)}, crc=${stat(ps.rxCrcErr)}\n`;
  s += `           tx pkts=${stat(ps.txPackets)}, bytes=${stat(ps.txBytes)}, drop=${stat(ps.txDropped)}, errs=${stat(ps.txErrors)}, coll=${stat(ps.collisions)}\n`;
  if (ps.durationSec >>> 0 !== 0xffffffff) s += `           duration=${formatDuration(ps.durationSec, ps.durationNsec)}\n`;
  return s;
}
