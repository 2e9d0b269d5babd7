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

/**
 * A lookup table of names read from text: an object without a prototype, so that a name such as
 * `constructor` or `__proto__` is not found in it.
 */
export function nameTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
