/**
 * The controller API alone, without the proxy: an ARP responder for a gateway address (pods get
 * the gateway's MAC from the switch itself) and a select group, installed atomically.
 *
 *   OFWIRE_BRIDGE=unix:/tmp/sandbox/br0.mgmt npx tsx examples/arp-responder.ts
 */
import { Switch } from 'ofwire';

const bridge = process.env.OFWIRE_BRIDGE ?? 'unix:/var/run/openvswitch/br-int.mgmt';
const gatewayIp = process.env.GATEWAY_IP ?? '10.244.0.1';
const gatewayMac = process.env.GATEWAY_MAC ?? '0a:58:0a:f4:00:01';

const sw = await Switch.connect(bridge);

// An ARP request for the gateway becomes its own reply, sent back out of the port it came in on.
const arpReply = [
  'move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]',
  `set_field:${gatewayMac}->eth_src`,
  'set_field:2->arp_op',
  'move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[]',
  'move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[]',
  `set_field:${gatewayMac}->arp_sha`,
  `set_field:${gatewayIp}->arp_spa`,
  'IN_PORT',
].join(',');

await sw.bundle((b) => {
  b.addFlow(`cookie=0xa2,table=0,priority=100,arp,arp_op=1,arp_tpa=${gatewayIp},actions=${arpReply}`);
  // A select group spreading traffic to 10.96.0.100:80 over two pods, with conntrack DNAT.
  b.addGroup(
    'group_id=100,type=select,' +
      'bucket=actions=ct(commit,table=20,zone=65520,nat(dst=10.244.0.11:8080)),' +
      'bucket=actions=ct(commit,table=20,zone=65520,nat(dst=10.244.0.12:8080))',
  );
  b.addFlow('cookie=0xa2,table=0,priority=90,ct_state=-trk,ip,actions=ct(table=1,zone=65520,nat)');
  b.addFlow('cookie=0xa2,table=1,priority=100,ct_state=+new+trk,tcp,nw_dst=10.96.0.100,tp_dst=80,actions=group:100');
});

for (const g of await sw.dumpGroups()) console.log(`group ${g.groupId}: ${g.buckets.length} buckets`);
console.log(`ARP responder for ${gatewayIp} is ${gatewayMac}`);
await sw.close();
