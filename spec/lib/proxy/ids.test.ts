/** Cookie layout and service-port ids, including their recovery from dumped flows after a restart. */
import t from 'tap';
import type { FlowStats, Match } from '../../../protocol/index.js';
import {
  COOKIE_KIND_MASK,
  COOKIE_PREFIX_MASK,
  CookieKind,
  cookie,
  cookieId,
  cookieKind,
  endpointHash,
  learnedCookie,
  prefixCookie,
} from '../../../lib/proxy/cookies.js';
import { MAX_SERVICE_PORT_ID, ServicePortIds, keyOfServiceMatch, keyOfServiceMatchBytes } from '../../../lib/proxy/ids.js';
import { dumpedFlows } from '../../../lib/proxy/entries.js';
import { encodeMessage } from '../../../protocol/index.js';
import { Writer } from '../../../protocol/wire/writer.js';
import { writeMatch } from '../../../protocol/fields/oxm.js';
import { compilePort } from '../../../lib/proxy/compile.js';
import { resolveOptions } from '../../../lib/proxy/options.js';
import type { ServicePortState } from '../../../lib/proxy/model.js';

/**
 * The flows of `ports` (ids from 100 on) as a switch would report them, with noise: a foreign flow
 * in the service table, a proxy flow with a bad id.
 */
function installedFlows(o: ReturnType<typeof resolveOptions>, ports: ServicePortState[]): FlowStats[] {
  const dumped: FlowStats[] = [];
  ports.forEach((sp, i) => {
    for (const e of compilePort(o, sp, 100 + i).own) if (e.kind === 'flow') dumped.push(flowStats(e));
  });
  dumped.push({ ...serviceFlow(compilePort(o, ports[0]!, 7)), cookie: 0xbeefn });
  dumped.push(serviceFlow(compilePort(o, state('IPv4', 'TCP', '10.96.0.99', 80), 0)));
  return dumped;
}

t.test('cookies', async (t) => {
  const c = cookie(0x0f77, CookieKind.Slot, 0x123);
  t.equal(c, 0x0f77_2000_0000_0123n, 'prefix | kind | id');
  t.equal(cookieKind(c), CookieKind.Slot);
  t.equal(cookieId(c), 0x123);
  t.equal(c & COOKIE_PREFIX_MASK, prefixCookie(0x0f77), 'the prefix mask selects the prefix');
  t.equal(c & COOKIE_KIND_MASK, 0x0f77_2000_0000_0000n, 'the kind mask selects prefix and kind');
  t.equal(cookie(0xffff, CookieKind.Hairpin, 2 ** 44 + 5), 0xffff_5000_0000_0005n, 'ids are cut to 44 bits');
  t.equal(cookie(1, CookieKind.Base), 0x0001_0000_0000_0000n, 'base flows have id 0');

  const h = endpointHash('10.244.0.11', 8080);
  t.ok(h >= 0 && h <= 0xfffff, '20-bit endpoint hash');
  t.equal(endpointHash('10.244.0.11', 8080), h, 'stable');
  t.not(endpointHash('10.244.0.11', 8081), h, 'the port matters');
  t.not(endpointHash('10.244.0.12', 8080), h, 'the address matters');
  const hashes = new Set<number>();
  for (let i = 0; i < 1000; i++) hashes.add(endpointHash(`10.244.${i >> 8}.${i & 255}`, 8080));
  t.ok(hashes.size > 990, `1000 endpoints: ${hashes.size} distinct hashes`);

  const l = learnedCookie(0x0f77, 3, '10.244.0.11', 8080);
  t.equal(cookieKind(l), CookieKind.Learned);
  t.equal(cookieId(l), 3 * 0x100000 + h, 'service-port id above the endpoint hash');
  t.equal(
    Math.floor(cookieId(learnedCookie(0x0f77, MAX_SERVICE_PORT_ID, '::1', 1)) / 2 ** 20),
    MAX_SERVICE_PORT_ID,
    'the largest id still fits',
  );
});

t.test('service-port ids are allocated, reused and released', async (t) => {
  const ids = new ServicePortIds();
  t.equal(ids.acquire('a'), 1);
  t.equal(ids.acquire('b'), 2);
  t.equal(ids.acquire('a'), 1, 'the same key keeps its id');
  t.equal(ids.get('b'), 2);
  t.equal(ids.get('zz'), undefined);
  ids.release('a');
  ids.release('a');
  ids.release('nope');
  t.equal(ids.get('a'), undefined, 'released');
  t.equal(ids.acquire('c'), 3, 'new ids keep counting up (a released id is not reused at once)');
});

t.test('ids wrap around at 24 bits and skip ids in use', async (t) => {
  const ids = new ServicePortIds();
  const sp = state('IPv4', 'TCP', '10.96.0.1', 80);
  const o = resolveOptions();
  const at = (id: number, vip: string) => serviceFlow(compilePort(o, { ...sp, vip, key: `IPv4|TCP|${vip}|80` }, id));
  ids.recover([at(MAX_SERVICE_PORT_ID - 1, '10.96.0.1'), at(1, '10.96.0.2')], o.tableBase + 1);
  t.equal(ids.acquire('x'), MAX_SERVICE_PORT_ID, 'next after the highest recovered id');
  t.equal(ids.acquire('y'), 2, 'then wraps to 1, which is taken, so 2');
});

t.test('ids are recovered from the service flows a switch reports', async (t) => {
  const o = resolveOptions();
  const ports = [
    state('IPv4', 'TCP', '10.96.0.10', 80),
    state('IPv4', 'UDP', '10.96.0.10', 53),
    state('IPv6', 'TCP', 'fd00:10:96::a', 443),
    state('IPv4', 'SCTP', '10.96.0.11', 9),
    { ...state('IPv4', 'TCP', '10.96.0.12', 80), mode: 'reject' as const, endpoints: [] },
    { ...state('IPv4', 'TCP', '10.96.0.13', 80), mode: 'drop' as const, endpoints: [] },
    { ...state('IPv6', 'UDP', 'fd00:10:96::b', 53), affinitySeconds: 30 },
  ];
  const dumped = installedFlows(o, ports);
  const ids = new ServicePortIds();
  t.equal(ids.recover(dumped, o.tableBase + 1), ports.length, 'one id per service flow');
  ports.forEach((sp, i) => t.equal(ids.get(sp.key), 100 + i, sp.key));
  t.equal(ids.get('IPv4|TCP|10.96.0.99|80'), undefined, 'id 0 is not an id');
  t.equal(ids.acquire('new'), 107, 'new ids continue after the recovered ones');
  t.equal(new ServicePortIds().recover(dumped, 99), 0, 'only flows of the service table count');

  const twice = new ServicePortIds();
  twice.recover([serviceFlow(compilePort(o, ports[0]!, 100)), serviceFlow(compilePort(o, ports[1]!, 100))], o.tableBase + 1);
  t.equal(twice.get(ports[1]!.key), undefined, 'an id seen twice is bound once');
});

t.test('ids are recovered from a raw flow dump, as from the decoded one', async (t) => {
  const o = resolveOptions();
  const ports = [
    state('IPv4', 'TCP', '10.96.0.10', 80),
    state('IPv4', 'UDP', '10.96.0.10', 53),
    state('IPv6', 'TCP', 'fd00:10:96::a', 443),
    state('IPv4', 'SCTP', '10.96.0.11', 9),
    { ...state('IPv6', 'UDP', 'fd00:10:96::b', 53), affinitySeconds: 30 },
  ];
  const dumped = installedFlows(o, ports);
  const body = encodeMessage({ type: 'multipart_reply', xid: 1, flags: 0, body: { kind: 'flow', flows: dumped } }).subarray(16);
  const raw = new ServicePortIds();
  const typed = new ServicePortIds();
  t.equal(raw.recoverDumped(dumpedFlows([body]), o.tableBase + 1), ports.length, 'one id per service flow');
  typed.recover(dumped, o.tableBase + 1);
  ports.forEach((sp, i) => t.equal(raw.get(sp.key), 100 + i, sp.key));
  t.equal(raw.acquire('new'), typed.acquire('new'), 'the same state as recovered from decoded flows');
  t.equal(new ServicePortIds().recoverDumped(dumpedFlows([body]), 99), 0, 'only flows of the service table count');
});

t.test('keyOfServiceMatchBytes reads what keyOfServiceMatch reads, from the encoded match', async (t) => {
  const bytes = (match: Match) => {
    const w = new Writer(256);
    writeMatch(w, match);
    return w.buf.toString('latin1', 0, w.pos);
  };
  const cases: [Match, string][] = [
    [
      [
        { field: 'eth_type', value: 0x800 },
        { field: 'ipv4_dst', value: '10.0.0.1' },
        { field: 'ip_proto', value: 6 },
        { field: 'tcp_dst', value: 80 },
      ],
      'TCP',
    ],
    [
      [
        { field: 'eth_type', value: 0x86dd },
        { field: 'ipv6_dst', value: 'fd00::1' },
        { field: 'ip_proto', value: 132 },
        { field: 'sctp_dst', value: 9 },
      ],
      'SCTP',
    ],
    [
      [
        { field: 'eth_type', value: 0x800 },
        { field: 'ipv4_dst', value: '10.0.0.1' },
        { field: 'ip_proto', value: 17 },
        { field: 'udp_dst', value: 53 },
      ],
      'UDP',
    ],
    [
      [
        { field: 'reg0', value: 1 },
        { field: 'eth_type', value: 0x800 },
        { field: 'ipv4_dst', value: '10.0.0.1' },
        { field: 'ip_proto', value: 6 },
        { field: 'tcp_dst', value: 80 },
      ],
      'other fields around',
    ],
    [
      [
        { field: 'eth_type', value: 0x800 },
        { field: 'ipv4_dst', value: '10.0.0.1', mask: '255.0.0.0' },
        { field: 'ip_proto', value: 17 },
        { field: 'udp_dst', value: 53 },
      ],
      'masked address',
    ],
    [
      [
        { field: 'eth_type', value: 0x800 },
        { field: 'ipv4_dst', value: '10.0.0.1' },
        { field: 'ip_proto', value: 1 },
      ],
      'not TCP/UDP/SCTP',
    ],
    [
      [
        { field: 'eth_type', value: 0x806 },
        { field: 'ip_proto', value: 6 },
        { field: 'tcp_dst', value: 80 },
      ],
      'not IP',
    ],
    [[], 'empty'],
  ];
  for (const [match, name] of cases) t.equal(keyOfServiceMatchBytes(bytes(match)), keyOfServiceMatch(match), name);
  const good = bytes(cases[0]![0]);
  t.equal(keyOfServiceMatchBytes(`xy${good}`, 2), 'IPv4|TCP|10.0.0.1|80', 'from an offset');
  t.equal(keyOfServiceMatchBytes(good.slice(0, 3)), undefined, 'shorter than its header');
  t.equal(keyOfServiceMatchBytes(good.slice(0, 12)), undefined, 'shorter than its length');
  const overrun = good.slice(0, 4) + good.slice(4, 7) + String.fromCharCode(200) + good.slice(8);
  t.equal(keyOfServiceMatchBytes(overrun), undefined, 'a field running past the match');
});

t.test('keyOfServiceMatch', async (t) => {
  const m = (...fields: Match): Match => fields;
  t.equal(
    keyOfServiceMatch(
      m(
        { field: 'eth_type', value: 0x800 },
        { field: 'ipv4_dst', value: '10.0.0.1' },
        { field: 'ip_proto', value: 6 },
        { field: 'tcp_dst', value: 80 },
      ),
    ),
    'IPv4|TCP|10.0.0.1|80',
  );
  t.equal(
    keyOfServiceMatch(
      m(
        { field: 'eth_type', value: 0x86dd },
        { field: 'ipv6_dst', value: '::1' },
        { field: 'ip_proto', value: 132 },
        { field: 'sctp_dst', value: 9 },
      ),
    ),
    'IPv6|SCTP|::1|9',
  );
  t.equal(
    keyOfServiceMatch(
      m(
        { field: 'eth_type', value: 0x800 },
        { field: 'ipv4_dst', value: '10.0.0.1', mask: '255.0.0.0' },
        { field: 'ip_proto', value: 17 },
        { field: 'udp_dst', value: 53 },
      ),
    ),
    undefined,
    'masked address',
  );
  t.equal(
    keyOfServiceMatch(m({ field: 'eth_type', value: 0x800 }, { field: 'ipv4_dst', value: '10.0.0.1' }, { field: 'ip_proto', value: 1 })),
    undefined,
    'not TCP/UDP/SCTP',
  );
  t.equal(
    keyOfServiceMatch(m({ field: 'eth_type', value: 0x806 }, { field: 'ip_proto', value: 6 }, { field: 'tcp_dst', value: 80 })),
    undefined,
    'not IP',
  );
  t.equal(keyOfServiceMatch([]), undefined);
});

function state(family: 'IPv4' | 'IPv6', protocol: 'TCP' | 'UDP' | 'SCTP', vip: string, port: number): ServicePortState {
  const ep = family === 'IPv4' ? ['10.244.0.11', '10.244.0.12'] : ['fd00:10:244::11', 'fd00:10:244::12'];
  return {
    key: `${family}|${protocol}|${vip}|${port}`,
    service: 'default/s',
    portName: '',
    family,
    protocol,
    vip,
    port,
    mode: 'serve',
    endpoints: ep.map((ip) => ({ ip, port: 8080, local: false })),
    affinitySeconds: 0,
  };
}

/** The B+1 flow of a compiled service port, as a flow dump reports it. */
function serviceFlow(c: ReturnType<typeof compilePort>): FlowStats {
  return flowStats(c.own.find((e) => e.kind === 'flow' && e.table === 11)!);
}

function flowStats(e: ReturnType<typeof compilePort>['own'][number]): FlowStats {
  if (e.kind !== 'flow') throw new Error('not a flow');
  return {
    tableId: e.table,
    durationSec: 1,
    durationNsec: 0,
    priority: e.priority,
    idleTimeout: 0,
    hardTimeout: 0,
    flags: 0,
    cookie: e.cookie,
    packetCount: 0n,
    byteCount: 0n,
    match: e.match,
    instructions: e.instructions,
  };
}
