/**
 * Regenerates ovs-ofctl-3.1.0.jsonl: for each flow or group below, the OpenFlow 1.3 message the
 * installed ovs-ofctl encodes for it and the text ovs-ofctl prints when decoding those bytes.
 *
 *   npx tsx spec/vectors/actions/generate.ts
 *
 * Record fields: name, kind ("flow" | "group"), input (the ovs-ofctl text), hex (the message),
 * ovs_text (ovs-ofctl's decode of it), ovs_error (set when ovs-ofctl cannot decode its own bytes,
 * e.g. the debug actions outside a test build), ovs_version, message (the JSON form ofwire decodes
 * the hex to, checked by the tests).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeMessage, messageToJSON } from '../../../protocol/index.js';

interface Case {
  name: string;
  flow?: string;
  group?: string;
}

const cases: Case[] = [
  // ---- standard actions ----
  { name: 'output', flow: 'actions=output:1,output:65279,IN_PORT,LOCAL,NORMAL,FLOOD,ALL,TABLE' },
  { name: 'output_controller', flow: 'actions=CONTROLLER:128,controller' },
  { name: 'group', flow: 'actions=group:5,group:4294967040' },
  { name: 'set_queue', flow: 'actions=set_queue:5,output:1,set_queue:4294967294' },
  { name: 'push_pop_vlan', flow: 'actions=push_vlan:0x8100,push_vlan:0x88a8,pop_vlan' },
  { name: 'push_mpls', flow: 'ip,actions=push_mpls:0x8847,push_mpls:0x8848' },
  { name: 'pop_mpls', flow: 'mpls,actions=pop_mpls:0x0800' },
  { name: 'set_mpls_ttl', flow: 'mpls,actions=set_mpls_ttl(10),dec_mpls_ttl' },
  { name: 'dec_ttl', flow: 'ip,actions=dec_ttl' },
  { name: 'set_nw_ttl', flow: 'ip,actions=mod_nw_ttl:5' },
  { name: 'set_field_ipv4', flow: 'ip,actions=set_field:10.0.0.1->ip_dst,mod_nw_src:192.168.1.1' },
  { name: 'set_field_eth', flow: 'actions=set_field:aa:bb:cc:dd:ee:ff->eth_src,mod_dl_dst:01:02:03:04:05:06' },
  { name: 'set_field_l4', flow: 'tcp,actions=set_field:8080->tcp_dst,mod_tp_src:80' },
  { name: 'set_field_udp', flow: 'udp,actions=set_field:53->udp_dst' },
  { name: 'set_field_ipv6', flow: 'ipv6,actions=set_field:fd00::1->ipv6_dst' },
  { name: 'set_field_vlan', flow: 'actions=mod_vlan_vid:5,mod_vlan_pcp:3' },
  { name: 'set_field_dscp', flow: 'ip,actions=mod_nw_tos:16,mod_nw_ecn:1' },
  { name: 'set_field_mpls', flow: 'mpls,actions=set_mpls_label:10,set_mpls_tc:3' },
  { name: 'set_field_nxm_reg', flow: 'actions=set_field:0x5->reg1,set_field:0xfedcba9876543210->xreg0' },
  { name: 'set_field_metadata', flow: 'actions=set_field:0x1234->metadata' },
  { name: 'set_field_tun_id', flow: 'actions=set_tunnel:0x10,set_tunnel64:0x123456789,set_field:0x1234->tun_id' },
  { name: 'set_field_tun_dst', flow: 'actions=set_field:10.1.1.1->tun_dst' },
  { name: 'set_field_tun_metadata', flow: 'actions=set_field:0x1->tun_metadata1' },
  { name: 'set_field_in_port', flow: 'actions=set_field:5->in_port' },
  { name: 'set_field_pkt_mark', flow: 'actions=set_field:0x10->pkt_mark' },

  // ---- reg_load (from load: and from masked set_field) ----
  { name: 'reg_load', flow: 'actions=load:0x1->NXM_NX_REG0[0..3],load:0xffffffff->NXM_NX_REG1[],load:0x5->reg2[8..15]' },
  { name: 'reg_load_masked_set_field', flow: 'actions=set_field:5/0xff->reg1,set_field:0x8/0xf0f0->reg2' },
  { name: 'reg_load_wide', flow: 'actions=load:0xfedcba9876543210->NXM_NX_XXREG0[0..63],load:0x1->NXM_NX_TUN_ID[0..3]' },
  { name: 'reg_load_eth', flow: 'actions=load:0x010203040506->NXM_OF_ETH_DST[]' },
  { name: 'reg_load2', flow: 'actions=set_field:0x1/0x1->tun_metadata2' },

  // ---- reg_move ----
  { name: 'reg_move', flow: 'actions=move:NXM_NX_REG0[0..15]->NXM_NX_REG1[16..31],move:reg2[]->reg3[]' },
  { name: 'reg_move_eth', flow: 'actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],move:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15]' },
  { name: 'reg_move_tun', flow: 'actions=move:NXM_NX_TUN_ID[0..31]->NXM_NX_REG2[],move:NXM_NX_TUN_METADATA0[0..31]->NXM_NX_REG0[]' },
  { name: 'reg_move_ip', flow: 'ip,actions=move:NXM_OF_IP_SRC[]->NXM_OF_IP_DST[]' },

  // ---- resubmit ----
  { name: 'resubmit', flow: 'actions=resubmit:3,resubmit(,5),resubmit(1,5),resubmit(IN_PORT,7)' },
  { name: 'resubmit_ct', flow: 'ct_state=+new+trk,tcp,actions=resubmit(,5,ct),resubmit(2,6,ct)' },

  // ---- controller ----
  { name: 'controller', flow: 'actions=controller(reason=no_match,max_len=100,id=5),controller(reason=invalid_ttl)' },
  { name: 'controller_id', flow: 'actions=controller(id=7)' },
  { name: 'controller2_userdata', flow: 'actions=controller(userdata=01.02.03,pause)' },
  { name: 'controller2_meter', flow: 'actions=controller(meter_id=5),controller(max_len=100,id=3,reason=no_match,meter_id=1)' },
  { name: 'controller2_userdata_long', flow: 'actions=controller(userdata=00.01.02.03.04.05.06.07.08.09.0a.0b.0c)' },

  // ---- small Nicira actions ----
  { name: 'pop_queue', flow: 'actions=set_queue:3,pop_queue' },
  { name: 'note', flow: 'actions=note:01.02.03.04.05.06,note:aa,note:00.11.22.33.44.55.66.77.88.99' },
  { name: 'exit', flow: 'actions=output:1,exit' },
  { name: 'fin_timeout', flow: 'tcp,actions=fin_timeout(idle_timeout=10,hard_timeout=20),fin_timeout(hard_timeout=5)' },
  { name: 'dec_ttl_cnt_ids', flow: 'ip,actions=dec_ttl(1),dec_ttl(1,2,3),dec_ttl(4,5,6,7,8)' },
  { name: 'output_reg', flow: 'actions=output:NXM_NX_REG1[5..10],output:reg0' },
  { name: 'output_reg2', flow: 'dl_type=0x894f,actions=output:NXOXM_NSH_C1[0..15]' },
  { name: 'output_trunc', flow: 'actions=output(port=1,max_len=100),output(port=LOCAL,max_len=1500)' },
  { name: 'stack', flow: 'actions=push:NXM_NX_REG0[],push:NXM_NX_REG1[8..15],pop:NXM_NX_REG1[0..15]' },
  { name: 'stack_eth', flow: 'actions=push:NXM_OF_ETH_SRC[],pop:NXM_OF_ETH_DST[]' },
  { name: 'sample', flow: 'actions=sample(probability=1000,collector_set_id=1,obs_domain_id=2,obs_point_id=3)' },
  { name: 'sample2', flow: 'actions=sample(probability=65535,collector_set_id=4,obs_domain_id=5,obs_point_id=6,sampling_port=7)' },
  {
    name: 'sample3',
    flow: 'actions=sample(probability=1,collector_set_id=1,obs_domain_id=2,obs_point_id=3,sampling_port=5,ingress),sample(probability=2,collector_set_id=1,obs_domain_id=2,obs_point_id=3,egress)',
  },
  { name: 'conjunction', flow: 'actions=conjunction(1,2/3)' },
  { name: 'conjunction_many', flow: 'actions=conjunction(10,1/2),conjunction(11,2/2),conjunction(4294967295,64/64)' },
  { name: 'multipath', flow: 'actions=multipath(eth_src,50,modulo_n,1,0,NXM_NX_REG0[])' },
  { name: 'multipath_hrw', flow: 'actions=multipath(symmetric_l4,1024,hrw,12,0,NXM_NX_REG0[0..3])' },
  { name: 'multipath_iter_hash', flow: 'actions=multipath(symmetric_l3l4+udp,7,iter_hash,15,2,NXM_NX_REG1[4..7])' },
  { name: 'multipath_hash_threshold', flow: 'actions=multipath(nw_dst,0,hash_threshold,3,0,reg2[0..1])' },
  { name: 'bundle', flow: 'actions=bundle(eth_src,0,hrw,ofport,members:4,8)' },
  { name: 'bundle_active_backup', flow: 'actions=bundle(symmetric_l4,60,active_backup,ofport,members:1,2,3)' },
  { name: 'bundle_load', flow: 'actions=bundle_load(eth_src,0,hrw,ofport,NXM_NX_REG0[],members:4,8)' },
  {
    name: 'bundle_load_many',
    flow: 'actions=bundle_load(symmetric_l3,5,active_backup,ofport,NXM_NX_REG1[16..31],members:1,2,3,4,5,6,7,8,9)',
  },
  { name: 'check_pkt_larger', flow: 'actions=check_pkt_larger(1500)->NXM_NX_REG0[0],check_pkt_larger(9000)->reg1[31]' },
  { name: 'check_pkt_larger_xxreg', flow: 'actions=check_pkt_larger(1000)->NXM_NX_XXREG1[4]' },
  { name: 'delete_field', flow: 'actions=delete_field:tun_metadata0,delete_field:tun_metadata10' },
  { name: 'dec_nsh_ttl', flow: 'packet_type=(1,0x894f),actions=dec_nsh_ttl' },
  { name: 'encap_nsh', flow: 'actions=encap(nsh(md_type=1))' },
  { name: 'encap_nsh_tlv', flow: 'actions=encap(nsh(md_type=2,tlv(0x1000,10,0x12345678),tlv(0x2000,20,0x01)))' },
  { name: 'encap_other', flow: 'actions=encap(ethernet),encap(mpls),encap(mpls_mc)' },
  { name: 'decap', flow: 'actions=decap(),decap(packet_type(ns=1,type=0x800))' },
  { name: 'debug', flow: 'actions=debug_recirc,debug_slow' },

  // ---- clone ----
  { name: 'clone', flow: 'actions=clone(set_field:1->reg0,output:1)' },
  { name: 'clone_nested', flow: 'ip,actions=clone(set_field:1->reg0,clone(output:2,ct(commit)),output:1),output:3' },

  // ---- ct / nat ----
  { name: 'ct', flow: 'ip,actions=ct(commit)' },
  { name: 'ct_zone_table', flow: 'ip,actions=ct(zone=5,table=10)' },
  { name: 'ct_zone_field', flow: 'ip,actions=ct(zone=NXM_NX_REG0[0..15],table=1),ct(commit,zone=reg4[16..31])' },
  { name: 'ct_force', flow: 'ip,actions=ct(commit,force,zone=65520)' },
  { name: 'ct_alg_ftp', flow: 'tcp,actions=ct(commit,alg=ftp)' },
  { name: 'ct_alg_tftp', flow: 'udp,actions=ct(commit,alg=tftp)' },
  { name: 'ct_exec_mark', flow: 'ip,actions=ct(commit,exec(set_field:1->ct_mark))' },
  { name: 'ct_exec_label', flow: 'ip,actions=ct(commit,exec(set_field:0x1/0x1->ct_label,load:0x5->NXM_NX_CT_MARK[0..7]))' },
  { name: 'ct_exec_label_load', flow: 'ip,actions=ct(commit,exec(load:0->NXM_NX_CT_LABEL[64..127],load:0x1d->NXM_NX_CT_LABEL[0..63]))' },
  { name: 'ct_nat', flow: 'ip,actions=ct(nat,table=5)' },
  { name: 'ct_nat_src', flow: 'ip,actions=ct(commit,nat(src=10.0.0.1-10.0.0.10:1000-2000,random))' },
  { name: 'ct_nat_dst_port', flow: 'tcp,actions=ct(commit,table=20,zone=65520,nat(dst=10.244.1.5:8080))' },
  { name: 'ct_nat_hash', flow: 'ip,actions=ct(commit,nat(dst=10.0.0.128-10.0.0.254,hash))' },
  { name: 'ct_nat_persistent', flow: 'ip,actions=ct(commit,nat(src=10.0.0.240-10.0.0.254:32768-65535,persistent))' },
  { name: 'ct_nat_bare', flow: 'ip,actions=ct(commit,nat(src)),ct(commit,nat(dst))' },
  { name: 'ct_nat_ipv6', flow: 'ipv6,actions=ct(commit,nat(src=[fd00::1]-[fd00::ff]:255-4096,random))' },
  { name: 'ct_nat_ipv6_single', flow: 'ipv6,actions=ct(commit,nat(dst=fe80::20c:29ff:fe88:a18b))' },
  { name: 'ct_nat_and_mark', flow: 'ip,actions=ct(commit,zone=7,exec(set_field:0x2->ct_mark),nat(src=192.168.0.1)),output:1' },
  { name: 'ct_clear', flow: 'ip,actions=ct_clear,ct(table=1)' },

  // ---- learn ----
  {
    name: 'learn',
    flow: 'actions=learn(table=1,hard_timeout=60,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])',
  },
  {
    name: 'learn_timeouts',
    flow: 'actions=learn(table=2,idle_timeout=10,hard_timeout=20,fin_idle_timeout=2,fin_hard_timeout=4,priority=80,cookie=0x123456789abcdef0,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])',
  },
  { name: 'learn_immediate', flow: 'actions=learn(table=1,eth_type=0x800,ip_src=10.0.0.1,load:0x5->reg1[0..7],load:reg2[]->reg3[])' },
  { name: 'learn_immediate_mac', flow: 'actions=learn(table=3,eth_dst=aa:bb:cc:dd:ee:ff,load:0x1234567890->NXM_NX_XXREG0[0..39])' },
  { name: 'learn_immediate_ipv6', flow: 'actions=learn(table=3,eth_type=0x86dd,ipv6_src=fd00::1,load:0x1->reg0[0])' },
  { name: 'learn_flags', flow: 'actions=learn(table=4,delete_learned,send_flow_rem,cookie=0x1,NXM_OF_ETH_SRC[])' },
  { name: 'learn2_limit', flow: 'actions=learn(table=1,limit=10,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[])' },
  { name: 'learn2_result', flow: 'actions=learn(table=1,limit=10,result_dst=reg0[1],eth_type=0x800,ip_src=10.0.0.1,load:0x5->reg1[0..7])' },
  {
    name: 'learn_ct',
    flow: 'ip,actions=learn(table=10,idle_timeout=30,priority=100,eth_type=0x800,NXM_OF_IP_SRC[]=NXM_OF_IP_DST[],NXM_OF_IP_DST[]=NXM_OF_IP_SRC[],load:NXM_NX_REG0[]->NXM_NX_REG1[],load:0x1->NXM_NX_CT_MARK[])',
  },

  // ---- instructions ----
  { name: 'instructions_goto', flow: 'actions=goto_table:2' },
  { name: 'instructions_meter', flow: 'actions=meter:1,output:1' },
  { name: 'instructions_write_actions', flow: 'actions=write_actions(output:1,group:2),goto_table:2' },
  { name: 'instructions_clear_metadata', flow: 'actions=clear_actions,write_metadata:0x1/0xff,goto_table:3' },
  {
    name: 'instructions_all',
    flow: 'actions=meter:2,output:1,clear_actions,write_actions(set_field:0x1->reg0),write_metadata:0xfedcba9876543210,goto_table:9',
  },
  { name: 'instructions_write_metadata', flow: 'actions=write_metadata:0x1' },
  { name: 'instructions_empty', flow: 'actions=drop' },

  // ---- groups ----
  {
    name: 'group_select_ct_nat',
    group:
      'group_id=5,type=select,bucket=weight:100,actions=ct(commit,table=20,zone=65520,nat(dst=10.244.1.5:8080)),bucket=weight:50,actions=ct(commit,table=20,zone=65520,nat(dst=10.244.2.7:8080))',
  },
  { name: 'group_all', group: 'group_id=1,type=all,bucket=output:1,bucket=output:2,bucket=set_field:0x1->reg0,resubmit(,3)' },
  {
    name: 'group_ff',
    group: 'group_id=2,type=fast_failover,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,watch_group:7,actions=output:2',
  },
  {
    name: 'group_indirect',
    group: 'group_id=3,type=indirect,bucket=actions=learn(table=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]),controller(userdata=01.02)',
  },
];

const hexDumpLine = /^([0-9a-f]{8}) {2}(.{1,49})/;

/** The first hex dump in ovs-ofctl output, as one hex string. */
function hexOf(out: string): string {
  let hex = '';
  let started = false;
  for (const line of out.split('\n')) {
    const m = hexDumpLine.exec(line);
    if (!m) {
      if (started) break;
      continue;
    }
    if (m[1] === '00000000' && started) break;
    started = true;
    hex += m[2]!.split('|')[0]!.replace(/[^0-9a-f]/g, '');
  }
  return hex;
}

function run(c: Case): Record<string, string> {
  const [cmd, arg] = c.flow !== undefined ? ['parse-flow', c.flow] : ['parse-group', c.group!];
  const out = execFileSync('ovs-ofctl', ['-O', 'OpenFlow13', '-mmmmm', cmd, arg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const hex = hexOf(out);
  if (!hex) throw new Error(`${c.name}: no hex dump in ovs-ofctl output:\n${out}`);
  const outLines = out.split('\n');
  const at = outLines.findIndex((l) => l.startsWith('OFPT_'));
  let text = at < 0 ? '' : outLines[at]!.replace(/^OFPT_[A-Z_]+ \(OF1\.3\) \(xid=0x[0-9a-f]+\):\s*/, '');
  // parse-group prints the group on the next line.
  if (text === '' && at >= 0) text = outLines[at + 1] ?? '';
  const record: Record<string, string> = { name: c.name, kind: c.flow !== undefined ? 'flow' : 'group', input: arg, hex };
  const error = /\*\*\*decode error: ([A-Z_]+)\*\*\*/.exec(text);
  if (error) record.ovs_error = error[1]!;
  else record.ovs_text = text.trim();
  return record;
}

const version = execFileSync('ovs-ofctl', ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
const lines: string[] = [];
const failed: string[] = [];
for (const c of cases) {
  try {
    const record = run(c);
    lines.push(JSON.stringify({ ...record, ovs_version: version, message: messageToJSON(decodeMessage(Buffer.from(record.hex!, 'hex'))) }));
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? String(err);
    failed.push(`${c.name}: ${stderr.trim()}`);
  }
}
if (failed.length) {
  console.error(`ovs-ofctl rejected ${failed.length} cases:\n${failed.join('\n')}`);
  process.exit(1);
}
const file = join(dirname(fileURLToPath(import.meta.url)), 'ovs-ofctl-3.1.0.jsonl');
writeFileSync(file, `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} records to ${file}`);
