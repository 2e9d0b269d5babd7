/** The connection is gone (closed by either side, reset, or never established). */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  constructor(
    message: string,
    /** `unix:/run/br0.mgmt`, `tcp:10.0.0.1:6653`, … */
    readonly target: string,
    override readonly cause?: unknown,
  ) {
    super(`${target}: ${message}`);
  }
}
