/** The service-port table: one record per service-port key, found by key and by id. */
import t from 'tap';
import { ServicePortTable } from '../../../lib/proxy/service-ports.js';

t.test('one record per key, found by key and by id', async (t) => {
  const table = new ServicePortTable();
  const a = table.acquirePort('IPv4|TCP|10.96.0.1|80');
  t.equal(a.id, 1);
  t.equal(a.owner, undefined, 'no owner until a Service claims it');
  t.equal(a.compiled, undefined, 'not compiled yet');
  t.equal(table.acquirePort('IPv4|TCP|10.96.0.1|80'), a, 'the same record again');
  t.equal(table.port('IPv4|TCP|10.96.0.1|80'), a);
  t.equal(table.at(1), a);
  t.equal(table.get('IPv4|TCP|10.96.0.1|80'), 1);
  const b = table.acquirePort('IPv4|UDP|10.96.0.1|53');
  t.equal(table.size, 2);
  t.same(
    [...table.values()].map((sp) => sp.id),
    [1, 2],
  );
  a.owner = 'default/a';
  (a.waiting ??= new Set()).add('default/b');
  t.equal(table.release(a.key), a, 'released as it was, its claimants with it');
  t.same([...a.waiting], ['default/b']);
  t.equal(table.release(a.key), undefined, 'released once');
  t.equal(table.at(1), undefined, 'its id is free');
  t.equal(table.port(a.key), undefined);
  t.equal(table.at(b.id), b, 'the others stay');
  t.equal(table.acquirePort('IPv6|TCP|fd00::1|80').id, 3, 'new ids keep counting up');
});
