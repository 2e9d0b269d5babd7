/** Spec translation, backoff, the text seam and logging, without a switch. */
import { Writable } from 'node:stream';
import t from 'tap';
import { pino } from 'pino';
import {
  Backoff,
  OFPG_ALL,
  OFPTT_ALL,
  Switch,
  toFlowMod,
  toFlowStatsRequest,
  toGroupDelete,
  toGroupMod,
  toMatch,
} from '../../../lib/controller/index.js';
import { FakePeer } from '../../helpers/fake-peer.js';

t.test('FlowSpec defaults per command', async (t) => {
  const add = toFlowMod({ match: { eth_type: 0x800, ipv4_dst: '10.0.0.1' }, actions: [{ type: 'output', port: 1, maxLen: 0 }] }, 'add');
  t.match(add, {
    type: 'flow_mod',
    command: 0,
    tableId: 0,
    priority: 0x8000,
    cookie: 0n,
    cookieMask: 0n,
    bufferId: 0xffffffff,
    outPort: 0xffffffff,
    outGroup: 0xffffffff,
    match: [
      { field: 'eth_type', value: 0x800 },
      { field: 'ipv4_dst', value: '10.0.0.1' },
    ],
    instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 1, maxLen: 0 }] }],
  });
  const del = toFlowMod({ cookie: 5n, cookieMask: 0xffn, outPort: 3, actions: [{ type: 'output', port: 1, maxLen: 0 }] }, 'delete');
  t.match(
    del,
    { command: 3, tableId: OFPTT_ALL, cookie: 5n, cookieMask: 0xffn, outPort: 3, instructions: [] },
    'delete: all tables, no instructions',
  );
  t.match(toFlowMod({ table: 2, priority: 7 }, 'delete_strict'), { command: 4, tableId: 2, priority: 7 });
  t.match(toFlowMod({ cookie: 1n, cookieMask: 1n }, 'add'), { cookieMask: 0n }, 'add ignores cookie masks');
  t.match(toFlowMod({ actions: [{ type: 'group', groupId: 1 }], instructions: [{ type: 'goto_table', tableId: 3 }] }, 'modify'), {
    command: 1,
    instructions: [{ type: 'apply_actions' }, { type: 'goto_table', tableId: 3 }],
  });
  t.throws(() => toFlowMod({ priority: 70000 }, 'add'), {
    name: 'SpecError',
    message: 'flow: priority 70000 is not an integer in 0..65535',
  });
  t.throws(() => toFlowMod({ table: 255 }, 'add'), { name: 'SpecError', message: /table 255 \(all\) cannot receive new flows/ });
  t.same(toMatch({ reg0: { value: 1, mask: 0xff }, eth_src: '0a:00:00:00:00:01' }), [
    { field: 'reg0', value: 1, mask: 0xff },
    { field: 'eth_src', value: '0a:00:00:00:00:01' },
  ]);
  t.match(toFlowStatsRequest(), { tableId: OFPTT_ALL, cookieMask: 0n, match: [] });
});

t.test('GroupSpec', async (t) => {
  t.match(toGroupMod({ groupId: 3, type: 'select', buckets: [{ actions: [] }, { weight: 5, actions: [] }] }, 'add'), {
    type: 'group_mod',
    command: 0,
    groupType: 1,
    groupId: 3,
    buckets: [{ weight: 1, watchPort: 0xffffffff, watchGroup: 0xffffffff }, { weight: 5 }],
  });
  t.match(toGroupMod({ groupId: 3, type: 'ff', buckets: [{ watchPort: 2, actions: [] }] }, 'modify'), {
    command: 1,
    groupType: 3,
    buckets: [{ weight: 0, watchPort: 2 }],
  });
  t.match(toGroupDelete('all'), { command: 2, groupId: OFPG_ALL });
  t.throws(() => toGroupMod({ groupId: 1, type: 'fancy' as 'all', buckets: [] }, 'add'), {
    name: 'SpecError',
    message: /unknown group type "fancy"/,
  });
});

t.test('Backoff: exponential, capped, jittered', async (t) => {
  const b = new Backoff({ minDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 }, () => 0);
  t.same(
    Array.from({ length: 6 }, () => b.next()),
    [100, 200, 400, 800, 1000, 1000],
  );
  b.reset();
  t.equal(b.next(), 100);
  const j = new Backoff({ minDelayMs: 100, maxDelayMs: 1000, jitter: 0.5 }, () => 1);
  t.same([j.next(), j.next()], [50, 100], 'jitter takes up to half off');
});

t.test('ovs-ofctl text becomes the same messages as typed specs', async (t) => {
  const peer = await FakePeer.start();
  t.teardown(() => peer.close());
  const sw = await Switch.connect(peer.target, { reconnect: false, echoIntervalMs: 0 });
  t.teardown(() => sw.close());
  const conn = await peer.connection();
  const sent = () => conn.received.filter((m) => m.type === 'flow_mod' || m.type === 'group_mod' || m.type === 'bundle_add');
  await sw.addFlow('table=3,priority=77,ip,nw_dst=10.0.0.1,actions=output:2');
  await sw.deleteFlows('table=1,priority=5,reg0=1', { strict: true });
  await sw.addGroup('group_id=9,type=select,bucket=actions=output:1');
  await sw.bundle((b) => {
    b.modifyFlows('table=3,priority=77,ip,nw_dst=10.0.0.1,actions=output:3', { strict: true });
  });
  const [add, del, group, inBundle] = sent();
  t.match(add, {
    type: 'flow_mod',
    command: 0,
    tableId: 3,
    priority: 77,
    match: [
      { field: 'eth_type', value: 0x800 },
      { field: 'ipv4_dst', value: '10.0.0.1' },
    ],
    instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2 }] }],
  });
  t.match(del, { type: 'flow_mod', command: 4, tableId: 1, priority: 5 });
  t.match(group, { type: 'group_mod', command: 0, groupType: 1, groupId: 9 });
  t.match(inBundle, { type: 'bundle_add', message: { type: 'flow_mod', command: 2, priority: 77 } });

  const before = conn.received.length;
  await t.rejects(sw.addFlow('table=0,actions=frobnicate'), { name: 'OfpSyntaxError', message: /frobnicate/ });
  await t.rejects(
    sw.bundle((b) => {
      b.addFlow('priority=1,actions=drop');
      b.addFlow('priority=x');
    }),
    { name: 'OfpSyntaxError' },
  );
  await sw.barrier();
  t.equal(conn.received.length, before + 1, 'text that does not parse sends nothing (only the barrier went out)');
});

t.test('an optional pino logger records connection events', async (t) => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const peer = await FakePeer.start({ datapathId: 0xabcn });
  t.teardown(() => peer.close());
  const sw = await Switch.connect(peer.target, { reconnect: false, echoIntervalMs: 0, logger });
  await sw.close();
  await new Promise((r) => setImmediate(r));
  t.ok(
    lines.some((l) => l.msg === 'switch connected' && l.dpid === '0000000000000abc'),
    'connected is logged with the dpid',
  );
  t.ok(
    lines.some((l) => l.msg === 'session closed'),
    'closing is logged',
  );
});
