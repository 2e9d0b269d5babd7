/** Sets of OpenFlow 1.3 action types (group features, table features) as ovs-ofctl names them. */

/** The OpenFlow 1.3 action types a bitmap names, in Open vSwitch's order. */
const OFPAT_BITS: ReadonlyArray<readonly [number, string]> = [
  [0, 'output'],
  [22, 'group'],
  [25, 'set_field'],
  [18, 'strip_vlan'],
  [17, 'push_vlan'],
  [23, 'mod_nw_ttl'],
  [24, 'dec_ttl'],
  [15, 'set_mpls_ttl'],
  [16, 'dec_mpls_ttl'],
  [19, 'push_mpls'],
  [20, 'pop_mpls'],
  [21, 'set_queue'],
];

/** A bitmap of OFPAT_* types as ovs-ofctl names them, `<none>` when it names none it knows. */
export function formatActionBitmap(bits: number): string {
  const names = OFPAT_BITS.filter(([bit]) => bits & (1 << bit)).map(([, n]) => n);
  return names.length ? names.join(' ') : '<none>';
}
