/** A path to a field inside a Kubernetes object, e.g. `['spec', 'ports', 1, 'port']`. */
export type FieldPath = ReadonlyArray<string | number>;

/** Renders a field path the way Kubernetes does: `spec.ports[1].port`. */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/** The kind of a Kubernetes object a source reads. */
export type ObjectKind = 'Service' | 'EndpointSlice' | 'Node';

/** A Kubernetes object that cannot be converted to the source's types. */
export class ObjectError extends Error {
  override readonly name = 'ObjectError';
  constructor(
    readonly objectKind: ObjectKind,
    /** `namespace/name`, or `(unnamed)` when the object has no usable name. */
    readonly objectRef: string,
    /** The offending field, relative to the object. */
    readonly path: FieldPath,
    readonly problem: string,
  ) {
    super(path.length > 0 ? `${objectKind} ${objectRef}: ${formatFieldPath(path)}: ${problem}` : `${objectKind} ${objectRef}: ${problem}`);
  }

  get field(): string {
    return formatFieldPath(this.path);
  }
}

/** Where a source found a problem: file, line, object. */
export interface SourceErrorDetails {
  /** The manifest file the problem was found in. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** The offending field, e.g. `spec.ports[1].port`. */
  field?: string;
  cause?: unknown;
}

/**
 * A problem a source reports as an `error` event and survives (it keeps its last good state).
 * File problems read `file:line: what: problem`.
 */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;

  constructor(message: string, details: SourceErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.file = details.file;
    this.line = details.line;
    this.field = details.field;
  }

  /** `file:line: detail` (or `file: detail` when the line is unknown). */
  static inFile(file: string, line: number | undefined, detail: string, field?: string): SourceError {
    const where = line === undefined ? file : `${file}:${line}`;
    return new SourceError(`${where}: ${detail}`, { file, line, field });
  }
}

/** The first line of an error's message, for one-line reports of foreign errors. */
export function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n', 1)[0]!.trim() || (err instanceof Error ? err.name : 'unknown error');
}
