/**
 * A JSON List read chunk by chunk gives what the whole-file reader gives, wherever the chunks are
 * cut; what it cannot read alone it leaves to the whole-file reader.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonListScanner, readJsonListFile } from '../../../lib/sources/json-list-stream.js';
import { readJsonManifest } from '../../../lib/sources/json-manifest.js';
import type { Manifest } from '../../../lib/sources/manifest-reader.js';
import { manifestService, manifestSlice } from './fixtures.js';

/** The scanner fed `bytes` in chunks of the given lengths, as readJsonListFile feeds it (the unused tail comes again). */
function scanned(bytes: Buffer, lengths: (k: number) => number): Manifest | undefined {
  const scanner = new JsonListScanner('f.json');
  let kept = Buffer.alloc(0);
  let at = 0;
  for (let k = 0; ; k++) {
    const n = Math.min(lengths(k), bytes.length - at);
    const view = Buffer.concat([kept, bytes.subarray(at, at + n)]);
    at += n;
    const used = scanner.scan(view, n === 0);
    if (used < 0) return undefined;
    if (n === 0) return scanner.finish();
    kept = Buffer.from(view.subarray(used));
  }
}

const items: unknown[] = [];
for (let i = 0; i < 6; i++) items.push(manifestService(i), manifestSlice(i));

t.test('every cut of a List gives the whole-file reader’s manifest', async (t) => {
  const forms = {
    'kubectl (items before kind), indented': JSON.stringify(
      { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } },
      null,
      2,
    ),
    'kind first, one line': JSON.stringify({ kind: 'List', apiVersion: 'v1', items }),
    'a typed List with kinds left out': JSON.stringify({
      kind: 'ServiceList',
      items: [{ ...manifestService(1), kind: undefined }],
      count: 12.5,
    }),
    'spaces, CRLF and numbers at the end': ` \r\n{"kind":"List","items":[\t${JSON.stringify(items[0])} ] , "n": 1234567}\r\n\n`,
    empty: '{"kind":"List","items":[]}',
  };
  for (const [name, text] of Object.entries(forms)) {
    const bytes = Buffer.from(text);
    const whole = readJsonManifest(text, 'f.json');
    for (let cut = 1; cut <= bytes.length; cut++) {
      const got = scanned(bytes, (k) => (k === 0 ? cut : bytes.length));
      if (!got) t.fail(`${name}: cut at ${cut} was not read`);
      else if (
        JSON.stringify([...got.services, ...got.slices, got.skipped]) !==
        JSON.stringify([...whole!.services, ...whole!.slices, whole!.skipped])
      ) {
        t.fail(`${name}: cut at ${cut} read differently`);
      }
    }
    t.same(
      scanned(bytes, () => 1),
      whole,
      `${name}: a byte at a time`,
    );
    t.same(
      scanned(bytes, (k) => 1 + ((k * 7) % 13)),
      whole,
      `${name}: uneven chunks`,
    );
  }
});

t.test('what it leaves to the whole-file reader', async (t) => {
  const leave = {
    YAML: 'kind: List\nitems: []\n',
    'one object': JSON.stringify(manifestService(1)),
    'not a List kind': JSON.stringify({ kind: 'Service', items: [] }),
    'kind after an item without kind': JSON.stringify({ items: [{ ...manifestService(1), kind: undefined }], kind: 'ServiceList' }),
    'a duplicate key': '{"kind":"List","items":[],"kind":"List"}',
    'items twice': '{"kind":"List","items":[],"items":[]}',
    'items not a list': '{"kind":"List","items":{}}',
    'an item to report': JSON.stringify({ kind: 'List', items: [{ kind: 'Service', metadata: { name: 7 } }] }),
    'a duplicate object': JSON.stringify({ kind: 'List', items: [manifestService(1), manifestService(1)] }),
    'an item that is not JSON': '{"kind":"List","items":[{"a": tru}]}',
    'a broken key': '{"kind":"List","items":[], "x: 1}',
    'a missing colon': '{"kind" "List"}',
    'bytes after the end': '{"kind":"List","items":[]} x',
    'no end': '{"kind":"List","items":[',
    'a missing comma': '{"kind":"List","items":[{"kind":"Pod"} {"kind":"Pod"}]}',
    'a broken object': '{"kind":"List" ]',
    'no kind at all': '{}',
  };
  for (const [name, text] of Object.entries(leave)) {
    t.equal(
      scanned(Buffer.from(text), () => 5),
      undefined,
      name,
    );
    t.equal(
      scanned(Buffer.from(text), () => text.length + 1),
      undefined,
      `${name}, in one chunk`,
    );
  }
  // Items of other kinds are counted as the whole-file reader counts them.
  t.equal(scanned(Buffer.from('{"kind":"List","items":[{"kind":"Pod"},{"kind":"Pod"}]}'), () => 3)?.skipped, 2);
});

t.test('a large List file: the manifest and the digest of its bytes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-list-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const big: unknown[] = [];
  // Items longer than a chunk grow the buffer.
  big.push({ ...manifestService(3500), metadata: { name: 'long', namespace: 'ns', annotations: { a: 'x'.repeat(700_000) } } });
  for (let i = 0; i < 3000; i++) big.push(manifestService(i), manifestSlice(i));
  const text = JSON.stringify({ apiVersion: 'v1', items: big, kind: 'List' }, null, 1);
  const path = join(dir, 'big.json');
  writeFileSync(path, text);
  const read = await readJsonListFile(path, 'big.json');
  t.same(read?.manifest, readJsonManifest(text, 'big.json'));
  t.equal(read?.digest, createHash('sha256').update(text).digest('base64'));
  writeFileSync(path, 'kind: List\nitems: []\n');
  t.equal(await readJsonListFile(path, 'big.json'), undefined, 'YAML is read whole');
  await t.rejects(readJsonListFile(join(dir, 'none.json'), 'none.json'), { code: 'ENOENT' });
});
