/**
 * ssl: and pssl: against a real ovs-vswitchd, with a throwaway CA: ofwire connecting to OVS's
 * pssl listener, and OVS connecting to ofwire's pssl listener. A peer with a certificate from
 * another CA is refused.
 */
import { join } from 'node:path';
import t from 'tap';
import { Controller, Switch } from '../../../lib/controller/index.js';
import { createSandbox, run, waitFor } from '../../helpers/ovs-sandbox.js';

async function makeCa(dir: string, name: string): Promise<{ key: string; cert: string }> {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  // prettier-ignore
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-subj', `/CN=${name}`, '-days', '2',
  ]);
  return { key, cert };
}

async function issue(dir: string, ca: { key: string; cert: string }, name: string): Promise<{ key: string; cert: string }> {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.crt`);
  // prettier-ignore
  await run('openssl', [
    'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', csr, '-subj', `/CN=${name}`,
  ]);
  // prettier-ignore
  await run('openssl', [
    'x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '2',
  ]);
  return { key, cert };
}

t.test('TLS in both directions', async (t) => {
  const sb = await createSandbox({ t });
  const { hostIp, switchIp } = await sb.hostLink();
  const ca = await makeCa(sb.dir, 'ca');
  const switchCert = await issue(sb.dir, ca, 'switch');
  const controllerCert = await issue(sb.dir, ca, 'controller');
  const tls = { key: controllerCert.key, cert: controllerCert.cert, ca: ca.cert };
  await sb.vsctl('set-ssl', switchCert.key, switchCert.cert, ca.cert);

  await t.test('ssl: ofwire connects to the bridge listening in pssl mode', async (t) => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    await sb.vsctl('set-controller', sb.bridge, `pssl:${port}:${switchIp}`);
    const sw = await waitFor('the bridge to listen', () =>
      Switch.connect(`ssl:${switchIp}:${port}`, { reconnect: false, echoIntervalMs: 0, connect: { tls } }),
    );
    t.teardown(() => sw.close());
    t.equal(sw.dpid, sb.datapathId);
    await sw.addFlow({ priority: 21, actions: [] });
    t.match(await sb.ofctl('dump-flows', sb.bridge), /priority=21 actions=drop/);

    const other = await makeCa(sb.dir, 'other-ca');
    const stranger = await issue(sb.dir, other, 'stranger');
    await t.rejects(
      Switch.connect(`ssl:${switchIp}:${port}`, {
        reconnect: false,
        connect: { tls: { key: stranger.key, cert: stranger.cert, ca: other.cert }, timeoutMs: 5000 },
      }),
      'a certificate from another CA is refused',
    );
    await t.rejects(Switch.connect(`ssl:${switchIp}:${port}`), { name: 'TargetError', message: /needs TLS key/ });
  });

  await t.test('pssl: the bridge connects to ofwire over TLS', async (t) => {
    const controller = await Controller.listen(`pssl:0:${hostIp}`, { echoIntervalMs: 0, listen: { tls } });
    t.teardown(() => controller.close());
    await sb.vsctl('set-controller', sb.bridge, `ssl:${hostIp}:${controller.port}`);
    const sw = await controller.waitForSwitch(sb.datapathId);
    await sw.addFlow({ priority: 22, actions: [] });
    t.match(await sb.ofctl('dump-flows', sb.bridge), /priority=22 actions=drop/);
    t.match(sw.target, /^ssl:/);
  });

  await t.rejects(Switch.connect('ssl:127.0.0.1:1', { connect: { tls: { key: '/nonexistent.key', cert: tls.cert, ca: tls.ca } } }), {
    name: 'TlsConfigError',
    message: /TLS key "\/nonexistent\.key": ENOENT/,
  });
});
