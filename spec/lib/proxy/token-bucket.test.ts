/** The refusal rate limit: a token bucket refilled by the clock. */
import t from 'tap';
import { TokenBucket } from '../../../lib/proxy/token-bucket.js';

t.test('bursts up to the rate, then refills with time', async (t) => {
  let now = 0;
  const bucket = new TokenBucket(3, () => now);
  t.same([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
  now += 333;
  t.notOk(bucket.take(), 'not yet a whole token');
  now += 1;
  t.ok(bucket.take(), 'one token after a third of a second');
  now += 10_000;
  t.same([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false], 'never more than the rate');
});
