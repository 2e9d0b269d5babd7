import { decodeMessage, type ErrorMsg, type OfpMessage } from '../../protocol/index.js';
import { errorNames } from '../../protocol/error-names.js';

const VERSION_NAMES: Record<number, string> = { 1: '1.0', 2: '1.1', 3: '1.2', 4: '1.3', 5: '1.4', 6: '1.5', 7: '1.6' };

/** `OpenFlow 1.3` for wire version 4. */
export function versionName(v: number): string {
  return VERSION_NAMES[v] ? `OpenFlow ${VERSION_NAMES[v]}` : `OpenFlow wire version 0x${v.toString(16)}`;
}

function describeRequest(request: OfpMessage | undefined, xid: number): string {
  return request ? `${request.type} (xid ${xid})` : `xid ${xid}`;
}

/** Text carried by HELLO_FAILED and some other errors (ASCII); empty when the data is binary. */
function asciiText(data: Buffer): string {
  if (data.length === 0 || data.length > 512) return '';
  for (const b of data) if ((b < 0x20 || b > 0x7e) && b !== 0 && b !== 10) return '';
  return data.toString('latin1').replace(/\0+$/, '').trim();
}

/** The switch answered a request with OFPT_ERROR. */
export class OpenFlowError extends Error {
  override readonly name = 'OpenFlowError';
  readonly errType: number;
  readonly code: number;
  readonly experimenter: number | undefined;
  /** `OFPET_BAD_ACTION` */
  readonly typeName: string;
  /** `OFPBAC_BAD_OUT_PORT` */
  readonly codeName: string;
  /** The request that caused the error, when it was sent through this session. */
  readonly request: OfpMessage | undefined;

  constructor(
    /** The decoded OFPT_ERROR. */
    readonly error: ErrorMsg,
    request?: OfpMessage,
    /** What the request was part of, e.g. `bundle 7 member 3`. */
    readonly context?: string,
  ) {
    const names = errorNames(error.errType, error.code, error.experimenter);
    const text = asciiText(error.data);
    super(
      `switch rejected ${context ? `${context}: ` : ''}${describeRequest(request, error.xid)}: ` +
        `${names.type}/${names.code}${text ? ` (${text})` : ''}`,
    );
    this.errType = error.errType;
    this.code = error.code;
    this.experimenter = error.experimenter;
    this.typeName = names.type;
    this.codeName = names.code;
    this.request = request;
  }

  get xid(): number {
    return this.error.xid;
  }

  /** The offending message as echoed back in the error's data, when it decodes. */
  get echoedRequest(): OfpMessage | undefined {
    try {
      return decodeMessage(this.error.data);
    } catch {
      return undefined;
    }
  }
}

/** The peer does not speak OpenFlow 1.3, or the opening exchange failed. */
export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
  constructor(
    message: string,
    readonly target: string,
    /** Versions the peer announced (wire numbers), when it said. */
    readonly peerVersions: number[] = [],
    override readonly cause?: unknown,
  ) {
    super(`${target}: ${message}`);
  }
}

/** The session ended before the request was answered. */
export class SessionClosedError extends Error {
  override readonly name = 'SessionClosedError';
  constructor(
    readonly target: string,
    readonly request?: OfpMessage,
    override readonly cause?: unknown,
  ) {
    super(
      `${target}: connection closed${request ? ` before ${request.type} (xid ${request.xid}) was answered` : ''}` +
        (cause instanceof Error ? `: ${cause.message}` : ''),
    );
  }
}

/** No reply within the time the caller allowed. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(
    readonly target: string,
    readonly request: OfpMessage,
    readonly timeoutMs: number,
  ) {
    super(`${target}: no reply to ${request.type} (xid ${request.xid}) within ${timeoutMs} ms`);
  }
}

/** The peer stopped answering echo requests (it is gone or wedged). */
export class PeerDeadError extends Error {
  override readonly name = 'PeerDeadError';
  constructor(
    readonly target: string,
    readonly silentMs: number,
  ) {
    super(`${target}: peer silent for ${silentMs} ms and did not answer an echo request`);
  }
}

/** The switch sent a reply that does not fit the request (wrong type, broken multipart sequence). */
export class UnexpectedReplyError extends Error {
  override readonly name = 'UnexpectedReplyError';
  constructor(
    readonly target: string,
    readonly request: OfpMessage,
    readonly reply: OfpMessage,
    detail: string,
  ) {
    super(`${target}: ${detail} in reply to ${request.type} (xid ${request.xid})`);
  }
}

/** Several requests sent together failed (each failure keeps its request). */
export class BatchError extends Error {
  override readonly name = 'BatchError';
  constructor(
    readonly failures: OpenFlowError[],
    readonly total: number,
  ) {
    super(`${failures.length} of ${total} messages failed; first: ${failures[0]?.message ?? 'unknown'}`);
  }
}
