/**
 * The logger every layer writes to: pino's method shapes, so any pino logger fits, and a small
 * JSON-lines logger in pino's line format for the command line.
 */

/** One level's method: a message, or an object of fields and a message. */
export interface LogMethod {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

/** What ofwire calls on a logger; a pino logger is one. */
export interface Logger {
  child(bindings: Record<string, unknown>): Logger;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

const ignore = (): void => {};

/** A logger that writes nothing. */
export const silentLogger: Logger = { child: () => silentLogger, debug: ignore, info: ignore, warn: ignore, error: ignore };

/** pino's level numbers, which its JSON lines carry. */
export const LOG_LEVELS = { fatal: 60, error: 50, warn: 40, info: 30, debug: 20, trace: 10 } as const;
export type LogLevelName = keyof typeof LOG_LEVELS;

export function isLogLevelName(name: string): name is LogLevelName {
  return Object.hasOwn(LOG_LEVELS, name);
}

export interface JsonLinesLoggerOptions {
  level: LogLevelName;
  /** Where each line goes (default: stderr, which Node writes synchronously to files and pipes). */
  write?: (line: string) => void;
  /**
   * Called with each line's level and fields before it is written; returning false drops it.
   * `fields.err` is still the original value.
   */
  filter?: (level: number, fields: Record<string, unknown>, msg: string | undefined) => boolean;
}

/**
 * JSON lines as pino writes them — `{"level":30,"time":…,<bindings>,<fields>,"msg":"…"}` — with
 * errors written as their message only.
 */
export function jsonLinesLogger(options: JsonLinesLoggerOptions): Logger {
  const threshold = LOG_LEVELS[options.level];
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const make = (bindings: string): Logger => {
    const method = (level: number): LogMethod => {
      if (level < threshold) return ignore;
      return (first: object | string, msg?: string) => {
        const fields = typeof first === 'string' ? {} : (first as Record<string, unknown>);
        const text = typeof first === 'string' ? first : msg;
        if (options.filter && !options.filter(level, fields, text)) return;
        write(
          `{"level":${level},"time":${Date.now()}${bindings}${fieldsText(fields)}${text === undefined ? '' : `,"msg":${JSON.stringify(text)}`}}\n`,
        );
      };
    };
    return {
      child: (more) => make(bindings + fieldsText(more)),
      debug: method(LOG_LEVELS.debug),
      info: method(LOG_LEVELS.info),
      warn: method(LOG_LEVELS.warn),
      error: method(LOG_LEVELS.error),
    };
  };
  return make('');
}

function fieldsText(fields: Record<string, unknown>): string {
  let out = '';
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value === undefined) continue;
    const json = JSON.stringify(value instanceof Error ? value.message : value, jsonSafe);
    if (json !== undefined) out += `,${JSON.stringify(key)}:${json}`;
  }
  return out;
}

/** BigInts (datapath ids, cookies) as decimal strings; nested errors as their message. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return value.message;
  return value;
}
