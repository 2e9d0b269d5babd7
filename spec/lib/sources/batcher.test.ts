import t from 'tap';
import { ChangeBatcher, type SourceChange } from '../../../lib/sources/index.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const deleted = (key: string): SourceChange => ({ kind: 'service', key, service: null });

t.test('a lone change goes out on the next turn of the event loop', async (t) => {
  const batches: SourceChange[][] = [];
  const batcher = new ChangeBatcher((changes) => batches.push(changes));
  batcher.add(deleted('default/web'));
  t.same(batches, [], 'not delivered synchronously');
  await nextTurn();
  t.same(batches, [[deleted('default/web')]]);
});

t.test('a burst of 1000 synchronous changes is one batch, last write wins per key', async (t) => {
  const batches: SourceChange[][] = [];
  const batcher = new ChangeBatcher((changes) => batches.push(changes));
  for (let i = 0; i < 1000; i++) batcher.add({ kind: 'slice', key: `ns/s-${i % 10}`, slice: null });
  batcher.add(deleted('ns/s-3'));
  await nextTurn();
  t.equal(batches.length, 1);
  t.equal(batches[0]!.length, 11, 'ten slice keys and one service key (same name, other kind)');
  t.same(batches[0]!.at(-1), deleted('ns/s-3'));
});

t.test('flush delivers now; empty flushes deliver nothing', async (t) => {
  const batches: SourceChange[][] = [];
  const batcher = new ChangeBatcher((changes) => batches.push(changes));
  batcher.flush();
  batcher.add(deleted('a/b'));
  batcher.flush();
  t.equal(batches.length, 1);
  t.equal(batcher.size, 0);
  await nextTurn();
  t.equal(batches.length, 1, 'the scheduled flush was cancelled');
});

t.test('changes made while a batch is being delivered go in the next batch', async (t) => {
  const batches: SourceChange[][] = [];
  const batcher: ChangeBatcher = new ChangeBatcher((changes) => {
    batches.push(changes);
    if (batches.length === 1) batcher.add(deleted('a/second'));
  });
  batcher.add(deleted('a/first'));
  await nextTurn();
  await nextTurn();
  t.same(batches, [[deleted('a/first')], [deleted('a/second')]]);
});
