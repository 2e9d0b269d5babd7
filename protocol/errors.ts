/** Bytes that do not form a valid OpenFlow structure. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    /** What was wrong, in a few words. */
    readonly reason: string,
    /** Byte offset (from the start of the decoded buffer) where the problem was found. */
    readonly offset: number,
    /** The structure being read, e.g. `ofp_flow_mod.match` or `nx_action_ct`. */
    readonly structure: string,
  ) {
    super(`${structure} at offset ${offset}: ${reason}`);
  }
}

/** A value that cannot be encoded (out of range, unknown field, message too long). */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
  constructor(
    readonly reason: string,
    /** Path to the offending part, e.g. `group_mod.buckets[3].actions[0]`. */
    readonly path: string,
  ) {
    super(path ? `${path}: ${reason}` : reason);
  }
}
