import type { Logger } from '../logger.js';

/** The part of a logger the sources use (they log without child loggers). */
export type SourceLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export { silentLogger } from '../logger.js';
