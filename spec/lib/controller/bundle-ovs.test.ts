/** Bundles against a real ovs-vswitchd: atomic commit, and rollback naming the failing member. */
import t from 'tap';
import { BundleError, Switch } from '../../../lib/controller/index.js';
import { OpenFlowError } from '../../../lib/session/index.js';
import { createSandbox } from '../../helpers/ovs-sandbox.js';

const out = (port: number) => [{ type: 'output' as const, port, maxLen: 0 }];

t.test('bundles', async (t) => {
  const sb = await createSandbox({ t });
  const sw = await Switch.connect(sb.mgmt, { reconnect: false, echoIntervalMs: 0 });
  t.teardown(() => sw.close());
  const flowCount = async () => (await sw.dumpFlows()).length;

  await t.test('a committed bundle applies groups and the flows that use them', async (t) => {
    const result = await sw.bundle((b) => {
      b.addGroup({ groupId: 10, type: 'select', buckets: [{ actions: out(1) }, { actions: out(2) }] });
      for (let i = 0; i < 100; i++)
        b.addFlow({ table: 1, priority: 100 + i, match: { reg0: i }, actions: [{ type: 'group', groupId: 10 }] });
      return 'done';
    });
    t.equal(result, 'done', 'resolves with what the builder returned');
    t.equal(await flowCount(), 100);
    t.equal((await sw.dumpGroups()).length, 1);
  });

  await t.test('a member the switch rejects at commit rolls everything back and is named', async (t) => {
    const before = await sb.ofctl('dump-flows', '--no-stats', sb.bridge);
    const err = await sw
      .bundle((b) => {
        b.deleteFlows({ table: 1, priority: 100, match: { reg0: 0 } }, { strict: true });
        b.addGroup({ groupId: 11, type: 'all', buckets: [{ actions: out(3) }] });
        b.addFlow({ table: 2, priority: 1, actions: out(4) });
        b.addFlow({ table: 2, priority: 2, actions: [{ type: 'group', groupId: 999 }] }); // no such group
        b.addFlow({ table: 2, priority: 3, actions: out(5) });
      })
      .catch((e: unknown) => e);
    t.type(err, BundleError);
    const e = err as BundleError;
    t.equal(e.stage, 'commit');
    t.equal(e.member?.index, 3, 'the failing member is identified');
    t.match(e.member?.message, { type: 'flow_mod', tableId: 2, priority: 2 });
    t.type(e.member?.error, OpenFlowError);
    t.equal(e.member?.error.codeName, 'OFPBAC_BAD_OUT_GROUP');
    t.match((e.cause as OpenFlowError).codeName, 'OFPBFC_MSG_FAILED');
    t.match(
      e.message,
      /bundle \d+ rolled back: member 3 of 5 \(flow_mod add table 2 priority 2\) failed: OFPET_BAD_ACTION\/OFPBAC_BAD_OUT_GROUP/,
    );
    t.equal(await sb.ofctl('dump-flows', '--no-stats', sb.bridge), before, 'no flow changed');
    t.same(
      (await sw.dumpGroups()).map((g) => g.groupId),
      [10],
      'no group added',
    );
  });

  await t.test('a member the switch rejects when it is added discards the bundle', async (t) => {
    const before = await sb.ofctl('dump-flows', '--no-stats', sb.bridge);
    const err = await sw
      .bundle((b) => {
        b.addFlow({ table: 3, priority: 1, actions: out(4) });
        b.addFlow({ table: 3, priority: 2, instructions: [{ type: 'goto_table', tableId: 1 }] }); // backwards goto
        b.addFlow({ table: 3, priority: 3, actions: out(5) });
      })
      .catch((e: unknown) => e);
    t.type(err, BundleError);
    const e = err as BundleError;
    t.equal(e.member?.index, 1, 'the failing member is identified');
    t.equal(e.member?.error.typeName, 'OFPET_BAD_INSTRUCTION');
    t.equal(await sb.ofctl('dump-flows', '--no-stats', sb.bridge), before, 'nothing applied');
    await t.resolves(sw.barrier(), 'the connection is fine afterwards');
  });

  await t.test('a group that already exists fails the commit atomically', async (t) => {
    const err = await sw
      .bundle((b) => {
        b.addFlow({ table: 4, priority: 1, actions: out(1) });
        b.addGroup({ groupId: 10, type: 'select', buckets: [] });
      })
      .catch((e: unknown) => e);
    t.equal((err as BundleError).member?.index, 1);
    t.equal((err as BundleError).member?.error.codeName, 'OFPGMFC_GROUP_EXISTS');
    t.equal((await sw.dumpFlows({ table: 4 })).length, 0);
  });

  await t.test('a throwing builder sends nothing', async (t) => {
    const sent = sw.session.channel.stats.messagesSent;
    await t.rejects(
      sw.bundle((b) => {
        b.addFlow({ table: 5 });
        throw new Error('changed my mind');
      }),
      { message: 'changed my mind' },
    );
    t.equal(sw.session.channel.stats.messagesSent, sent);
  });

  await t.test('a member that cannot be encoded discards the bundle: the members before it are not applied', async (t) => {
    const before = await sb.ofctl('dump-flows', '--no-stats', sb.bridge);
    const bad = { type: 'flow_mod', command: 0, tableId: 300 } as never;
    const err = await sw
      .bundle((b) => {
        b.addFlow({ table: 7, priority: 1, actions: out(1) });
        b.add(bad);
        b.addFlow({ table: 7, priority: 2, actions: out(2) });
      })
      .catch((e: unknown) => e);
    t.type(err, BundleError);
    t.match(err, { stage: 'add', member: undefined, cause: { name: 'EncodeError' } });
    t.equal(await sb.ofctl('dump-flows', '--no-stats', sb.bridge), before, 'nothing applied');
    await sw.session.barrier();
    t.equal(sw.connected, true, 'the connection still works');
  });

  await t.test('a large bundle replaces a table atomically', async (t) => {
    await sw.bundle((b) => {
      b.deleteFlows({ table: 1 });
      for (let i = 0; i < 5000; i++) b.addFlow({ table: 1, priority: 10, match: { reg1: i }, actions: out(1 + (i % 40)) });
    });
    t.equal((await sw.dumpFlows({ table: 1 })).length, 5000);
  });
});
