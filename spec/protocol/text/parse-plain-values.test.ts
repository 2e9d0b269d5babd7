/**
 * The parser reads the commonest value spellings (an IPv4 address without a mask, a plain decimal,
 * `0x` hex and decimal integers) on a shorter path than the general one: each must give the match,
 * the message and the error the general path gives for an equivalent spelling.
 */
import t from 'tap';
import { encodeMessage } from '../../../protocol/index.js';
import { parseCInteger } from '../../../protocol/text/parse-numbers.js';
import { OfpSyntaxError, parseFlow, type ParseWarning } from '../../../protocol/text/index.js';

function bytes(text: string): string {
  return encodeMessage(parseFlow(text)).toString('hex');
}

function errorOf(text: string): string {
  try {
    parseFlow(text);
  } catch (err) {
    if (err instanceof OfpSyntaxError) return err.message;
    throw err;
  }
  return 'accepted';
}

t.test('plain values match their general spellings', async (t) => {
  const same: [string, string][] = [
    ['tcp,tp_dst=80,actions=drop', 'tcp,tp_dst=0x50,actions=drop'],
    ['ip,nw_dst=10.96.0.10,actions=drop', 'ip,nw_dst=10.96.0.10/32,actions=drop'],
    ['ip,nw_dst=0.0.0.0,actions=drop', 'ip,nw_dst=0.0.0.0/255.255.255.255,actions=drop'],
    ['ct_state=+trk,ct_zone=65520,actions=drop', 'ct_state=+trk,ct_zone=0xfff0,actions=drop'],
    ['ip,ip_dscp=63,actions=drop', 'ip,ip_dscp=0x3f,actions=drop'],
    ['reg0=4294967,actions=drop', 'reg0=0x418937,actions=drop'],
    ['metadata=123456789,actions=drop', 'metadata=0x75bcd15,actions=drop'],
    ['ip,nw_tos=4,actions=drop', 'ip,nw_tos=0x4,actions=drop'],
    ['udp6,tp_src=0,actions=drop', 'udp6,tp_src=0x0,actions=drop'],
  ];
  for (const [plain, general] of same) t.equal(bytes(plain), bytes(general), plain);
});

t.test('plain values out of range are refused as the general path refuses them', async (t) => {
  t.match(errorOf('ip,ip_dscp=64,actions=drop'), /ip_dscp/);
  t.equal(errorOf('ip,ip_dscp=64,actions=drop').replaceAll('64', 'X'), errorOf('ip,ip_dscp=0x40,actions=drop').replaceAll('0x40', 'X'));
  t.match(errorOf('ip,nw_tos=5,actions=drop'), /ECN/);
  t.match(errorOf('ip,nw_dst=10.0.0.256,actions=drop'), /nw_dst/);
  t.match(errorOf('reg0=4294967296,actions=drop'), /reg0/);
  t.match(errorOf('tcp,tp_dst=1234567890,actions=drop'), /tp_dst/);
});

t.test('a field on the plain path still sets its prerequisites and warns when dropped', async (t) => {
  const warnings: ParseWarning[] = [];
  const flow = parseFlow('tp_dst=80,actions=drop', { warnings });
  t.same(flow.match, [{ field: 'packet_type', value: 0 }]);
  t.match(warnings[0]?.message, /tcp_dst dropped/);
});

t.test('integers in 0x and decimal spellings read as strtoull reads them', async (t) => {
  const cases: [string, 0 | 10, bigint | null][] = [
    ['0x1F', 0, 0x1fn],
    ['0X1f', 0, 0x1fn],
    ['0xfffffffffffff', 0, 0xfffffffffffffn],
    ['0xfedcba9876543210', 0, 0xfedcba9876543210n],
    ['0x', 0, null],
    ['0xg', 0, null],
    ['0x10', 10, null],
    ['999999999999999', 0, 999999999999999n],
    ['18446744073709551615', 0, 18446744073709551615n],
    ['017', 0, 15n],
    ['08', 0, null],
    ['+5', 0, 5n],
    ['-5', 10, -5n],
    [' 7', 0, 7n],
    ['7 ', 0, null],
    ['', 0, null],
  ];
  for (const [s, base, want] of cases) t.equal(parseCInteger(s, base), want, `${JSON.stringify(s)} base ${base}`);
});
