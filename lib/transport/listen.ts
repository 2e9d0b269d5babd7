/** Passive targets: punix:PATH, ptcp:[PORT][:IP], pssl:[PORT][:IP] — switches connect to us. */
import { lstatSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { EventEmitter } from 'eventemitter3';
import { Channel, type ChannelOptions } from './channel.js';
import { ConnectionError } from './errors.js';
import { serverTlsOptions, type TlsFiles } from './tls.js';
import { formatTarget, parseTarget, TargetError, type PassiveTarget, type Target } from './target.js';

/** Options of listen(): the Channel's options and, for pssl:, the TLS files. */
export interface ListenOptions extends Omit<ChannelOptions, 'label'> {
  /** Required for pssl: targets. */
  tls?: TlsFiles;
}

/** The events of a Listener. */
export interface ListenerEvents {
  /** A peer connected; the channel is ready for the handshake. */
  channel: [channel: Channel];
  /** A failure that did not stop the listener (e.g. a failed TLS handshake). */
  error: [error: Error];
  close: [];
}

/**
 * A listening socket of a passive target (ptcp:, pssl:, punix:) that emits a Channel per connected
 * switch.
 */
export class Listener extends EventEmitter<ListenerEvents> {
  constructor(
    private readonly server: Server,
    readonly target: PassiveTarget,
  ) {
    super();
  }

  /** The bound target, with the real port when port 0 was asked for. */
  get address(): string {
    const a = this.server.address();
    if (a && typeof a === 'object') {
      const bound = { ...this.target, port: a.port } as PassiveTarget;
      return formatTarget(bound);
    }
    return formatTarget(this.target);
  }

  /** The bound TCP port (0 for punix:). */
  get port(): number {
    const a = this.server.address();
    return a && typeof a === 'object' ? a.port : 0;
  }

  /** Stops accepting; existing channels stay open. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      if (this.target.kind === 'punix') removeStaleSocket(this.target.path);
    });
  }
}

function removeStaleSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // nothing there
  }
}

/** Starts listening on a passive target. */
export function listen(target: string | Target, opts: ListenOptions = {}): Promise<Listener> {
  const t = typeof target === 'string' ? parseTarget(target) : target;
  const label = formatTarget(t);
  if (t.kind !== 'punix' && t.kind !== 'ptcp' && t.kind !== 'pssl') {
    return Promise.reject(new TargetError(label, `"${t.kind}:" is an active target; use connect() for it`));
  }
  let server: Server;
  if (t.kind === 'pssl') {
    if (!opts.tls) return Promise.reject(new TargetError(label, 'pssl: needs TLS key, certificate and CA files (options.tls)'));
    server = createTlsServer(serverTlsOptions(opts.tls));
  } else {
    server = createServer();
  }
  const listener = new Listener(server, t);
  let accepts = 0;
  const accepted = (socket: Socket) => {
    accepts++;
    const peer =
      t.kind === 'punix' ? `${label}#${accepts}` : `${t.kind === 'pssl' ? 'ssl' : 'tcp'}:${socket.remoteAddress}:${socket.remotePort}`;
    listener.emit('channel', new Channel(socket, { ...opts, label: peer }));
  };
  server.on(t.kind === 'pssl' ? 'secureConnection' : 'connection', accepted);
  if (t.kind === 'pssl') {
    server.on('tlsClientError', (err: Error) =>
      listener.emit('error', new ConnectionError(`TLS handshake failed: ${err.message}`, label, err)),
    );
  }
  server.on('close', () => listener.emit('close'));
  return new Promise((resolve, reject) => {
    const onListenError = (err: Error) => reject(new ConnectionError(`cannot listen: ${err.message}`, label, err));
    const onListening = () => {
      server.off('error', onListenError);
      server.on('error', (err) => listener.emit('error', new ConnectionError(err.message, label, err)));
      resolve(listener);
    };
    server.once('error', onListenError);
    if (t.kind === 'punix') {
      removeStaleSocket(t.path);
      server.listen({ path: t.path }, onListening);
    } else {
      server.listen({ port: t.port, host: t.host }, onListening);
    }
  });
}
