import { OfpSyntaxError } from '../../protocol/text/index.js';

/** The OfpSyntaxError `fn` throws; any other error is rethrown, and no error at all fails. */
export function syntaxError(fn: () => unknown): OfpSyntaxError {
  try {
    fn();
  } catch (err) {
    if (err instanceof OfpSyntaxError) return err;
    throw err;
  }
  throw new Error('no error');
}
