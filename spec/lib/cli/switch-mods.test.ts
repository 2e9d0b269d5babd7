/**
 * The verbs that change a switch: add-flow, add-flows, mod-flows, del-flows, add-group,
 * add-groups, mod-group, del-groups, bundle, and --bundle. Each result is read back with
 * ovs-ofctl; files are applied by ovs-ofctl to a second bridge of the same switch and the two
 * tables compared. The CLI runs from dist/ (`npm run build`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { createSandbox, type Sandbox } from '../../helpers/ovs-sandbox.js';

function ofwire(sb: Sandbox, args: string[], input = ''): Promise<CliResult> {
  return runCli(args, { env: sb.env, input });
}

/** Runs ofwire and expects success with nothing printed. */
async function ok(t: Test, sb: Sandbox, args: string[], input = ''): Promise<void> {
  const r = await ofwire(sb, args, input);
  t.same({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code: 0, stdout: '', stderr: '' }, `ofwire ${args.join(' ')}`);
}

/** Runs ofwire and expects failure: exit status 1 and exactly one line on stderr. */
async function fails(t: Test, sb: Sandbox, args: string[], input = ''): Promise<string> {
  const r = await ofwire(sb, args, input);
  t.equal(r.code, 1, `ofwire ${args.join(' ')} exits 1`);
  t.match(r.stderr, /^[^\n]+\n$/, 'one line on stderr');
  return r.stderr.trim();
}

/** The flow table, one flow per line, sorted (OVS dumps in its classifier's order). */
const flows = async (sb: Sandbox, bridge = sb.bridge) =>
  (await sb.ofctl('--no-stats', 'dump-flows', bridge))
    .split('\n')
    .filter(Boolean)
    .sort()
    .map((l) => `${l}\n`)
    .join('');
/** The group table: the reply's header line, then the groups sorted. */
const groups = async (sb: Sandbox, bridge = sb.bridge) => {
  const [head, ...entries] = (await sb.ofctl('dump-groups', bridge)).split('\n').filter(Boolean);
  return [head, ...entries.sort()].map((l) => `${l}\n`).join('');
};

function file(sb: Sandbox, name: string, text: string): string {
  const path = join(sb.dir, name);
  writeFileSync(path, text);
  return path;
}

async function reset(sb: Sandbox, bridge = sb.bridge): Promise<void> {
  await sb.ofctl('del-flows', bridge);
  await sb.ofctl('del-groups', bridge);
}

t.test('switch verbs that change tables', async (t) => {
  const sb = await createSandbox({ t });
  const other = await sb.addBridge();
  await sb.vsctl('add-port', sb.bridge, 'swp1', '--', 'set', 'interface', 'swp1', 'type=internal', 'ofport_request=1');

  t.beforeEach(async () => {
    await reset(sb);
    await reset(sb, other.bridge);
  });

  t.test('add-flow, mod-flows (with and without --strict), del-flows', async (t) => {
    await ok(t, sb, ['add-flow', sb.mgmt, 'table=1,priority=10,ip,nw_dst=10.0.0.1,actions=output:1']);
    await ok(t, sb, ['add-flow', sb.bridge, 'table=1,priority=20,ip,nw_dst=10.0.0.1,actions=output:1']);
    await ok(t, sb, ['add-flow', sb.bridge, 'table=1,priority=30,tcp,actions=output:swp1'], '');
    t.equal(
      await flows(sb),
      ' table=1, priority=10,ip,nw_dst=10.0.0.1 actions=output:1\n table=1, priority=20,ip,nw_dst=10.0.0.1 actions=output:1\n table=1, priority=30,tcp actions=output:1\n',
      'added (a port given by name)',
    );
    await ok(t, sb, ['--strict', 'mod-flows', sb.bridge, 'table=1,priority=20,ip,nw_dst=10.0.0.1,actions=output:2']);
    t.match(
      await flows(sb),
      /priority=10,ip,nw_dst=10\.0\.0\.1 actions=output:1\n table=1, priority=20,ip,nw_dst=10\.0\.0\.1 actions=output:2\n/,
      '--strict changes one',
    );
    await ok(t, sb, ['mod-flows', sb.bridge, 'table=1,ip,nw_dst=10.0.0.1,actions=output:3']);
    t.equal((await flows(sb)).match(/output:3/g)?.length, 2, 'without --strict, every matching flow');
    await ok(t, sb, ['del-flows', sb.bridge, 'table=1,priority=10,ip,nw_dst=10.0.0.1', '--strict']);
    t.equal((await flows(sb)).split('\n').filter(Boolean).length, 2, 'del-flows --strict deletes one');
    await ok(t, sb, ['del-flows', sb.bridge, 'table=1,ip,nw_dst=10.0.0.1']);
    t.equal(await flows(sb), ' table=1, priority=30,tcp actions=output:1\n', 'del-flows FILTER deletes the matching flows');
    await ok(t, sb, ['del-flows', sb.bridge]);
    t.equal(await flows(sb), '', 'del-flows with no flow deletes all');
  });

  t.test('add-group, mod-group, del-groups [GROUP]', async (t) => {
    await ok(t, sb, ['add-group', sb.bridge, 'group_id=1,type=select,bucket=weight=5,actions=output:1']);
    await ok(t, sb, ['-O', 'OpenFlow13', 'add-group', sb.bridge, 'group_id=2,type=all,bucket=actions=output:1,bucket=actions=output:2']);
    await ok(t, sb, ['mod-group', sb.bridge, 'group_id=1,type=select,bucket=weight=5,actions=output:1,bucket=weight=7,actions=output:2']);
    t.equal(
      await groups(sb),
      'OFPST_GROUP_DESC reply (OF1.3) (xid=0x2):\n group_id=1,type=select,bucket=weight:5,actions=output:1,bucket=weight:7,actions=output:2\n group_id=2,type=all,bucket=actions=output:1,bucket=actions=output:2\n',
    );
    await ok(t, sb, ['del-groups', sb.bridge, 'group_id=1']);
    t.notMatch(await groups(sb), /group_id=1,/, 'one group deleted');
    t.match(await groups(sb), /group_id=2,/);
    await ok(t, sb, ['del-groups', sb.bridge]);
    t.equal(await groups(sb), 'OFPST_GROUP_DESC reply (OF1.3) (xid=0x2):\n', 'all deleted');
  });

  t.test('add-flows FILE: comments, blank lines, per-line keywords — as ovs-ofctl applies it', async (t) => {
    const path = file(
      sb,
      'keywords.flows',
      `# a comment line
table=0,priority=10,ip,nw_dst=10.0.0.1,actions=output:1
add table=0,priority=11,ip,nw_dst=10.0.0.2,actions=output:1   # trailing comment

   \t
add table=0,priority=12,ip,nw_dst=10.0.0.3,actions=output:1
modify table=0,ip,nw_dst=10.0.0.1,actions=output:2
modify_strict table=0,priority=11,ip,nw_dst=10.0.0.2,actions=output:3
delete_strict table=0,priority=12,ip,nw_dst=10.0.0.3
add table=2,priority=5,udp,tp_dst=53,actions=output:1
add table=3,priority=5,udp,tp_dst=53,actions=output:1
delete table=3
`,
    );
    for (const bundle of [[], ['--bundle']]) {
      await reset(sb);
      await reset(sb, other.bridge);
      await ok(t, sb, [...bundle, 'add-flows', sb.bridge, path]);
      await sb.ofctl(...bundle, 'add-flows', other.bridge, path);
      const mine = await flows(sb);
      t.equal(mine, await flows(sb, other.bridge), `${bundle.join(' ')} same table as ovs-ofctl's`);
      t.equal(mine.split('\n').filter(Boolean).length, 3);
    }
  });

  t.test('add-groups FILE with keywords; stdin as -', async (t) => {
    const text = `# groups
group_id=1,type=select,bucket=weight=1,actions=output:1
add group_id=2,type=all,bucket=actions=output:1

modify group_id=1,type=select,bucket=weight=9,actions=output:1,bucket=weight=3,actions=output:2
add group_id=3,type=indirect,bucket=actions=output:1
delete group_id=3
`;
    const path = file(sb, 'keywords.groups', text);
    await ok(t, sb, ['add-groups', sb.bridge, '-'], text);
    await sb.ofctl('add-groups', other.bridge, path);
    t.equal(await groups(sb), await groups(sb, other.bridge));
    t.match(await groups(sb), /group_id=1,type=select,bucket=weight:9,actions=output:1,bucket=weight:3,actions=output:2/);
  });

  t.test("add-flow -, mod-flows --strict -, del-flows -: a file on stdin with the verb's command", async (t) => {
    await ok(
      t,
      sb,
      ['add-flow', sb.bridge, '-'],
      'priority=1,ip,actions=output:1\npriority=2,ip,actions=output:1\nmodify_strict priority=2,ip,actions=output:2\n',
    );
    t.equal(await flows(sb), ' priority=1,ip actions=output:1\n priority=2,ip actions=output:2\n', 'add-flow - takes keywords');
    await ok(t, sb, ['--strict', 'mod-flows', sb.bridge, '-'], 'priority=1,ip,actions=output:3\n');
    t.equal(await flows(sb), ' priority=1,ip actions=output:3\n priority=2,ip actions=output:2\n');
    await ok(t, sb, ['del-flows', sb.bridge, '-', '--strict'], 'priority=2,ip\n');
    t.equal(await flows(sb), ' priority=1,ip actions=output:3\n');
  });

  t.test('--bundle: one line the switch refuses, nothing applied', async (t) => {
    await sb.ofctl('add-flow', sb.bridge, 'priority=99,actions=drop');
    const before = await flows(sb);
    const path = file(
      sb,
      'refused.flows',
      'priority=1,ip,actions=output:1\n# the next line names a group that does not exist\npriority=2,ip,actions=group:77\npriority=3,ip,actions=output:1\n',
    );
    const err = await fails(t, sb, ['--bundle', 'add-flows', sb.bridge, path]);
    t.match(
      err,
      `ofwire add-flows: ${path}:3: switch rejected the flow_mod add: OFPET_BAD_ACTION/OFPBAC_BAD_OUT_GROUP; bundle discarded, nothing applied`,
    );
    t.equal(await flows(sb), before, 'table unchanged');

    const g = file(sb, 'refused.groups', 'group_id=1,type=all,bucket=actions=output:1\ngroup_id=1,type=all,bucket=actions=output:2\n');
    const gerr = await fails(t, sb, ['add-groups', '--bundle', sb.bridge, g]);
    t.match(gerr, /refused\.groups:2: switch rejected the group_mod add: OFPET_GROUP_MOD_FAILED\/OFPGMFC_GROUP_EXISTS; bundle discarded/);
    t.equal(await groups(sb), 'OFPST_GROUP_DESC reply (OF1.3) (xid=0x2):\n', 'no group');

    const one = await fails(t, sb, ['--bundle', 'add-flow', sb.bridge, 'actions=group:77']);
    t.match(one, /^ofwire add-flow: switch rejected the flow_mod add: OFPET_BAD_ACTION\/OFPBAC_BAD_OUT_GROUP; bundle discarded/);
  });

  t.test('without --bundle a refused line does not stop the others; the error names it', async (t) => {
    const path = file(
      sb,
      'partly.flows',
      'priority=1,ip,actions=output:1\npriority=2,ip,actions=group:77\npriority=3,ip,actions=output:1\n',
    );
    const err = await fails(t, sb, ['add-flows', sb.bridge, path]);
    t.match(
      err,
      `${path}:2: switch rejected the flow_mod add: OFPET_BAD_ACTION/OFPBAC_BAD_OUT_GROUP (1 of 3 refused; the others were applied)`,
    );
    t.equal((await flows(sb)).split('\n').filter(Boolean).length, 2);
  });

  t.test('a syntax error anywhere in a file sends nothing, with or without --bundle', async (t) => {
    const path = file(sb, 'bad.flows', 'priority=1,ip,actions=output:1\n\npriority=2,tcp,tp_dst=http,actions=output:1\n');
    for (const bundle of [[], ['--bundle']]) {
      const err = await fails(t, sb, [...bundle, 'add-flows', sb.bridge, path]);
      t.match(err, `ofwire add-flows: ${path}:3: ovs-ofctl syntax: "tp_dst=http" (column 16): `);
      t.equal(await flows(sb), '', `${bundle.join(' ')} nothing applied`);
    }
  });

  t.test('bundle FILE: groups and flows in one transaction', async (t) => {
    const text = `# a service: its group, then the flow that uses it
group add group_id=7,type=select,bucket=weight=10,actions=output:1,bucket=weight=20,actions=output:2
flow add table=0,priority=10,ip,actions=group:7
flow table=0,priority=11,ip,nw_dst=10.0.0.1,actions=group:7

group group_id=8,type=all,bucket=actions=output:1
flow modify_strict table=0,priority=10,ip,actions=group:8
flow delete_strict table=0,priority=11,ip,nw_dst=10.0.0.1
f add table=0,priority=12,ip,actions=group:8
group modify group_id=7,type=select,bucket=actions=output:1
group delete group_id=7
`;
    const path = file(sb, 'mixed.bundle', text);
    await ok(t, sb, ['bundle', sb.bridge, path]);
    await sb.ofctl('bundle', other.bridge, path);
    t.equal(await flows(sb), await flows(sb, other.bridge), 'flows as ovs-ofctl leaves them');
    t.equal(await groups(sb), await groups(sb, other.bridge), 'groups as ovs-ofctl leaves them');
    t.equal(await flows(sb), ' priority=10,ip actions=group:8\n priority=12,ip actions=group:8\n');

    await reset(sb);
    await ok(t, sb, ['bundle', sb.bridge, '-'], text);
    t.equal(await flows(sb), ' priority=10,ip actions=group:8\n priority=12,ip actions=group:8\n', 'from stdin');
  });

  t.test('bundle FILE rolls back as a whole', async (t) => {
    await sb.ofctl('add-group', sb.bridge, 'group_id=1,type=all,bucket=actions=output:1');
    await sb.ofctl('add-flow', sb.bridge, 'priority=5,actions=group:1');
    const before = [await flows(sb), await groups(sb)];
    const path = file(
      sb,
      'rollback.bundle',
      'group add group_id=2,type=all,bucket=actions=output:1\nflow add priority=6,actions=group:2\nflow delete\ngroup delete group_id=1\nflow add priority=7,actions=group:1\n',
    );
    const err = await fails(t, sb, ['bundle', sb.bridge, path]);
    t.match(
      err,
      `ofwire bundle: ${path}:5: switch rejected the flow_mod add: OFPET_BAD_ACTION/OFPBAC_BAD_OUT_GROUP; bundle discarded, nothing applied`,
    );
    t.same([await flows(sb), await groups(sb)], before, 'flows and groups as before');

    const bad = file(sb, 'typo.bundle', 'group add group_id=3,type=all,bucket=actions=output:1\nflwo add priority=1,actions=drop\n');
    const typo = await fails(t, sb, ['bundle', sb.bridge, bad]);
    t.match(typo, `ofwire bundle: ${bad}:2: ovs-ofctl syntax: "flwo" (column 1): Unsupported bundle message type`);
    t.same([await flows(sb), await groups(sb)], before, 'nothing applied');
  });

  t.test('--bundle streams a large file, and discards it all when its last line fails', async (t) => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++)
      lines.push(
        `table=3,priority=100,tcp,nw_dst=10.96.${i >> 8}.${i & 255},tp_dst=80,actions=ct(commit,zone=65520,nat(dst=10.244.${i >> 8}.${i & 255}:8080)),goto_table:4`,
      );
    const good = file(sb, 'large.flows', lines.join('\n') + '\n');
    await ok(t, sb, ['--bundle', 'add-flows', sb.bridge, good]);
    t.equal((await flows(sb)).split('\n').filter(Boolean).length, 5000, 'all 5000 flows');
    await sb.ofctl('del-flows', sb.bridge);
    const bad = file(sb, 'large-bad.flows', `${lines.join('\n')}\ntable=3,priority=1,actions=group:5\n`);
    const err = await fails(t, sb, ['--bundle', 'add-flows', sb.bridge, bad]);
    t.match(err, `${bad}:5001: switch rejected the flow_mod add`);
    t.equal(await flows(sb), '', 'none of the 5000 applied');
  });
});
