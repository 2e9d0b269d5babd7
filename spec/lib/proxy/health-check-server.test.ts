/** The health-check server of Local load balancers: kube-proxy's answers, ports opened and closed. */
import t from 'tap';
import { createServer } from 'node:net';
import { HealthCheckServer, healthCheckBody } from '../../../lib/proxy/health-check-server.js';
import { freePort } from '../../helpers/cli.js';

t.test("kube-proxy's body, indented as kube-proxy writes it", async (t) => {
  t.equal(
    healthCheckBody({ namespace: 'ns', name: 'web', localEndpoints: 2 }, true),
    '{\n\t"service": {\n\t\t"namespace": "ns",\n\t\t"name": "web"\n\t},\n\t"localEndpoints": 2,\n\t"serviceProxyHealthy": true\n}',
  );
});

t.test('one listener per port; two services on one port; moved; closed', async (t) => {
  let healthy = true;
  const errors: string[] = [];
  const hc = new HealthCheckServer({
    hosts: ['127.0.0.1'],
    proxyHealthy: () => healthy,
    onError: (p, e) => errors.push(`${p}: ${e.message}`),
  });
  t.teardown(() => hc.close());
  const [a, b] = [await freePort(), await freePort()];
  const get = async (port: number) => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    return { status: res.status, type: res.headers.get('content-type'), body: JSON.parse(await res.text()) as Record<string, unknown> };
  };
  await hc.update('ns/web', { port: a, namespace: 'ns', name: 'web', localEndpoints: 0 });
  t.same(await get(a), {
    status: 503,
    type: 'application/json',
    body: { service: { namespace: 'ns', name: 'web' }, localEndpoints: 0, serviceProxyHealthy: true },
  });
  await hc.update('ns/web', { port: a, namespace: 'ns', name: 'web', localEndpoints: 3 });
  healthy = false;
  t.same((await get(a)).status, 503, 'an unhealthy proxy fails the check, endpoints or not');
  t.equal((await get(a)).body.serviceProxyHealthy, false, "the proxy's own health");
  t.equal((await get(a)).body.localEndpoints, 3, 'the count changes in place');
  healthy = true;
  t.same((await get(a)).status, 200, 'healthy again, with local endpoints');
  await hc.update('ns/other', { port: a, namespace: 'ns', name: 'other', localEndpoints: 0 });
  t.equal((await get(a)).body.localEndpoints, 3, 'a second service on the same port: the first answers');
  await hc.update('ns/web', undefined);
  t.same((await get(a)).body.service, { namespace: 'ns', name: 'other' }, 'then the other once the first is gone');
  await hc.update('ns/other', { port: b, namespace: 'ns', name: 'other', localEndpoints: 1 });
  t.same(hc.ports, [b], 'moved to another port: the old one closes');
  await t.rejects(fetch(`http://127.0.0.1:${a}/`));
  t.equal((await get(b)).status, 200);

  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const taken = (blocker.address() as { port: number }).port;
  await hc.update('ns/third', { port: taken, namespace: 'ns', name: 'third', localEndpoints: 1 });
  t.match(errors, [new RegExp(`^${taken}: .*EADDRINUSE`)], 'a port in use is reported');
  t.notOk(hc.ports.includes(taken), 'and forgotten, to be tried again');
  await new Promise((r) => blocker.close(r));
  await hc.update('ns/third', { port: taken, namespace: 'ns', name: 'third', localEndpoints: 1 });
  t.ok(hc.ports.includes(taken), 'opened on the next update');

  await hc.close();
  t.same(hc.ports, []);
  await hc.update('ns/late', { port: a, namespace: 'ns', name: 'late', localEndpoints: 1 });
  t.same(hc.ports, [], 'nothing opens once closed');
});

t.test('closed while a port is being opened: the new listener is closed too', async (t) => {
  const hc = new HealthCheckServer({ hosts: ['127.0.0.1'] });
  const port = await freePort();
  const opening = hc.update('ns/web', { port, namespace: 'ns', name: 'web', localEndpoints: 1 });
  await hc.close();
  await opening;
  t.same(hc.ports, []);
  await t.rejects(fetch(`http://127.0.0.1:${port}/`), 'nothing listens');
});

t.test('moved while its first port is being opened: the first port is closed once open', async (t) => {
  const hc = new HealthCheckServer({ hosts: ['127.0.0.1'] });
  t.teardown(() => hc.close());
  const [a, b] = [await freePort(), await freePort()];
  const first = hc.update('ns/web', { port: a, namespace: 'ns', name: 'web', localEndpoints: 1 });
  const second = hc.update('ns/web', { port: b, namespace: 'ns', name: 'web', localEndpoints: 1 });
  await Promise.all([first, second]);
  t.same(hc.ports, [b]);
  await t.rejects(fetch(`http://127.0.0.1:${a}/`), 'the first port is closed');
  t.equal((await fetch(`http://127.0.0.1:${b}/`)).status, 200);
});
