/** The test API server itself: the protocol details the Kubernetes source tests rely on. */
import t, { type Test } from 'tap';
import { FakeApiServer, type KubeObject } from '../../helpers/fake-apiserver.js';
import { fixtureItems } from './fixtures.js';

const SERVICES = fixtureItems('services.json') as KubeObject[];

async function started(t: Test): Promise<FakeApiServer> {
  const api = await FakeApiServer.start();
  t.teardown(() => api.close());
  for (const obj of SERVICES) api.upsert(obj);
  return api;
}

function get(api: FakeApiServer, path: string, token = api.token): Promise<Response> {
  return fetch(`${api.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
}

/** Reads newline-delimited JSON events from a watch response until `count` have arrived. */
async function readEvents(response: Response, count: number): Promise<Array<{ type: string; object: any }>> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ type: string; object: any }> = [];
  let buffered = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      events.push(JSON.parse(buffered.slice(0, newline)));
      buffered = buffered.slice(newline + 1);
    }
  }
  await reader.cancel();
  return events;
}

t.test('authentication and unknown paths', async (t) => {
  const api = await started(t);
  const denied = await get(api, '/api/v1/services', 'wrong');
  t.equal(denied.status, 401);
  t.match(await denied.json(), { kind: 'Status', code: 401, reason: 'Unauthorized' });
  const missing = await get(api, '/api/v1/pods');
  t.equal(missing.status, 404);
  t.match(await missing.json(), { kind: 'Status', code: 404, reason: 'NotFound' });
  const post = await fetch(`${api.url}/api/v1/services`, { method: 'POST', headers: { Authorization: `Bearer ${api.token}` } });
  t.equal(post.status, 404);
  await post.arrayBuffer();
});

t.test('lists: kind, resourceVersion, items without kind, namespaces, chunks', async (t) => {
  const api = await started(t);
  const all = (await (await get(api, '/api/v1/services')).json()) as any;
  t.match(all, { kind: 'ServiceList', apiVersion: 'v1', metadata: { resourceVersion: api.resourceVersion } });
  t.equal(all.items.length, SERVICES.length);
  t.notOk('kind' in all.items[0]);
  const scoped = (await (await get(api, '/api/v1/namespaces/shop/services')).json()) as any;
  t.same(
    scoped.items.map((s: any) => s.metadata.name),
    ['cart'],
  );

  const first = (await (await get(api, '/api/v1/services?limit=4')).json()) as any;
  t.equal(first.items.length, 4);
  t.equal(first.metadata.remainingItemCount, SERVICES.length - 4);
  api.upsert({ ...SERVICES[0]!, metadata: { ...SERVICES[0]!.metadata, name: 'zzz-late' } });
  const rest = (await (await get(api, `/api/v1/services?limit=100&continue=${first.metadata.continue}`)).json()) as any;
  t.equal(rest.metadata.resourceVersion, first.metadata.resourceVersion, 'the continued list keeps its version');
  t.notOk(rest.metadata.continue);

  api.compact();
  const expired = await get(api, `/api/v1/services?limit=4&continue=${first.metadata.continue}`);
  t.equal(expired.status, 410);
  t.match(await expired.json(), { kind: 'Status', code: 410, reason: 'Expired' });
});

t.test('watches: initial ADDED, replay, live events, bookmarks, 410', async (t) => {
  const api = await started(t);
  const fromZero = await get(api, '/api/v1/namespaces/default/services?watch=1&resourceVersion=0');
  t.equal(fromZero.headers.get('transfer-encoding'), 'chunked');
  const initial = await readEvents(fromZero, SERVICES.length - 2);
  t.ok(initial.every((e) => e.type === 'ADDED' && e.object.kind === 'Service' && e.object.metadata.namespace === 'default'));

  const version = api.resourceVersion;
  api.delete('Service', 'default', 'web');
  t.equal(api.delete('Service', 'default', 'web'), false, 'deleting twice');
  const replay = await readEvents(await get(api, `/api/v1/services?watch=true&resourceVersion=${version}`), 1);
  t.match(replay, [{ type: 'DELETED', object: { metadata: { name: 'web', resourceVersion: api.resourceVersion } } }]);

  const live = get(api, `/api/v1/services?watch=true&resourceVersion=${api.resourceVersion}&allowWatchBookmarks=true`);
  const quiet = get(api, `/apis/discovery.k8s.io/v1/endpointslices?watch=true&resourceVersion=${api.resourceVersion}`);
  await api.waitForWatches('services');
  await api.waitForWatches('endpointslices');
  api.upsert({ ...SERVICES[2]!, metadata: { ...SERVICES[2]!.metadata, name: 'web' } });
  api.upsert(api.get('Service', 'default', 'web')!);
  api.bookmark();
  t.match(await readEvents(await live, 3), [
    { type: 'ADDED' },
    { type: 'MODIFIED' },
    { type: 'BOOKMARK', object: { kind: 'Service', metadata: { resourceVersion: api.resourceVersion } } },
  ]);
  api.endWatches();
  t.same(await readEvents(await quiet, 1), [], 'no bookmark without allowWatchBookmarks');

  const old = version;
  api.compact();
  t.match(await readEvents(await get(api, `/api/v1/services?watch=true&resourceVersion=${old}`), 1), [
    { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } },
  ]);
  t.equal(api.count('services'), SERVICES.length);
  t.equal(api.get('Service', 'default', 'nothing'), undefined);
  t.throws(() => api.upsert({ kind: 'Pod', metadata: { name: 'p' } }), { message: 'fake apiserver: unsupported kind Pod' });
});

t.test('restart keeps the port; history can be kept', async (t) => {
  const api = await started(t);
  const port = api.port;
  const version = api.resourceVersion;
  api.delete('Service', 'default', 'echo');
  await api.restart({ keepHistory: true });
  await api.up();
  t.equal(api.port, port);
  const replay = await readEvents(await get(api, `/api/v1/services?watch=true&resourceVersion=${version}`), 1);
  t.match(replay, [{ type: 'DELETED', object: { metadata: { name: 'echo' } } }]);
  await api.down();
  await api.down();
  await api.up();
  t.equal((await get(api, '/api/v1/services')).status, 200);
});
