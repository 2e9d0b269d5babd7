/**
 * Traffic tools for pods (see netns.ts): IPv6 addressing, UDP and HTTP servers that say who
 * answered, UDP and TCP clients, long-running UDP streams and raw TCP SYN bursts.
 *
 * Servers and streams are background processes inside the pod; each is killed when the test
 * stops it, when the sandbox closes (also on failure) and, via the sandbox's crash manifest, by
 * the next sandbox if this process was SIGKILLed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { killPid, run, waitFor, type Sandbox } from './ovs-sandbox.js';
import { GATEWAY_MAC, type Pod } from './netns.js';

export const GATEWAY_IP6 = 'fd00:10:244::1';

/** The IPv6 address enableIpv6() gives pod N: fd00:10:244::N (N written as is, like the IPv4 host part). */
export function podIp6(index: number): string {
  return `fd00:10:244::${index}`;
}

/**
 * Turns IPv6 back on in a pod (createPod disables it) with fd00:10:244::N/128 (no DAD, no router
 * advertisements), a default route through fd00:10:244::1 and a permanent neighbour entry for it,
 * so the pod never needs neighbour discovery. Returns the address.
 */
export async function enableIpv6(pod: Pod, index = pod.ofport): Promise<string> {
  const ip6 = podIp6(index);
  const script = [
    'set -e',
    'sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.eth0.accept_dad=0',
    'sysctl -qw net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.eth0.accept_ra=0',
    'sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.eth0.disable_ipv6=0 net.ipv6.conf.lo.disable_ipv6=0',
    `ip -6 addr add ${ip6}/128 dev eth0 nodad`,
    `ip -6 route add ${GATEWAY_IP6}/128 dev eth0`,
    `ip -6 route add default via ${GATEWAY_IP6} dev eth0`,
    `ip -6 neigh replace ${GATEWAY_IP6} lladdr ${GATEWAY_MAC} dev eth0 nud permanent`,
  ].join('\n');
  await pod.exec('sh', '-c', script);
  return ip6;
}

// ---- background processes -------------------------------------------------------------------------

export interface PodProcess {
  pid: number | undefined;
  /** Complete stdout lines so far. */
  readonly lines: string[];
  /** Resolves with the first line (already seen or to come) that satisfies `match`. */
  waitForLine(what: string, match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Kills the process (idempotent) and resolves when it is gone. */
  stop(): Promise<void>;
}

/** Starts `args` inside the pod; killed at the latest when the sandbox closes. */
export function spawnInPod(sb: Sandbox, pod: Pod, args: string[]): PodProcess {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', pod.netns, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', () => {
      exited = true;
      resolve();
    });
    child.on('error', () => {
      exited = true;
      resolve();
    });
  });
  child.stdout!.on('data', (d: Buffer) => {
    partial += d.toString();
    const parts = partial.split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const unregister = sb.onClose(() => killPid(child.pid));
  if (child.pid) sb.track({ pid: child.pid });
  return {
    pid: child.pid,
    lines,
    async waitForLine(what, match, timeoutMs = 15_000) {
      return waitFor(
        what,
        async () => {
          const hit = lines.find(match);
          if (hit !== undefined) return hit;
          if (exited) throw new Error(`process in pod ${pod.name} exited: ${stderr.trim()}`);
          return undefined;
        },
        timeoutMs,
      );
    },
    async stop() {
      unregister();
      if (!exited) killPid(child.pid);
      await exit;
    },
  };
}

function node(src: string): string[] {
  return [process.execPath, '-e', src];
}

/** Runs a Node script inside the pod and parses the JSON it prints. */
async function runNode<T>(pod: Pod, src: string, timeoutMs = 60_000): Promise<T> {
  const out = await run('ip', ['netns', 'exec', pod.netns, process.execPath, '-e', src], { timeoutMs });
  return JSON.parse(out) as T;
}

// ---- servers ------------------------------------------------------------------------------------

/**
 * A UDP server on [::]:port (IPv4 and IPv6) that answers every datagram with the pod's name.
 * Resolves once it is bound.
 */
export async function serveUdp(sb: Sandbox, pod: Pod, port = 5353): Promise<PodProcess> {
  const src = `
    const s = require('dgram').createSocket({ type: 'udp6', ipv6Only: false });
    s.on('message', (m, r) => s.send(${JSON.stringify(pod.name)}, r.port, r.address));
    s.bind(${port}, '::', () => console.log('listening'));`;
  const p = spawnInPod(sb, pod, node(src));
  await p.waitForLine(`UDP server in ${pod.name}`, (l) => l === 'listening');
  return p;
}

/**
 * An HTTP server on [::]:port (IPv4 and IPv6) that answers `<pod name> <client address>`, the
 * address as the server saw it (IPv4 clients as ::ffff:a.b.c.d).
 */
export async function serveHttpWho(sb: Sandbox, pod: Pod, port = 8081): Promise<PodProcess> {
  const src = `
    const s = require('http').createServer((req, res) => {
      res.setHeader('connection', 'close');
      res.end(${JSON.stringify(pod.name)} + ' ' + req.socket.remoteAddress);
    });
    s.listen({ port: ${port}, host: '::', ipv6Only: false }, () => console.log('listening'));`;
  const p = spawnInPod(sb, pod, node(src));
  await p.waitForLine(`HTTP server in ${pod.name}`, (l) => l === 'listening');
  return p;
}

// ---- clients ------------------------------------------------------------------------------------

export interface UdpOptions {
  /** Datagrams to send (one answer awaited for each). Default 1. */
  count?: number;
  /** One socket (one source port) for all datagrams; default false: a fresh socket each. */
  samePort?: boolean;
  /** How long to wait for each answer. Default 1000 ms. */
  timeoutMs?: number;
  /**
   * Bind request i's socket to sourcePorts[i] (one request per port; count is ignored): the
   * connections, and so the endpoints the proxy picks, are the same on every run.
   */
  sourcePorts?: number[];
}

/**
 * Sends UDP requests from the pod; resolves with one entry per request: the answering pod's name,
 * `timeout`, or the socket error code (e.g. ECONNREFUSED on a connected socket).
 */
export async function udpRequests(pod: Pod, host: string, port: number, opts: UdpOptions = {}): Promise<string[]> {
  const ports = opts.sourcePorts ?? [];
  const count = opts.sourcePorts ? ports.length : (opts.count ?? 1);
  const timeoutMs = opts.timeoutMs ?? 1000;
  const src = `
    const dgram = require('dgram');
    const type = ${JSON.stringify(host.includes(':') ? 'udp6' : 'udp4')};
    const ask = (s, i) => new Promise((resolve) => {
      const done = (v) => { clearTimeout(timer); s.removeAllListeners('message'); s.removeAllListeners('error'); resolve(v); };
      const timer = setTimeout(() => done('timeout'), ${timeoutMs});
      s.on('message', (m) => done(m.toString()));
      s.on('error', (e) => done(e.code || e.message));
      s.send('req' + i);
    });
    const ports = ${JSON.stringify(ports)};
    const open = (i) => new Promise((resolve) => {
      const s = dgram.createSocket(type);
      const connect = () => s.connect(${port}, ${JSON.stringify(host)}, () => resolve(s));
      if (ports.length) s.bind(ports[i], connect);
      else connect();
    });
    (async () => {
      const out = [];
      let s;
      for (let i = 0; i < ${count}; i++) {
        if (!s || !${opts.samePort === true}) { if (s) s.close(); s = await open(i); }
        out.push(await ask(s, i));
      }
      s.close();
      process.stdout.write(JSON.stringify(out));
    })();`;
  return runNode<string[]>(pod, src, count * (timeoutMs + 500) + 30_000);
}

/**
 * UDP sockets bound to the given source ports (one conntrack entry each), each sending a datagram
 * every `intervalMs` until stopped. Each stdout line is `<source port> <seq> <answer>`, answer =
 * the answering pod's name, or `timeout` for a datagram unanswered after `lossMs` (a late answer on
 * a busy machine is not a lost one). Fixed source ports make the endpoint each socket lands on
 * reproducible (the proxy hashes addresses and ports). Resolves once every socket is bound.
 */
export async function udpStreams(
  sb: Sandbox,
  pod: Pod,
  host: string,
  port: number,
  sourcePorts: number[],
  intervalMs = 100,
  lossMs = 2000,
): Promise<PodProcess> {
  const src = `
    const dgram = require('dgram');
    const type = ${JSON.stringify(host.includes(':') ? 'udp6' : 'udp4')};
    let bound = 0;
    for (const sport of ${JSON.stringify(sourcePorts)}) {
      const s = dgram.createSocket(type);
      let seq = 0;
      // Requests in flight, oldest first: [seq, sent at]. An answer settles the oldest one.
      const pending = [];
      s.on('message', (m) => { const p = pending.shift(); if (p) console.log(sport + ' ' + p[0] + ' ' + m.toString()); });
      s.on('error', (e) => { const p = pending.shift(); console.log(sport + ' ' + (p ? p[0] : seq) + ' ' + (e.code || e.message)); });
      s.bind(sport, () => s.connect(${port}, ${JSON.stringify(host)}, () => {
        if (++bound === ${sourcePorts.length}) console.log('bound');
        setInterval(() => {
          const now = Date.now();
          while (pending.length && now - pending[0][1] >= ${lossMs}) console.log(sport + ' ' + pending.shift()[0] + ' timeout');
          pending.push([seq, now]);
          s.send('req' + seq++);
        }, ${intervalMs});
      }));
    }`;
  const p = spawnInPod(sb, pod, node(src));
  await p.waitForLine(`UDP streams in ${pod.name}`, (l) => l === 'bound');
  return p;
}

export interface StreamAnswer {
  sport: number;
  seq: number;
  answer: string;
}

/** The answers a udpStreams process printed, from line `from` on. */
export function streamAnswers(p: PodProcess, from = 0): StreamAnswer[] {
  return p.lines
    .slice(from)
    .filter((l) => l !== 'bound')
    .map((l) => {
      const [sport, seq, answer] = l.split(' ');
      return { sport: Number(sport), seq: Number(seq), answer: answer! };
    });
}

/**
 * Opens `count` TCP connections one after another and closes each once established; resolves
 * with `connected`, `timeout` or the error code (ECONNREFUSED, …) of each.
 */
export async function tcpConnects(pod: Pod, host: string, port: number, count = 1, timeoutMs = 3000): Promise<string[]> {
  const src = `
    const net = require('net');
    const one = () => new Promise((resolve) => {
      const s = net.connect({ host: ${JSON.stringify(host)}, port: ${port} });
      const timer = setTimeout(() => { s.destroy(); resolve('timeout'); }, ${timeoutMs});
      s.on('connect', () => { clearTimeout(timer); s.destroy(); resolve('connected'); });
      s.on('error', (e) => { clearTimeout(timer); resolve(e.code || e.message); });
    });
    (async () => {
      const out = [];
      for (let i = 0; i < ${count}; i++) out.push(await one());
      process.stdout.write(JSON.stringify(out));
    })();`;
  return runNode<string[]>(pod, src, count * (timeoutMs + 500) + 30_000);
}

/** Counts equal strings. */
export function tally(values: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

// ---- raw SYN bursts ---------------------------------------------------------------------------

/**
 * Writes Ethernet frames straight onto the pod's eth0 (AF_PACKET): one TCP SYN for every
 * (source address, source port) pair, in that order, to dst:dport. Valid IPv4 and TCP checksums
 * (OVS's userspace conntrack checks them). Frames are paced in batches so that neither the veth
 * nor ovs-vswitchd's receive queue overflows; a pass that lost some can simply be repeated: a
 * SYN whose connection conntrack already knows is translated by the ct(nat) pass and no longer
 * matches the service flow.
 */
const SYN_BURST_PY = String.raw`
import json, socket, struct, sys, time
a = json.loads(sys.argv[1])
def mac(s): return bytes(int(x, 16) for x in s.split(':'))
def ip4(s): return socket.inet_aton(s)
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
eth = mac(a['dstMac']) + mac(a['srcMac']) + b'\x08\x00'
dst = ip4(a['dst'])
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind(('eth0', 0))
sent = 0
batch = a['batch']
pause = a['pauseMs'] / 1000.0
for src_s in a['sources']:
    src = ip4(src_s)
    for sport in range(a['portFrom'], a['portTo'] + 1):
        seq = (sport * 7919) & 0xffffffff
        tcp = struct.pack('!HHIIBBHHH', sport, a['dport'], seq, 0, 5 << 4, 0x02, 64240, 0, 0)
        tc = csum(src + dst + struct.pack('!BBH', 0, 6, len(tcp)) + tcp)
        tcp = tcp[:16] + struct.pack('!H', tc) + tcp[18:]
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), sport & 0xffff, 0x4000, 64, 6, 0, src, dst)
        ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
        sock.send(eth + ip + tcp)
        sent += 1
        if sent % batch == 0:
            time.sleep(pause)
print(json.dumps({'sent': sent}))
`;

export interface SynBurst {
  /** Source IPv4 addresses (any: the frames are crafted, the pod's own address is not needed). */
  sources: string[];
  /** Source ports, inclusive. */
  portFrom: number;
  portTo: number;
  dst: string;
  dport: number;
  /** Frames per batch and pause after each (default 100 frames, 20 ms: at most 5000 frames/s). */
  batch?: number;
  pauseMs?: number;
}

let python: string | undefined;

async function pythonPath(): Promise<string> {
  python ??= (await run('python3', ['-c', 'import sys; print(sys.executable)'])).trim();
  return python;
}

/** Sends the SYNs of `burst` from the pod; resolves with the number of frames written. */
export async function synBurst(pod: Pod, burst: SynBurst): Promise<number> {
  const args = {
    srcMac: pod.mac,
    dstMac: GATEWAY_MAC,
    batch: burst.batch ?? 100,
    pauseMs: burst.pauseMs ?? 20,
    ...burst,
  };
  const total = burst.sources.length * (burst.portTo - burst.portFrom + 1);
  const out = await run('ip', ['netns', 'exec', pod.netns, await pythonPath(), '-c', SYN_BURST_PY, JSON.stringify(args)], {
    timeoutMs: 120_000 + total,
  });
  return (JSON.parse(out) as { sent: number }).sent;
}
