/**
 * The reconciler on a real ovs-vswitchd, where its changes go out as bytes written from the
 * entries' keys and bodies: applied, refused members blamed on their owner (decoded only then),
 * and the switch's dump read back to the same keys and bodies.
 */
import t from 'tap';
import { BundleError, Switch } from '../../../lib/controller/index.js';
import { OpenFlowError } from '../../../lib/session/index.js';
import { DesiredState } from '../../../lib/proxy/desired.js';
import { dumpedFlows, dumpedGroups, keyed, type FlowEntry, type GroupEntry } from '../../../lib/proxy/entries.js';
import { Reconciler, type ReconcilerSwitch } from '../../../lib/proxy/reconcile.js';
import { CookieKind, cookie } from '../../../lib/proxy/cookies.js';
import { createSandbox } from '../../helpers/ovs-sandbox.js';

const P = 0x0f77;

function flow(reg0: number, groupId?: number): FlowEntry {
  return {
    kind: 'flow',
    table: 1,
    priority: 100,
    match: [{ field: 'reg0', value: reg0 }],
    instructions: [
      { type: 'apply_actions', actions: [groupId === undefined ? { type: 'output', port: 1, maxLen: 0 } : { type: 'group', groupId }] },
    ],
    cookie: cookie(P, CookieKind.Service, reg0),
  };
}

function group(groupId: number, ports: number[]): GroupEntry {
  return {
    kind: 'group',
    groupId,
    groupType: 1,
    buckets: ports.map((port) => ({
      weight: 1,
      watchPort: 0xffffffff,
      watchGroup: 0xffffffff,
      actions: [{ type: 'output', port, maxLen: 0 }],
    })),
  };
}

t.test('encoded changes on a real switch', async (t) => {
  const sb = await createSandbox({ t });
  const sw = await Switch.connect(sb.mgmt, { reconnect: false, echoIntervalMs: 0 });
  t.teardown(() => sw.close());
  const desired = new DesiredState();
  const rec = new Reconciler(desired, (g) => g >= 0x7f000000);

  desired.set('good', [group(0x7f000001, [1, 2]), flow(1, 0x7f000001)]);
  desired.set('bad', [flow(2, 999)]); // no such group: refused at commit
  const first = await rec.sync(sw);
  t.same([...first.failed.keys()], ['bad'], 'only the refusing owner fails');
  const err = first.failed.get('bad') as BundleError;
  t.type(err, BundleError);
  t.match(err.member?.message, { type: 'flow_mod', tableId: 1, priority: 100, command: 0 }, 'the refused member, decoded from its bytes');
  t.same(
    first.applied.map((o) => o.kind),
    ['add', 'add'],
    "the good owner's group and flow are applied",
  );
  t.equal((await sw.dumpFlows()).length, 1);

  desired.remove('bad');
  const backwards: FlowEntry = { ...flow(4), table: 3, instructions: [{ type: 'goto_table', tableId: 1 }] };
  desired.set('backwards', [backwards]); // refused as soon as it is added
  desired.set('other', [flow(5)]);
  const added = await rec.sync(sw);
  const refused = added.failed.get('backwards') as BundleError;
  t.equal(refused.stage, 'add');
  t.match(refused.member?.message, { type: 'flow_mod', tableId: 3 }, 'named when it is added');
  t.match(refused.member?.error.request, { type: 'bundle_add', message: { type: 'flow_mod', tableId: 3 } }, 'the request as sent, decoded');
  t.same(
    added.applied.map((o) => o.kind),
    ['add'],
    'the other owner is applied',
  );
  desired.remove('backwards');
  desired.remove('other');
  await rec.sync(sw);

  desired.set('alone', [flow(3, 998)]);
  const lone = await rec.sync(sw);
  t.type(lone.failed.get('alone'), OpenFlowError, 'a lone message goes out bare and is refused by itself');
  t.match((lone.failed.get('alone') as OpenFlowError).codeName, 'OFPBAC_BAD_OUT_GROUP');

  desired.remove('alone');
  desired.set('good', [group(0x7f000001, [3]), flow(1, 0x7f000001)]);
  const modified = await rec.sync(sw);
  t.same(
    modified.applied.map((o) => `${o.kind} ${o.message.type}`),
    ['modify group_mod'],
    'only the changed group',
  );
  t.equal(modified.messages, 1);

  const reread = new Reconciler(new DesiredState(), (g) => g >= 0x7f000000);
  reread.loadInstalled(await sw.dumpFlows(), await sw.dumpGroups());
  const again = new DesiredState();
  again.set('good', [group(0x7f000001, [3]), flow(1, 0x7f000001)]);
  const back = new Reconciler(again, (g) => g >= 0x7f000000);
  back.loadInstalled(await sw.dumpFlows(), await sw.dumpGroups());
  t.same(back.plan(again.takeDirty()), [], 'what the switch holds reads back as the same keys and bodies');
  t.equal(reread.installedFlows(), 1);
  t.equal(reread.installedCount, 2);

  desired.remove('good');
  const gone = await rec.sync(sw);
  t.same(gone.applied.map((o) => `${o.kind} ${o.message.type}`).sort(), ['delete flow_mod', 'delete group_mod']);
  t.equal((await sw.dumpFlows()).length, 0);
  t.equal((await sw.dumpGroups()).length, 0);
});

t.test('a sync planned batch by batch while it is sent', async (t) => {
  const sb = await createSandbox({ t });
  const sw = await Switch.connect(sb.mgmt, { reconnect: false, echoIntervalMs: 0 });
  t.teardown(() => sw.close());
  const old = new DesiredState();
  old.set('a', [group(0x7f000001, [1]), flow(1, 0x7f000001)]);
  old.set('old', [flow(9)]);
  await new Reconciler(old, (g) => g >= 0x7f000000).sync(sw);

  // A restarted agent: reads the switch, then compiles its services in batches during the sync.
  const desired = new DesiredState();
  const rec = new Reconciler(desired, (g) => g >= 0x7f000000);
  rec.loadInstalled(await sw.dumpFlows(), await sw.dumpGroups());
  const batches: (() => void)[] = [
    () => desired.set('a', [group(0x7f000001, [1]), flow(1, 0x7f000001)]),
    () => desired.set('b', [group(0x7f000002, [2]), flow(2, 0x7f000002)]),
    () => {
      desired.set('c', [flow(3)]);
      desired.set('b', [group(0x7f000002, [4]), flow(2, 0x7f000002)]); // changed again
    },
  ];
  const result = await rec.sync(sw, desired.takeDirty(), () => {
    const next = batches.shift();
    if (!next) return undefined;
    next();
    return desired.takeDirty();
  });
  t.same(
    result.applied.map((o) => `${o.kind} ${o.key.slice(0, 4)}`),
    ['add g213', 'add f1/1', 'add f1/1', 'delete f1/1'],
    "b's group and flow, c's flow; the stale flow deleted last; a unchanged",
  );
  t.equal(desired.dirtyCount, 1, "b's group changed again after it went out: compared in the next sync");
  const next = await rec.sync(sw);
  t.same(
    next.applied.map((o) => `${o.kind} ${o.key}`),
    ['modify g2130706434'],
  );
  t.same((await sw.dumpFlows()).map((f) => f.match[0]?.value).sort(), [1, 2, 3]);

  const idle = await rec.sync(sw, desired.takeDirty(), () => undefined);
  t.equal(idle.messages, 0, 'nothing to change: nothing sent');
});

t.test('the installed view read from raw dumps: compared as bytes, a one-byte difference found', async (t) => {
  const sb = await createSandbox({ t });
  const sw = await Switch.connect(sb.mgmt, { reconnect: false, echoIntervalMs: 0 });
  t.teardown(() => sw.close());
  const owned = (g: number) => g >= 0x7f000000;
  const desired = new DesiredState();
  desired.set('a', [group(0x7f000001, [1, 2]), flow(1, 0x7f000001), flow(2), flow(3)]);
  await new Reconciler(desired, owned).sync(sw);
  // What is not the reconciler's: a learned flow under the proxy's prefix and a group outside its range.
  await sw.addFlow({ table: 4, priority: 5, cookie: cookie(P, CookieKind.Learned, 1 << 20), match: { reg1: 1 }, actions: [] });
  await sw.addGroup({ groupId: 7, type: 'select', buckets: [{ actions: [{ type: 'output', port: 1, maxLen: 0 }] }] });

  const read = async (d: DesiredState) => {
    const rec = new Reconciler(d, owned);
    rec.loadDumped(dumpedFlows(await sw.dumpFlowsRaw()), dumpedGroups(await sw.dumpGroupsRaw()));
    return rec;
  };
  const same = new DesiredState();
  same.set('a', [group(0x7f000001, [1, 2]), flow(1, 0x7f000001), flow(2), flow(3)]);
  const unchanged = await read(same);
  t.equal(unchanged.installedCount, 4, 'the learned flow and the foreign group are not ours');
  t.same(unchanged.plan(same.takeDirty()), [], 'an unchanged state plans nothing');

  const next = new DesiredState();
  const port2 = flow(2);
  const moved: FlowEntry = { ...port2, instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, maxLen: 0 }] }] };
  const a = keyed(port2).body;
  const b = keyed(moved).body;
  t.equal([...a].filter((c, i) => c !== b[i]).length, 1, 'the two flows differ by one byte');
  const recookied: FlowEntry = { ...flow(3), cookie: cookie(P, CookieKind.Service, 99) };
  next.set('a', [group(0x7f000001, [1, 3]), flow(1, 0x7f000001), moved, recookied]);
  const rec = await read(next);
  const plan = rec.plan(next.takeDirty());
  t.same(
    plan.map((o) => `${o.kind} ${o.message.type}`),
    ['modify group_mod', 'add flow_mod', 'modify flow_mod'],
    'the group and flow that differ by a byte are modified; the flow whose cookie changed is replaced',
  );
  t.equal(
    (
      await rec.sync(
        sw,
        plan.map((o) => o.key),
      )
    ).messages,
    3,
  );
  t.same((await read(next)).plan(next.keys()), [], 'and read back equal');
});

t.test('a streamed sync onto a switch without the proxy’s entries is committed in parts of whole owners', async (t) => {
  const sb = await createSandbox({ t });
  const sw = await Switch.connect(sb.mgmt, { reconnect: false, echoIntervalMs: 0 });
  t.teardown(() => sw.close());
  const bundles: number[] = [];
  const counting: ReconcilerSwitch = {
    request: (m) => sw.request(m),
    bundle: (build) => sw.bundle(build),
    requestEncoded: (list, index) => sw.requestEncoded(list, index),
    bundleEncoded: async (members) => {
      try {
        await sw.bundleEncoded(members);
      } finally {
        bundles.push(members.size);
      }
    },
  };
  const desired = new DesiredState();
  const rec = new Reconciler(desired, (g) => g >= 0x7f000000, { coldSyncPartOps: 3 });
  const owners = (from: number, to: number) => () => {
    for (let i = from; i < to; i++) desired.set(`o${i}`, [group(0x7f000000 + i, [1]), flow(i, 0x7f000000 + i)]);
  };
  const batches = [owners(1, 3), owners(3, 5), () => desired.set('bad', [flow(99, 999)]), owners(5, 7), owners(7, 9)];
  const more = (list: (() => void)[]) => () => {
    const next = list.shift();
    if (!next) return undefined;
    next();
    return desired.takeDirty();
  };
  const result = await rec.sync(counting, desired.takeDirty(), more(batches));
  t.same(bundles, [4, 4, 5, 4, 4], 'parts of at least 3 changes; the refused part sent again without its owner');
  t.same([...result.failed.keys()], ['bad'], 'the refused owner fails alone');
  t.equal(result.applied.length, 16);
  t.same(
    (await sw.dumpFlows()).map((f) => f.match[0]?.value).sort((a, b) => Number(a) - Number(b)),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
  t.equal((await sw.dumpGroups()).length, 8);
  t.equal(desired.dirtyCount, 1, "the refused owner's flow stays pending");

  // With the proxy's entries installed, a streamed sync is one atomic bundle again.
  desired.remove('bad');
  bundles.length = 0;
  await rec.sync(counting, desired.takeDirty(), more([owners(9, 11), owners(11, 13)]));
  t.same(bundles, [8]);
});
