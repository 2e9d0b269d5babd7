/** Active connections: unix:PATH, tcp:HOST:PORT, ssl:HOST:PORT. */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Channel, type ChannelOptions } from './channel.js';
import { ConnectionError } from './errors.js';
import { clientTlsOptions, type TlsFiles } from './tls.js';
import { formatTarget, parseTarget, TargetError, type ActiveTarget, type Target } from './target.js';

/** Options of connect(): the Channel's options, TLS files and a connect timeout. */
export interface ConnectOptions extends Omit<ChannelOptions, 'label'> {
  /** Required for ssl: targets. */
  tls?: TlsFiles;
  /** Give up connecting after this long. Default 10 s. */
  timeoutMs?: number;
}

/** Opens a connection to an active target (a string in ovs-ofctl notation, or parsed). */
export function connect(target: string | Target, opts: ConnectOptions = {}): Promise<Channel> {
  const t = typeof target === 'string' ? parseTarget(target) : target;
  const label = formatTarget(t);
  if (t.kind !== 'unix' && t.kind !== 'tcp' && t.kind !== 'ssl') {
    return Promise.reject(new TargetError(label, `"${t.kind}:" is a listening target; use listen() for it`));
  }
  let socket: Socket;
  let readyEvent: string;
  try {
    ({ socket, readyEvent } = openSocket(t, opts));
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      fail(new ConnectionError(`connection not established within ${opts.timeoutMs ?? 10_000} ms`, label));
    }, opts.timeoutMs ?? 10_000);
    const onError = (err: Error) => fail(new ConnectionError(`cannot connect: ${err.message}`, label, err));
    function fail(err: Error) {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    }
    socket.once('error', onError);
    socket.once(readyEvent, () => {
      clearTimeout(timer);
      socket.off('error', onError);
      const channel = new Channel(socket, { ...opts, label });
      resolve(channel);
    });
  });
}

function openSocket(t: ActiveTarget, opts: ConnectOptions): { socket: Socket; readyEvent: string } {
  switch (t.kind) {
    case 'unix':
      return { socket: netConnect({ path: t.path }), readyEvent: 'connect' };
    case 'tcp':
      return { socket: netConnect({ host: t.host, port: t.port }), readyEvent: 'connect' };
    case 'ssl':
      if (!opts.tls) throw new TargetError(formatTarget(t), 'ssl: needs TLS key, certificate and CA files (options.tls)');
      return {
        socket: tlsConnect({ host: t.host, port: t.port, ...clientTlsOptions(opts.tls) }),
        readyEvent: 'secureConnect',
      };
  }
}
