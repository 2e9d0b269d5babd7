/** Finding a bundle member by the xid of an error: the xids in the order they were handed out. */
import t from 'tap';
import { memberIndex } from '../../../lib/controller/bundle.js';

t.test('xids in increasing order are searched by halves', async (t) => {
  const xids = [5, 6, 9, 12, 13, 40];
  xids.forEach((x, i) => t.equal(memberIndex(xids, x), i, `xid ${x}`));
  for (const x of [0, 4, 7, 14, 41, 0xffffffff]) t.equal(memberIndex(xids, x), -1, `xid ${x} is no member`);
  t.equal(memberIndex([], 1), -1, 'no members');
});

t.test('xids that wrapped past 2^32 during the bundle are still found', async (t) => {
  const xids = [0xfffffffe, 0xffffffff, 1, 2];
  xids.forEach((x, i) => t.equal(memberIndex(xids, x), i, `xid ${x}`));
  t.equal(memberIndex(xids, 3), -1);
  t.equal(memberIndex(xids, 0xfffffffd), -1);
});
