/**
 * `npm run test:long` sets OFWIRE_TEST_LONG=1: long runs (the benchmark harness end to end, the
 * full differential fuzz, the 5000-endpoint service, the 10k-service file) run then; `npm test`
 * skips them or runs a smaller sample.
 */
export const LONG_RUN = process.env.OFWIRE_TEST_LONG === '1';

/** A test's `skip` option for what only `npm run test:long` runs. */
export const ONLY_IN_LONG_RUN: string | false = LONG_RUN ? false : 'a long run: npm run test:long runs it';
