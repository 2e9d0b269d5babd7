/**
 * A two-node cluster made of network namespaces: each node is its own sandboxed ovs-vswitchd with
 * pods on its bridge and its own pod CIDR; the nodes are joined by a VXLAN tunnel over a veth
 * underlay; one API stand-in serves both; on each node `ofwire proxy` runs with the DaemonSet's own
 * command line and environment from deploy/ofwire.yaml, inside the node's network namespace
 * (hostNetwork). Real TCP traffic: a ClusterIP with endpoints on both nodes, internalTrafficPolicy
 * Local, an agent SIGKILLed and restarted under a long-lived connection, a node drained.
 *
 *   node ns ─ bridge (main): pods 2, 11, 12 · vxlan port 100 (remote_ip = peer's underlay address)
 *           └ bridge (phy):  NORMAL · underlay veth to the peer node · LOCAL holds the underlay address
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { CLI, ROOT } from '../helpers/cli.js';
import { flowLines, installForwarding, service, slice, withoutCounters, type SliceEndpoint } from '../helpers/cluster.js';
import { FakeApiServer, type KubeObject } from '../helpers/fake-apiserver.js';
import { createPod, type Pod } from '../helpers/netns.js';
import { killPid, run, waitFor, type Sandbox, createSandbox } from '../helpers/ovs-sandbox.js';
import { spawnInPod, tally, type PodProcess } from '../helpers/pod-tools.js';

const TUNNEL_PORT = 100;
const VNI = 0x2a;
const TUNNEL_COOKIE = '0xc1';
const HTTP_PORT = 8080;
const ECHO_PORT = 9000;

// ---- the DaemonSet's container, as the kubelet would run it -------------------------------------

interface Container {
  command?: string[];
  args: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe: { httpGet: { path: string; port: string | number } };
  readinessProbe: { httpGet: { path: string; port: string | number } };
  volumeMounts: { name: string; mountPath: string }[];
}

interface PodSpec {
  hostNetwork?: boolean;
  containers: Container[];
  volumes: { name: string; hostPath?: { path: string } }[];
}

const daemonSet = parseAllDocuments(readFileSync(join(ROOT, 'deploy/ofwire.yaml'), 'utf8'))
  .map((d) => d.toJS() as { kind: string; spec: { template: { spec: PodSpec } } })
  .find((d) => d.kind === 'DaemonSet')!;
const podSpec = daemonSet.spec.template.spec;
const container = podSpec.containers[0]!;

function probePort(port: string | number): number {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`probe port "${port}" is not a container port`);
  return named.containerPort;
}

/**
 * The container's args and environment on one node: env from the downward API, `$(VAR)` expanded
 * as the kubelet does, the hostPath /var/run/openvswitch mapped to the node sandbox's run directory
 * and the bridge br-int to the node's bridge (what the mount is in a cluster). The DaemonSet talks
 * to the API server with its in-cluster service account; here a KUBECONFIG stands in for it.
 */
function agentCommand(node: { name: string; sb: Sandbox }, kubeconfig: string): { args: string[]; env: NodeJS.ProcessEnv } {
  if (container.command) throw new Error('the DaemonSet overrides the image entrypoint: run that instead');
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.fieldRef?.fieldPath === 'spec.nodeName') env[e.name] = node.name;
    else throw new Error(`env ${e.name}: no stand-in for ${JSON.stringify(e.valueFrom)}`);
  }
  const hostPaths = new Map<string, string>();
  for (const m of container.volumeMounts) {
    const volume = podSpec.volumes.find((v) => v.name === m.name);
    if (volume?.hostPath?.path === '/var/run/openvswitch') hostPaths.set(m.mountPath, node.sb.dir);
  }
  const args = container.args.map((arg) => {
    let a = arg.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (ref, name?: string) => (name === undefined ? '$' : (env[name] ?? ref)));
    for (const [mountPath, dir] of hostPaths) a = a.split(`${mountPath}/`).join(`${dir}/`);
    return a.replace(/\/br-int\.mgmt$/, `/${node.sb.bridge}.mgmt`);
  });
  if (!args.some((a) => a.includes(`${node.sb.dir}/${node.sb.bridge}.mgmt`))) {
    throw new Error(`no --bridge on the OVS run directory's br-int in ${JSON.stringify(container.args)}`);
  }
  return { args, env: { PATH: process.env.PATH, ...env, KUBECONFIG: kubeconfig } };
}

// ---- nodes --------------------------------------------------------------------------------------

interface Agent {
  pid: number | undefined;
  log(): string;
  running(): boolean;
  exited: Promise<void>;
}

interface Node {
  name: string;
  sb: Sandbox;
  /** The second bridge, holding the underlay: its LOCAL port has the node's underlay address. */
  phy: string;
  /** The third octet of the node's pod CIDR 10.244.X.0/24, and the host part of its underlay address. */
  subnet: number;
  cidr: string;
  underlayIp: string;
  client: Pod;
  backends: Pod[];
  agent?: Agent;
  kubeconfig: string;
}

type NodeBase = Omit<Node, 'kubeconfig' | 'agent'>;

const underlay = (n: number) => `192.168.77.${n}`;

/**
 * A pod from createPod, moved into the node's pod CIDR (10.244.X.N instead of 10.244.0.N; the
 * gateway and its static neighbour entry stay) with the MTU a VXLAN CNI leaves for the 50-byte
 * encapsulation.
 */
async function nodePod(sb: Sandbox, subnet: number, name: string, index: number): Promise<Pod> {
  const pod = await createPod(sb, { name, index });
  const ip = `10.244.${subnet}.${index}`;
  await pod.exec('sh', '-c', `set -e; ip addr add ${ip}/32 dev eth0; ip addr del ${pod.ip}/32 dev eth0; ip link set eth0 mtu 1450`);
  return { ...pod, ip };
}

/** HTTP on 8080 answering the pod's name; a line echo on 9000 appending the pod's name to each line. */
async function serve(sb: Sandbox, pod: Pod): Promise<PodProcess> {
  const name = JSON.stringify(pod.name);
  const src = `
    const http = require('http'), net = require('net');
    let up = 0;
    const ready = () => { if (++up === 2) console.log('listening'); };
    http.createServer((req, res) => { res.setHeader('connection', 'close'); res.end(${name}); }).listen(${HTTP_PORT}, '0.0.0.0', ready);
    net.createServer((s) => {
      let buf = '';
      s.on('error', () => {});
      s.on('data', (d) => {
        buf += d;
        for (let i; (i = buf.indexOf('\\n')) >= 0; buf = buf.slice(i + 1)) s.write(buf.slice(0, i) + ' ' + ${name} + '\\n');
      });
    }).listen(${ECHO_PORT}, '0.0.0.0', ready);`;
  const p = spawnInPod(sb, pod, [process.execPath, '-e', src]);
  await p.waitForLine(`servers in ${pod.name}`, (l) => l === 'listening');
  return p;
}

async function createNode(name: string, subnet: number, prefix: string): Promise<NodeBase> {
  const sb = await createSandbox({ t });
  const phy = await sb.addBridge();
  const ns = (...args: string[]) => run('ip', ['-n', sb.netns, ...args]);
  await sb.ofctl('add-flow', phy.bridge, 'actions=NORMAL');
  await ns('addr', 'add', `${underlay(subnet)}/24`, 'dev', phy.bridge);
  await ns('link', 'set', phy.bridge, 'up');
  const [client, ...backends] = await Promise.all(
    [`${prefix}client`, `${prefix}11`, `${prefix}12`].map((n, i) => nodePod(sb, subnet, n, [2, 11, 12][i]!)),
  );
  await Promise.all(backends.map((p) => serve(sb, p)));
  return {
    name,
    sb,
    phy: phy.bridge,
    subnet,
    cidr: `10.244.${subnet}.0/24`,
    underlayIp: underlay(subnet),
    client: client!,
    backends,
  };
}

/** Joins two nodes: a veth between their namespaces on each phy bridge, a VXLAN port on each main bridge. */
async function joinNodes(a: NodeBase, b: NodeBase): Promise<void> {
  await run('ip', ['-n', a.sb.netns, 'link', 'add', 'underlay', 'type', 'veth', 'peer', 'name', 'underlay', 'netns', b.sb.netns]);
  for (const [node, peer] of [
    [a, b],
    [b, a],
  ] as const) {
    await run('ip', ['-n', node.sb.netns, 'link', 'set', 'underlay', 'up']);
    await node.sb.vsctl('add-port', node.phy, 'underlay');
    await node.sb.vsctl(
      'add-port',
      node.sb.bridge,
      'vxlan0',
      '--',
      'set',
      'interface',
      'vxlan0',
      'type=vxlan',
      `options:remote_ip=${peer.underlayIp}`,
      'options:key=flow',
      `ofport_request=${TUNNEL_PORT}`,
    );
  }
}

/**
 * The CNI's flows: table 0 hands IP to the proxy (table 10) and table 20 delivers local pods
 * (installForwarding, hairpin included); here also the peer's pod CIDR into the tunnel with our
 * VNI, and tunnel packets accepted only with that VNI.
 */
async function installCni(node: NodeBase, peer: NodeBase): Promise<void> {
  await installForwarding(node.sb, [node.client, ...node.backends]);
  const c = `cookie=${TUNNEL_COOKIE}`;
  const flows = [
    `${c},table=0,priority=10,in_port=${TUNNEL_PORT},tun_id=${VNI},actions=goto_table:10`,
    `${c},table=0,priority=5,in_port=${TUNNEL_PORT},actions=drop`,
    `${c},table=20,priority=50,ip,nw_dst=${peer.cidr},actions=set_field:${VNI}->tun_id,output:${TUNNEL_PORT}`,
  ];
  await run('ovs-ofctl', ['-O', 'OpenFlow13', 'add-flows', node.sb.bridge, '-'], { env: node.sb.env, input: flows.join('\n') });
}

/**
 * Forwards connections arriving on `host` (the test's end of a link into a node namespace) to the
 * API stand-in, which listens on this namespace's loopback only.
 */
async function forwardApi(api: FakeApiServer, host: string): Promise<{ url: string; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = connect(api.port, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host}:${port}`,
    close() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

function startAgent(node: Node): Agent {
  const { args, env } = agentCommand(node, node.kubeconfig);
  const child = spawn('ip', ['netns', 'exec', node.sb.netns, process.execPath, CLI, ...args], {
    env,
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // `ip netns exec` execs the command: the child's pid is the agent's.
  if (child.pid) node.sb.track({ pid: child.pid });
  const unregister = node.sb.onClose(() => killPid(child.pid));
  let log = '';
  let alive = true;
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) =>
    child.on('close', () => {
      alive = false;
      unregister();
      resolve();
    }),
  );
  return { pid: child.pid, log: () => log, running: () => alive, exited };
}

/**
 * Runs one of the DaemonSet's HTTP probes as the kubelet would (the node's address: with
 * hostNetwork the pod's IP is the node's), from inside the node namespace, until it answers 200.
 */
async function probe(
  node: Node,
  which: 'livenessProbe' | 'readinessProbe',
  timeoutMs = 30_000,
): Promise<{ status?: number; body?: string; error?: string }> {
  const { path, port } = container[which].httpGet;
  const src = `
    const until = Date.now() + ${timeoutMs};
    (async () => {
      for (;;) {
        let out;
        try {
          const res = await fetch(${JSON.stringify(`http://${node.underlayIp}:${probePort(port)}${path}`)});
          out = { status: res.status, body: await res.text() };
        } catch (e) {
          out = { error: e.cause ? e.cause.message : e.message };
        }
        if (out.status === 200 || Date.now() > until) return process.stdout.write(JSON.stringify(out));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();`;
  const out = await run('ip', ['netns', 'exec', node.sb.netns, process.execPath, '-e', src], { timeoutMs: timeoutMs + 15_000 });
  return JSON.parse(out) as { status?: number; body?: string; error?: string };
}

/** The endpoint addresses node's switch sends new connections for vip:port to ([] when it drops them). */
async function programmed(node: Node, vip: string, port: number): Promise<string[] | undefined> {
  const flow = (await flowLines(node.sb, 'table=11')).find((l) => l.includes(`nw_dst=${vip},tp_dst=${port} `));
  const actions = flow && /actions=(.*)$/.exec(flow)?.[1];
  if (!actions) return undefined;
  if (actions === 'drop') return [];
  const group = /^group:(\d+)$/.exec(actions)?.[1];
  if (!group) return undefined;
  const line = (await node.sb.ofctl('dump-groups', node.sb.bridge)).split('\n').find((l) => l.includes(`group_id=${group},`));
  if (!line) return undefined;
  return [...new Set([...line.matchAll(/nat\(dst=([0-9.]+):\d+\)/g)].map((m) => m[1]!))].sort();
}

/** Waits until node's switch balances vip:port over exactly `pods` (failing early if the agent died). */
async function waitProgrammed(node: Node, vip: string, port: number, pods: Pod[]): Promise<void> {
  const want = pods.map((p) => p.ip).sort();
  await waitFor(
    `${node.name} to send ${vip}:${port} to [${pods.map((p) => p.name).join(', ')}]`,
    async () => {
      if (node.agent && !node.agent.running()) throw new Error(`the agent on ${node.name} exited:\n${node.agent.log()}`);
      return JSON.stringify(await programmed(node, vip, port)) === JSON.stringify(want);
    },
    60_000,
  );
}

/** Names of the pods that answered `count` new HTTP connections (`error:…` for failures). */
async function served(client: Pod, url: string, count: number): Promise<Map<string, number>> {
  const results = await client.httpGet(url, count, 5000);
  return tally(results.map((r) => (r.ok ? r.body! : `error:${r.error ?? r.status}`)));
}

const names = (pods: Pod[]) => pods.map((p) => p.name).sort();
const only = (counts: Map<string, number>, pods: Pod[]) => [...counts.keys()].every((k) => names(pods).includes(k));
const total = (counts: Map<string, number>, pods: Pod[]) => pods.reduce((n, p) => n + (counts.get(p.name) ?? 0), 0);
const show = (counts: Map<string, number>) => JSON.stringify([...counts].sort());

// ---- the cluster --------------------------------------------------------------------------------

t.test('two nodes joined by VXLAN, each running the DaemonSet agent', async (t) => {
  t.ok(podSpec.hostNetwork, 'the DaemonSet runs on the node network, as the agents here run in the node namespaces');

  const [na, nb] = await Promise.all([createNode('node-a', 1, 'a'), createNode('node-b', 2, 'b')]);
  await joinNodes(na, nb);
  await Promise.all([installCni(na, nb), installCni(nb, na)]);
  const backends = [...na.backends, ...nb.backends];

  const api = await FakeApiServer.start();
  t.teardown(() => api.close());
  const nodes: Node[] = [];
  for (const n of [na, nb]) {
    const link = await n.sb.hostLink();
    const fwd = await forwardApi(api, link.hostIp);
    t.teardown(() => fwd.close());
    n.sb.onClose(() => fwd.close());
    const kubeconfig = api.writeKubeconfig(n.sb.dir);
    writeFileSync(kubeconfig, readFileSync(kubeconfig, 'utf8').replace(`server: ${api.url}`, `server: ${fwd.url}`));
    nodes.push({ ...n, kubeconfig });
  }
  const [a, b] = nodes as [Node, Node];

  const nodeOf = (p: Pod) => (a.backends.includes(p) ? a.name : b.name);
  const putService = (name: string, vip: string, spec: Record<string, unknown> = {}) =>
    api.upsert(
      service(name, {
        clusterIP: vip,
        clusterIPs: [vip],
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: HTTP_PORT },
          { name: 'echo', port: ECHO_PORT, protocol: 'TCP', targetPort: ECHO_PORT },
        ],
        ...spec,
      }) as KubeObject,
    );
  const putEndpoints = (name: string, pods: Pod[]) => {
    const endpoints: SliceEndpoint[] = pods.map((p) => ({ ip: p.ip, nodeName: nodeOf(p) }));
    api.upsert(
      slice(
        name,
        `${name}-1`,
        [
          { name: 'http', port: HTTP_PORT },
          { name: 'echo', port: ECHO_PORT },
        ],
        endpoints,
      ) as KubeObject,
    );
  };
  putService('web', '10.96.0.10');
  putEndpoints('web', backends);

  for (const n of nodes) n.agent = startAgent(n);
  t.teardown(() => {
    if (t.passing()) return;
    for (const n of nodes) t.comment(`agent on ${n.name}:\n${n.agent?.log() ?? ''}`);
  });
  await Promise.all(
    nodes.map(async (n) => {
      const ready = await probe(n, 'readinessProbe');
      if (ready.status !== 200) throw new Error(`${n.name} not ready (${JSON.stringify(ready)}):\n${n.agent!.log()}`);
    }),
  );
  // Pod to pod needs the proxy's table 10 (it hands every packet on to table 20).
  // ovs-vswitchd resolves the peer's underlay address by ARP on the first packet into the tunnel
  // (and drops that packet): TCP's retransmission gets through.
  await waitFor(
    'pod to pod across the tunnel, both ways',
    async () => {
      const [ab, ba] = await Promise.all([
        a.client.httpGet(`http://${b.backends[0]!.ip}:${HTTP_PORT}/`, 1, 2000),
        b.client.httpGet(`http://${a.backends[0]!.ip}:${HTTP_PORT}/`, 1, 2000),
      ]);
      return ab[0]!.body === b.backends[0]!.name && ba[0]!.body === a.backends[0]!.name;
    },
    30_000,
  );

  await t.test('each agent answers /healthz 200 in its node namespace once synced', async (t) => {
    for (const n of nodes) {
      const res = await probe(n, 'livenessProbe');
      t.equal(res.status, 200, `${n.name}: /healthz ${res.status ?? res.error}`);
      const body = JSON.parse(res.body ?? '{}') as { lastUpdated?: string; currentTime?: string };
      t.ok(body.lastUpdated && body.currentTime, `${n.name}: ${res.body}`);
    }
  });

  await t.test('a pod on node A reaches a ClusterIP with endpoints on both nodes', async (t) => {
    for (const n of nodes) await waitProgrammed(n, '10.96.0.10', 80, backends);
    const counts = await served(a.client, 'http://10.96.0.10/', 40);
    t.comment(`from ${a.client.name}: ${show(counts)}`);
    t.equal(total(counts, backends), 40, 'every connection answered by an endpoint');
    t.ok(total(counts, a.backends) > 0, 'some land on node A');
    t.ok(total(counts, b.backends) > 0, 'some cross the tunnel to node B');
    const fromB = await served(b.client, 'http://10.96.0.10/', 20);
    t.comment(`from ${b.client.name}: ${show(fromB)}`);
    t.equal(total(fromB, backends), 20, 'and from node B as well');
  });

  await t.test('internalTrafficPolicy Local serves each node its own endpoints', async (t) => {
    putService('local', '10.96.0.11', { internalTrafficPolicy: 'Local' });
    putEndpoints('local', backends);
    for (const n of nodes) await waitProgrammed(n, '10.96.0.11', 80, n.backends);
    for (const n of nodes) {
      const counts = await served(n.client, 'http://10.96.0.11/', 20);
      t.comment(`from ${n.client.name}: ${show(counts)}`);
      t.equal(total(counts, n.backends), 20, `${n.name}: every connection answered by its own endpoints`);
      t.ok(only(counts, n.backends), `${n.name}: none by the other node's`);
    }
  });

  await t.test("node B's agent SIGKILLed and restarted: connections live on, new ones keep working", async (t) => {
    for (const n of nodes) await waitProgrammed(n, '10.96.0.10', ECHO_PORT, backends);
    // Long-lived connections from node B's client, each sending a numbered line every 250 ms.
    const src = `
      const net = require('net');
      let open = 0;
      for (let c = 0; c < 4; c++) {
        const s = net.connect({ host: '10.96.0.10', port: ${ECHO_PORT} });
        let seq = 0, buf = '';
        s.on('connect', () => {
          if (++open === 4) console.log('connected');
          const send = () => { console.log('sent ' + c + ' ' + seq); s.write(c + ' ' + seq++ + '\\n'); };
          send();
          setInterval(send, 250);
        });
        s.on('data', (d) => {
          buf += d;
          for (let i; (i = buf.indexOf('\\n')) >= 0; buf = buf.slice(i + 1)) console.log('echo ' + buf.slice(0, i));
        });
        s.on('error', (e) => console.log('error ' + c + ' ' + e.message));
        s.on('close', () => console.log('closed ' + c));
      }`;
    const streams = spawnInPod(b.sb, b.client, [process.execPath, '-e', src]);
    t.teardown(() => streams.stop());
    await streams.waitForLine('long-lived connections', (l) => l === 'connected');
    const echoes = () =>
      streams.lines
        .filter((l) => l.startsWith('echo '))
        .map((l) => {
          const [, c, seq, pod] = l.split(' ');
          return { c: Number(c), seq: Number(seq), pod: pod! };
        });
    await waitFor('an echo on every connection', async () => new Set(echoes().map((e) => e.c)).size === 4);
    const landedOn = new Map(echoes().map((e) => [e.c, e.pod]));
    t.comment(`long-lived connections on ${JSON.stringify([...landedOn].sort())}`);

    const switchState = async () => [
      ...(await flowLines(b.sb)).map(withoutCounters),
      ...(await b.sb.ofctl('dump-groups', b.sb.bridge)).split('\n').filter((l) => l.includes('group_id=')),
    ];
    const before = await switchState();
    const old = b.agent!;
    process.kill(old.pid!, 'SIGKILL');
    await old.exited;
    const duringDown = await served(b.client, 'http://10.96.0.10/', 10);
    t.comment(`with no agent: ${show(duringDown)}`);
    t.equal(total(duringDown, backends), 10, 'new connections work with the agent dead (the flows stay)');

    b.agent = startAgent(b);
    const [duringStart, ready] = await Promise.all([served(b.client, 'http://10.96.0.10/', 10), probe(b, 'readinessProbe')]);
    t.equal(ready.status, 200, `the restarted agent is ready (${ready.status ?? ready.error})`);
    const adopted = await switchState();
    t.same(
      { removed: before.filter((l) => !adopted.includes(l)), added: adopted.filter((l) => !before.includes(l)) },
      { removed: [], added: [] },
      'the restarted agent adopted every flow and group as it was',
    );
    t.comment(`while restarting: ${show(duringStart)}`);
    t.equal(total(duringStart, backends), 10, 'new connections work while the agent starts');

    const sentBefore = new Map<number, number>();
    for (const l of streams.lines) {
      const m = /^sent (\d+) (\d+)$/.exec(l);
      if (m) sentBefore.set(Number(m[1]), Number(m[2]));
    }
    await waitFor(
      'an echo on every connection of a line sent after the restart',
      async () => [0, 1, 2, 3].every((c) => echoes().some((e) => e.c === c && e.seq > sentBefore.get(c)!)),
      30_000,
    );
    t.same(
      streams.lines.filter((l) => /^(error|closed) /.test(l)),
      [],
      'no connection broke',
    );
    t.ok(
      echoes().every((e) => landedOn.get(e.c) === e.pod),
      'each connection stayed on its endpoint',
    );

    const after = await served(b.client, 'http://10.96.0.10/', 20);
    t.comment(`after the restart: ${show(after)}`);
    t.equal(total(after, backends), 20, 'new connections work after the restart');
    t.ok(total(after, a.backends) > 0 && total(after, b.backends) > 0, 'still over both nodes');
    const health = await probe(b, 'livenessProbe');
    t.equal(health.status, 200, 'the restarted agent is healthy');
  });

  await t.test('node B drained: new connections move to node A within one sync', async (t) => {
    putEndpoints('web', a.backends);
    // The switches' groups are what the agents had acknowledged.
    for (const n of nodes) await waitProgrammed(n, '10.96.0.10', 80, a.backends);
    for (const n of nodes) {
      const counts = await served(n.client, 'http://10.96.0.10/', 30);
      t.comment(`from ${n.client.name}: ${show(counts)}`);
      t.equal(total(counts, a.backends), 30, `from ${n.name}: every new connection answered by node A`);
      t.ok(only(counts, a.backends), `from ${n.name}: none reaches node B's endpoints`);
    }
    for (const n of nodes) t.ok(n.agent!.running(), `the agent on ${n.name} is still running`);
  });
});
