/** Errors that point at a token, shared by the parsers. */
import { OfpSyntaxError } from './errors.js';

export type Fail = (token: string, at: number, reason: string) => OfpSyntaxError;

/** An OfpSyntaxError for `token` at column `at`. */
export const fail: Fail = (token, at, reason) => new OfpSyntaxError(reason, token, at);

/** Something with text and a column: a KeyValue's raw item or a Segment. */
export interface Located {
  text: string;
  at: number;
}

export function failAt(loc: Located, reason: string): OfpSyntaxError {
  return new OfpSyntaxError(reason, loc.text, loc.at);
}
