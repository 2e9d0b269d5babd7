/** Finding the API server and credentials as kubectl does, and refusing what cannot work in one line. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { loadKubeConfig } from '../../../lib/sources/kube-config.js';
import { KubeClient, KubeApiError, apiError } from '../../../lib/sources/kube-client.js';
import { FakeApiServer } from '../../helpers/fake-apiserver.js';

function scratch(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-kubeconfig-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function config(cluster: string, user = '{token: abc}', extra = ''): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'current-context: c',
    'contexts:',
    '- name: c',
    '  context: {cluster: k, user: u}',
    'clusters:',
    `- name: k`,
    `  cluster: ${cluster}`,
    'users:',
    `- name: u`,
    `  user: ${user}`,
    extra,
  ].join('\n');
}

t.test('what a kubeconfig can say', async (t) => {
  const dir = scratch(t);
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  writeFileSync(join(dir, 'ca.pem'), 'CA');
  writeFileSync(join(dir, 'token'), 'from-file');
  const pem = Buffer.from('PEM').toString('base64');
  t.match(loadKubeConfig(file('a', config('{server: "https://k:6443", certificate-authority: ca.pem, tls-server-name: api.k}'))), {
    origin: `kubeconfig ${join(dir, 'a')}`,
    connection: { server: 'https://k:6443', ca: Buffer.from('CA'), tlsServerName: 'api.k', token: 'abc' },
  });
  t.match(
    loadKubeConfig(
      file(
        'b',
        config(
          `{server: "https://k", certificate-authority-data: ${pem}, insecure-skip-tls-verify: true}`,
          `{client-certificate-data: ${pem}, client-key-data: ${pem}}`,
        ),
      ),
    ).connection,
    {
      ca: Buffer.from('PEM'),
      insecure: true,
      cert: Buffer.from('PEM'),
      key: Buffer.from('PEM'),
    },
  );
  t.match(loadKubeConfig(file('c', config('{server: "http://k"}', '{tokenFile: token}'))).connection, { tokenFile: join(dir, 'token') });
  t.match(loadKubeConfig(file('d', config('{server: "http://k"}', '{username: admin, password: secret}'))).connection, {
    username: 'admin',
    password: 'secret',
  });
  const noUser = file(
    'e',
    ['current-context: c', 'contexts: [{name: c, context: {cluster: k}}]', 'clusters: [{name: k, cluster: {server: "http://k"}}]'].join(
      '\n',
    ),
  );
  t.same(loadKubeConfig(noUser).connection, { server: 'http://k' }, 'a context without a user');
});

t.test('$KUBECONFIG lists files that merge, the first to name a thing winning; then ~/.kube/config', async (t) => {
  const dir = scratch(t);
  writeFileSync(join(dir, 'one'), ['current-context: c', 'contexts: [{name: c, context: {cluster: k, user: u}}]'].join('\n'));
  writeFileSync(
    join(dir, 'two'),
    ['current-context: other', 'clusters: [{name: k, cluster: {server: "https://two"}}]', 'users: [{name: u, user: {token: t2}}]'].join(
      '\n',
    ),
  );
  const env = { KUBECONFIG: `${join(dir, 'one')}:${join(dir, 'missing')}:${join(dir, 'two')}` };
  t.match(loadKubeConfig(undefined, { env }).connection, { server: 'https://two', token: 't2' });
  mkdirSync(join(dir, '.kube'));
  writeFileSync(join(dir, '.kube', 'config'), config('{server: "https://home"}'));
  t.match(loadKubeConfig(undefined, { env: { HOME: dir } }), {
    origin: `kubeconfig ${join(dir, '.kube', 'config')}`,
    connection: { server: 'https://home' },
  });
  t.throws(() => loadKubeConfig(undefined, { env: { HOME: join(dir, 'nowhere') }, serviceAccountDir: join(dir, 'nowhere') }), {
    message: /^kubeconfig: none found/,
  });
  const sa = join(dir, 'sa');
  mkdirSync(sa);
  writeFileSync(join(sa, 'token'), 'x');
  t.throws(
    () =>
      loadKubeConfig(undefined, {
        env: { HOME: join(dir, 'nowhere'), KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' },
        serviceAccountDir: sa,
      }),
    {
      message: /^in-cluster config: ENOENT: .*ca\.crt/,
    },
  );
  writeFileSync(join(sa, 'ca.crt'), 'CA');
  t.match(
    loadKubeConfig(undefined, {
      env: { HOME: join(dir, 'nowhere'), KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' },
      serviceAccountDir: sa,
    }).connection,
    {
      server: 'https://[fd00::1]:443',
    },
  );
});

t.test('one line for each kubeconfig that cannot work', async (t) => {
  const dir = scratch(t);
  const bad = (name: string, text: string, message: RegExp) => {
    writeFileSync(join(dir, name), text);
    t.throws(() => loadKubeConfig(join(dir, name)), { name: 'SourceError', message }, name);
  };
  bad('yaml', 'clusters: [unclosed', /: not a kubeconfig \(YAML\): /);
  bad('list', '- a\n- b\n', /: not a kubeconfig \(a YAML mapping\)$/);
  bad('empty', '', /: no current-context$/);
  bad('server', config('{server: "ftp://k"}'), /cluster "k": server "ftp:\/\/k" is not an http:\/\/ or https:\/\/ URL$/);
  bad('no-server', config('{}'), /cluster "k": server null is not/);
  bad(
    'user',
    config('{server: "http://k"}', '{token: x}').replace('- name: u', '- name: someone-else'),
    /current context "c" names no known user "u"$/,
  );
  bad(
    'exec',
    config('{server: "http://k"}', '{exec: {command: aws}}'),
    /user "u": exec credential plugins are not supported; use a token, a token file or a client certificate$/,
  );
  bad('provider', config('{server: "http://k"}', '{auth-provider: {name: gcp}}'), /user "u": auth providers are not supported/);
  bad(
    'half-cert',
    config('{server: "http://k"}', '{client-certificate-data: QQ==}'),
    /user "u": client-certificate and client-key go together$/,
  );
  bad('ca-file', config('{server: "https://k", certificate-authority: missing.pem}'), /cluster "k": certificate-authority: ENOENT/);
});

t.test('the client: errors as one line, basic authentication, a path prefix', async (t) => {
  t.equal(
    apiError(404, '{"kind":"Status","reason":"NotFound","message":"services \\"x\\" not found"}').message,
    'HTTP 404: services "x" not found',
  );
  t.equal(apiError(503, '').message, 'HTTP 503');
  t.equal(apiError(410, '{"kind":"Status","reason":"Gone"}').message, 'HTTP 410 Gone');
  const api = await FakeApiServer.start();
  t.teardown(() => api.close());
  const basic = new KubeClient({ server: `${api.url}/`, username: 'admin', password: 'pw' });
  t.teardown(() => basic.close());
  const status = (p: Promise<unknown>) =>
    p.then(
      () => 200,
      (err: unknown) => (err instanceof KubeApiError ? err.status : -1),
    );
  t.equal(await status(basic.get('/api/v1/services', {})), 401, 'basic credentials reach the server (which wants a token)');
  const prefixed = new KubeClient({ server: `${api.url}/proxy/prefix`, token: api.token });
  t.teardown(() => prefixed.close());
  t.equal(await status(prefixed.get('/api/v1/services', {})), 404, 'the server path prefix is kept');
  const ok = new KubeClient({ server: api.url, token: api.token });
  t.teardown(() => ok.close());
  t.match(await ok.get('/api/v1/services', { limit: 1, continue: undefined }), { kind: 'ServiceList' });
});
