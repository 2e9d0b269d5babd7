/**
 * JSON manifests read item by item: the same Services and EndpointSlices, and the same one-line
 * problems with the same lines, as the YAML parser gives for the same text.
 */
import t, { type Test } from 'tap';
import { readJsonManifest, jsonLineOf } from '../../../lib/sources/json-manifest.js';
import { parseManifest, parseYamlManifest } from '../../../lib/sources/manifest.js';
import { fixtureText as fixture, manifestService, manifestSlice } from './fixtures.js';

function list(items: unknown[], indent?: number): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }, null, indent);
}

/** What a reader gives: the manifest, or the problem's message. */
function outcome(read: () => unknown): unknown {
  try {
    return read();
  } catch (err) {
    return (err as Error).message;
  }
}

/** The JSON reader and the YAML parser agree on `text` (YAML reads JSON too). */
function agree(t: Test, text: string, name: string): void {
  t.same(
    outcome(() => readJsonManifest(text, 'f.json')),
    outcome(() => parseYamlManifest(text, 'f.json')),
    name,
  );
}

t.test('a List read item by item equals the whole document read at once', async (t) => {
  agree(t, fixture('services.json'), 'fixture');
  const items = [];
  for (let i = 0; i < 50; i++) items.push(manifestService(i), manifestSlice(i));
  agree(t, list(items, 2), 'indented');
  agree(t, list(items), 'one line');
  agree(t, ` \r\n${list(items, '\t' as unknown as number)}\n\n`, 'tabs, CRLF and blank lines around');
  agree(t, JSON.stringify({ items: [manifestService(1)], kind: 'ServiceList' }), 'items before kind, a typed List');
  agree(t, JSON.stringify({ kind: 'List', items: [], apiVersion: 'v1' }), 'empty');
  agree(t, JSON.stringify({ kind: 'List', items: null }), 'null items');
  agree(t, '{}', 'empty object');
  agree(t, JSON.stringify({ ...manifestService(3), items: [1, 2] }), 'an object with items that is not a List');
  agree(t, JSON.stringify({ ...manifestService(3), items: [1, { a: 2 }], kind: 'Service' }), 'items parsed with their object');
  agree(t, JSON.stringify({ kind: 'List', items: 'x' }), 'items not a list');
  // YAML refuses a key given twice; JSON.parse keeps the last.
  const twice = JSON.stringify({ kind: 'List', items: [manifestService(1)] }).replace('"items"', '"items":[],"items"');
  t.same(readJsonManifest(twice, 'f.json'), parseYamlManifest(JSON.stringify(JSON.parse(twice)), 'f.json'), 'items twice: the last counts');
  const first = JSON.stringify({ kind: 'List', items: [manifestService(1)] }).replace('"kind"', '"items":7,"kind"');
  t.same(
    readJsonManifest(first, 'f.json'),
    parseYamlManifest(JSON.stringify(JSON.parse(first)), 'f.json'),
    'items not an array, then an array',
  );
  const last = JSON.stringify({ kind: 'List', items: [manifestService(1)] }).replace(/}$/, ',"items":7}');
  t.throws(() => readJsonManifest(last, 'f.json'), { message: 'f.json:1: items: must be a list' }, 'an array, then items not an array');
  agree(t, JSON.stringify({ kind: 'List', items: [manifestService(1)], other: { items: [1] } }), 'nested items are fields');
  agree(t, JSON.stringify([manifestService(1)]), 'an array is not a document');
});

t.test('a bad item in a large List is named, with its line', async (t) => {
  const items = [];
  for (let i = 0; i < 2000; i++) items.push(manifestService(i, i === 1234 ? 70000 : 80), manifestSlice(i));
  const text = list(items, 2);
  t.throws(() => readJsonManifest(text, 'f.json'), {
    message: /^f\.json:\d+: Service ns\/svc-1234: spec\.ports\[0\]\.port: must be 1-65535$/,
    field: 'spec.ports[0].port',
  });
  agree(t, text, 'line as the YAML parser finds it');

  const notObject = [manifestService(0), manifestSlice(0), 'svc', manifestService(1)];
  t.throws(() => readJsonManifest(list(notObject, 2), 'f.json'), { message: /^f\.json:\d+: items\[2\]: must be a Kubernetes object$/ });
  agree(t, list(notObject, 2), 'not an object');

  const noKind = [manifestService(0), { metadata: { name: 'x' } }];
  t.throws(() => readJsonManifest(list(noKind, 2), 'f.json'), { message: /items\[1\]\.kind: required$/ });
  agree(t, list(noKind, 2), 'kind left out');

  const twice = [manifestService(0), manifestSlice(0), manifestService(7), manifestService(0)];
  t.throws(() => readJsonManifest(list(twice, 2), 'f.json'), {
    message: /^f\.json:\d+: Service ns\/svc-0: defined twice \(first at line \d+\)$/,
  });
  agree(t, list(twice, 2), 'defined twice');

  const deep = [{ ...manifestSlice(0), endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2', 'fe80::1'] }] }];
  t.throws(() => readJsonManifest(list(deep, 2), 'f.json'), { message: /endpoints\[1\]\.addresses\[1\]: must be an IPv4 address$/ });
  agree(t, list(deep, 2), 'a field deep in an item');
  agree(t, list([{ ...manifestService(0), metadata: { namespace: 'ns' } }], 2), 'a field that is not there: its parent');
  agree(t, JSON.stringify({ kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 0 }] } }, null, 2), 'a single object');
});

t.test('text that is not JSON is left to the YAML parser', async (t) => {
  t.equal(readJsonManifest('kind: List\nitems: []\n', 'f.yaml'), undefined, 'YAML');
  t.equal(readJsonManifest('', 'f.yaml'), undefined, 'empty');
  t.equal(readJsonManifest('\uFEFF{"kind":"List","items":[]}', 'f.json'), undefined, 'a byte-order mark');
  const trailingComma = `{"kind":"List","items":[${JSON.stringify(manifestService(1)).replace(/}$/, ',}')}]}`;
  t.equal(readJsonManifest(trailingComma, 'f.json'), undefined, 'an item that is not JSON');
  t.equal(parseManifest(trailingComma, 'f.json').services.size, 1, 'YAML reads a flow mapping with a trailing comma');
  const badFirst = `{"kind":"List","items":[${JSON.stringify(manifestService(1, 0))},{"a": 1,}]}`;
  t.equal(readJsonManifest(badFirst, 'f.json'), undefined, 'a bad item before text that is not JSON');
  t.throws(
    () => readJsonManifest(`{"kind":"List","items":[${JSON.stringify(manifestService(1, 0))},{"a": 1}]}`, 'f.json'),
    { message: /spec\.ports\[0\]\.port: must be 1-65535$/ },
    'JSON after a bad item: its problem',
  );
  for (const text of [
    '{"kind":"List","items":[]} x',
    '{"kind":"List" "items":[]}',
    '{"kind":"List","items":[1 2]}',
    '{"kind":"List","items":[{"a":"b}]}',
    '{"kind":"List","items":[{"a":1}',
    '{"kind":"List","items":[',
    '{"kind":"List",',
    '{kind:"List"}',
    '{"kind" "List"}',
    '{"kind":}',
    '{"kind":"List"',
    '{"kind":"List\\"}',
    '{"kind":"List"} {}',
    '{"kind":tru}',
    '{"kind":{"a":[1,',
    '{"kind":"List","items":[{"a":"b',
  ]) {
    t.equal(readJsonManifest(text, 'f.json'), undefined, text);
  }
});

t.test('shapes the scanner leaves to JSON.parse', async (t) => {
  const proto = `{"__proto__":{"x":1},"kind":"List","items":[${JSON.stringify(manifestService(1))}]}`;
  t.equal(readJsonManifest(proto, 'f.json')!.services.size, 1, '__proto__ as a key');
  t.throws(() => readJsonManifest('[1]', 'f.json'), { message: 'f.json:1: document must be a Kubernetes object or List' });
  t.throws(() => readJsonManifest('{ }', 'f.json'), { message: 'f.json:1: kind: required' });
  t.throws(() => readJsonManifest('{ } ]', 'f.json') ?? parseManifest('{ } ]', 'f.json'), { message: /invalid YAML/ });
});

t.test('lines of fields', async (t) => {
  const text = '{\n "a": [\n  1,\n  {"b": 2}\n ],\n "c": "x\\"\\\\"\n}\n';
  t.equal(jsonLineOf(text, []), 1);
  t.equal(jsonLineOf(text, ['a']), 2);
  t.equal(jsonLineOf(text, ['a', 1]), 4);
  t.equal(jsonLineOf(text, ['a', 1, 'b']), 4);
  t.equal(jsonLineOf(text, ['a', 2]), 2, 'past the end: the array');
  t.equal(jsonLineOf(text, ['a', 0, 'b']), 3, 'a member of a number: the number');
  t.equal(jsonLineOf(text, ['c']), 6);
  t.equal(jsonLineOf(text, ['d']), 1, 'no such member: the object');
  t.equal(jsonLineOf(text, ['c', 0]), 6, 'an element of a string: the string');
  t.equal(jsonLineOf('{"a":[]}', ['a', 0]), 1);
  t.equal(jsonLineOf('{"a":1 ]', ['b']), 1, 'a broken object ends the search');
});

t.test('a very large List', async (t) => {
  const parts: string[] = [];
  for (let i = 0; i < 20000; i++) parts.push(JSON.stringify(manifestService(i)), JSON.stringify(manifestSlice(i)));
  const text = `{"apiVersion":"v1","kind":"List","items":[\n${parts.join(',\n')}\n]}\n`;
  const manifest = readJsonManifest(text, 'big.json')!;
  t.equal(manifest.services.size, 20000);
  t.equal(manifest.slices.size, 20000);
  t.same(manifest.services.get('ns/svc-19999')!.ports, [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }]);
  // Item 2i + 1 (the slice of service i) is on line 2i + 3.
  const broken = text.replace('"svc-19998-a","namespace":"ns"', '"svc-19998-a","namespace":7');
  t.throws(() => readJsonManifest(broken, 'big.json'), {
    message: 'big.json:39999: EndpointSlice (unnamed): metadata.namespace: must be a string',
  });
});
