import t from 'tap';
import { SourceError, parseManifest } from '../../../lib/sources/index.js';
import { fixtureText as fixture } from './fixtures.js';

t.test('the same objects from YAML and JSON', async (t) => {
  const fromYaml = parseManifest(fixture('cluster.yaml'), 'cluster.yaml');
  const fromJson = parseManifest(fixture('services.json'), 'services.json');
  t.same(fromJson.services, fromYaml.services);
  t.equal(fromYaml.slices.size, 9);
  t.equal(fromYaml.skipped, 0);
});

t.test('documents: empty, other kinds, typed lists, empty lists', async (t) => {
  t.same(parseManifest('', 'f.yaml'), { services: new Map(), slices: new Map(), skipped: 0 });
  t.same(parseManifest('---\n---\n', 'f.yaml').services.size, 0);
  t.equal(parseManifest('kind: List\nitems: null\n', 'f.yaml').services.size, 0);
  const typed = parseManifest('kind: ServiceList\nitems:\n- metadata: {name: x}\n  spec: {clusterIP: 10.0.0.1}\n', 'f.yaml');
  t.same([...typed.services.keys()], ['default/x'], 'items of a ServiceList need no kind');
  const mixed = parseManifest(
    'kind: Pod\nmetadata: {name: p}\n---\nkind: List\nitems:\n- kind: ConfigMap\n  metadata: {name: c}\n',
    'f.yaml',
  );
  t.equal(mixed.skipped, 2);
});

t.test('problems are reported as file:line: what: problem', async (t) => {
  const cases: Array<[string, string, string, number, string?]> = [
    [
      'syntax error',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: echo\n   bad: [\nspec: {}\n',
      'f.yaml:4: invalid YAML at column 9: Nested mappings are not allowed in compact mappings',
      4,
    ],
    ['duplicate key', 'kind: Service\nmetadata:\n  name: a\n  name: b\n', 'f.yaml:4: invalid YAML at column 3: Map keys must be unique', 4],
    ['not an object', '- a\n- b\n', 'f.yaml:1: document must be a Kubernetes object or List', 1],
    [
      'unnamed port',
      'kind: List\nitems:\n- kind: Service\n  metadata: {name: x}\n  spec: {ports: [{port: 1}, {port: 2}]}\n',
      'f.yaml:5: Service default/x: spec.ports[0].name: required when a Service has more than one port',
      5,
      'spec.ports[0].name',
    ],
    [
      'defined twice',
      'kind: List\nitems:\n- kind: Service\n  metadata: {name: x}\n- kind: Service\n  metadata: {name: x}\n',
      'f.yaml:5: Service default/x: defined twice (first at line 3)',
      5,
    ],
    ['no kind', 'kind: List\nitems:\n- metadata: {name: x}\n', 'f.yaml:3: items[0].kind: required', 3, 'items[0].kind'],
    ['items not a list', 'kind: List\nitems: 3\n', 'f.yaml:2: items: must be a list', 2, 'items'],
    ['item not an object', 'kind: List\nitems:\n- 5\n', 'f.yaml:3: items[0]: must be a Kubernetes object', 3, 'items[0]'],
    [
      'invalid field in JSON',
      '{"kind": "Service", "metadata": {"name": "x"},\n "spec": {"ports": [{"port": "80"}]}}',
      'f.yaml:2: Service default/x: spec.ports[0].port: must be 1-65535',
      2,
      'spec.ports[0].port',
    ],
    [
      'missing field reported at its parent',
      'kind: EndpointSlice\nmetadata:\n  name: s\nendpoints:\n- addresses: [10.0.0.1]\n',
      'f.yaml:1: EndpointSlice default/s: addressType: must be one of IPv4, IPv6, FQDN',
      1,
      'addressType',
    ],
    [
      'broken JSON',
      '{"kind": "Service",\n "metadata": {"name": "x"}',
      'f.yaml:2: invalid YAML at column 27: Flow map must end with a }',
      2,
    ],
    [
      'unknown alias',
      'kind: Service\nmetadata:\n  name: x\nspec:\n  ports: *anchor\n',
      'f.yaml:1: invalid YAML: Unresolved alias (the anchor must be set before the alias): anchor',
      1,
    ],
  ];
  for (const [name, text, message, line, field] of cases) {
    t.throws(() => parseManifest(text, 'f.yaml'), new SourceError(message, { file: 'f.yaml', line, field }), name);
  }
});
