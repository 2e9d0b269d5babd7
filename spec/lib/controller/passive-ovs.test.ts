/**
 * Connection modes against a real ovs-vswitchd in its own network namespace:
 * ptcp (the bridge connects in over a veth link), punix (several bridges, one controller), tcp to
 * OVS's own ptcp listener, role requests with two controllers on one bridge, and asynchronous
 * messages on controller and service connections.
 */
import { join } from 'node:path';
import t from 'tap';
import { Controller, FlowFlags, Switch, type ConnectedInfo } from '../../../lib/controller/index.js';
import { connect } from '../../../lib/transport/index.js';
import { OpenFlowError, Session } from '../../../lib/session/index.js';
import { createSandbox, run, waitFor } from '../../helpers/ovs-sandbox.js';

const OFPP_CONTROLLER = 0xfffffffd;

/** A broadcast ARP request: any frame will do for a packet-out. */
const FRAME = Buffer.from('ffffffffffff0a0000000001080600010800060400010a00000000010a0000010000000000000a000002' + '00'.repeat(18), 'hex');

t.test('ptcp: the bridge connects in; reconnects after a restart to the same Switch', async (t) => {
  const sb = await createSandbox({ t });
  const { hostIp } = await sb.hostLink();
  const controller = await Controller.listen(`ptcp:0:${hostIp}`, { echoIntervalMs: 0 });
  t.teardown(() => controller.close());
  t.match(controller.addresses[0], new RegExp(`^ptcp:\\d+:${hostIp.replace(/\./g, '\\.')}$`));
  const seen: string[] = [];
  controller.on('switch', (sw) => seen.push(sw.dpid!));

  await sb.vsctl('set-controller', sb.bridge, `tcp:${hostIp}:${controller.port}`);
  const sw = await controller.waitForSwitch(sb.datapathId);
  t.equal(sw.dpid, sb.datapathId, 'keyed by datapath id');
  t.same(seen, [sb.datapathId]);
  await sw.addFlow({ table: 0, priority: 7, actions: [{ type: 'output', port: 1, maxLen: 0 }] });
  t.match(await sb.ofctl('dump-flows', sb.bridge), /priority=7 actions=output:1/);
  t.equal(controller.get(sb.datapathId), sw);

  const back = new Promise<ConnectedInfo>((r) => sw.once('connected', r));
  await sb.restartVswitchd();
  const info = await back;
  t.equal(info.reconnect, true, 'the same Switch reports the reconnection');
  t.equal(controller.switches.size, 1);
  t.same(seen, [sb.datapathId], 'no new switch for a known datapath');
  t.equal((await sw.dumpFlows()).length, 0, 'the restarted bridge is empty');
});

t.test('punix: one controller, several bridges in another namespace', async (t) => {
  const sb = await createSandbox({ t });
  const second = await sb.addBridge();
  const path = join(sb.dir, 'controller.sock');
  const controller = await Controller.listen(`punix:${path}`, { echoIntervalMs: 0 });
  t.teardown(() => controller.close());
  await sb.vsctl('set-controller', sb.bridge, `unix:${path}`);
  await sb.vsctl('set-controller', second.bridge, `unix:${path}`);
  const [a, b] = await Promise.all([controller.waitForSwitch(sb.datapathId), controller.waitForSwitch(second.datapathId)]);
  t.not(a, b);
  t.equal(controller.switches.size, 2);
  await a.addFlow({ priority: 1, actions: [{ type: 'output', port: 1, maxLen: 0 }] });
  await b.addFlow({ priority: 2, actions: [{ type: 'output', port: 2, maxLen: 0 }] });
  t.match(await sb.ofctl('dump-flows', sb.bridge), /priority=1 actions=output:1/);
  t.match(await sb.ofctl('dump-flows', second.bridge), /priority=2 actions=output:2/);
});

t.test('tcp: connect to the bridge listening in ptcp mode', async (t) => {
  const sb = await createSandbox({ t });
  const { switchIp } = await sb.hostLink();
  const port = 20000 + Math.floor(Math.random() * 20000);
  await sb.vsctl('set-controller', sb.bridge, `ptcp:${port}:${switchIp}`);
  const sw = await waitFor('the bridge to listen', () =>
    Switch.connect(`tcp:${switchIp}:${port}`, { reconnect: false, echoIntervalMs: 0 }),
  );
  t.teardown(() => sw.close());
  t.equal(sw.dpid, sb.datapathId);
  t.equal(sw.target, `tcp:${switchIp}:${port}`);
  await sw.addFlow({ priority: 3, actions: [] });
  t.match(await sb.ofctl('dump-flows', sb.bridge), /priority=3 actions=drop/);
});

t.test('roles: two controllers on one bridge', async (t) => {
  const sb = await createSandbox({ t });
  const pathA = join(sb.dir, 'a.sock');
  const pathB = join(sb.dir, 'b.sock');
  const ca = await Controller.listen(`punix:${pathA}`, { echoIntervalMs: 0 });
  const cb = await Controller.listen(`punix:${pathB}`, { echoIntervalMs: 0 });
  t.teardown(() => Promise.all([ca.close(), cb.close()]));
  await sb.vsctl('set-controller', sb.bridge, `unix:${pathA}`, `unix:${pathB}`);
  const [a, b] = await Promise.all([ca.waitForSwitch(sb.datapathId), cb.waitForSwitch(sb.datapathId)]);

  t.same(await a.setRole('primary', 1n), { role: 'primary', generationId: 1n });
  t.same(await b.setRole('secondary', 1n), { role: 'secondary', generationId: 1n });
  await a.addFlow({ priority: 10, actions: [] });
  const denied = await b.addFlow({ priority: 11, actions: [] }).catch((e: unknown) => e);
  t.type(denied, OpenFlowError);
  t.equal((denied as OpenFlowError).codeName, 'OFPBRC_IS_SECONDARY', 'a secondary cannot modify the tables');
  t.ok((await b.dumpFlows()).length >= 1, 'but it can read them');

  const stale = await b.setRole('primary', 0n).catch((e: unknown) => e);
  t.equal((stale as OpenFlowError).codeName, 'OFPRRFC_STALE', 'an old generation id is refused');
  t.same(await b.setRole('primary', 2n), { role: 'primary', generationId: 2n }, 'B takes over');
  const demoted = await a.addFlow({ priority: 12, actions: [] }).catch((e: unknown) => e);
  t.equal((demoted as OpenFlowError).codeName, 'OFPBRC_IS_SECONDARY', 'A was demoted to secondary');
  await b.addFlow({ priority: 13, actions: [] });
  t.same(await a.setRole('nochange'), { role: 'secondary', generationId: 2n });
});

t.test('asynchronous messages: packet-in, flow-removed, port-status', async (t) => {
  const sb = await createSandbox({ t });
  const path = join(sb.dir, 'ctl.sock');
  const controller = await Controller.listen(`punix:${path}`, { echoIntervalMs: 0 });
  t.teardown(() => controller.close());
  await sb.vsctl('set-controller', sb.bridge, `unix:${path}`);
  const sw = await controller.waitForSwitch(sb.datapathId);

  const withEvents = await Session.open(await connect(sb.mgmt), { echoIntervalMs: 0, asyncEvents: true });
  const without = await Session.open(await connect(sb.mgmt), { echoIntervalMs: 0 });
  t.teardown(() => Promise.all([withEvents.close(), without.close()]));
  let leaked = 0;
  without.on('packetIn', () => leaked++);

  const onController = new Promise((r) => sw.once('packetIn', r));
  const onService = new Promise((r) => withEvents.once('packetIn', r));
  await sw.packetOut({ data: FRAME, actions: [{ type: 'output', port: OFPP_CONTROLLER, maxLen: 0xffff }] });
  t.match(await onController, { type: 'packet_in', data: FRAME }, 'the controller connection gets it');
  t.match(await onService, { type: 'packet_in', data: FRAME }, 'so does a service connection that sent SET_CONFIG');
  await without.barrier();
  t.equal(leaked, 0, 'a service connection that did not ask gets nothing');

  const removed = new Promise((r) => sw.once('flowRemoved', r));
  await sw.addFlow({ table: 3, priority: 50, cookie: 0x77n, flags: FlowFlags.sendFlowRemoved, actions: [] });
  await sw.deleteFlows({ table: 3 });
  t.match(await removed, { type: 'flow_removed', tableId: 3, priority: 50, cookie: 0x77n, reason: 2 }, 'flowRemoved (OFPRR_DELETE)');

  const portAdded = new Promise((r) => sw.once('portStatus', r));
  await run('ip', ['-n', sb.netns, 'link', 'add', 'pst0', 'type', 'veth', 'peer', 'name', 'pst1']);
  await sb.vsctl('add-port', sb.bridge, 'pst0');
  t.match(await portAdded, { type: 'port_status', reason: 0, desc: { name: 'pst0' } }, 'portStatus (OFPPR_ADD)');
});
