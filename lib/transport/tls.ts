/**
 * TLS material for ssl:/pssl: targets, as Open vSwitch uses it: both sides present a certificate
 * signed by a CA the other trusts; host names are not checked (switches are known by certificate).
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions, TlsOptions } from 'node:tls';

/** The key, certificate and CA certificate of an ssl: or pssl: connection. */
export interface TlsFiles {
  /** Private key (PEM file path or contents). */
  key: string | Buffer;
  /** Certificate for the key (PEM file path or contents). */
  cert: string | Buffer;
  /** CA certificate(s) the peer's certificate must chain to (PEM file path or contents). */
  ca: string | Buffer;
}

/** A TLS file that cannot be read. */
export class TlsConfigError extends Error {
  override readonly name = 'TlsConfigError';
  constructor(
    readonly what: 'key' | 'cert' | 'ca',
    readonly file: string,
    reason: string,
  ) {
    super(`TLS ${what} "${file}": ${reason}`);
  }
}

function load(what: 'key' | 'cert' | 'ca', v: string | Buffer): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v.includes('-----BEGIN')) return Buffer.from(v);
  try {
    return readFileSync(v);
  } catch (err) {
    throw new TlsConfigError(what, v, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
}

export function clientTlsOptions(files: TlsFiles): ConnectionOptions {
  return {
    key: load('key', files.key),
    cert: load('cert', files.cert),
    ca: load('ca', files.ca),
    rejectUnauthorized: true,
    checkServerIdentity: () => undefined,
  };
}

export function serverTlsOptions(files: TlsFiles): TlsOptions {
  return {
    key: load('key', files.key),
    cert: load('cert', files.cert),
    ca: load('ca', files.ca),
    requestCert: true,
    rejectUnauthorized: true,
  };
}
