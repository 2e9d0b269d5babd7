import t from 'tap';
import { ObjectError, SourceError, formatFieldPath } from '../../../lib/sources/index.js';
import { firstLine } from '../../../lib/sources/errors.js';
import { WatchLostError, apiError } from '../../../lib/sources/kube-client.js';
import { describeKubeError } from '../../../lib/sources/kube-informer.js';

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

t.test('Kubernetes API failures in one line', async (t) => {
  const cases: Array<[unknown, 'list' | 'watch', string]> = [
    [
      apiError(403, '{"kind":"Status","reason":"Forbidden","message":"services is forbidden"}'),
      'list',
      "list failed: HTTP 403: services is forbidden (the agent's account needs RBAC permission to list services)",
    ],
    [
      apiError(403, '{"kind":"Status","reason":"Forbidden","message":"services is forbidden"}'),
      'watch',
      "watch failed: HTTP 403: services is forbidden (the agent's account needs RBAC permission to watch services)",
    ],
    [
      apiError(500, '{"kind":"Status","message":"etcdserver: request timed out"}'),
      'list',
      'list failed: HTTP 500: etcdserver: request timed out',
    ],
    [apiError(502, '<html>Bad Gateway</html>\nmore'), 'list', 'list failed: HTTP 502: <html>Bad Gateway</html>'],
    [apiError(401, ''), 'list', 'list failed: HTTP 401 (the token or client certificate was not accepted)'],
    [
      apiError(401, '{"kind":"Status","reason":"Unauthorized"}'),
      'watch',
      'watch failed: HTTP 401 Unauthorized (the token or client certificate was not accepted)',
    ],
    [new WatchLostError('watch connection lost'), 'watch', 'watch connection lost'],
    [new WatchLostError('no answer from 10.0.0.1:443 in 60 s'), 'list', 'list failed: no answer from 10.0.0.1:443 in 60 s'],
    [
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }),
      'list',
      'list failed: connect ECONNREFUSED 10.0.0.1:443',
    ],
    [new Error('something else\nwith details'), 'watch', 'watch failed: something else'],
    [undefined, 'list', 'list failed: undefined'],
  ];
  for (const [err, verb, expected] of cases) t.equal(describeKubeError(err, verb, 'services'), expected, expected);
});
