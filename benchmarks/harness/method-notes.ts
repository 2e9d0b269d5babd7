/** The report's notes on method: what each workload times, from where to where, on which service mix. */
import type { BenchRun } from './bench-run.js';
import { NORTH_SOUTH } from './results.js';
import { NODE_IP } from './services.js';

/** Adds the notes on method to the report, after the notes the workloads added while they ran. */
export function addMethodNotes(run: BenchRun): void {
  const { endpoints: E, externalEvery, sustainedRate, sustainedSeconds } = run.settings;
  run.note(
    `Service mix: each service is ClusterIP, one TCP port 80 → 8080, ${E} ready endpoints with distinct pod IPs in one EndpointSlice; 1 endpoint in 100 is on this node (hairpin flows); proxy options are the defaults plus nodeName. TCP with ${E} endpoints compiles to one select group (${E} buckets plus one weight-1 bucket that evens OVS's hash split) and one service flow per service, plus the hairpin flows and 11 fixed flows.`,
  );
  if (externalEvery !== undefined) {
    run.note(
      `North-south mix (rows \`…${NORTH_SOUTH}\`): the same services, except that every ${externalEvery}${externalEvery === 2 ? 'nd' : externalEvery === 3 ? 'rd' : 'th'} service (i mod ${externalEvery} = 0) is a NodePort (TCP node port on ${NODE_IP}) or, alternately, a LoadBalancer with one ingress IP and no node port; externalTrafficPolicy Cluster, so their external frontends SNAT to the node address. The proxy is given the node address (nodeIPs and nodePortAddresses ${NODE_IP}; \`--node-ip ${NODE_IP} --nodeport-addresses primary\` for \`ofwire proxy --once\`). An external service has two service ports (its cluster IP and its external frontend), each one select group and service flow, plus a SNAT flow; a churn step on it is two GROUP_MODs (the floor writes both and one barrier; ovs-ofctl-spawn runs \`mod-group\` twice, the row's latency is their sum). os-ken and iptables-restore are not run on this mix.`,
    );
  }
  run.note(
    "Every contender programs the same groups and flows: generated once per size with ofwire's compiler; the floor sends them pre-encoded, ovs-ofctl gets them as text printed by ofwire's formatter, os-ken builds them with its own parser. After the first run of each, `ovs-ofctl dump-flows --no-stats` and `dump-groups` of the bridge are compared with ofwire's (\"check\" column).",
  );
  run.note(
    'Each cold-sync run starts on a freshly restarted ovs-vswitchd (empty bridge). ofwire in-process: a new agent process (ServiceProxy + MemorySource, loaded before the clock), timed from proxy.start() to whenSynced() (reading the empty switch, compiling, one bundle, acknowledged). `ofwire proxy --once`: spawn to exit, Node start-up and the JSON manifest included. Floor: OPEN, every ADD, CLOSE, COMMIT and a BARRIER written at once, to the barrier reply. ovs-ofctl: `ovs-ofctl -O OpenFlow13 bundle BR FILE`, spawn to exit. os-ken: from its features event (building the messages included) to its barrier reply, over TCP on 127.0.0.1 (the others use the unix socket).',
  );
  run.note(
    "The ofwire processes (agent and CLI) run the current sources transpiled to JavaScript (node_modules/.cache/ofwire-bench), without a TypeScript loader and with the Node flags of the `ofwire` command's first line (`--max-semi-space-size=4`), so RSS and start-up are the product's. The agent's RSS includes Node itself (about 60 MB idle here) and the MemorySource's copy of the services.",
  );
  run.note(
    'Churn and recovery run with an agent that started and programmed an empty switch (a cold start, like the cold-sync agent), so its RSS is that of a running agent; the restarts run on their own agent before.',
  );
  run.note(
    "Churn: each change replaces the address of one endpoint of one service (never a local endpoint, so it is exactly one GROUP_MOD per service port: one for a ClusterIP service); ofwire is timed from upsertEndpointSlice() to the proxy's `synced` event for it, the floor from writing GROUP_MOD+BARRIER to the barrier reply, ovs-ofctl-spawn from spawn to exit. Latencies are pooled over the runs. vswitchd CPU per change = its CPU time over the runs ÷ changes.",
  );
  run.note(
    `Sustained churn: ${sustainedRate} changes/s offered for ${sustainedSeconds} s (changes issued by a 1 ms timer); a change's latency ends at the \`synced\` event of the first sync that started after the proxy received it.`,
  );
  run.note(
    'Restart: the agent stops its ServiceProxy, closes the connection, connects again and starts a new ServiceProxy on the same source state; timed from start() to whenSynced(). "re-added" = messages the new proxy sent plus flows whose duration was reset (first run). restart-process = `ofwire proxy --once` on the programmed bridge. Floor = reading the proxy\'s flows (by cookie) and all groups back on a raw socket. The in-process restart has no RSS figure (the stopped proxy\'s garbage is in the same process); restart-process gives the RSS of a real restarted process.',
  );
  run.note(
    'Recovery: ovs-vswitchd is SIGKILLed and started again; timed from just before starting it to: ofwire — the proxy\'s full `synced` event after its Switch reconnected (backoff starting at 100 ms) and reprogrammed; floor and ovs-ofctl — their bundle finished, having polled the socket every 2 ms. "socket up" is when the management socket first accepted a connection, "reconnected" when ofwire\'s Switch was connected again (both from the start of ovs-vswitchd).',
  );
  run.note(
    "iptables-restore: iptables-legacy-restore --noflush of kube-proxy-style rules (KUBE-SERVICES → KUBE-SVC-* with statistic-random jumps → KUBE-SEP-* with masquerade mark and DNAT) in a new network namespace per run, spawn to exit. The nf_tables backend (Debian's default `iptables-restore`) is quadratic here with this many chains, so it is measured at the smallest size only, when that is at most 1000 services (cold-sync-iptables-nft).",
  );
}
