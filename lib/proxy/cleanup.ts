/**
 * What must follow the removal of endpoints, as messages sent once the sync that removes them is
 * applied: UDP conntrack entries of the gone endpoint (a datagram flow would otherwise keep going to
 * it, as kube-proxy's conntrack cleanup prevents) and learned session-affinity flows pointing at it.
 */
import { OFPFC_DELETE, OFPG_ANY, OFPP_ANY, OFP_NO_BUFFER } from '../../protocol/constants/openflow13.js';
import { IPPROTO_UDP } from '../../protocol/constants/packet.js';
import type { Outgoing } from '../session/session.js';
import { COOKIE_EXACT_MASK, CookieKind, cookieId, cookieKind, learnedCookie } from './cookies.js';
import type { DumpedFlow } from './entries.js';
import { keyOfServiceFlow } from './ids.js';
import type { ServicePortState } from './model.js';
import { tablesOf, type ProxyOptions } from './options.js';

/** Deletes the learned affinity flows whose cookie matches `cookie` under `mask`. */
export function deleteLearned(o: ProxyOptions, cookie: bigint, mask: bigint): Outgoing {
  return {
    type: 'flow_mod',
    cookie,
    cookieMask: mask,
    tableId: tablesOf(o).affinity,
    command: OFPFC_DELETE,
    idleTimeout: 0,
    hardTimeout: 0,
    priority: 0,
    bufferId: OFP_NO_BUFFER,
    outPort: OFPP_ANY,
    outGroup: OFPG_ANY,
    flags: 0,
    match: [],
    instructions: [],
  };
}

/** Exactly one endpoint's UDP conntrack entries of one service port: original dst = service, reply src = endpoint. */
function flushUdp(o: ProxyOptions, family: string, vip: string, port: number, ip: string, endpointPort: number): Outgoing {
  return {
    type: 'nx_ct_flush',
    ipProto: IPPROTO_UDP,
    zoneId: family === 'IPv4' ? o.ctZone : o.ctZone6,
    orig: { dst: vip, dstPort: port },
    reply: { src: ip, srcPort: endpointPort },
  };
}

/** The cleanups of the endpoints of `before` that `after` (undefined: the port is gone) no longer has. */
export function removedEndpointCleanups(
  o: ProxyOptions,
  id: number,
  before: ServicePortState,
  after: ServicePortState | undefined,
): Outgoing[] {
  const gone = before.endpoints.filter((e) => !after?.endpoints.some((n) => n.ip === e.ip && n.port === e.port));
  const out: Outgoing[] = [];
  for (const ep of gone) {
    if (before.protocol === 'UDP') out.push(flushUdp(o, before.family, before.vip, before.port, ep.ip, ep.port));
    if (before.affinitySeconds > 0) out.push(deleteLearned(o, learnedCookie(o.cookiePrefix, id, ep.ip, ep.port), COOKIE_EXACT_MASK));
  }
  return out;
}

/** The compiled state of the service port with a given id, as the proxy knows it now. */
export interface CompiledPorts {
  at(id: number): { readonly compiled?: ServicePortState | undefined } | undefined;
  values(): Iterable<{ readonly id: number; readonly compiled?: ServicePortState | undefined }>;
}

/**
 * What the switch still has for endpoints that went away while the proxy was not watching (agent
 * restart), found in the flows read back from it: learned affinity flows pointing at them, and UDP
 * conntrack entries of them (through the installed slot flows that DNAT to them).
 */
export function staleCleanups(o: ProxyOptions, flows: readonly DumpedFlow[], ports: CompiledPorts): Outgoing[] {
  const t = tablesOf(o);
  const out: Outgoing[] = [];
  // The cookies learned flows may keep: those of the endpoints of services with affinity now.
  let learned: Set<bigint> | undefined;
  const keepLearned = (cookie: bigint) => {
    if (!learned) {
      learned = new Set<bigint>();
      for (const sp of ports.values()) {
        const state = sp.compiled;
        if (state && state.affinitySeconds > 0)
          for (const e of state.endpoints) learned.add(learnedCookie(o.cookiePrefix, sp.id, e.ip, e.port));
      }
    }
    return learned.has(cookie);
  };
  const serviceKeyOfId = new Map<number, string>();
  for (const f of flows) {
    if (f.tableId === t.service && cookieKind(f.cookie) === CookieKind.Service)
      serviceKeyOfId.set(cookieId(f.cookie), keyOfServiceFlow(f) ?? '');
  }
  for (const f of flows) {
    const kind = cookieKind(f.cookie);
    if (kind === CookieKind.Learned && !keepLearned(f.cookie)) out.push(deleteLearned(o, f.cookie, COOKIE_EXACT_MASK));
    if (kind !== CookieKind.Slot || f.tableId !== t.slot) continue;
    if (!f.match.some((m) => m.field === 'ip_proto' && m.value === IPPROTO_UDP)) continue;
    const apply = f.instructions.find((i) => i.type === 'apply_actions');
    const ct = apply?.type === 'apply_actions' ? apply.actions.find((a) => a.type === 'ct') : undefined;
    const nat = ct?.type === 'ct' ? ct.actions.find((a) => a.type === 'nat') : undefined;
    if (nat?.type !== 'nat' || nat.ipMin === undefined || nat.portMin === undefined) continue;
    const id = cookieId(f.cookie);
    const state = ports.at(id)?.compiled;
    if (state?.endpoints.some((e) => e.ip === nat.ipMin && e.port === nat.portMin)) continue;
    const key = state?.key ?? serviceKeyOfId.get(id);
    if (!key) continue;
    const [family, , vip, port] = key.split('|');
    out.push(flushUdp(o, family!, vip!, Number(port), String(nat.ipMin), nat.portMin));
  }
  return out;
}
