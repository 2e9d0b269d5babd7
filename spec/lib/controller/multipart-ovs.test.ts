/** Multipart against a real ovs-vswitchd: a 20k-flow dump, collected and streamed. */
import t from 'tap';
import { Switch } from '../../../lib/controller/index.js';
import { ProtocolError } from '../../../protocol/index.js';
import { dumpedFlows, dumpedGroups, keyedFlowStats, keyedGroupDesc } from '../../../lib/proxy/entries.js';
import { createSandbox } from '../../helpers/ovs-sandbox.js';

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
  t.match(f7, {
    tableId: 3,
    priority: 1007,
    match: [
      { field: 'eth_type', value: 0x800 },
      { field: 'ipv4_dst', value: '10.0.0.7' },
    ],
  });

  // Undecoded: the reply bodies as sent, cut into the same keys and bodies as the decoded flows.
  const bodies = await sw.dumpFlowsRaw();
  t.ok(bodies.length > 10, `${bodies.length} raw parts`);
  const raw = dumpedFlows(bodies);
  t.equal(raw.length, N, 'every flow read from the raw dump');
  const decoded = new Map(all.map((f) => [keyedFlowStats(f).key, keyedFlowStats(f).body]));
  t.equal(raw.filter((f) => decoded.get(f.key) === f.body).length, N, 'each raw key and body is that of the decoded flow');
  const r7 = raw.find((f) => f.cookie === 7n)!;
  t.match(r7, { tableId: 3, priority: 1007, match: f7!.match, instructions: f7!.instructions }, 'match and instructions decoded on demand');
  t.equal((await sw.dumpFlowsRaw({ table: 1 }).then(dumpedFlows)).length, N / 4, 'a filtered raw dump');
  const cut = Buffer.from(bodies[0]!.subarray(0, bodies[0]!.readUInt16BE(0) - 1));
  t.throws(() => dumpedFlows([cut]), ProtocolError, 'a truncated record is refused');
  t.throws(() => dumpedFlows([cut.subarray(0, 20)]), /ofp_flow_stats at offset 0: needs 52 bytes, only 20 left/);
  const badMatch = Buffer.from(bodies[0]!.subarray(0, bodies[0]!.readUInt16BE(0)));
  badMatch.writeUInt16BE(0xfff0, 50);
  t.throws(() => dumpedFlows([badMatch]), /ofp_flow_stats\.match at offset 48: match length 65520 does not fit/);

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

t.test('groups: a raw GROUP_DESC dump gives the keys and bodies of the decoded one', async (t) => {
  const sb = await createSandbox({ t });
  const sw = await Switch.connect(sb.mgmt, { reconnect: false, echoIntervalMs: 0 });
  t.teardown(() => sw.close());
  for (let g = 1; g <= 300; g++) {
    await sw.addGroup(
      `group_id=${g},type=select,bucket=weight=${(g % 7) + 1},output:${(g % 5) + 1},bucket=weight=1,mod_nw_dst:10.0.0.${g % 250},output:2`,
    );
  }
  const raw = dumpedGroups(await sw.dumpGroupsRaw());
  const typed = (await sw.dumpGroups()).map(keyedGroupDesc);
  t.equal(raw.length, 300);
  t.same(
    raw.map((g) => [g.key, g.body, g.groupId]).sort(),
    typed.map((g) => [g.key, g.body, g.entry.kind === 'group' ? g.entry.groupId : -1]).sort(),
    'same keys, bodies and ids',
  );
  t.match(raw.find((g) => g.groupId === 3)!.entry, { kind: 'group', groupId: 3, groupType: 1 }, 'decoded on demand');
  t.throws(() => dumpedGroups([Buffer.alloc(4)]), /ofp_group_desc at offset 0: needs 8 bytes, only 4 left/);
  const long = Buffer.alloc(8);
  long.writeUInt16BE(16, 0);
  t.throws(() => dumpedGroups([long]), /ofp_group_desc at offset 0: length 16 does not fit \(8 bytes left\)/);
});
