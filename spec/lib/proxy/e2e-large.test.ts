/**
 * A service with 5000 endpoints: far beyond what a select group's 256 hash slots can reach, so the
 * proxy selects with multipath into one flow per endpoint. 65536 distinct TCP SYNs (4 source
 * addresses × 16384 source ports, crafted so the outcome is reproducible) must reach every one of
 * the 5000 endpoints: every slot flow's n_packets ≥ 1. The endpoints are addresses nobody has; the
 * forwarding table drops the translated SYNs, only the counters matter.
 */
import t from 'tap';
import { MemorySource } from '../../../lib/sources/index.js';
import { CookieKind, cookie } from '../../../lib/proxy/cookies.js';
import { createSandbox, sleep, waitFor } from '../../helpers/ovs-sandbox.js';
import { createPod } from '../../helpers/netns.js';
import { installForwarding, service, slice, startProxy } from '../../helpers/cluster.js';
import { synBurst } from '../../helpers/pod-tools.js';
import { ONLY_IN_LONG_RUN } from '../../helpers/long-runs.js';

const ENDPOINTS = 5000;
const SOURCES = ['10.244.100.1', '10.244.100.2', '10.244.100.3', '10.244.100.4'];
const PORT_FROM = 20000;
const PORT_TO = 20000 + 16383;
const SYNS = SOURCES.length * (PORT_TO - PORT_FROM + 1);

t.test('5000 endpoints all receive new connections', { skip: ONLY_IN_LONG_RUN }, async (t) => {
  const sb = await createSandbox({ t });
  const client = await createPod(sb, { name: 'client', index: 2 });
  await installForwarding(sb, [client]);

  const source = new MemorySource();
  source.upsertService(service('big', { clusterIP: '10.96.0.50', ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] }));
  const ips = Array.from({ length: ENDPOINTS }, (_, i) => `10.245.${i >> 8}.${i & 255}`);
  // Slices hold at most 1000 endpoints in Kubernetes.
  for (let s = 0; s < ENDPOINTS / 1000; s++) {
    source.upsertEndpointSlice(
      slice(
        'big',
        `big-${s}`,
        [{ port: 8080 }],
        ips.slice(s * 1000, (s + 1) * 1000).map((ip) => ({ ip })),
      ),
    );
  }
  const { sw } = await startProxy(t, sb, source);

  const service11 = await sw.dumpFlows({ table: 11, cookie: cookie(0x0f77, CookieKind.Service, 0), cookieMask: 0xfffff00000000000n });
  t.equal(service11.length, 1, 'one service flow');
  const id = Number(service11[0]!.cookie & 0xffffffn);
  t.match(
    JSON.stringify(service11[0]!.instructions, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    /"type":"multipath".*"maxLink":4999/,
    'multipath over 5000 links',
  );
  const slotFilter = { table: 12, cookie: cookie(0x0f77, CookieKind.Slot, id), cookieMask: 0xffffffffffffffffn };
  t.equal((await sw.dumpFlows(slotFilter)).length, ENDPOINTS, 'one slot flow per endpoint');

  const newConnections = async () => {
    const [f] = await sw.dumpFlows({ table: 11, cookie: service11[0]!.cookie, cookieMask: 0xffffffffffffffffn });
    return Number(f!.packetCount);
  };
  // A pass that lost frames on the way into ovs-vswitchd is repeated: SYNs whose connection
  // conntrack already has are translated before the service table and are not counted again.
  let passes = 0;
  let seen = 0;
  while (passes < 4) {
    passes++;
    const sent = await synBurst(client, { sources: SOURCES, portFrom: PORT_FROM, portTo: PORT_TO, dst: '10.96.0.50', dport: 80 });
    t.equal(sent, SYNS, `pass ${passes}: ${sent} SYNs written`);
    // Counters catch up within a revalidator round or two; stop when they stand still.
    let last = -1;
    for (;;) {
      seen = await newConnections();
      if (seen === last || seen >= SYNS) break;
      last = seen;
      await sleep(1500);
    }
    if (seen >= SYNS) break;
    t.comment(`pass ${passes}: ${seen} of ${SYNS} SYNs reached the service flow`);
  }
  // On a busy machine a repeated pass can come after conntrack expired the first pass's SYN_SENT
  // entries (30 s), so those SYNs are new again: the service flow may count more than SYNS.
  t.ok(seen >= SYNS, `every distinct SYN was a new connection (${seen} counted in ${passes} pass(es))`);

  const counts = await waitFor(
    'the slot counters to add up',
    async () => {
      const c = (await sw.dumpFlows(slotFilter)).map((f) => Number(f.packetCount));
      return c.reduce((a, b) => a + b, 0) >= seen ? c : undefined;
    },
    30_000,
  );
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  const zero = counts.filter((n) => n === 0).length;
  t.comment(
    `${seen} connections over ${ENDPOINTS} endpoints: min ${min}, max ${max}, mean ${(seen / ENDPOINTS).toFixed(1)}, endpoints without any: ${zero}`,
  );
  t.equal(
    counts.reduce((a, b) => a + b, 0),
    seen,
    'each connection counted by exactly one slot flow',
  );
  t.ok(min >= 1, 'every endpoint received new connections');
});
