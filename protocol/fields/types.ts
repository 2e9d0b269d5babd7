/**
 * Match fields. A match is an ordered list of OXM/NXM entries (order is kept for exact
 * re-encoding). Values use the field's natural form:
 *   integers up to 32 bits → number; wider integers (metadata, tun_id, ct_label, xxreg) → bigint;
 *   Ethernet addresses → "aa:bb:cc:dd:ee:ff"; IPv4 → "10.0.0.1"; IPv6 → "fd00::1" (RFC 5952);
 *   variable-length fields (tun_metadata0–63) and fields ofwire does not know → Buffer.
 * Field names are Open vSwitch's (`reg0`, `ct_state`, `tun_id`, `tcp_flags`…), except where the
 * OXM name is clearer and OVS accepts both spellings elsewhere: `ipv4_src`/`ipv4_dst` (ovs-ofctl:
 * `ip_src`, `nw_src`), `ip_proto` (`nw_proto`), `ip_ecn` (`nw_ecn`), `eth_*` (`dl_*`). fieldByName()
 * knows every spelling; see ./table.ts.
 */
export type FieldValue = number | bigint | string | Buffer;

/** One match field: its name, value and optional mask. */
export interface OxmField {
  /** Field name (see above) or `unknown`. */
  field: string;
  value: FieldValue;
  /** Present for a masked entry (hasmask=1), even when all ones. */
  mask?: FieldValue;
  /**
   * The 32-bit header (class, field, hasmask=0, length=0 bits cleared), present only when the entry
   * arrived with a header other than the one OVS uses for this field in OpenFlow 1.3 (e.g. an NXM
   * header for a field that has an OXM one), or for an `unknown` field.
   */
  header?: number;
  /** Experimenter id, for `unknown` experimenter-class OXMs and non-canonical experimenter headers. */
  experimenter?: number;
}

/** A flow's match, as a list of fields. */
export type Match = OxmField[];
