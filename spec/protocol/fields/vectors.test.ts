/**
 * Match fields against what ovs-ofctl 3.1 does (spec/vectors/fields/fields.jsonl, made by
 * generate.py in that directory): the FLOW_MOD bytes it sends for `FIELD=VALUE` decode and
 * re-encode byte for byte; parsing the same text and putting it in OpenFlow 1.3 form gives the
 * entries OVS wrote; each entry prints the way ovs-ofctl prints it; refused text is refused.
 */
import t from 'tap';
import {
  canonicalMatch,
  checkPrerequisites,
  fieldByName,
  formatFieldValue,
  matchName,
  parseFieldValue,
  type OxmField,
} from '../../../protocol/fields/index.js';
import { decodeMessage, encodeMessage, type OfpMessage } from '../../../protocol/index.js';
import { SHARED_MESSAGE_FILES, ownVectors, sharedMissing, sharedVectors } from '../../helpers/vectors.js';

interface Vector {
  field: string;
  context: string;
  value: string;
  input: string;
  hex?: string;
  match?: string;
  error?: string;
  warning?: string;
  set_field?: string;
  set_field_name?: string;
}

const vectors = ownVectors<Vector>('fields/fields.jsonl');

/** ovs-ofctl's protocol shorthands: eth_type and ip_proto. */
const SHORTHANDS: Record<string, [number, number?]> = {
  ip: [0x0800],
  ipv6: [0x86dd],
  icmp: [0x0800, 1],
  icmp6: [0x86dd, 58],
  tcp: [0x0800, 6],
  tcp6: [0x86dd, 6],
  udp: [0x0800, 17],
  udp6: [0x86dd, 17],
  sctp: [0x0800, 132],
  sctp6: [0x86dd, 132],
  arp: [0x0806],
  rarp: [0x8035],
  mpls: [0x8847],
  mplsm: [0x8848],
};

/**
 * Values ovs-ofctl accepts and silently truncates, which ofwire refuses with an error instead
 * (an IPv4 octet of 256 becomes 0).
 */
const STRICTER = new Set(['priority=100,ip,nw_src=1.2.3.256,actions=drop']);

function parseFlowFields(input: string): OxmField[] {
  const entries: OxmField[] = [];
  // Split on commas outside parentheses (packet_type=(1,0x800)).
  for (const kv of input.split(/,(?![^(]*\))/)) {
    const eq = kv.indexOf('=');
    const key = eq < 0 ? kv : kv.slice(0, eq);
    if (key === 'priority' || key === 'actions') continue;
    if (eq < 0) {
      const sh = SHORTHANDS[key];
      if (!sh) throw new Error(`no shorthand ${key}`);
      entries.push({ field: 'eth_type', value: sh[0] });
      if (sh[1] !== undefined) entries.push({ field: 'ip_proto', value: sh[1] });
      continue;
    }
    const def = fieldByName(key);
    if (!def) throw new Error(`unknown field ${key}`);
    entries.push({ field: def.name, ...parseFieldValue(def, kv.slice(eq + 1)) });
  }
  return entries;
}

function matchOf(m: OfpMessage): OxmField[] {
  if (m.type !== 'flow_mod') throw new Error(`expected a flow_mod, got ${m.type}`);
  return m.match;
}

/** Entries ovs-ofctl does not print under their own name. */
function printedElsewhere(e: OxmField, components: string[]): boolean {
  if (e.field === 'vlan_vid' || e.field === 'vlan_pcp') return true; // dl_vlan / dl_vlan_pcp / vlan_tci
  if (e.field === 'packet_type' && e.value === 0) return true; // the default Ethernet packet type
  if (e.field === 'eth_type' || e.field === 'ip_proto') {
    return components.some((c) => c in SHORTHANDS);
  }
  return false;
}

t.test('vectors cover every field ofwire can put in an OpenFlow 1.3 match', async (t) => {
  const covered = new Set<string>();
  for (const v of vectors) {
    if (!v.hex) continue;
    for (const e of matchOf(decodeMessage(Buffer.from(v.hex, 'hex')))) covered.add(e.field);
  }
  // prettier-ignore
  const expected = [
    'dp_hash', 'recirc_id', 'conj_id', 'packet_type', 'metadata', 'in_port', 'actset_output', 'pkt_mark',
    'tun_id', 'tun_src', 'tun_dst', 'tun_ipv6_src', 'tun_ipv6_dst', 'tun_flags', 'tun_gbp_id', 'tun_gbp_flags',
    'tun_erspan_idx', 'tun_erspan_ver', 'tun_erspan_dir', 'tun_erspan_hwid', 'tun_gtpu_flags', 'tun_gtpu_msgtype',
    'ct_state', 'ct_zone', 'ct_mark', 'ct_label', 'ct_nw_proto', 'ct_nw_src', 'ct_nw_dst', 'ct_ipv6_src', 'ct_ipv6_dst',
    'ct_tp_src', 'ct_tp_dst', ...Array.from({ length: 16 }, (_, i) => `reg${i}`),
    'eth_src', 'eth_dst', 'eth_type', 'vlan_vid', 'vlan_pcp', 'mpls_label', 'mpls_tc', 'mpls_bos', 'mpls_ttl',
    'ipv4_src', 'ipv4_dst', 'ipv6_src', 'ipv6_dst', 'ipv6_label', 'ip_proto', 'ip_dscp', 'ip_ecn', 'nw_ttl', 'ip_frag',
    'arp_op', 'arp_spa', 'arp_tpa', 'arp_sha', 'arp_tha', 'tcp_src', 'tcp_dst', 'tcp_flags', 'udp_src', 'udp_dst',
    'sctp_src', 'sctp_dst', 'icmp_type', 'icmp_code', 'icmpv6_type', 'icmpv6_code', 'nd_target', 'nd_sll', 'nd_tll',
    'nd_reserved', 'nd_options_type', 'nsh_flags', 'nsh_ttl', 'nsh_mdtype', 'nsh_np', 'nsh_spi', 'nsh_si',
    'nsh_c1', 'nsh_c2', 'nsh_c4',
  ];
  t.same(
    expected.filter((f) => !covered.has(f)),
    [],
    'every field appears decoded from OVS bytes',
  );
});

for (const v of vectors) {
  if (v.hex) {
    t.test(v.input, async (t) => {
      const bytes = Buffer.from(v.hex!, 'hex');
      const msg = decodeMessage(bytes);
      const decoded = matchOf(msg);
      t.equal(encodeMessage(msg).toString('hex'), v.hex, 're-encodes to the same bytes');
      t.equal(checkPrerequisites(decoded), null, 'prerequisites met');
      if (STRICTER.has(v.input)) {
        t.throws(() => parseFlowFields(v.input), /1\.2\.3\.256/, 'ofwire refuses a value ovs-ofctl truncates');
        return;
      }
      const parsed = parseFlowFields(v.input);
      t.same(canonicalMatch(parsed), decoded, 'parsing the text and canonicalMatch() give the entries OVS sent');
      t.same(canonicalMatch(decoded), decoded, 'the decoded match is already canonical');
      const components = v.match ? v.match.split(/,(?![^(]*\))/) : [];
      for (const e of decoded) {
        if (printedElsewhere(e, components)) continue;
        const def = fieldByName(e.field)!;
        const text = `${matchName(def)}=${formatFieldValue(def, e.value, e.mask)}`;
        t.ok(components.includes(text), `${text} is printed as in "${v.match}"`);
      }
    });
  } else if (v.error) {
    t.test(`refused: ${v.input}`, async (t) => {
      t.throws(() => parseFlowFields(v.input), { name: 'SyntaxError' }, `ovs-ofctl: ${v.error}`);
    });
  } else if (v.set_field !== undefined) {
    t.test(v.input, async (t) => {
      const def = fieldByName(v.field)!;
      const parsed = parseFieldValue(def, v.value);
      t.equal(formatFieldValue(def, parsed.value, parsed.mask, 'field'), v.set_field, 'set_field value printed as OVS does');
    });
  }
}

/** Matches in Open vSwitch's own vectors (../shared, when present) are already in OVS's form. */
t.test('matches in the shared OVS vectors are canonical', { skip: sharedMissing() }, async (t) => {
  let n = 0;
  for (const file of SHARED_MESSAGE_FILES) {
    for (const v of sharedVectors<{ hex?: string; name?: string; input?: string }>(file)) {
      if (!v.hex) continue;
      let msg: OfpMessage;
      try {
        msg = decodeMessage(Buffer.from(v.hex, 'hex'));
      } catch {
        continue; // messages other layers decode (or deliberately malformed ones) are tested elsewhere
      }
      const found: OxmField[][] = [];
      const m = msg as unknown as { match?: OxmField[]; body?: { flows?: { match: OxmField[] }[]; match?: OxmField[] } };
      if (m.match) found.push(m.match);
      if (m.body?.match) found.push(m.body.match);
      for (const fl of m.body?.flows ?? []) found.push(fl.match);
      for (const match of found) {
        n++;
        t.same(canonicalMatch(match), match, `${v.name ?? v.input}: canonical`);
        t.equal(checkPrerequisites(match), null, `${v.name ?? v.input}: prerequisites met`);
      }
    }
  }
  t.ok(n > 0, `${n} matches checked`);
});
