/**
 * The thinnest end-to-end path: a ClusterIP service programmed into a real userspace ovs-vswitchd
 * over an ofwire session (ovs-ofctl only inspects), and HTTP requests from a client pod reaching
 * the backend pods through conntrack DNAT.
 *
 *   table 0  ip → ct(table=1, zone=Z, nat)                 (replies and established come back translated)
 *   table 1  ct_state=+new+trk, tcp, nw_dst=VIP, tp_dst=80 → group:1;  otherwise → table 2
 *   group 1  select, per backend: ct(commit, table=2, zone=Z, nat(dst=POD:8080))
 *   table 2  nw_dst=POD → eth_src=gateway, eth_dst=POD's MAC, output to POD's port
 */
import t from 'tap';
import type { Action, Bucket, FlowMod, Match } from '../../protocol/index.js';
import { connect } from '../../lib/transport/index.js';
import { Session } from '../../lib/session/index.js';
import { createSandbox } from '../helpers/ovs-sandbox.js';
import { createPod, GATEWAY_MAC, type Pod } from '../helpers/netns.js';

const VIP = '10.96.0.10';
const ZONE = 65520;
const GROUP = 1;
const T_CT = 0;
const T_SERVICE = 1;
const T_FORWARD = 2;
const NO_BUFFER = 0xffffffff;
const ANY = 0xffffffff;

function flow(tableId: number, priority: number, match: Match, actions: Action[] | { goto: number }): Omit<FlowMod, 'xid'> {
  return {
    type: 'flow_mod',
    cookie: 0x0f0en,
    cookieMask: 0n,
    tableId,
    command: 0,
    idleTimeout: 0,
    hardTimeout: 0,
    priority,
    bufferId: NO_BUFFER,
    outPort: ANY,
    outGroup: ANY,
    flags: 0,
    match,
    instructions: Array.isArray(actions) ? [{ type: 'apply_actions', actions }] : [{ type: 'goto_table', tableId: actions.goto }],
  };
}

t.test('ClusterIP traffic is balanced over backend pods by flows installed through ofwire', async (t) => {
  const sb = await createSandbox({ t });
  const client = await createPod(sb, { name: 'client', index: 2 });
  const backends: Pod[] = [];
  for (const [i, name] of ['pa', 'pb', 'pc'].entries()) backends.push(await createPod(sb, { name, index: 11 + i }));
  await Promise.all(backends.map((p) => p.serveHttp(8080)));

  const session = await Session.open(await connect(sb.mgmt));
  t.teardown(() => session.close());
  t.equal(session.dpid, sb.datapathId, 'handshake reports the bridge datapath id');

  const buckets: Bucket[] = backends.map((p) => ({
    weight: 1,
    watchPort: ANY,
    watchGroup: ANY,
    actions: [
      {
        type: 'ct',
        flags: 1, // commit
        zone: ZONE,
        recircTable: T_FORWARD,
        alg: 0,
        actions: [{ type: 'nat', flags: 2, ipMin: p.ip, portMin: 8080 }], // dst
      },
    ],
  }));
  await session.request({ type: 'group_mod', command: 0, groupType: 1, groupId: GROUP, buckets });

  const flows = [
    flow(
      T_CT,
      100,
      [{ field: 'eth_type', value: 0x0800 }],
      [{ type: 'ct', flags: 0, zone: ZONE, recircTable: T_SERVICE, alg: 0, actions: [{ type: 'nat', flags: 0 }] }],
    ),
    flow(
      T_SERVICE,
      100,
      [
        { field: 'eth_type', value: 0x0800 },
        { field: 'ipv4_dst', value: VIP },
        { field: 'ip_proto', value: 6 },
        { field: 'tcp_dst', value: 80 },
        { field: 'ct_state', value: 0x21, mask: 0x21 }, // +new+trk
      ],
      [{ type: 'group', groupId: GROUP }],
    ),
    flow(T_SERVICE, 0, [], { goto: T_FORWARD }),
    ...[client, ...backends].map((p) =>
      flow(
        T_FORWARD,
        100,
        [
          { field: 'eth_type', value: 0x0800 },
          { field: 'ipv4_dst', value: p.ip },
        ],
        [
          { type: 'set_field', field: 'eth_src', value: GATEWAY_MAC },
          { type: 'set_field', field: 'eth_dst', value: p.mac },
          { type: 'output', port: p.ofport, maxLen: 0 },
        ],
      ),
    ),
  ];
  await Promise.all(flows.map((f) => session.request(f)));
  await session.barrier();

  const dump = await sb.ofctl('dump-flows', sb.bridge);
  t.match(dump, /ct_state=\+new\+trk,tcp,nw_dst=10\.96\.0\.10,tp_dst=80 actions=group:1/, 'service flow installed');
  t.match(dump, /ip actions=ct\(table=1,zone=65520,nat\)/, 'conntrack flow installed');
  const groups = await sb.ofctl('dump-groups', sb.bridge);
  for (const p of backends) {
    t.match(groups, `ct(commit,table=2,zone=65520,nat(dst=${p.ip}:8080))`, `bucket for ${p.name}`);
  }

  const direct = await client.httpGet(`http://${backends[0]!.ip}:8080/`, 1);
  t.same(
    direct.map((r) => r.body),
    [backends[0]!.name],
    'pod-to-pod forwarding works',
  );

  const results = await client.httpGet(`http://${VIP}/`, 60);
  const failed = results.filter((r) => !r.ok);
  t.equal(failed.length, 0, `all 60 requests to the ClusterIP succeed${failed.length ? `: ${JSON.stringify(failed[0])}` : ''}`);
  const seen = new Set(results.filter((r) => r.ok).map((r) => r.body));
  t.ok(seen.size >= 2, `requests reach at least 2 distinct pods (saw ${[...seen].join(', ')})`);
  for (const name of seen)
    t.ok(
      backends.some((p) => p.name === name),
      `${name} is a backend`,
    );
});
