/**
 * Checking actions against the flow's match, as ovs-ofctl does before it sends a flow
 * (ofpacts_check): each action sees the packet as the match and the actions before it leave it
 * (push_mpls makes it MPLS, push_vlan adds a tag…). A hard inconsistency is an error; a soft one
 * (an action OpenFlow 1.0 would tolerate but OpenFlow 1.1+ forbids, like pop_vlan without a VLAN
 * match) makes the flow unusable in OpenFlow 1.3, which ovs-ofctl reports as "no usable protocol".
 */
import type { FlowMatch } from '../fields/flow.js';
import type { Prerequisite } from '../fields/registry.js';
import { OfpSyntaxError } from './errors.js';
import type { Located } from './parse-util.js';
import type { OvsField } from './parse-fields.js';

/** The packet headers an action depends on, as the match and earlier actions leave them. */
export class FlowView {
  packetType = 0;
  dlType = 0;
  nwProto = 0;
  nwFrag = 0;
  tpSrc = 0;
  tpDst = 0;
  ctState = 0;
  ctStateMask = 0;
  /** Outer and inner VLAN TCI (OVS tracks two tags). */
  vlans: [number, number] = [0, 0];

  static of(f: FlowMatch): FlowView {
    const v = new FlowView();
    v.packetType = Number(f.val('packet_type'));
    v.dlType = Number(f.val('dl_type'));
    v.nwProto = Number(f.val('nw_proto'));
    v.nwFrag = Number(f.val('nw_frag'));
    v.tpSrc = Number(f.val('tp_src'));
    v.tpDst = Number(f.val('tp_dst'));
    v.ctState = Number(f.val('ct_state'));
    v.ctStateMask = Number(f.mask('ct_state'));
    v.vlans = [Number(f.val('vlan_tci')), 0];
    // A match on packet_type (ETHERTYPE namespace) gives the ethertype.
    if (f.mask('packet_type') === 0xffffffffn && v.packetType >>> 16 === 1) v.dlType = v.packetType & 0xffff;
    return v;
  }

  copy(): FlowView {
    const v = Object.assign(new FlowView(), this);
    v.vlans = [this.vlans[0], this.vlans[1]];
    return v;
  }

  /** get_dl_type(): the ethertype of an Ethernet packet, or that of an L3 packet_type. */
  get etherType(): number {
    if (this.packetType === 0) return this.dlType;
    if (this.packetType >>> 16 === 1) return this.packetType & 0xffff;
    return 0;
  }
  isIp(): boolean {
    return this.etherType === 0x0800;
  }
  isIpv6(): boolean {
    return this.etherType === 0x86dd;
  }
  isIpAny(): boolean {
    return this.isIp() || this.isIpv6();
  }
  isMpls(): boolean {
    return this.etherType === 0x8847 || this.etherType === 0x8848;
  }
  hasVlan(): boolean {
    return (this.vlans[0] & 0x1000) !== 0;
  }
  isCtValid(): boolean {
    const valid = 0x01 | 0x02 | 0x04 | 0x08 | 0x40 | 0x80;
    return (this.ctState & valid) !== 0 || ((this.ctState & 0x20) !== 0 && (this.ctStateMask & 0x10) !== 0 && (this.ctState & 0x10) === 0);
  }
  isNd(): boolean {
    return this.isIpv6() && this.nwProto === 58 && this.tpDst === 0 && (this.tpSrc === 135 || this.tpSrc === 136);
  }

  /** mf_are_prereqs_ok(). */
  prereqOk(p: Prerequisite | undefined): boolean {
    switch (p) {
      case undefined:
        return true;
      case 'eth':
        return this.packetType === 0;
      case 'arp':
        return this.etherType === 0x0806 || this.etherType === 0x8035;
      case 'vlan':
        return this.hasVlan();
      case 'ip':
        return this.isIp();
      case 'ipv6':
        return this.isIpv6();
      case 'ip_any':
        return this.isIpAny();
      case 'mpls':
        return this.isMpls();
      case 'nsh':
        return this.etherType === 0x894f;
      case 'ct':
        return this.isCtValid();
      case 'tcp':
      case 'l4':
        return this.isIpAny() && this.nwProto === 6 && (this.nwFrag & 2) === 0;
      case 'udp':
        return this.isIpAny() && this.nwProto === 17 && (this.nwFrag & 2) === 0;
      case 'sctp':
        return this.isIpAny() && this.nwProto === 132 && (this.nwFrag & 2) === 0;
      case 'icmp':
        return this.isIp() && this.nwProto === 1;
      case 'icmp6':
        return this.isIpv6() && this.nwProto === 58;
      case 'nd':
        return this.isNd();
      case 'nd_solicit':
        return this.isNd() && this.tpSrc === 135;
      case 'nd_advert':
        return this.isNd() && this.tpSrc === 136;
      default:
        return false;
    }
  }
}

/** What ovs-ofctl calls each check failure (OpenFlow error names). */
export type CheckError =
  | 'OFPBAC_MATCH_INCONSISTENT'
  | 'OFPBAC_BAD_OUT_PORT'
  | 'OFPBAC_BAD_SET_ARGUMENT'
  | 'OFPBAC_BAD_ARGUMENT'
  | 'OFPBAC_BAD_TAG'
  | 'OFPBIC_BAD_TABLE_ID'
  | 'OFPMMFC_INVALID_METER'
  | 'OFPBAC_BAD_SET_LEN';

export class CheckContext {
  /** The first action that made the flow unusable in OpenFlow 1.1+ and why. */
  inconsistent: { token: Located; why: string } | null = null;

  constructor(
    public flow: FlowView,
    /** The flow's table (255 when not given), for goto_table. */
    readonly tableId: number,
  ) {}

  /** A hard error: ovs-ofctl's "actions are invalid with specified match (ERROR)". */
  error(token: Located, code: CheckError, why: string): OfpSyntaxError {
    return new OfpSyntaxError(`actions are invalid with specified match (${code}): ${why}`, token.text, token.at);
  }

  /** A soft inconsistency (only OpenFlow 1.0 would take the flow). */
  soft(token: Located, why: string): void {
    this.inconsistent ??= { token, why };
  }

  /** mf_check_src/mf_check_dst: the field's prerequisites hold, and for a destination, it is writable. */
  checkField(token: Located, field: OvsField, dst: boolean): void {
    if (!this.flow.prereqOk(field.def.prereq)) {
      throw this.error(
        token,
        'OFPBAC_MATCH_INCONSISTENT',
        `${dst ? 'destination' : 'source'} field ${field.name} lacks correct prerequisites`,
      );
    }
    if (dst && !field.writable) {
      throw this.error(token, 'OFPBAC_BAD_SET_ARGUMENT', `destination field ${field.name} is not writable`);
    }
  }

  /** Runs `fn` on a copy of the flow, as OVS restores the packet after nested actions. */
  nested<T>(fn: () => T): T {
    const saved = this.flow;
    this.flow = saved.copy();
    try {
      return fn();
    } finally {
      this.flow = saved;
    }
  }
}

/** ofpact_check_output_port(): ports an output action may name. */
export function outputPortError(port16: number): boolean {
  switch (port16) {
    case 0xfff8: // IN_PORT
    case 0xfff9: // TABLE
    case 0xfffa: // NORMAL
    case 0xfffb: // FLOOD
    case 0xfffc: // ALL
    case 0xfffd: // CONTROLLER
    case 0xfffe: // LOCAL
      return false;
    case 0xffff: // NONE
      return true;
    default:
      return port16 >= 0xff00;
  }
}
