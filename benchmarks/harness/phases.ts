/**
 * Where the agent's time goes: wall-clock time inside the proxy's compile step (a service's ports
 * into the desired state), the diff against the installed state, encoding messages into the
 * outgoing buffer, and handing bytes to the socket — each counted once (time in a nested counted
 * call belongs to the inner step). The rest of a timed section is waiting: for the switch, for
 * the event loop, for the source. Installed on the classes' prototypes by the agent process only.
 */
import { Channel } from '../../lib/transport/channel.js';
import { Session } from '../../lib/session/session.js';
import { Reconciler } from '../../lib/proxy/reconcile.js';
import { ServiceModel } from '../../lib/proxy/model.js';
import { ServiceProxy } from '../../lib/proxy/proxy.js';

export interface PhaseSeconds {
  /** Source changes applied to the service model. */
  model: number;
  compile: number;
  diff: number;
  encode: number;
  write: number;
}

const ms: PhaseSeconds = { model: 0, compile: 0, diff: 0, encode: 0, write: 0 };
/** Time spent in counted calls so far (what an outer counted call subtracts). */
let counted = 0;
let installed = false;
/** Off: the wrappers only call through (for timings that must not carry the counting's cost). */
let on = true;

function count(proto: object, method: string, phase: keyof PhaseSeconds): void {
  const target = proto as Record<string, (...args: unknown[]) => unknown>;
  const original = target[method];
  if (typeof original !== 'function') throw new Error(`phases: ${method} is not a method to count`);
  target[method] = function (this: unknown, ...args: unknown[]) {
    if (!on) return original.apply(this, args);
    const t0 = performance.now();
    const inner = counted;
    try {
      return original.apply(this, args);
    } finally {
      const spent = performance.now() - t0;
      ms[phase] += spent - (counted - inner);
      counted = inner + spent;
    }
  };
}

/** Turns counting on or off (it is on once installed). */
export function setCounting(enabled: boolean): void {
  on = enabled;
}

/** Starts counting (once per process). */
export function countPhases(): void {
  if (installed) return;
  installed = true;
  count(ServiceModel.prototype, 'apply', 'model');
  count(ServiceModel.prototype, 'reset', 'model');
  count(ServiceModel.prototype, 'portsOf', 'model');
  count(ServiceProxy.prototype, 'recompute', 'compile');
  count(Reconciler.prototype, 'plan', 'diff');
  count(Session.prototype, 'trackEncoded', 'encode');
  count(Session.prototype, 'sendEncoded', 'encode');
  count(Channel.prototype, 'send', 'encode');
  count(Channel.prototype, 'flush', 'write');
}

const PHASES = Object.keys(ms) as (keyof PhaseSeconds)[];

/** The counters now, in seconds (subtract two readings to time a section). */
export function phaseSeconds(): PhaseSeconds {
  const out = { ...ms };
  for (const k of PHASES) out[k] /= 1000;
  return out;
}

export function phasesSince(before: PhaseSeconds): PhaseSeconds {
  const out = phaseSeconds();
  for (const k of PHASES) out[k] -= before[k];
  return out;
}
