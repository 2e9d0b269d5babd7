/**
 * The controller API against a real ovs-vswitchd: 1000+ varied flows and 200 groups installed by
 * ofwire on one bridge and by ovs-ofctl on another must dump identically; modify/delete commands
 * (strict and not, cookie masks) must act identically; dumps and statistics through ofwire must
 * agree with ovs-ofctl.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { Switch } from '../../../lib/controller/index.js';
import { OpenFlowError } from '../../../lib/session/index.js';
import { createSandbox } from '../../helpers/ovs-sandbox.js';
import { variedFlows, variedGroups } from '../../helpers/varied-flows.js';

const FLOWS = 1200;
const GROUPS = 200;

function normalized(dump: string): string[] {
  return dump
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('OFPST_') && !l.startsWith('OFPST') && !/reply \(OF1\.3\)/.test(l))
    .sort();
}

t.test('ofwire and ovs-ofctl program identical bridges', async (t) => {
  const sb = await createSandbox({ t });
  const other = await sb.addBridge();
  const groups = variedGroups(GROUPS);
  const flows = variedFlows(FLOWS, GROUPS);

  // ovs-ofctl programs the second bridge.
  writeFileSync(join(sb.dir, 'groups.txt'), groups.map((g) => g.text).join('\n') + '\n');
  writeFileSync(join(sb.dir, 'flows.txt'), flows.map((f) => f.text).join('\n') + '\n');
  await sb.ofctl('add-groups', other.bridge, join(sb.dir, 'groups.txt'));
  await sb.ofctl('add-flows', other.bridge, join(sb.dir, 'flows.txt'));

  // ofwire programs the first.
  const sw = await Switch.connect(sb.mgmt, { reconnect: false, echoIntervalMs: 0 });
  t.teardown(() => sw.close());
  t.equal(sw.dpid, sb.datapathId);
  await Promise.all(groups.map((g) => sw.addGroup(g.spec)));
  t.equal(await sw.addFlows(flows.map((f) => f.spec)), FLOWS);

  const dumpBoth = async (cmd: string, ...args: string[]) => [
    normalized(await sb.ofctl(cmd, sb.bridge, ...args)),
    normalized(await sb.ofctl(cmd, other.bridge, ...args)),
  ];
  // ofwire programs a third bridge from the same ovs-ofctl text.
  const third = await sb.addBridge();
  const fromText = await Switch.connect(third.mgmt, { reconnect: false, echoIntervalMs: 0 });
  t.teardown(() => fromText.close());
  await fromText.bundle((b) => {
    for (const g of groups) b.addGroup(g.text);
  });
  t.equal(await fromText.addFlows(flows.map((f) => f.text)), FLOWS);
  t.same(
    normalized(await sb.ofctl('dump-flows', '--no-stats', third.bridge)),
    normalized(await sb.ofctl('dump-flows', '--no-stats', other.bridge)),
    'flows given as text: identical to ovs-ofctl',
  );
  t.same(
    normalized(await sb.ofctl('dump-groups', third.bridge)),
    normalized(await sb.ofctl('dump-groups', other.bridge)),
    'groups given as text: identical to ovs-ofctl',
  );

  let [mine, theirs] = await dumpBoth('dump-flows', '--no-stats');
  t.equal(mine!.length, FLOWS, `${FLOWS} flows installed`);
  t.same(mine, theirs, 'flow tables are identical');
  [mine, theirs] = await dumpBoth('dump-groups');
  t.equal(mine!.length, GROUPS);
  t.same(mine, theirs, 'group tables are identical');

  // modify (strict and not), delete by cookie mask, delete strict, delete a group.
  const target = flows[10]!.spec;
  await sw.modifyFlows({ ...target, actions: [{ type: 'output', port: 42, maxLen: 0 }], instructions: [] }, { strict: true });
  await sb.ofctl(
    'mod-flows',
    '--strict',
    other.bridge,
    flows[10]!.text.replace(/actions=.*$/, 'actions=output:42').replace(/,(idle|hard)_timeout=\d+|,send_flow_rem/g, ''),
  );
  await sw.modifyFlows({ table: 5, actions: [{ type: 'output', port: 9, maxLen: 0 }] });
  await sb.ofctl('mod-flows', other.bridge, 'table=5,actions=output:9');
  await sw.deleteFlows({ cookie: 3n << 32n, cookieMask: 0xfn << 32n });
  await sb.ofctl('del-flows', other.bridge, `cookie=0x300000000/0xf00000000`);
  const strictTarget = flows[20]!;
  await sw.deleteFlows(
    { table: strictTarget.spec.table, priority: strictTarget.spec.priority, match: strictTarget.spec.match },
    { strict: true },
  );
  const strictText = strictTarget.text
    .replace(/,actions=.*$/, '')
    .replace(/,cookie=0x[0-9a-f]+|,(idle|hard)_timeout=\d+|,send_flow_rem/g, '');
  await sb.ofctl('--strict', 'del-flows', other.bridge, strictText);
  await sw.deleteGroup(4);
  await sb.ofctl('del-groups', other.bridge, 'group_id=4');
  await sw.deleteFlows({ table: 7 });
  await sb.ofctl('del-flows', other.bridge, 'table=7');

  [mine, theirs] = await dumpBoth('dump-flows', '--no-stats');
  const remaining = mine!.length;
  t.ok(remaining < FLOWS, `deletes removed flows (${FLOWS - remaining})`);
  t.same(mine, theirs, 'flow tables are identical after modify/delete');
  [mine, theirs] = await dumpBoth('dump-groups');
  t.same(mine, theirs, 'group tables are identical after delete');

  // Dumps through ofwire agree with ovs-ofctl.
  const dumped = await sw.dumpFlows();
  t.equal(dumped.length, remaining, 'dumpFlows returns every flow');
  const table3 = await sw.dumpFlows({ table: 3 });
  t.ok(table3.every((f) => f.tableId === 3) && table3.length > 0, 'dumpFlows filters by table');
  const byCookie = await sw.dumpFlows({ cookie: 5n << 32n, cookieMask: 0xfn << 32n });
  t.ok(byCookie.length > 0 && byCookie.every((f) => f.cookie >> 32n === 5n), 'dumpFlows filters by cookie mask');
  const agg = await sw.aggregate();
  t.equal(agg.flowCount, dumped.length, 'aggregate flow count');
  const groupDescs = await sw.dumpGroups();
  t.equal(groupDescs.length, GROUPS - 1);
  const g1 = groupDescs.find((g) => g.groupId === 1);
  t.same(
    g1?.buckets.map((b) => b.actions),
    groups[0]!.spec.buckets.map((b) => b.actions),
    'group buckets read back as sent',
  );
  const stats = await sw.groupStats();
  t.equal(stats.length, GROUPS - 1, 'group stats for every group');
  t.equal((await sw.groupStats(1)).length, 1, 'group stats for one group');
  const ports = await sw.portDesc();
  t.ok(
    ports.some((p) => p.name === sb.bridge),
    'port desc includes the bridge port',
  );
  const tables = await sw.tableStats();
  t.equal(tables.length, 254, 'table stats for every table');
  t.equal(
    tables.reduce((n, x) => n + x.activeCount, 0),
    dumped.length,
    'active counts add up',
  );
  const desc = await sw.desc();
  t.match(desc.swDesc, /3\.1\.0/);
});

t.test('errors carry the request; bad specs fail before reaching the switch', async (t) => {
  const sb = await createSandbox({ t });
  const sw = await Switch.connect(sb.mgmt, { reconnect: false, echoIntervalMs: 0 });
  t.teardown(() => sw.close());
  const err = await sw.addFlow({ table: 1, priority: 5, actions: [{ type: 'group', groupId: 77 }] }).catch((e: unknown) => e);
  t.type(err, OpenFlowError);
  t.equal((err as OpenFlowError).codeName, 'OFPBAC_BAD_OUT_GROUP');
  t.match((err as OpenFlowError).request, { type: 'flow_mod', tableId: 1, priority: 5 });
  await sw.addGroup({ groupId: 1, type: 'select', buckets: [] });
  const dup = await sw.addGroup({ groupId: 1, type: 'select', buckets: [] }).catch((e: unknown) => e);
  t.equal((dup as OpenFlowError).codeName, 'OFPGMFC_GROUP_EXISTS');
  await t.rejects(sw.addFlow({ table: 300 }), { name: 'SpecError', message: /table 300 is not an integer in 0\.\.255/ });
  await t.rejects(sw.addFlow({ match: { ipv4_dst: 'not-an-ip', eth_type: 0x800 } }), { name: 'EncodeError' });
  await t.rejects(sw.addFlow('table=0,actions=explode'), { name: 'OfpSyntaxError', message: /explode/ });
  t.ok(sw.connected);
  const old = await sb.addBridge({ protocols: 'OpenFlow10,OpenFlow11' });
  await t.rejects(Switch.connect(old.mgmt, { reconnect: false }), {
    name: 'HandshakeError',
    message: /peer supports OpenFlow 1\.0, OpenFlow 1\.1; ofwire requires OpenFlow 1\.3/,
  });
  await sw.close();
  await t.rejects(sw.addFlow({}), { name: 'SwitchClosedError' });
});
