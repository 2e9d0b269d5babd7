/** The Kubernetes source watching this node's Node object (addresses and zone for node ports and topology). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { KubeSource } from '../../../lib/sources/index.js';
import type { NodeObject } from '../../../lib/sources/types.js';
import { FakeApiServer, type KubeObject } from '../../helpers/fake-apiserver.js';

const node = (name: string, ip: string, zone?: string): KubeObject => ({
  kind: 'Node',
  metadata: { name, ...(zone ? { labels: { 'topology.kubernetes.io/zone': zone } } : {}) },
  status: {
    addresses: [
      { type: 'InternalIP', address: ip },
      { type: 'Hostname', address: name },
    ],
  },
});

t.test("this node's Node object arrives as node events; other nodes are ignored; a bad one is reported", async (t) => {
  const api = await FakeApiServer.start();
  t.teardown(() => api.close());
  api.upsert(node('node-a', '192.168.50.1', 'zone-a'));
  api.upsert(node('node-b', '192.168.50.9', 'zone-b'));
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-kube-node-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const source = new KubeSource({ kubeconfig: api.writeKubeconfig(dir), nodeName: 'node-a', backoff: { minDelayMs: 10, maxDelayMs: 200 } });
  t.teardown(() => source.stop());
  const nodes: NodeObject[] = [];
  const errors: string[] = [];
  const next = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => (nodes.length >= n ? resolve() : setTimeout(check, 10));
      check();
    });
  source.on('node', (n) => nodes.push(n));
  source.on('error', (e) => errors.push(e.message));
  await source.start();
  await next(1);
  t.same(nodes, [{ name: 'node-a', internalIPs: ['192.168.50.1'], zone: 'zone-a' }], 'listed: only this node');
  api.upsert(node('node-b', '192.168.50.10'));
  api.upsert(node('node-a', '192.168.50.2'));
  await next(2);
  t.same(nodes[1], { name: 'node-a', internalIPs: ['192.168.50.2'] }, 'watched: its change');
  api.upsert({ kind: 'Node', metadata: { name: 'node-a' }, status: { addresses: 'nope' } });
  await new Promise<void>((resolve) => {
    const check = () => (errors.length ? resolve() : setTimeout(check, 10));
    check();
  });
  t.match(errors[0], /^kube: Node node-a: status\.addresses: must be a list$/, 'a bad Node is reported in one line');
  api.delete('Node', 'default', 'node-a');
  await source.stop();
  t.equal(nodes.length, 2, 'a deletion is no event');
});
