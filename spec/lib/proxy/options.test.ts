/** Proxy options: defaults, and one clear error naming the option for each bad value. */
import t from 'tap';
import { DEFAULT_OPTIONS, ProxyConfigError, resolveOptions, tablesOf } from '../../../lib/proxy/options.js';

t.test('defaults', async (t) => {
  const o = resolveOptions();
  t.same(o, DEFAULT_OPTIONS);
  t.same(tablesOf(o), { conntrack: 10, service: 11, slot: 12, dnat: 13, affinity: 14, hairpin: 15, next: 20 });
  t.same(
    resolveOptions({ tableBase: undefined, registers: { slot: 12 } as never }).registers,
    { ...DEFAULT_OPTIONS.registers, slot: 12 },
    'undefined keeps the default; registers merge',
  );
});

t.test('bad values are refused with the option named', async (t) => {
  const cases: [Parameters<typeof resolveOptions>[0], RegExp][] = [
    [{ tableBase: 249 }, /^tableBase: 249 is not an integer in 0\.\.248$/],
    [{ tableBase: 1.5 }, /^tableBase: 1\.5 is not/],
    [{ nextTable: 255 }, /^nextTable: 255 is not an integer in 0\.\.254$/],
    [{ tableBase: 10, nextTable: 15 }, /^nextTable: 15 must be above the proxy's tables 10\.\.15$/],
    [{ ctZone: 65536 }, /^ctZone: 65536 is not an integer in 0\.\.65535$/],
    [{ hairpinZone6: -1 }, /^hairpinZone6: -1 is not/],
    [{ ctZone: 65522 }, /^ctZone, ctZone6, hairpinZone, hairpinZone6, snatZone, snatZone6 must all differ$/],
    [{ snatZone: 65520 }, /must all differ$/],
    [{ nodeIPs: ['10.0.0.300'] }, /^nodeIPs: "10.0.0.300" is not an IP address$/],
    [{ nodePortAddresses: ['x'] }, /^nodePortAddresses: "x" is not an IP address$/],
    [{ clusterCidrs: ['10.0.0.0/33'] }, /^clusterCidrs: "10.0.0.0\/33" is not a CIDR/],
    [{ hairpinIp: 'fd00::1' }, /^hairpinIp: "fd00::1" is not an IPv4 address$/],
    [{ hairpinIp6: '169.254.0.1' }, /^hairpinIp6: "169\.254\.0\.1" is not an IPv6 address$/],
    [{ cookiePrefix: 0 }, /^cookiePrefix: 0 is not an integer in 1\.\.65535$/],
    [{ groupBase: 0x7f000001 }, /^groupBase: 0x7f000001 must be a multiple of 0x1000000$/],
    [{ groupBase: 0 }, /^groupBase: 0 is not/],
    [{ registers: { service: 16 } as never }, /^registers\.service: 16 is not an integer in 0\.\.15$/],
    [{ registers: { ip6xx: 4 } as never }, /^registers\.ip6xx: 4 is not an integer in 0\.\.3$/],
    [{ registers: { slot: 0 } as never }, /^registers: service, slot, aux and ip4 must be different registers$/],
    [{ registers: { ip6xx: 0 } as never }, /^registers\.ip6xx: xxreg0 \(reg0\.\.reg3\) overlaps another proxy register$/],
    [{ maxGroupImbalance: 0.5 }, /^maxGroupImbalance: 0\.5 must be ≥ 1$/],
    [{ maxGroupImbalance: Number.NaN }, /^maxGroupImbalance: NaN must be ≥ 1$/],
    [{ rejectMaxLen: 10 }, /^rejectMaxLen: 10 is not an integer in 64\.\.65509$/],
  ];
  for (const [opts, message] of cases) {
    t.throws(() => resolveOptions(opts), { name: 'ProxyConfigError', message }, JSON.stringify(opts));
  }
  t.type(new ProxyConfigError('x'), Error);
  t.ok(resolveOptions({ registers: { service: 8, slot: 9, aux: 10, ip4: 11, ip6xx: 0 } }), 'xxreg0 is free when the others are elsewhere');
});
