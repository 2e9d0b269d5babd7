import t from 'tap';
import { Switch } from '../../lib/controller/index.js';
import { MemorySource } from '../../lib/sources/index.js';
import { ServiceProxy } from '../../lib/proxy/proxy.js';
import { createSandbox } from '../helpers/ovs-sandbox.js';
import { createPod } from '../helpers/netns.js';
import { installForwarding, service, slice } from '../helpers/cluster.js';

t.test('a ClusterIP service balances real HTTP connections over its pods', async (t) => {
  const sb = await createSandbox({ t });
  const client = await createPod(sb, { name: 'client', index: 2 });
  const backends = await Promise.all([11, 12, 13].map((i) => createPod(sb, { name: `pod${i}`, index: i })));
  for (const b of backends) await b.serveHttp(8080);
  await installForwarding(sb, [client, ...backends]);

  const source = new MemorySource();
  source.upsertService(service('web', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] }));
  source.upsertEndpointSlice(slice('web', 'web-1', [{ name: 'http', port: 8080 }], backends.map((b) => ({ ip: b.ip }))));
  const sw = await Switch.connect(sb.mgmt, { asyncEvents: true });
  t.teardown(() => sw.close());
  const proxy = new ServiceProxy(sw, source);
  proxy.on('error', (e) => t.fail(e.message));
  await proxy.start();
  t.teardown(() => proxy.stop());
  await proxy.whenSynced();
  t.comment(await sb.ofctl('dump-flows', sb.bridge));
  t.comment(await sb.ofctl('dump-groups', sb.bridge));
  const results = await client.httpGet('http://10.96.0.10/', 60);
  const counts = new Map<string, number>();
  for (const r of results) if (r.ok) counts.set(r.body!, (counts.get(r.body!) ?? 0) + 1);
  t.comment(JSON.stringify([...counts]));
  t.equal(results.filter((r) => r.ok).length, 60, 'every request answered');
  t.equal(counts.size, 3, 'every pod served some');
});
