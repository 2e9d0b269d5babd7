/** Errors of the ovs-ofctl text parser. */

/**
 * Text that ovs-ofctl would refuse (or that ofwire refuses where ovs-ofctl would silently truncate
 * a value). The message is one line, quotes the offending token and says what is wrong with it,
 * e.g. `ovs-ofctl syntax: "tp_dst=foo": foo: bad syntax for tcp_dst value`.
 */
export class OfpSyntaxError extends Error {
  override readonly name = 'OfpSyntaxError';
  constructor(
    /** What is wrong, without the token. */
    readonly reason: string,
    /** The offending token as it appears in the text (a `key=value` pair, an action, a value). */
    readonly token: string,
    /** Zero-based column of the token in its line, or -1 when it is not known. */
    readonly column: number,
    /** One-based line of a file (add-flows, add-groups), when the text came from one. */
    readonly line?: number,
  ) {
    const where = `${line !== undefined ? `line ${line}: ` : ''}${token ? `"${oneLine(token)}"` : 'end of text'}`;
    super(`ovs-ofctl syntax: ${where}${column >= 0 ? ` (column ${column + 1})` : ''}: ${oneLine(reason)}`);
  }
}

function oneLine(s: string): string {
  const flat = s.replace(/[\r\n\t]+/g, ' ');
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

/** Something the parser accepts but drops, as ovs-ofctl does for OpenFlow 1.3 (importance, bucket_id…). */
export interface ParseWarning {
  message: string;
  token: string;
  column: number;
}
