/** Multipart against a real ovs-vswitchd: a 20k-flow dump, collected and streamed. */
import t from 'tap';
import { Switch } from '../../lib/controller/index.js';
import { createSandbox } from '../helpers/ovs-sandbox.js';

const N = 20_000;

t.test('20k flows: dump, stream with backpressure, abandon', async (t) => {
  const sb = await createSandbox({ t });
  const sw = await Switch.connect(sb.mgmt, { reconnect: false, echoIntervalMs: 0, streamHighWater: 4 });
  t.teardown(() => sw.close());

  function* flows() {
    for (let i = 0; i < N; i++) {
      yield {
        table: i % 4,
        priority: 1000 + (i % 5000),
        cookie: BigInt(i),
        match: { eth_type: 0x0800, ipv4_dst: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
        actions: [{ type: 'output' as const, port: 1 + (i % 50), maxLen: 0 }],
      };
    }
  }
  t.equal(await sw.addFlows(flows()), N);
  t.match(await sb.ofctl('dump-aggregate', sb.bridge), new RegExp(`flow_count=${N}\\b`), 'ovs-ofctl sees them all');

  const all = await sw.dumpFlows();
  t.equal(all.length, N, 'collected dump has every flow');
  const cookies = new Set(all.map((f) => f.cookie));
  t.equal(cookies.size, N, 'each flow exactly once');
  const f7 = all.find((f) => f.cookie === 7n);
  t.match(f7, { tableId: 3, priority: 1007, match: [{ field: 'eth_type', value: 0x800 }, { field: 'ipv4_dst', value: '10.0.0.7' }] });

  // Streaming with a slow consumer: the socket is not read ahead of the consumer.
  const received = () => sw.session.channel.stats.messagesReceived;
  const start = received();
  let streamed = 0;
  let parts = 0;
  let maxAhead = 0;
  const stream = sw.session.multipartStream({
    kind: 'flow',
    tableId: 0xff,
    outPort: 0xffffffff,
    outGroup: 0xffffffff,
    cookie: 0n,
    cookieMask: 0n,
    match: [],
  });
  for await (const part of stream) {
    parts++;
    if (part.kind !== 'flow') continue;
    streamed += part.flows.length;
    maxAhead = Math.max(maxAhead, received() - start - parts);
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r)); // a slow consumer
  }
  t.equal(streamed, N, 'stream yields every flow');
  t.ok(parts > 10, `${parts} parts`);
  t.ok(maxAhead <= 4 + 4, `reading stayed at most ${maxAhead} parts ahead of the consumer`);

  // Per-flow iterator; abandon after 100.
  let taken = 0;
  for await (const f of sw.flows({ table: 2 })) {
    t.equal(f.tableId, 2);
    if (++taken === 100) break;
  }
  t.equal(taken, 100);
  await t.resolves(sw.barrier(), 'the session is usable after an abandoned dump');
  let table2 = 0;
  for await (const _f of sw.flows({ table: 2 })) table2++;
  t.equal(table2, N / 4, 'a full per-table stream afterwards');
  t.equal((await sw.aggregate({ table: 1 })).flowCount, N / 4, 'aggregate per table');
});
