import t from 'tap';
import { MemorySource, type SourceChange } from '../../../lib/sources/index.js';
import { fixtureItems } from './fixtures.js';

const services = fixtureItems('services.json');
const slices = fixtureItems('endpointslices.json');

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function record(source: MemorySource): { batches: SourceChange[][]; syncs: number } {
  const seen = { batches: [] as SourceChange[][], syncs: 0 };
  source.on('changes', (changes) => seen.batches.push(changes));
  source.on('synced', () => (seen.syncs += 1));
  return seen;
}

t.test('objects given before start are in the snapshot at synced, not in batches', async (t) => {
  const source = new MemorySource();
  const seen = record(source);
  for (const obj of services) source.upsertService(obj);
  for (const obj of slices) source.upsertEndpointSlice(obj);
  t.equal(source.isSynced, false);
  await source.start();
  t.equal(seen.syncs, 1);
  t.equal(source.isSynced, true);
  t.equal(source.snapshot().services.size, services.length);
  t.equal(source.snapshot().slices.size, slices.length);
  await nextTurn();
  t.same(seen.batches, []);
  await source.stop();
});

t.test('upserts and deletes after start arrive as coalesced batches', async (t) => {
  const source = new MemorySource();
  const seen = record(source);
  await source.start();
  const web = source.upsertService(services.find((s) => s.metadata.name === 'web'));
  source.upsertEndpointSlice(slices.find((s) => s.metadata.name === 'web-7x2kq'));
  await nextTurn();
  t.equal(seen.batches.length, 1);
  t.same(
    seen.batches[0]!.map((c) => [c.kind, c.key]),
    [
      ['service', 'default/web'],
      ['slice', 'default/web-7x2kq'],
    ],
  );
  t.same(seen.batches[0]![0], { kind: 'service', key: 'default/web', service: web });

  t.equal(source.deleteEndpointSlice('default', 'web-7x2kq'), true);
  t.equal(source.deleteEndpointSlice('default', 'web-7x2kq'), false, 'deleting twice');
  t.equal(source.deleteService('default', 'nope'), false);
  await nextTurn();
  t.same(seen.batches[1], [{ kind: 'slice', key: 'default/web-7x2kq', slice: null }]);
  await source.stop();
});

t.test('1000 changes in a burst give one batch with the final state per key', async (t) => {
  const source = new MemorySource();
  const seen = record(source);
  await source.start();
  const base = services.find((s) => s.metadata.name === 'web')!;
  for (let i = 0; i < 1000; i++) {
    const obj = structuredClone(base);
    obj.metadata.name = `web-${i % 100}`;
    obj.spec.ports[0].port = 1000 + i;
    source.upsertService(obj);
  }
  await nextTurn();
  t.equal(seen.batches.length, 1);
  t.equal(seen.batches[0]!.length, 100);
  const last = seen.batches[0]!.find((c) => c.key === 'default/web-7');
  t.equal(last?.kind === 'service' ? last.service?.ports[0]!.port : undefined, 1907);
  await source.stop();
});

t.test('an upsert that changes nothing the proxy uses gives no batch', async (t) => {
  const source = new MemorySource();
  const seen = record(source);
  await source.start();
  const obj = structuredClone(services.find((s) => s.metadata.name === 'web')!);
  source.upsertService(obj);
  await nextTurn();
  obj.metadata.resourceVersion = '5000';
  obj.metadata.annotations = { touched: 'yes' };
  source.upsertService(obj);
  await nextTurn();
  t.equal(seen.batches.length, 1);
  t.equal(source.snapshot().services.get('default/web')?.resourceVersion, '5000', 'the snapshot still has the latest version');
  await source.stop();
});

t.test('a service that becomes headless is a change for the consumer to filter', async (t) => {
  const source = new MemorySource();
  const seen = record(source);
  await source.start();
  const obj = structuredClone(services.find((s) => s.metadata.name === 'web')!);
  source.upsertService(obj);
  obj.spec.clusterIP = 'None';
  obj.spec.clusterIPs = ['None'];
  source.upsertService(obj);
  await nextTurn();
  t.equal(seen.batches.length, 1);
  t.match(seen.batches[0], [{ kind: 'service', key: 'default/web', service: { clusterIPs: ['None'] } }]);
  await source.stop();
});

t.test('manualSync waits for markSynced', async (t) => {
  const source = new MemorySource({ manualSync: true });
  const seen = record(source);
  t.throws(() => source.markSynced(), { message: 'MemorySource.markSynced: the source is not started' });
  await source.start();
  source.upsertService(services[0]);
  t.equal(seen.syncs, 0);
  source.markSynced();
  t.equal(seen.syncs, 1);
  await nextTurn();
  t.same(seen.batches, [], 'the state before synced is read from the snapshot');
  await source.stop();
  t.equal(source.isSynced, false);
});

t.test('invalid objects throw and change nothing', async (t) => {
  const source = new MemorySource();
  const seen = record(source);
  await source.start();
  const obj = structuredClone(services.find((s) => s.metadata.name === 'web')!);
  obj.spec.ports[0].port = 0;
  t.throws(() => source.upsertService(obj), { name: 'ObjectError', message: 'Service default/web: spec.ports[0].port: must be 1-65535' });
  t.throws(() => source.upsertEndpointSlice({ metadata: { name: 'x' } }), {
    message: 'EndpointSlice default/x: addressType: must be one of IPv4, IPv6, FQDN',
  });
  await nextTurn();
  t.same(seen.batches, []);
  t.equal(source.snapshot().services.size, 0);
  await source.stop();
});
