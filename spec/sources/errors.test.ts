import t from 'tap';
import { ObjectError, SourceError, formatFieldPath } from '../../lib/sources/index.js';
import { firstLine } from '../../lib/sources/errors.js';
import { describeKubeError } from '../../lib/sources/kube-informer.js';

t.test('field paths read like Kubernetes field paths', async (t) => {
  t.equal(formatFieldPath(['spec', 'ports', 1, 'port']), 'spec.ports[1].port');
  t.equal(formatFieldPath(['items', 3]), 'items[3]');
  t.equal(formatFieldPath([]), '');
});

t.test('error messages', async (t) => {
  const objectError = new ObjectError('Service', 'default/web', [], 'must be an object');
  t.equal(objectError.message, 'Service default/web: must be an object');
  t.equal(objectError.field, '');
  t.equal(SourceError.inFile('a.yaml', undefined, 'broken').message, 'a.yaml: broken');
  t.match(SourceError.inFile('a.yaml', 3, 'spec: bad', 'spec'), { message: 'a.yaml:3: spec: bad', file: 'a.yaml', line: 3, field: 'spec' });
  t.equal(firstLine(new Error('one\ntwo')), 'one');
  t.equal(firstLine(new TypeError('')), 'TypeError');
  t.equal(firstLine('plain'), 'plain');
  t.equal(firstLine(''), 'unknown error');
});

t.test('Kubernetes client failures in one line', async (t) => {
  const cases: Array<[unknown, string]> = [
    [{ code: 403, body: { kind: 'Status', message: 'services is forbidden' } }, 'list failed: HTTP 403: services is forbidden'],
    [{ code: 500, body: '{"kind":"Status","message":"etcdserver: request timed out"}' }, 'list failed: HTTP 500: etcdserver: request timed out'],
    [{ code: 502, body: '<html>Bad Gateway</html>' }, 'list failed: HTTP 502'],
    [{ code: 401, body: undefined }, 'list failed: HTTP 401'],
    [Object.assign(new Error('Gone'), { statusCode: 410 }), 'watch failed: HTTP 410 Gone'],
    [new Error('request to http://10.0.0.1/api/v1/services?limit=500 failed, reason: connect ECONNREFUSED 10.0.0.1:443'), 'list failed: connect ECONNREFUSED 10.0.0.1:443'],
    [new Error('request to http://10.0.0.1/api/v1/services?watch=true&resourceVersion=5 failed, reason: socket hang up'), 'watch failed: socket hang up'],
    [new Error('Premature close'), 'watch connection lost'],
    [new Error('something else\nwith details'), 'something else'],
    [undefined, 'undefined'],
  ];
  for (const [err, expected] of cases) t.equal(describeKubeError(err), expected, expected);
});
