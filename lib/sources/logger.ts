/** The subset of a pino logger the sources use; any pino logger fits. */
export interface SourceLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const ignore = (): void => {};

export const silentLogger: SourceLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
