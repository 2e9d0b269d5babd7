/**
 * Pods for datapath tests: one network namespace each, with `eth0` the inside end of a veth pair
 * whose other end is an OVS port of the sandbox bridge (created inside the vswitchd's namespace).
 *
 * Addressing, chosen so that nobody needs ARP: each pod has 10.244.0.N/32 and MAC 0a:58:0a:f4:00:NN,
 * a link route to the gateway 10.244.0.1, a default route through it, and a permanent neighbour
 * entry mapping the gateway to GATEWAY_MAC. Every frame a pod sends (to a pod or to a ClusterIP)
 * therefore carries eth_dst=GATEWAY_MAC, and the bridge's forwarding flows rewrite the Ethernet
 * addresses per destination pod. The OVS port number is N.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { killPid, resources, run, deleteNetns, type Sandbox } from './ovs-sandbox.js';

export const GATEWAY_IP = '10.244.0.1';
export const GATEWAY_MAC = '0a:58:0a:f4:00:01';

export interface PodOptions {
  /** Short name (≤ 11 characters): the namespace is `<bridge>-<name>`, the OVS port `pod-<name>`. */
  name: string;
  /** Host number N (2–254): IP 10.244.0.N, MAC 0a:58:0a:f4:00:NN, OVS port number N. */
  index: number;
}

export interface HttpResult {
  ok: boolean;
  status?: number;
  body?: string;
  error?: string;
}

export interface Pod {
  name: string;
  netns: string;
  ip: string;
  mac: string;
  ofport: number;
  /** The OVS port's name (the veth end in the vswitchd's namespace). */
  port: string;
  /** Runs a command inside the pod; resolves with stdout. */
  exec(...args: string[]): Promise<string>;
  /** Starts an HTTP server on 0.0.0.0:`port` that answers every request with the pod's name. */
  serveHttp(port?: number): Promise<void>;
  /** Makes `count` sequential GETs, each on a new TCP connection, from inside the pod. */
  httpGet(url: string, count?: number, timeoutMs?: number): Promise<HttpResult[]>;
  close(): void;
}

function podMac(n: number): string {
  return `0a:58:0a:f4:00:${n.toString(16).padStart(2, '0')}`;
}

/** Creates a pod attached to the sandbox bridge. */
export async function createPod(sb: Sandbox, opts: PodOptions): Promise<Pod> {
  const { name, index } = opts;
  if (!/^[a-z0-9]{1,11}$/.test(name)) throw new Error(`pod name "${name}" must be 1–11 lowercase letters/digits`);
  if (!(Number.isInteger(index) && index >= 2 && index <= 254)) throw new Error(`pod index ${index} is not in 2..254`);
  const netns = `${sb.bridge}-${name}`;
  const port = `pod-${name}`;
  const ip = `10.244.0.${index}`;
  const mac = podMac(index);
  const children = new Set<ChildProcess>();

  const teardown = () => {
    for (const c of children) killPid(c.pid);
    children.clear();
    deleteNetns(netns);
  };
  const unregisterSandbox = sb.onClose(teardown);
  const unregisterProcess = resources.add(teardown);
  sb.track({ netns });

  const exec = (...args: string[]) => run('ip', ['netns', 'exec', netns, ...args]);

  try {
    await run('ip', ['netns', 'add', netns]);
    await run('ip', ['-n', sb.netns, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
    await run('ip', ['-n', sb.netns, 'link', 'set', port, 'up']);
    const script = [
      'set -e',
      'ip link set lo up',
      `ip link set eth0 address ${mac}`,
      'ip link set eth0 up',
      'ethtool -K eth0 tx off >/dev/null',
      'sysctl -qw net.ipv6.conf.all.disable_ipv6=1',
      `ip addr add ${ip}/32 dev eth0`,
      `ip route add ${GATEWAY_IP}/32 dev eth0 scope link`,
      `ip route add default via ${GATEWAY_IP} dev eth0`,
      `ip neigh replace ${GATEWAY_IP} lladdr ${GATEWAY_MAC} dev eth0 nud permanent`,
    ].join('\n');
    await exec('sh', '-c', script);
    await sb.vsctl('add-port', sb.bridge, port, '--', 'set', 'interface', port, `ofport_request=${index}`);
  } catch (err) {
    unregisterProcess();
    unregisterSandbox();
    throw err;
  }

  const spawnInPod = (args: string[]): ChildProcess => {
    const child = spawn('ip', ['netns', 'exec', netns, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    child.on('exit', () => children.delete(child));
    return child;
  };

  return {
    name,
    netns,
    ip,
    mac,
    ofport: index,
    port,
    exec,
    async serveHttp(httpPort = 8080) {
      const src = `
        const http = require('http');
        const s = http.createServer((req, res) => { res.setHeader('connection', 'close'); res.end(${JSON.stringify(name)}); });
        s.listen(${httpPort}, '0.0.0.0', () => console.log('listening'));`;
      const child = spawnInPod([process.execPath, '-e', src]);
      await new Promise<void>((resolve, reject) => {
        let out = '';
        let err = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('listening')) resolve();
        });
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (code) => reject(new Error(`HTTP server in pod ${name} exited (${code}): ${err.trim()}`)));
      });
    },
    async httpGet(url, count = 1, timeoutMs = 5000) {
      const src = `
        const http = require('http');
        (async () => {
          const out = [];
          for (let i = 0; i < ${count}; i++) {
            out.push(await new Promise((resolve) => {
              const req = http.get(${JSON.stringify(url)}, { agent: false, timeout: ${timeoutMs} }, (res) => {
                let body = '';
                res.on('data', (d) => (body += d));
                res.on('end', () => resolve({ ok: res.statusCode === 200, status: res.statusCode, body }));
              });
              req.on('timeout', () => req.destroy(new Error('timed out')));
              req.on('error', (e) => resolve({ ok: false, error: e.message }));
            }));
          }
          process.stdout.write(JSON.stringify(out));
        })();`;
      const stdout = await run('ip', ['netns', 'exec', netns, process.execPath, '-e', src], {
        timeoutMs: count * (timeoutMs + 1000) + 10_000,
      });
      return JSON.parse(stdout) as HttpResult[];
    },
    close() {
      unregisterProcess();
      unregisterSandbox();
      teardown();
    },
  };
}
