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
  override readonly name: string = 'EncodeError';
  constructor(
    readonly reason: string,
    /** Path to the offending part, e.g. `group_mod.buckets[3].actions[0]`. */
    readonly path: string,
  ) {
    super(path ? `${path}: ${reason}` : reason);
  }

  /** The same error, named by a longer path (an element's error seen from its list). */
  at(path: string): EncodeError {
    return new EncodeError(this.reason, path);
  }
}

/**
 * An action or instruction Open vSwitch cannot hold in its memory: over the 16-bit length of its
 * internal form (ovs-vswitchd would abort on it, or misread the actions after it).
 */
export class OvsLimitError extends EncodeError {
  override readonly name = 'OvsLimitError';
  constructor(
    reason: string,
    path: string,
    /** The action or instruction (`learn`, `clone`, `write_actions`…). */
    readonly action: string,
    /** Its size inside Open vSwitch, in bytes. */
    readonly size: number,
    /** The limit it exceeds, in bytes. */
    readonly limit: number,
  ) {
    super(reason, path);
  }

  override at(path: string): OvsLimitError {
    return new OvsLimitError(this.reason, path, this.action, this.size, this.limit);
  }
}
