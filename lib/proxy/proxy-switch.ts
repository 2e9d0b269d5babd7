/**
 * What the service proxy needs from a switch: the reconciler's requests and bundles, the dumps it
 * reads installed entries back from, packet-out for refusals, and the connection events. The
 * controller API's Switch provides it; so can anything else that speaks to one switch.
 */
import type { Action } from '../../protocol/index.js';
import type { FlowFilter } from '../controller/specs.js';
import type { SwitchEvents } from '../controller/switch.js';
import type { ReconcilerSwitch } from './reconcile.js';

type ProxyEvent = 'connected' | 'disconnected' | 'packetIn';

/** The members of a Switch that a ServiceProxy uses. */
export interface ProxySwitch extends ReconcilerSwitch {
  /** True while a session with the switch is open. */
  readonly connected: boolean;
  on<E extends ProxyEvent>(event: E, listener: (...args: SwitchEvents[E]) => void): unknown;
  off<E extends ProxyEvent>(event: E, listener: (...args: SwitchEvents[E]) => void): unknown;
  /** Bodies of the flow stats reply for `filter`, undecoded. */
  dumpFlowsRaw(filter: FlowFilter): Promise<Buffer[]>;
  /** Bodies of the group description reply, undecoded. */
  dumpGroupsRaw(): Promise<Buffer[]>;
  packetOut(packet: { data: Buffer; actions: Action[]; inPort?: number }): Promise<void>;
  /** Resolves once the switch has processed everything sent before. */
  barrier(): Promise<void>;
}
