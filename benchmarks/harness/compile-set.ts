/**
 * The proxy's compile step without a switch, for the harnesses that time it (compile-only.ts) and
 * count its allocations (alloc-sites.ts): N services converted as a source would, then compiled
 * into a fresh desired state.
 */
import { DesiredState } from '../../lib/proxy/desired.js';
import { ServicePortIds } from '../../lib/proxy/ids.js';
import { ServiceModel } from '../../lib/proxy/model.js';
import { compilePortKeyed } from '../../lib/proxy/wire.js';
import { serviceFromObject, sliceFromObject } from '../../lib/sources/convert.js';
import type { EndpointSlice, Service } from '../../lib/sources/types.js';
import { NODE_NAME, proxyOptions, serviceObject, sliceObject } from './services.js';

export interface ConvertedSet {
  services: Service[];
  slices: EndpointSlice[];
}

/** `n` services with `endpoints` endpoints each, converted from their API objects. */
export function convertedSet(n: number, endpoints: number): ConvertedSet {
  const set = { services: n, endpointsPerService: endpoints };
  const out: ConvertedSet = { services: [], slices: [] };
  for (let i = 0; i < n; i++) {
    out.services.push(serviceFromObject(serviceObject(i)));
    out.slices.push(sliceFromObject(sliceObject(set, i)));
  }
  return out;
}

const options = proxyOptions();

/** Models and compiles every service of `set` into a new desired state; returns it. */
export function compileSet(set: ConvertedSet): DesiredState {
  const model = new ServiceModel({ nodeName: NODE_NAME });
  model.reset(set.services, set.slices);
  const ids = new ServicePortIds();
  const desired = new DesiredState();
  for (const key of model.serviceKeys()) {
    for (const sp of model.portsOf(key)) {
      const c = compilePortKeyed(options, sp, ids.acquire(sp.key));
      desired.setKeyed(sp.key, c.own, c.shared);
    }
  }
  return desired;
}
