/**
 * Match fields. A match is an ordered list of OXM/NXM entries (order is kept for exact
 * re-encoding). Values use the field's natural form:
 *   integers up to 32 bits → number; wider integers (metadata, tun_id, ct_label, xxreg) → bigint;
 *   Ethernet addresses → "aa:bb:cc:dd:ee:ff"; IPv4 → "10.0.0.1"; IPv6 → "fd00::1" (RFC 5952);
 *   fields ofwire does not know → Buffer.
 */
export type FieldValue = number | bigint | string | Buffer;

export interface OxmField {
  /** Field name as Open vSwitch spells it (`ipv4_dst`, `reg0`, `ct_state`, `tcp_flags`, …) or `unknown`. */
  field: string;
  value: FieldValue;
  mask?: FieldValue;
  /**
   * The 32-bit header (class, field, hasmask=0, length=0 bits cleared), present only when the entry
   * arrived with a header other than the one OVS uses for this field in OpenFlow 1.3 (e.g. an NXM
   * header for a field that has an OXM one), or for an `unknown` field.
   */
  header?: number;
  /** Experimenter id, for `unknown` experimenter-class OXMs only. */
  experimenter?: number;
}

export type Match = OxmField[];
