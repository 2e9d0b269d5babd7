/**
 * The proxy's control loop against an in-memory switch: what it sends and when (cleanups after the
 * change that makes them safe), refusals retried per service, packet-ins answered and rate
 * limited, reconnects, ids kept across agent restarts, and services that hand a cluster IP over.
 */
import t, { type Test } from 'tap';
import { EventEmitter } from 'eventemitter3';
import { encodeMessage, type FlowStats, type GroupDesc, type MultipartReplyBody, type OfpMessage } from '../../../protocol/index.js';
import { BundleError } from '../../../lib/controller/index.js';
import { OpenFlowError } from '../../../lib/session/errors.js';
import type { Outgoing } from '../../../lib/session/session.js';
import { MemorySource } from '../../../lib/sources/index.js';
import { ServiceProxy, type ServiceProxyOptions } from '../../../lib/proxy/proxy.js';
import { COOKIE_PREFIX_MASK, CookieKind, cookie, learnedCookie } from '../../../lib/proxy/cookies.js';
import { flowKey } from '../../../lib/proxy/entries.js';
import { rejectFrame } from '../../../lib/proxy/reject.js';
import { service, slice } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/ovs-sandbox.js';

type FlowMod = Extract<Outgoing, { type: 'flow_mod' }>;
type GroupMod = Extract<Outgoing, { type: 'group_mod' }>;

/** Just enough of an OpenFlow switch: a flow table and a group table that flow_mods and group_mods edit. */
class MemorySwitch extends EventEmitter {
  connected = true;
  readonly flows = new Map<string, FlowMod>();
  readonly groups = new Map<number, GroupMod>();
  /** Every message, in the order the switch applied it; bundles are marked. */
  readonly log: (Outgoing | { type: 'bundle'; size: number })[] = [];
  readonly packetOuts: { data: Buffer; inPort?: number; actions: unknown[] }[] = [];
  /** Refuse messages this returns true for (the whole bundle fails, naming the member). */
  refuse: ((m: Outgoing) => boolean) | undefined;

  async dumpFlows(filter: { cookie?: bigint; cookieMask?: bigint } = {}): Promise<FlowStats[]> {
    const mask = filter.cookieMask ?? 0n;
    return [...this.flows.values()]
      .filter((f) => (f.cookie & mask) === ((filter.cookie ?? 0n) & mask))
      .map((f) => ({
        tableId: f.tableId,
        durationSec: 0,
        durationNsec: 0,
        priority: f.priority,
        idleTimeout: 0,
        hardTimeout: 0,
        flags: 0,
        cookie: f.cookie,
        packetCount: 0n,
        byteCount: 0n,
        match: f.match,
        instructions: f.instructions,
      }));
  }

  async dumpGroups(): Promise<GroupDesc[]> {
    return [...this.groups.values()].map((g) => ({ groupType: g.groupType, groupId: g.groupId, buckets: g.buckets }));
  }

  /** The dumps as the switch's reply bodies (what Switch.dumpFlowsRaw/dumpGroupsRaw give). */
  async dumpFlowsRaw(filter: { cookie?: bigint; cookieMask?: bigint } = {}): Promise<Buffer[]> {
    return [replyBody({ kind: 'flow', flows: await this.dumpFlows(filter) })];
  }

  async dumpGroupsRaw(): Promise<Buffer[]> {
    return [replyBody({ kind: 'group_desc', groups: await this.dumpGroups() })];
  }

  async request(m: Outgoing): Promise<unknown> {
    if (this.refuse?.(m)) throw new OpenFlowError({ type: 'error', xid: 1, errType: 1, code: 6, data: Buffer.alloc(0) }, m as OfpMessage);
    this.apply(m);
    return undefined;
  }

  async bundle(build: (b: { add(m: Outgoing): unknown }) => void): Promise<void> {
    const members: Outgoing[] = [];
    build({ add: (m) => members.push(m) });
    const bad = members.findIndex((m) => this.refuse?.(m));
    if (bad >= 0) {
      const err = new OpenFlowError({ type: 'error', xid: 1, errType: 1, code: 6, data: Buffer.alloc(0) }, members[bad] as OfpMessage);
      throw new BundleError(1, 'commit', { index: bad, message: members[bad] as OfpMessage, error: err }, err, members.length);
    }
    this.log.push({ type: 'bundle', size: members.length });
    for (const m of members) this.apply(m);
  }

  async barrier(): Promise<void> {}

  async packetOut(p: { data: Buffer; inPort?: number; actions: unknown[] }): Promise<void> {
    this.packetOuts.push(p);
  }

  private apply(m: Outgoing): void {
    this.log.push(m);
    if (m.type === 'flow_mod') {
      const key = flowKey(m.tableId, m.priority, m.match);
      if (m.command === 0) this.flows.set(key, m);
      else if (m.command === 2) this.flows.set(key, { ...this.flows.get(key)!, instructions: m.instructions });
      else if (m.command === 4) this.flows.delete(key);
      else if (m.command === 3)
        for (const [k, f] of this.flows)
          if (f.tableId === m.tableId && (f.cookie & m.cookieMask) === (m.cookie & m.cookieMask)) this.flows.delete(k);
    } else if (m.type === 'group_mod') {
      if (m.command === 2) this.groups.delete(m.groupId);
      else this.groups.set(m.groupId, m);
    }
  }

  /** Service flows (table 11) by cluster IP and port, with what they do. */
  serviceFlows(): Map<string, string> {
    const out = new Map<string, string>();
    for (const f of this.flows.values()) {
      if (f.tableId !== 11 || f.priority !== 100) continue;
      const vip = f.match.find((x) => x.field === 'ipv4_dst' || x.field === 'ipv6_dst')!.value;
      const port = f.match.find((x) => x.field.endsWith('_dst') && !x.field.startsWith('ip'))!.value;
      const a = f.instructions.find((i) => i.type === 'apply_actions') as { actions: { type: string; groupId?: number }[] } | undefined;
      out.set(
        `${String(vip)}:${String(port)}`,
        a?.actions.map((x) => (x.type === 'group' ? `group:${x.groupId}` : x.type)).join(',') ?? 'drop',
      );
    }
    return out;
  }

  /** The endpoints a select group DNATs to. */
  groupTargets(id: number): string[] {
    const g = this.groups.get(id);
    return [...new Set(g?.buckets.map((b) => (b.actions[0] as { actions: { ipMin: string }[] }).actions[0]!.ipMin) ?? [])];
  }
}

function replyBody(body: MultipartReplyBody): Buffer {
  return encodeMessage({ type: 'multipart_reply', xid: 1, flags: 0, body }).subarray(16);
}

async function settle(proxy: ServiceProxy): Promise<void> {
  await new Promise((r) => setImmediate(r));
  await proxy.whenSynced();
}

async function start(t: Test, source: MemorySource, opts: ServiceProxyOptions = {}, sw = new MemorySwitch()) {
  const proxy = new ServiceProxy(sw, source, opts);
  const errors: string[] = [];
  proxy.on('error', (e) => errors.push(e.message));
  proxy.on('serviceError', (s, e) => errors.push(`${s}: ${e.message}`));
  t.teardown(() => proxy.stop());
  await proxy.start();
  return { proxy, sw, errors };
}

const web = (name: string, vip: string, ips: string[], protocol = 'TCP', extra: Record<string, unknown> = {}) => ({
  svc: service(name, { clusterIP: vip, ports: [{ name: 'p', port: protocol === 'UDP' ? 53 : 80, protocol }], ...extra }),
  slice: slice(
    name,
    `${name}-1`,
    [{ name: 'p', port: protocol === 'UDP' ? 5353 : 8080, protocol }],
    ips.map((ip) => ({ ip })),
    vip.includes(':') ? 'IPv6' : 'IPv4',
  ),
});

function add(source: MemorySource, s: ReturnType<typeof web>): void {
  source.upsertService(s.svc);
  source.upsertEndpointSlice(s.slice);
}

t.test('programs the switch, then only what changes', async (t) => {
  const source = new MemorySource();
  add(source, web('a', '10.96.0.10', ['10.244.0.11', '10.244.0.12']));
  const { proxy, sw, errors } = await start(t, source);
  await proxy.whenSynced();
  t.same([...sw.serviceFlows()], [['10.96.0.10:80', 'group:2130706433']]);
  t.equal(proxy.servicePortCount, 1);
  t.equal(proxy.metrics.flows.get().values[0]!.value, sw.flows.size, 'flow gauge');
  t.equal(proxy.metrics.groups.get().values[0]!.value, 1, 'group gauge');
  const logged = sw.log.length;
  source.upsertEndpointSlice(web('a', '10.96.0.10', ['10.244.0.11']).slice);
  await settle(proxy);
  t.same(
    sw.log.slice(logged).map((m) => `${m.type}${'command' in m ? ` ${m.command}` : ''}`),
    ['bundle', 'group_mod 1', 'flow_mod 4'],
    'group modified, the gone hairpin flow deleted',
  );
  t.same(sw.groupTargets(0x7f000001), ['10.244.0.11']);
  source.upsertEndpointSlice(web('a', '10.96.0.10', ['10.244.0.11']).slice);
  await settle(proxy);
  t.equal(sw.log.length, logged + 3, 'an unchanged slice sends nothing');
  source.deleteService('default', 'a');
  await settle(proxy);
  t.same([...sw.serviceFlows()], [], 'a deleted service leaves nothing');
  t.same([...sw.groups.keys()], []);
  t.equal(proxy.servicePortCount, 0);
  t.same(errors, []);
});

t.test('a cluster IP handed from one Service to another in one batch stays programmed', async (t) => {
  const source = new MemorySource();
  add(source, web('old', '10.96.0.10', ['10.244.0.11']));
  const { proxy, sw } = await start(t, source);
  await proxy.whenSynced();
  // Both changes reach the proxy together; the new Service happens to come first.
  add(source, web('new', '10.96.0.10', ['10.244.0.12']));
  source.deleteService('default', 'old');
  await settle(proxy);
  const flows = sw.serviceFlows();
  t.ok(flows.has('10.96.0.10:80'), 'the new Service has its service flow');
  const group = Number(flows.get('10.96.0.10:80')?.split(':')[1]);
  t.same(sw.groupTargets(group), ['10.244.0.12'], "with the new Service's endpoint");
});

t.test('two Services claiming one cluster IP and port: removing one leaves the other working', async (t) => {
  const source = new MemorySource();
  add(source, web('first', '10.96.0.10', ['10.244.0.11']));
  const { proxy, sw } = await start(t, source);
  await proxy.whenSynced();
  add(source, web('second', '10.96.0.10', ['10.244.0.12']));
  await settle(proxy);
  source.deleteService('default', 'second');
  await settle(proxy);
  const flows = sw.serviceFlows();
  t.ok(flows.has('10.96.0.10:80'), 'the remaining Service still has its service flow');
  t.same(sw.groupTargets(Number(flows.get('10.96.0.10:80')?.split(':')[1])), ['10.244.0.11'], 'with its own endpoint');
});

t.test('removing UDP endpoints flushes exactly their conntrack entries, after the change', async (t) => {
  const source = new MemorySource();
  add(source, web('dns', '10.96.0.10', ['10.244.0.11', '10.244.0.12', '10.244.0.13'], 'UDP'));
  add(source, web('dns6', 'fd00:10:96::a', ['fd00:10:244::11'], 'UDP'));
  add(source, web('tcp', '10.96.0.11', ['10.244.0.11', '10.244.0.12']));
  const { proxy, sw } = await start(t, source);
  await proxy.whenSynced();
  let mark = sw.log.length;
  source.upsertEndpointSlice(web('dns', '10.96.0.10', ['10.244.0.11'], 'UDP').slice);
  source.upsertEndpointSlice(web('tcp', '10.96.0.11', ['10.244.0.11']).slice);
  await settle(proxy);
  let after = sw.log.slice(mark);
  const flushes = after.filter((m) => m.type === 'nx_ct_flush');
  t.same(
    flushes,
    [
      {
        type: 'nx_ct_flush',
        ipProto: 17,
        zoneId: 65520,
        orig: { dst: '10.96.0.10', dstPort: 53 },
        reply: { src: '10.244.0.12', srcPort: 5353 },
      },
      {
        type: 'nx_ct_flush',
        ipProto: 17,
        zoneId: 65520,
        orig: { dst: '10.96.0.10', dstPort: 53 },
        reply: { src: '10.244.0.13', srcPort: 5353 },
      },
    ],
    'one flush per removed UDP endpoint (none for TCP)',
  );
  const lastFlowMod = after.map((m) => m.type).lastIndexOf('flow_mod');
  t.ok(after.findIndex((m) => m.type === 'nx_ct_flush') > lastFlowMod, 'flushed only after the flows stopped selecting them');
  mark = sw.log.length;
  source.deleteService('default', 'dns6');
  await settle(proxy);
  after = sw.log.slice(mark);
  t.same(
    after.filter((m) => m.type === 'nx_ct_flush'),
    [
      {
        type: 'nx_ct_flush',
        ipProto: 17,
        zoneId: 65521,
        orig: { dst: 'fd00:10:96::a', dstPort: 53 },
        reply: { src: 'fd00:10:244::11', srcPort: 5353 },
      },
    ],
    'a deleted IPv6 UDP service: its endpoints flushed in the IPv6 zone',
  );
});

t.test('cleanups queued for a sync that failed are sent by the next one', async (t) => {
  const source = new MemorySource();
  add(source, web('dns', '10.96.0.10', ['10.244.0.11', '10.244.0.12'], 'UDP'));
  const { proxy, sw, errors } = await start(t, source);
  await proxy.whenSynced();
  // The connection drops while the change is being applied.
  let failing = true;
  sw.refuse = () => failing;
  const realBundle = sw.bundle.bind(sw);
  sw.bundle = async (build) => {
    if (failing) {
      sw.connected = false;
      throw new Error('connection lost');
    }
    return realBundle(build);
  };
  const realRequest = sw.request.bind(sw);
  sw.request = async (m) => {
    if (failing) {
      sw.connected = false;
      throw new Error('connection lost');
    }
    return realRequest(m);
  };
  source.upsertEndpointSlice(web('dns', '10.96.0.10', ['10.244.0.11'], 'UDP').slice);
  await new Promise((r) => setTimeout(r, 20));
  t.same(errors, ['connection lost']);
  sw.emit('disconnected', new Error('connection lost'));
  failing = false;
  sw.refuse = undefined;
  sw.connected = true;
  const mark = sw.log.length;
  sw.emit('connected', {});
  await proxy.whenSynced();
  t.ok(sw.serviceFlows().has('10.96.0.10:53'));
  const flushes = sw.log.slice(mark).filter((m) => m.type === 'nx_ct_flush');
  const expected = {
    type: 'nx_ct_flush',
    ipProto: 17,
    zoneId: 65520,
    orig: { dst: '10.96.0.10', dstPort: 53 },
    reply: { src: '10.244.0.12', srcPort: 5353 },
  };
  t.ok(flushes.length >= 1, 'the removed endpoint is still flushed');
  for (const f of flushes) t.same(f, expected, 'exactly its entries');
});

t.test('a sync that fails without a culprit, the connection still up, is retried', async (t) => {
  const source = new MemorySource();
  add(source, web('a', '10.96.0.10', ['10.244.0.11']));
  const { proxy, sw, errors } = await start(t, source, { retry: { minDelayMs: 10, maxDelayMs: 40 } });
  await proxy.whenSynced();
  const keepAlive = setInterval(() => undefined, 1000);
  t.teardown(() => clearInterval(keepAlive));
  const realBundle = sw.bundle.bind(sw);
  let failures = 1;
  sw.bundle = async (build) => {
    if (failures-- > 0) throw new BundleError(9, 'open', undefined, new Error('OFPBFC_OUT_OF_BUNDLES'), 0);
    return realBundle(build);
  };
  add(source, web('b', '10.96.0.11', ['10.244.0.12']));
  await waitFor('the failed sync to be retried', async () => sw.serviceFlows().has('10.96.0.11:80'), 3000).catch(() => undefined);
  t.match(errors, [/rolled back at open/]);
  t.ok(sw.serviceFlows().has('10.96.0.11:80'), 'the change is applied by a retry');
});

t.test('removing an endpoint of an affinity service deletes its learned flows', async (t) => {
  const source = new MemorySource();
  add(source, web('aff', '10.96.0.10', ['10.244.0.11', '10.244.0.12'], 'TCP', { sessionAffinity: 'ClientIP' }));
  const { proxy, sw } = await start(t, source);
  await proxy.whenSynced();
  const mark = sw.log.length;
  source.upsertEndpointSlice(web('aff', '10.96.0.10', ['10.244.0.11'], 'TCP').slice);
  await settle(proxy);
  const deletes = sw.log.slice(mark).filter((m): m is FlowMod => m.type === 'flow_mod' && m.command === 3);
  t.equal(deletes.length, 1);
  t.match(deletes[0], { tableId: 14, cookie: learnedCookie(0x0f77, 1, '10.244.0.12', 8080), cookieMask: 0xffffffffffffffffn });
});

t.test('a Service the switch refuses is reported and retried; the others go through', async (t) => {
  const source = new MemorySource();
  add(source, web('good', '10.96.0.10', ['10.244.0.11']));
  add(source, web('bad', '10.96.0.11', ['10.244.0.12']));
  const sw = new MemorySwitch();
  let refusing = true;
  sw.refuse = (m) => refusing && m.type === 'group_mod' && m.groupId === 0x7f000002;
  const { proxy, errors } = await start(t, source, { retry: { minDelayMs: 10, maxDelayMs: 40 } }, sw);
  // Retry timers do not hold the process open (a real switch connection does).
  const keepAlive = setInterval(() => undefined, 1000);
  t.teardown(() => clearInterval(keepAlive));
  await proxy.whenSynced({ allowFailures: true });
  t.ok(sw.serviceFlows().has('10.96.0.10:80'), 'the good one is programmed');
  t.notOk(sw.serviceFlows().has('10.96.0.11:80'), 'the refused one is not');
  t.match(errors[0], /^default\/bad: bundle 1 rolled back: member \d+ of \d+ \(group_mod add group 2130706434\)/);
  let idle = false;
  const waiting = proxy.whenSynced().then(() => (idle = true));
  await new Promise((r) => setTimeout(r, 100));
  t.notOk(idle, 'not synced while a Service is refused');
  t.ok(errors.length >= 2, `retried (${errors.length} attempts so far)`);
  refusing = false;
  await waiting;
  t.ok(sw.serviceFlows().has('10.96.0.11:80'), 'programmed once the switch accepts it');
  const count = proxy.metrics.errors.get().values.find((v) => v.labels.service === 'default/bad')?.value;
  t.equal(count, errors.length, 'every refusal counted for the Service');
});

t.test("packet-ins of the proxy's service flows are answered, rate limited", async (t) => {
  const source = new MemorySource();
  source.upsertService(service('empty', { clusterIP: '10.96.0.10', ports: [{ port: 80, protocol: 'TCP' }] }));
  const { proxy, sw } = await start(t, source, { rejectRate: 3 });
  await proxy.whenSynced();
  const syn = Buffer.from(
    '0a580af400010a580af4000208004500002800004000400600000af400020a600000a2ec0050000003e80000000050020000000000000000',
    'hex',
  );
  const pin = (c: bigint, data = syn) =>
    sw.emit('packetIn', {
      type: 'packet_in',
      xid: 0,
      bufferId: 0xffffffff,
      totalLen: data.length,
      reason: 1,
      tableId: 11,
      cookie: c,
      match: [{ field: 'in_port', value: 2 }],
      data,
    });
  pin(0xbeefn);
  pin(cookie(0x0f77, CookieKind.Slot, 1));
  t.equal(sw.packetOuts.length, 0, 'packet-ins of other flows are ignored');
  pin(cookie(0x0f77, CookieKind.Service, 1), Buffer.alloc(60));
  t.equal(sw.packetOuts.length, 0, 'nothing to refuse in a frame that is not IP');
  for (let i = 0; i < 5; i++) pin(cookie(0x0f77, CookieKind.Service, 1));
  t.equal(sw.packetOuts.length, 2, 'the bucket allows 3 per second (one went to the non-IP frame)');
  t.same(
    sw.packetOuts[0],
    { data: rejectFrame(syn), inPort: 2, actions: [{ type: 'output', port: 0xfffffff8, maxLen: 0 }] },
    'the RST, out of the port the SYN came in',
  );
  t.equal(proxy.metrics.rejects.get().values[0]!.value, 2);
});

t.test('while disconnected nothing is sent; on reconnect the switch is read and only differences go out', async (t) => {
  const source = new MemorySource();
  add(source, web('a', '10.96.0.10', ['10.244.0.11']));
  const { proxy, sw } = await start(t, source);
  await proxy.whenSynced();
  sw.connected = false;
  sw.emit('disconnected', undefined);
  const mark = sw.log.length;
  add(source, web('b', '10.96.0.11', ['10.244.0.12']));
  await new Promise((r) => setTimeout(r, 20));
  t.equal(sw.log.length, mark, 'nothing sent while disconnected');
  let idle = false;
  const waiting = proxy.whenSynced().then(() => (idle = true));
  await new Promise((r) => setImmediate(r));
  t.notOk(idle, 'not synced while disconnected');
  sw.connected = true;
  sw.emit('connected', {});
  await waiting;
  t.same([...sw.serviceFlows().keys()].sort(), ['10.96.0.10:80', '10.96.0.11:80']);
  t.same(sw.log.slice(mark).filter((m) => m.type === 'flow_mod').length, 2, 'only the new service flow and its hairpin flow');
});

t.test('a restarted agent keeps the ids it finds on the switch', async (t) => {
  const sw = new MemorySwitch();
  const first = new MemorySource();
  for (const [i, n] of ['s1', 's2', 's3'].entries()) add(first, web(n, `10.96.0.${10 + i}`, ['10.244.0.11']));
  const a = await start(t, first, {}, sw);
  await a.proxy.whenSynced();
  first.deleteService('default', 's1');
  await settle(a.proxy);
  await a.proxy.stop();
  const second = new MemorySource();
  for (const [i, n] of ['s2', 's3'].entries()) add(second, web(n, `10.96.0.${11 + i}`, ['10.244.0.11']));
  const mark = sw.log.length;
  const b = await start(t, second, {}, sw);
  await b.proxy.whenSynced();
  t.equal(sw.log.length, mark, 'ids 2 and 3 recovered from the cookies: nothing to send');
  add(second, web('s4', '10.96.0.20', ['10.244.0.11']));
  await settle(b.proxy);
  t.ok(
    [...sw.flows.values()].some((f) => f.cookie === cookie(0x0f77, CookieKind.Service, 4)),
    'a new service port gets an unused id',
  );
});

t.test('Services are worked out while the switch is read; a change meanwhile is what gets programmed', async (t) => {
  const source = new MemorySource();
  for (let i = 1; i <= 40; i++) add(source, web(`s${i}`, `10.96.1.${i}`, [`10.244.1.${i}`]));
  const longAffinity = { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86400 } } };
  add(source, web('sticky', '10.96.0.10', ['10.244.0.11'], 'TCP', longAffinity));
  const sw = new MemorySwitch();
  let release!: () => void;
  const reading = new Promise<void>((resolve) => (release = resolve));
  const dumpFlowsRaw = sw.dumpFlowsRaw.bind(sw);
  sw.dumpFlowsRaw = async (filter) => {
    await reading;
    return dumpFlowsRaw(filter);
  };
  const proxy = new ServiceProxy(sw, source);
  const warned: string[] = [];
  proxy.on('warning', (service) => warned.push(service));
  t.teardown(() => proxy.stop());
  await proxy.start();
  await waitFor('the capped affinity warning', async () => warned.includes('default/sticky'));
  t.equal(sw.log.length, 0, 'worked out before the switch is read, nothing sent');
  source.upsertEndpointSlice(web('s1', '10.96.1.1', ['10.244.9.9']).slice);
  source.deleteService('default', 's40');
  await new Promise((r) => setImmediate(r));
  release();
  await proxy.whenSynced();
  const flows = sw.serviceFlows();
  t.equal(flows.size, 40, 's1 to s39 and sticky');
  t.notOk(flows.has('10.96.1.40:80'), 'the Service deleted meanwhile is not programmed');
  const group = Number(flows.get('10.96.1.1:80')!.slice('group:'.length));
  t.same(sw.groupTargets(group), ['10.244.9.9'], 'the slice changed meanwhile is what its group holds');
  t.same(sw.groupTargets(Number(flows.get('10.96.1.2:80')!.slice('group:'.length))), ['10.244.1.2']);
});

t.test('source errors are passed on; start and stop', async (t) => {
  const source = new MemorySource({ manualSync: true });
  const { proxy, sw, errors } = await start(t, source);
  let idle = false;
  void proxy.whenSynced().then(() => (idle = true));
  await new Promise((r) => setImmediate(r));
  t.notOk(idle, 'not synced before the source is');
  t.equal(sw.log.length, 0, 'nothing sent before the source is synced');
  add(source, web('a', '10.96.0.10', ['10.244.0.11']));
  source.markSynced();
  await proxy.whenSynced();
  t.ok(sw.serviceFlows().has('10.96.0.10:80'));
  source.emit('error', new Error('watch failed'));
  t.same(errors, ['watch failed']);
  await proxy.stop();
  add(source, web('b', '10.96.0.11', ['10.244.0.11']));
  await new Promise((r) => setTimeout(r, 20));
  t.notOk(sw.serviceFlows().has('10.96.0.11:80'), 'a stopped proxy follows nothing');
  t.equal(COOKIE_PREFIX_MASK, 0xffff000000000000n);
});
