/** The names ovs-ofctl prints for messages and OpenFlow versions, from the codec registry and Open vSwitch's Nicira tables. */
import type { OfpMessage } from '../message.js';
import { messageCodec } from '../message-registry.js';
import { multipartCodec } from '../messages/multipart.js';
import { NX_VENDOR_ID } from '../constants/nicira.js';
import { ONF_VENDOR_ID } from '../constants/onf.js';

/** Nicira messages Open vSwitch knows in OpenFlow 1.3 that ofwire keeps as raw experimenter messages. */
export const NXT_NAMES: Record<number, string> = {
  10: 'NXT_ROLE_REQUEST',
  11: 'NXT_ROLE_REPLY',
  13: 'NXT_FLOW_MOD',
  14: 'NXT_FLOW_REMOVED',
  15: 'NXT_FLOW_MOD_TABLE_ID',
  17: 'NXT_PACKET_IN',
  18: 'NXT_FLOW_AGE',
  19: 'NXT_SET_ASYNC_CONFIG',
  24: 'NXT_TLV_TABLE_MOD',
  25: 'NXT_TLV_TABLE_REQUEST',
  26: 'NXT_TLV_TABLE_REPLY',
};

/** Nicira multipart bodies Open vSwitch knows in OpenFlow 1.3. */
const NXST_NAMES: Record<number, string> = { 3: 'NXST_IPFIX_BRIDGE', 4: 'NXST_IPFIX_FLOW' };

/** Name, or the error Open vSwitch reports, for an experimenter message or multipart body. */
function experimenterName(experimenter: number, expType: number, names: Record<number, string>): string | { error: string } {
  const exp = experimenter >>> 0;
  if (exp === NX_VENDOR_ID) return names[expType] ?? { error: 'OFPBRC_BAD_SUBTYPE' };
  if (exp === ONF_VENDOR_ID) return { error: 'OFPBRC_BAD_SUBTYPE' };
  return { error: 'OFPBRC_BAD_VENDOR' };
}

/**
 * The name ovs-ofctl gives a message (`OFPT_FLOW_MOD`, `OFPST_FLOW reply`), or the error it
 * reports when it does not know the message at all.
 */
export function messageName(m: OfpMessage): string | { error: string } {
  if (m.type === 'multipart_request' || m.type === 'multipart_reply') {
    const suffix = m.type === 'multipart_request' ? 'request' : 'reply';
    if (m.body.kind === 'experimenter') {
      const name = experimenterName(m.body.experimenter, m.body.expType, NXST_NAMES);
      return typeof name === 'string' ? `${name} ${suffix}` : name;
    }
    const base = multipartCodec(m.body.kind)?.name;
    return base ? `${base} ${suffix}` : { error: 'OFPBRC_BAD_STAT' };
  }
  if (m.type === 'experimenter') return experimenterName(m.experimenter, m.expType, NXT_NAMES);
  return messageCodec(m.type)?.name ?? { error: 'OFPBRC_BAD_TYPE' };
}

export function versionText(version: number): string {
  switch (version) {
    case 1:
      return '';
    case 2:
      return ' (OF1.1)';
    case 3:
      return ' (OF1.2)';
    case 4:
      return ' (OF1.3)';
    case 5:
      return ' (OF1.4)';
    case 6:
      return ' (OF1.5)';
    default:
      return ` (OF 0x${version.toString(16).padStart(2, '0')})`;
  }
}

export function messageVersion(m: OfpMessage): number {
  if (m.type === 'hello') return m.version;
  if (m.type === 'error') return m.version ?? 4;
  return 4;
}
