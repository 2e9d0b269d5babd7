/**
 * Reads the first line `ovs-ofctl ofp-print` writes for a message ("OFPT_FLOW_MOD (OF1.3)
 * (xid=0x2): …", "OFPST_PORT reply (OF1.3) (xid=0x1): …") into ofwire's message type, multipart
 * kind and xid, so tests can check ofwire's decoding against Open vSwitch's.
 */
import type { OfpMessage } from '../../../protocol/index.js';

const MULTIPART_KINDS: Record<string, string> = {
  DESC: 'desc',
  FLOW: 'flow',
  AGGREGATE: 'aggregate',
  TABLE: 'table',
  PORT: 'port_stats',
  QUEUE: 'queue',
  GROUP: 'group',
  GROUP_DESC: 'group_desc',
  GROUP_FEATURES: 'group_features',
  METER: 'meter',
  METER_CONFIG: 'meter_config',
  METER_FEATURES: 'meter_features',
  TABLE_FEATURES: 'table_features',
  PORT_DESC: 'port_desc',
  FLOW_MONITOR: 'flow_monitor',
};

const RENAMED: Record<string, string> = {
  ONFT_BUNDLE_ADD_MESSAGE: 'bundle_add',
};

export interface OvsName {
  type: string;
  kind?: string;
  xid: number;
}

/** Parses the first line of ofp-print output; undefined when it is not a message header line. */
export function ovsName(text: string): OvsName | undefined {
  const m = /^(\w+)(?: (request|reply))? \(OF1\.3\) \(xid=0x([0-9a-f]+)\)/.exec(text);
  if (!m) return undefined;
  const [, name, dir, xid] = m as unknown as [string, string, string | undefined, string];
  const out: OvsName = { type: '', xid: parseInt(xid, 16) };
  if (dir) {
    out.type = `multipart_${dir}`;
    const st = /^(OFPST|ONFST|NXST)_(\w+)$/.exec(name);
    out.kind = st && st[1] !== 'NXST' ? (MULTIPART_KINDS[st[2]!] ?? st[2]!.toLowerCase()) : 'experimenter';
  } else if (RENAMED[name]) {
    out.type = RENAMED[name];
  } else if (name.startsWith('NXT_')) {
    out.type = `nx_${name.slice(4).toLowerCase()}`;
  } else {
    out.type = name.replace(/^(OFPT|ONFT)_/, '').toLowerCase();
  }
  return out;
}

/** Type, kind and xid of a decoded message in the same shape. */
export function ofwireName(m: OfpMessage): OvsName {
  const out: OvsName = { type: m.type, xid: m.xid };
  if (m.type === 'multipart_request' || m.type === 'multipart_reply') out.kind = m.body.kind;
  return out;
}
