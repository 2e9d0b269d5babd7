/**
 * Passive mode: ofwire listens (ptcp:, pssl:, punix:) and bridges configured with
 * `ovs-vsctl set-controller BR tcp:…|ssl:…|unix:…` connect to it. One Controller serves many
 * switches; each is a Switch keyed by datapath id, kept across reconnections.
 */
import { EventEmitter } from 'eventemitter3';
import type { Logger } from '../logger.js';
import type { Channel } from '../transport/channel.js';
import { listen, type Listener, type ListenOptions } from '../transport/listen.js';
import { Session } from '../session/session.js';
import { SwitchClosedError } from './errors.js';
import { Switch, type ConnectedInfo, type SwitchOptions } from './switch.js';

/** Options of a Controller: the options of its Switches and of its listeners. */
export interface ControllerOptions extends Omit<SwitchOptions, 'connect' | 'reconnect'> {
  /** Socket options for the listeners (TLS files for pssl:). */
  listen?: ListenOptions;
}

/** The events of a Controller. */
export interface ControllerEvents {
  /** A datapath connected for the first time. */
  switch: [sw: Switch];
  /** A switch (new or known) completed its handshake. */
  connected: [sw: Switch, info: ConnectedInfo];
  disconnected: [sw: Switch, error: Error | undefined];
  /** Failed handshakes and listener failures. */
  error: [error: Error];
}

function dpidKey(dpid: string | bigint): string {
  return typeof dpid === 'bigint' ? dpid.toString(16).padStart(16, '0') : dpid.toLowerCase().replace(/^0x/, '').padStart(16, '0');
}

/**
 * A passive controller: listens on targets and gives one Switch per datapath, kept across its
 * reconnections.
 */
export class Controller extends EventEmitter<ControllerEvents> {
  private readonly sockets: Listener[] = [];
  private readonly byDpid = new Map<string, Switch>();
  private readonly handshaking = new Set<Channel>();
  private readonly log: Logger | undefined;
  private closedFlag = false;

  private constructor(private readonly opts: ControllerOptions) {
    super();
    this.log = opts.logger;
  }

  /** Listens on one or more passive targets (punix:PATH, ptcp:[PORT][:IP], pssl:[PORT][:IP]). */
  static async listen(targets: string | string[], opts: ControllerOptions = {}): Promise<Controller> {
    const c = new Controller(opts);
    try {
      for (const t of Array.isArray(targets) ? targets : [targets]) {
        const l = await listen(t, opts.listen ?? {});
        l.on('channel', (ch) => c.onChannel(ch));
        l.on('error', (err) => c.emit('error', err));
        c.sockets.push(l);
      }
    } catch (err) {
      await c.close();
      throw err;
    }
    return c;
  }

  /** Bound addresses in ovs-ofctl notation (with the real port when 0 was asked for). */
  get addresses(): string[] {
    return this.sockets.map((l) => l.address);
  }

  /** The TCP port of the first listener (0 for punix:). */
  get port(): number {
    return this.sockets[0]?.port ?? 0;
  }

  /** Switches seen so far, keyed by datapath id (16 hex digits). */
  get switches(): ReadonlyMap<string, Switch> {
    return this.byDpid;
  }

  get(dpid: string | bigint): Switch | undefined {
    return this.byDpid.get(dpidKey(dpid));
  }

  /** Resolves with the switch once it is connected (any switch when no dpid is given). */
  waitForSwitch(dpid?: string | bigint): Promise<Switch> {
    if (this.closedFlag) return Promise.reject(new SwitchClosedError('controller'));
    if (dpid !== undefined) {
      const sw = this.get(dpid);
      if (sw?.connected) return Promise.resolve(sw);
    } else {
      for (const sw of this.byDpid.values()) if (sw.connected) return Promise.resolve(sw);
    }
    return new Promise((resolve) => {
      const onConnected = (sw: Switch) => {
        if (dpid !== undefined && sw.dpid !== dpidKey(dpid)) return;
        this.off('connected', onConnected);
        resolve(sw);
      };
      this.on('connected', onConnected);
    });
  }

  /** Stops listening and closes every switch connection. */
  async close(): Promise<void> {
    if (this.closedFlag) return;
    this.closedFlag = true;
    // Stop accepting first; the listeners finish closing once every connection has ended.
    const listeners = Promise.all(this.sockets.map((l) => l.close()));
    for (const ch of this.handshaking) ch.destroy();
    await Promise.all([...this.byDpid.values()].map((sw) => sw.close()));
    await listeners;
  }

  private onChannel(channel: Channel): void {
    if (this.closedFlag) {
      channel.destroy();
      return;
    }
    this.handshaking.add(channel);
    const sessionOpts: ControllerOptions = { ...this.opts };
    Session.open(channel, sessionOpts)
      .then((session) => this.onSession(session))
      .catch((err: Error) => {
        this.log?.warn({ err: err.message, peer: channel.label }, 'handshake failed');
        this.emit('error', err);
      })
      .finally(() => this.handshaking.delete(channel));
  }

  private onSession(session: Session): void {
    if (this.closedFlag) {
      void session.close();
      return;
    }
    const key = session.dpid;
    let sw = this.byDpid.get(key);
    const isNew = !sw || sw.closed;
    if (!sw || sw.closed) {
      sw = new Switch(session.target, this.opts, { label: session.target, features: session.features });
      const s = sw;
      this.byDpid.set(key, s);
      s.on('connected', (info) => this.emit('connected', s, info));
      s.on('disconnected', (err) => this.emit('disconnected', s, err));
    }
    if (isNew) this.emit('switch', sw);
    sw.attach(session);
  }
}
