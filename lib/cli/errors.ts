/** How CLI verbs report failure: one line on stderr, a non-zero exit status. */

/** A failure whose message is already fit for the user (no stack, no type name). */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** Wraps a verb's action so any error ends the process with one line on stderr and status 1. */
export function action<A extends unknown[]>(verb: string, fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      process.stderr.write(`ofwire ${verb}: ${msg.split('\n')[0]}\n`);
      process.exitCode = 1;
      // Nothing is left to do: a retry timer or an open socket must not keep a failed command alive.
      setTimeout(() => process.exit(1), 200).unref();
    }
  };
}
