/**
 * Desired state and reconciler against a fake switch: the plan's order inside a transaction, one
 * bundle per sync (a lone change without one), refusals that take out only their owner's changes,
 * and the installed view read back from flow and group dumps.
 */
import t from 'tap';
import type { FlowStats, GroupDesc, OfpMessage } from '../../../protocol/index.js';
import { BundleError } from '../../../lib/controller/index.js';
import { OpenFlowError } from '../../../lib/session/errors.js';
import type { Outgoing } from '../../../lib/session/session.js';
import { Writer } from '../../../protocol/wire/writer.js';
import { DesiredState, describe } from '../../../lib/proxy/desired.js';
import { keyed, keyedFlowStats, type FlowEntry, type GroupEntry } from '../../../lib/proxy/entries.js';
import { Reconciler, type ReconcilerSwitch } from '../../../lib/proxy/reconcile.js';
import { CookieKind, cookie } from '../../../lib/proxy/cookies.js';

const P = 0x0f77;

function flow(table: number, reg0: number, opts: { cookie?: bigint; port?: number; group?: number } = {}): FlowEntry {
  return {
    kind: 'flow',
    table,
    priority: 100,
    match: [{ field: 'reg0', value: reg0 }],
    instructions: [
      {
        type: 'apply_actions',
        actions: [opts.group !== undefined ? { type: 'group', groupId: opts.group } : { type: 'output', port: opts.port ?? 1, maxLen: 0 }],
      },
    ],
    cookie: opts.cookie ?? cookie(P, CookieKind.Service, reg0),
  };
}

function group(id: number, ports: number[]): GroupEntry {
  return {
    kind: 'group',
    groupId: id,
    groupType: 1,
    buckets: ports.map((port) => ({
      weight: 1,
      watchPort: 0xffffffff,
      watchGroup: 0xffffffff,
      actions: [{ type: 'output', port, maxLen: 0 }],
    })),
  };
}

function statsOf(e: FlowEntry): FlowStats {
  return {
    tableId: e.table,
    durationSec: 0,
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

const descOf = (g: GroupEntry): GroupDesc => ({ groupType: g.groupType, groupId: g.groupId, buckets: g.buckets });

/** What a switch was asked to do, in order: `req` for lone messages, `bundle` for bundles. */
class FakeSwitch implements ReconcilerSwitch {
  readonly log: { via: 'req' | 'bundle'; messages: Outgoing[] }[] = [];
  /** Called for every bundle / request before it "applies"; throw to refuse. */
  refuse: ((messages: Outgoing[], via: 'req' | 'bundle') => void) | undefined;

  async request(msg: Outgoing): Promise<unknown> {
    this.refuse?.([msg], 'req');
    this.log.push({ via: 'req', messages: [msg] });
    return undefined;
  }

  async bundle(build: (b: { add(m: Outgoing): unknown }) => void): Promise<void> {
    const messages: Outgoing[] = [];
    build({ add: (m) => messages.push(m) });
    this.refuse?.(messages, 'bundle');
    this.log.push({ via: 'bundle', messages });
  }
}

const summary = (m: Outgoing): string => {
  if (m.type === 'flow_mod')
    return `flow ${['add', 'modify', 'modify_strict', 'delete', 'delete_strict'][m.command]} t${m.tableId} r${(m.match[0] as { value: number }).value}`;
  if (m.type === 'group_mod') return `group ${['add', 'modify', 'delete'][m.command]} ${m.groupId}`;
  return m.type;
};

function openflowError(request: OfpMessage): OpenFlowError {
  return new OpenFlowError({ type: 'error', xid: 1, errType: 1, code: 6, data: Buffer.alloc(0) }, request);
}

function setup() {
  const desired = new DesiredState();
  const rec = new Reconciler(desired, (g) => g >= 0x7f000000 && g < 0x80000000);
  const sw = new FakeSwitch();
  return { desired, rec, sw };
}

t.test('desired state: owners, shared entries and what changed', async (t) => {
  const d = new DesiredState();
  const hp = flow(15, 99, { cookie: cookie(P, CookieKind.Hairpin) });
  d.set('a', [flow(11, 1), group(0x7f000001, [1])], [hp]);
  t.equal(d.size, 3);
  t.equal(d.dirtyCount, 3, 'everything new is dirty');
  t.same([...d.owners()], ['a']);
  t.equal(d.ownerOf(keyed(hp).key), 'shared');
  t.equal(d.ownerOf(keyed(flow(11, 1)).key), 'a');
  t.equal(d.ownersKeys('a').length, 2);
  t.same(d.ownersKeys('nobody'), []);
  t.equal(d.takeDirty().size, 3);
  t.equal(d.dirtyCount, 0);

  d.set('a', [flow(11, 1), group(0x7f000001, [1])], [hp]);
  t.equal(d.dirtyCount, 0, 'the same entries again: nothing changes');
  d.set('a', [flow(11, 1, { port: 2 }), group(0x7f000001, [1])], [hp]);
  t.same([...d.takeDirty()], [keyed(flow(11, 1)).key], 'a new body for the same identity: that key only');

  d.set('b', [flow(11, 2)], [hp, hp]);
  t.same([...d.takeDirty()], [keyed(flow(11, 2)).key], 'a shared entry someone already wants is not new');
  t.throws(() => d.set('c', [flow(11, 1)]), /flow in table 11 at priority 100 is already installed for a/, "another owner's entry");
  t.throws(() => d.set('c', [], [flow(11, 2)]), /already installed for b/, 'an owned entry cannot be shared');
  t.throws(() => d.set('c', [hp]), /already installed for shared/, 'a shared entry cannot be owned');
  t.equal(d.ownersKeys('c').length, 0, 'a refused set changes nothing');
  t.equal(d.dirtyCount, 0);

  d.remove('a');
  t.same(
    [...d.takeDirty()].sort(),
    [keyed(flow(11, 1)).key, keyed(group(0x7f000001, [1])).key].sort(),
    "a's own entries go; the shared one stays for b",
  );
  t.ok(d.get(keyed(hp).key), 'still wanted');
  d.remove('b');
  t.same([...d.takeDirty()].sort(), [keyed(flow(11, 2)).key, keyed(hp).key].sort(), 'the last user takes the shared entry with it');
  t.equal(d.size, 0);
  d.markDirty(['x']);
  t.equal(d.dirtyCount, 1);
  t.equal(describe(keyed(group(5, []))), 'group 5');
});

t.test('a plan adds groups before the flows that use them and deletes flows before their groups', async (t) => {
  const { desired, rec, sw } = setup();
  desired.set('old', [group(0x7f000002, [1]), flow(11, 2, { group: 0x7f000002 })]);
  await rec.sync(sw);
  sw.log.length = 0;
  // One sync: a new service (group + flow), one removed (flow + group), one modified (group buckets).
  desired.set('new', [flow(11, 3, { group: 0x7f000003 }), group(0x7f000003, [1])]);
  desired.remove('old');
  desired.set('mod', [flow(11, 4)]);
  await rec.sync(sw);
  desired.set('mod', [flow(11, 4, { port: 9 })]);
  desired.set('new', [flow(11, 3, { group: 0x7f000003 }), group(0x7f000003, [1, 2])]);
  await rec.sync(sw);
  t.same(
    sw.log.map((l) => [l.via, l.messages.map(summary)]),
    [
      ['bundle', ['group add 2130706435', 'flow add t11 r3', 'flow add t11 r4', 'flow delete_strict t11 r2', 'group delete 2130706434']],
      ['bundle', ['group modify 2130706435', 'flow modify_strict t11 r4']],
    ],
  );
  const msgs = sw.log[0]!.messages;
  const add = msgs[1] as Extract<Outgoing, { type: 'flow_mod' }>;
  const del = msgs[3] as Extract<Outgoing, { type: 'flow_mod' }>;
  t.equal(add.cookieMask, 0n, 'add: no cookie mask');
  t.equal(del.cookieMask, 0xffffffffffffffffn, 'delete: only a flow with this exact cookie');
  t.same(del.instructions, [], 'delete carries no instructions');
  t.same((msgs[4] as Extract<Outgoing, { type: 'group_mod' }>).buckets, [], 'group delete carries no buckets');
  const mod = sw.log[1]!.messages[1] as Extract<Outgoing, { type: 'flow_mod' }>;
  t.equal(mod.cookieMask, 0xffffffffffffffffn, 'modify: strict, same cookie');
  t.equal(rec.installedCount, 3);
  t.equal(rec.installedFlows(), 2);
});

t.test('a lone change goes out without a bundle; nothing to do sends nothing', async (t) => {
  const { desired, rec, sw } = setup();
  desired.set('a', [flow(11, 1)]);
  const r = await rec.sync(sw);
  t.same(
    sw.log.map((l) => l.via),
    ['req'],
  );
  t.equal(r.messages, 1);
  t.equal(r.applied.length, 1);
  const again = await rec.sync(sw);
  t.same(again, { applied: [], failed: new Map(), messages: 0 });
  t.equal(sw.log.length, 1);
  // Same identity, another cookie: replaced by an add (a modify would keep the old cookie).
  desired.set('a', [flow(11, 1, { cookie: cookie(P, CookieKind.Service, 77) })]);
  await rec.sync(sw);
  t.same(sw.log[1]!.messages.map(summary), ['flow add t11 r1']);
});

t.test("a refused bundle member takes out only its owner's changes, which stay pending", async (t) => {
  const { desired, rec, sw } = setup();
  desired.set('good', [flow(11, 1), flow(12, 1)]);
  desired.set('bad', [group(0x7f000009, [1]), flow(11, 9, { group: 0x7f000009 })]);
  desired.set('good2', [flow(11, 2)]);
  let attempts = 0;
  sw.refuse = (messages, via) => {
    attempts++;
    const i = messages.findIndex((m) => m.type === 'group_mod' && m.groupId === 0x7f000009);
    if (i < 0) return;
    if (via === 'req') throw openflowError(messages[i] as OfpMessage);
    throw new BundleError(
      1,
      'commit',
      { index: i, message: messages[i] as OfpMessage, error: openflowError(messages[i] as OfpMessage) },
      new Error('refused'),
      messages.length,
    );
  };
  const r = await rec.sync(sw);
  t.equal(attempts, 2, 'refused once, then applied without the owner');
  t.same([...r.failed.keys()], ['bad'], 'the owner is reported');
  t.match(r.failed.get('bad')!.message, /rolled back: member 0/);
  t.equal(r.messages, 5 + 3, 'messages sent, the retry included');
  t.same(
    sw.log.map((l) => l.messages.map(summary)),
    [['flow add t11 r1', 'flow add t12 r1', 'flow add t11 r2']],
  );
  t.same(r.applied.map((o) => desired.ownerOf(o.key)).sort(), ['good', 'good', 'good2']);
  t.equal(desired.dirtyCount, 2, "the refused owner's two keys stay dirty for a retry");
  t.equal(rec.installedCount, 3);

  // The retry: the switch now refuses the lone flow of `bad` only.
  sw.refuse = (messages, via) => {
    if (via === 'req' && messages[0]!.type === 'flow_mod') throw openflowError(messages[0] as OfpMessage);
  };
  desired.set('bad', [flow(11, 9)]);
  const r2 = await rec.sync(sw);
  t.same([...r2.failed.keys()], ['bad'], 'a lone refused message fails its owner');
  t.equal(r2.applied.length, 0);
  t.equal(desired.dirtyCount, 1);
});

t.test('a failure nobody can be blamed for leaves everything pending and is thrown', async (t) => {
  const { desired, rec, sw } = setup();
  desired.set('a', [flow(11, 1)]);
  desired.set('b', [flow(11, 2)]);
  sw.refuse = () => {
    throw new Error('connection lost');
  };
  await t.rejects(rec.sync(sw), /connection lost/);
  t.equal(desired.dirtyCount, 2);
  t.equal(rec.installedCount, 0);
  sw.refuse = (m, via) => {
    if (via === 'bundle') throw new BundleError(2, 'commit', undefined, new Error('timeout'), m.length);
  };
  await t.rejects(rec.sync(sw), /rolled back at commit/);
  t.equal(desired.dirtyCount, 2, 'a bundle error without a member is not attributable either');
  sw.refuse = undefined;
  await rec.sync(sw);
  t.equal(rec.installedCount, 2);
});

t.test('the installed view is read back from dumps', async (t) => {
  const { desired, rec, sw } = setup();
  const keep = flow(11, 1);
  const stale = flow(11, 5);
  const learned = { ...flow(14, 3), cookie: cookie(P, CookieKind.Learned, 3 << 20) };
  const changed = flow(12, 2, { port: 3 });
  desired.set('a', [keep, flow(12, 2, { port: 4 }), group(0x7f000001, [2])]);
  rec.loadInstalled(
    [statsOf(keep), statsOf(stale), statsOf(learned), statsOf(changed)],
    [descOf(group(0x7f000001, [1])), descOf(group(7, [1])), descOf(group(0x7f000002, [1]))],
  );
  t.equal(rec.installedCount, 5, 'learned flows and groups of others are not ours to manage');
  t.equal(keyedFlowStats(statsOf(keep)).key, keyed(keep).key, 'a dumped flow has the identity of the entry it came from');
  await rec.sync(sw);
  t.same(
    sw.log.map((l) => l.messages.map(summary)),
    [['group modify 2130706433', 'flow modify_strict t12 r2', 'flow delete_strict t11 r5', 'group delete 2130706434']],
  );
  rec.forget();
  t.equal(rec.installedCount, 0);
  rec.loadInstalled([statsOf(keep)], []);
  const ops = rec.plan(desired.takeDirty());
  t.same(
    ops.map((o) => o.kind),
    ['add', 'add'],
    'after a reload only what is missing is planned',
  );
});

t.test('an entry compiled again as the switch holds it is replaced by the installed copy', async (t) => {
  const { rec } = setup();
  const same = keyed(flow(11, 1));
  const other = keyed(flow(12, 2, { port: 4 }));
  const fresh = [same, other];
  t.equal(rec.installedCopies(fresh), fresh, 'nothing installed: the list as it is');
  t.equal(fresh[0], same);
  rec.loadInstalled([statsOf(flow(11, 1)), statsOf(flow(12, 2, { port: 3 }))], []);
  const copies = rec.installedCopies([same, other]);
  t.not(copies[0], same, 'the same key and body: the installed entry');
  t.equal(copies[0]!.key, same.key);
  t.equal(copies[0]!.body, same.body);
  t.equal(copies[1], other, 'a different body: the entry as compiled');
});

/**
 * A switch that takes encoded bundles and reads their members as a session does (`more()` included);
 * `onMember(call, summary)` sees each member of the call-th bundle, and may throw.
 */
function encodedSwitch(onMember: (call: number, summary: string) => void, afterBundle?: (call: number) => Promise<void>): ReconcilerSwitch {
  let calls = 0;
  return {
    request: async () => undefined,
    bundle: async () => undefined,
    requestEncoded: async () => undefined,
    bundleEncoded: async (members) => {
      const call = ++calls;
      const w = new Writer(256);
      for (let i = 0; i < members.size || members.more?.(); i++) {
        members.write(i, w, i + 1);
        onMember(call, summary(members.message(i)));
      }
      await afterBundle?.(call);
    },
  };
}

/** A cold sync in parts of two changes: three owners of two flows each, compiled one per batch. */
function coldSyncInParts(sw: ReconcilerSwitch) {
  const desired = new DesiredState();
  const rec = new Reconciler(desired, (g) => g >= 0x7f000000 && g < 0x80000000, { coldSyncPartOps: 2 });
  const batches = [1, 2, 3].map((i) => () => desired.set(`o${i}`, [flow(11, i), flow(12, i)]));
  const synced = rec.sync(sw, [], () => {
    const next = batches.shift();
    if (!next) return undefined;
    next();
    return desired.takeDirty();
  });
  return { desired, rec, batches, synced };
}

t.test('a cold sync in parts that loses the connection: committed parts are installed, the rest stays pending', async (t) => {
  const sent: string[][] = [];
  // The second part is lost once it was sent whole.
  const sw = encodedSwitch(
    (call, member) => (sent[call - 1] ??= []).push(member),
    async (call) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (call === 2) throw new Error('connection lost');
    },
  );
  const { desired, rec, synced } = coldSyncInParts(sw);
  await t.rejects(synced, /connection lost/);
  t.same(sent, [
    ['flow add t11 r1', 'flow add t12 r1'],
    ['flow add t11 r2', 'flow add t12 r2'],
    ['flow add t11 r3', 'flow add t12 r3'],
  ]);
  t.equal(rec.installedCount, 4, 'the first and third parts were committed');
  t.equal(desired.dirtyCount, 2, 'the lost part stays pending');
});

t.test('a cold sync in parts whose part fails before its last member sends no part after it', async (t) => {
  let calls = 0;
  // The second bundle loses its connection after its first member.
  const sw = encodedSwitch((call) => {
    calls = call;
    if (call === 2) throw new Error('connection lost');
  });
  const { desired, rec, batches, synced } = coldSyncInParts(sw);
  await t.rejects(synced, /connection lost/);
  t.equal(calls, 2, 'no bundle after the lost one');
  t.equal(batches.length, 1, 'nothing more compiled for it');
  t.equal(rec.installedCount, 2, 'the first part was committed');
  t.equal(desired.dirtyCount, 2, 'the lost part stays pending');
});
