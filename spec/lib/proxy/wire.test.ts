/**
 * The byte-template compiler (wire.ts) against the object compiler (compile.ts), its oracle: for
 * random service ports, options and change sequences, the same keys and bodies in the same order,
 * and the same desired state and changed keys after every step.
 */
import t from 'tap';
import fc from 'fast-check';
import { compilePort } from '../../../lib/proxy/compile.js';
import { DesiredState } from '../../../lib/proxy/desired.js';
import { WireKeyed, cookieOfBody, entryOf, isFlowKey, keyed, type Keyed } from '../../../lib/proxy/entries.js';
import type { EndpointTarget, PortMode, ServicePortState } from '../../../lib/proxy/model.js';
import { resolveOptions, type ProxyOptions } from '../../../lib/proxy/options.js';
import { compilePortKeyed, hairpinKeyed } from '../../../lib/proxy/wire.js';
import { writeEntryMod, writeGroupMod } from '../../../lib/proxy/frames.js';
import { Op, type OpKind } from '../../../lib/proxy/reconcile.js';
import { encodeMessage } from '../../../protocol/index.js';
import { Writer } from '../../../protocol/wire/writer.js';

const SEED = 20261206;

const ipv4 = fc.tuple(fc.integer({ min: 1, max: 254 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((b) => b.join('.'));
const ipv6 = fc
  .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
  .map((g) => [0xfd00, ...g.slice(1)].map((x) => x.toString(16)).join(':'));
const port = fc.integer({ min: 1, max: 65535 });

const options = fc
  .record({
    nodeName: fc.option(fc.constant('node-a'), { nil: undefined }),
    tableBase: fc.integer({ min: 0, max: 100 }),
    ctZone: fc.integer({ min: 0, max: 1000 }),
    cookiePrefix: fc.integer({ min: 1, max: 0xffff }),
    rejectMaxLen: fc.integer({ min: 64, max: 1500 }),
    hairpinIp: ipv4,
  })
  .map((p) => resolveOptions({ ...p, nextTable: p.tableBase + 10 }));

function portState(family: 'IPv4' | 'IPv6') {
  const endpoint = fc.record({ ip: family === 'IPv4' ? ipv4 : ipv6, port, local: fc.boolean() });
  return fc
    .record({
      protocol: fc.constantFrom('TCP' as const, 'TCP' as const, 'SCTP' as const, 'UDP' as const),
      vip: family === 'IPv4' ? ipv4 : ipv6,
      port,
      mode: fc.constantFrom<PortMode>('serve', 'serve', 'serve', 'reject', 'drop'),
      endpoints: fc.uniqueArray(endpoint, { maxLength: 40, selector: (e) => `${e.ip}|${e.port}` }),
      affinitySeconds: fc.constantFrom(0, 0, 0, 10800),
    })
    .map((r): ServicePortState => {
      const endpoints: EndpointTarget[] = r.mode === 'serve' ? r.endpoints : [];
      const mode: PortMode = r.mode === 'serve' && !endpoints.length ? 'reject' : r.mode;
      return { ...r, key: `${family}|${r.protocol}|${r.vip}|${r.port}`, service: 'ns/svc', portName: 'p', family, mode, endpoints };
    });
}

const anyPort = fc.oneof({ arbitrary: portState('IPv4'), weight: 3 }, { arbitrary: portState('IPv6'), weight: 1 });

const pairs = (list: readonly Keyed[]) => list.map((k) => [k.key, k.body]);

function sameAsOracle(o: ProxyOptions, sp: ServicePortState, id: number): void {
  const want = compilePort(o, sp, id);
  const got = compilePortKeyed(o, sp, id);
  if (got.shape !== want.shape) throw new Error(`shape ${got.shape}, want ${want.shape}`);
  const a = JSON.stringify([pairs(got.own), pairs(got.shared)]);
  const b = JSON.stringify([pairs(want.own.map(keyed)), pairs(want.shared.map(keyed))]);
  if (a !== b) throw new Error(`${sp.key} (${sp.mode}, ${sp.endpoints.length} endpoints): bytes differ`);
}

t.test('one service port: the same keys and bodies as the object compiler', async (t) => {
  fc.assert(
    fc.property(options, anyPort, fc.integer({ min: 1, max: 0xffffff }), (o, sp, id) => sameAsOracle(o, sp, id)),
    { numRuns: 600, seed: SEED },
  );
  t.pass('600 random service ports');
});

t.test('FLOW_MOD and GROUP_MOD frames written from keys and bodies: the bytes the codec writes', async (t) => {
  const w = new Writer(64);
  fc.assert(
    fc.property(
      options,
      anyPort,
      fc.integer({ min: 1, max: 0xffffff }),
      fc.constantFrom<OpKind>('add', 'modify', 'delete'),
      fc.nat(0xffffffff),
      (o, sp, id, kind, xid) => {
        const k = compilePortKeyed(o, sp, id);
        for (const e of [...k.own, ...k.shared]) {
          const op = new Op(e.key, kind, e, e);
          w.reset();
          writeEntryMod(w, e.key, e.body, op.command, kind !== 'delete', xid);
          const want = encodeMessage({ ...op.message, xid });
          if (!w.buf.subarray(0, w.pos).equals(want)) throw new Error(`${kind} of ${e.key.slice(0, 12)}: frames differ`);
        }
      },
    ),
    { numRuns: 300, seed: SEED },
  );
  t.pass('300 random service ports, every entry, every command');
  w.reset();
  t.throws(
    () => writeGroupMod(w, 'g5', `1/${'\0'.repeat(70_000)}`, 0, true, 1),
    /does not fit OpenFlow's 16-bit length/,
    'a group too large for one message',
  );
  w.reset();
  writeEntryMod(w, 'f1/2/', '5/', 0, true, 9);
  t.same(
    w.buf.subarray(8, 48),
    encodeMessage({
      type: 'flow_mod',
      xid: 9,
      cookie: 5n,
      cookieMask: 0n,
      tableId: 1,
      command: 0,
      idleTimeout: 0,
      hardTimeout: 0,
      priority: 2,
      bufferId: 0xffffffff,
      outPort: 0xffffffff,
      outGroup: 0xffffffff,
      flags: 0,
      match: [],
      instructions: [],
    }).subarray(8, 48),
    'a short cookie',
  );
});

t.test('change sequences: the same desired state and changed keys after every step', async (t) => {
  const step = fc.record({ owner: fc.nat(5), port: anyPort, remove: fc.boolean() });
  fc.assert(
    fc.property(options, fc.array(step, { minLength: 1, maxLength: 30 }), (o, steps) => {
      const oracle = new DesiredState();
      const wired = new DesiredState();
      for (const s of steps) {
        const owner = `owner-${s.owner}`;
        const id = s.owner + 1;
        // Owners keep their own address so that they never claim each other's flows.
        const sp = { ...s.port, vip: s.port.family === 'IPv4' ? `10.96.0.${id}` : `fd00::${id}`, key: owner };
        if (s.remove) {
          oracle.remove(owner);
          wired.remove(owner);
        } else {
          const c = compilePort(o, sp, id);
          oracle.set(owner, c.own, c.shared);
          const k = compilePortKeyed(o, sp, id);
          wired.setKeyed(owner, k.own, k.shared);
        }
        const a = [...oracle.takeDirty()].sort();
        const b = [...wired.takeDirty()].sort();
        if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('changed keys differ');
        for (const key of oracle.keys()) if (oracle.get(key)!.body !== wired.get(key)?.body) throw new Error('bodies differ');
        if (oracle.size !== wired.size) throw new Error('sizes differ');
      }
    }),
    { numRuns: 150, seed: SEED },
  );
  t.pass('150 random change sequences');
});

t.test('an entry compiled to bytes decodes to the entry it came from', async (t) => {
  const o = resolveOptions({ nodeName: 'node-a' });
  const sp: ServicePortState = {
    key: 'IPv4|TCP|10.96.0.10|80',
    service: 'ns/web',
    portName: 'http',
    family: 'IPv4',
    protocol: 'TCP',
    vip: '10.96.0.10',
    port: 80,
    mode: 'serve',
    endpoints: [
      { ip: '10.244.1.5', port: 8080, local: true },
      { ip: '10.244.2.5', port: 8080, local: false },
    ],
    affinitySeconds: 0,
  };
  const k = compilePortKeyed(o, sp, 7);
  t.ok(
    k.own.every((e) => e instanceof WireKeyed),
    'group shape: straight from templates',
  );
  for (const e of [...k.own, ...k.shared]) {
    const back = keyed(e.entry);
    t.equal(back.key, e.key);
    t.equal(back.body, e.body);
  }
  t.same(entryOf(k.own[0]!.key, k.own[0]!.body), compilePort(o, sp, 7).own[0], 'the group, typed');
  t.ok(isFlowKey(k.own[1]!.key) && !isFlowKey(k.own[0]!.key));
  t.equal(cookieOfBody(k.own[1]!.body), 'f77100000000007', 'the cookie of a service flow');
  t.equal(
    hairpinKeyed(o, 'fd00::5').key,
    keyed(compilePort(o, { ...sp, family: 'IPv6', vip: 'fd00::a', endpoints: [{ ip: 'fd00::5', port: 1, local: true }] }, 1).shared[0]!)
      .key,
  );
});
