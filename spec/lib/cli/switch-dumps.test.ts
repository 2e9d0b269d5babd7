/**
 * `ofwire show / dump-flows / dump-groups / dump-group-stats` print what `ovs-ofctl -O OpenFlow13`
 * prints for the same switch, line for line (durations and counters aside). The tables are filled
 * by ovs-ofctl itself, so these tests read the switch independently of ofwire's own writers. The
 * CLI runs from dist/ (`npm run build`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { createSandbox, type Sandbox } from '../../helpers/ovs-sandbox.js';

function ofwire(sb: Sandbox, args: string[], input = ''): Promise<CliResult> {
  return runCli(args, { env: sb.env, input });
}

/** Output of a successful run. */
async function out(sb: Sandbox, args: string[]): Promise<string> {
  const r = await ofwire(sb, args);
  if (r.code !== 0 || r.stderr !== '') throw new Error(`ofwire ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** Durations, ages and counters: what differs between two dumps taken one after the other. */
function stripStats(text: string): string {
  return text.replace(/duration=[0-9.]+s,\s?/g, '').replace(/(n_packets|n_bytes|packet_count|byte_count|idle_age|hard_age)=\d+,?\s?/g, '');
}

const VARIED_FLOWS = `# matches, masks, tables, cookies, timeouts, flags, instructions and many actions
table=0,priority=100,in_port=1,actions=goto_table:10
table=0,priority=90,in_port=LOCAL,dl_src=02:00:00:00:00:01,actions=output:1
table=0,priority=80,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=drop
table=0,priority=70,dl_vlan=100,actions=strip_vlan,goto_table:10
table=0,priority=60,vlan_tci=0x0000/0x1fff,actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:2
table=0,priority=50,arp,arp_tpa=10.0.0.1,arp_op=1,actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:02:00:00:00:00:fe,load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],load:0x2000000fe->NXM_NX_ARP_SHA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:0xa000001->NXM_OF_ARP_SPA[],IN_PORT
cookie=0x1234,table=0,priority=40,ip,nw_src=10.0.0.0/8,nw_dst=192.168.1.0/24,actions=dec_ttl,output:3
table=0,priority=30,ipv6,ipv6_src=2001:db8::/32,ipv6_dst=fd00::1,actions=output:4
table=0,priority=20,icmp,icmp_type=8,icmp_code=0,actions=CONTROLLER:128
table=0,priority=19,icmp6,icmp_type=135,nd_target=fe80::1,actions=NORMAL
table=0,priority=0,actions=drop
table=10,priority=200,ct_state=-trk,tcp,actions=ct(table=11,zone=65520)
table=10,priority=200,ct_state=-trk,udp,actions=ct(table=11,zone=65520)
table=11,priority=300,ct_state=+new+trk,tcp,nw_dst=10.96.0.10,tp_dst=80,actions=group:5
table=11,priority=300,ct_state=+new+trk,udp,nw_dst=10.96.0.10,tp_dst=53,actions=ct(commit,table=20,zone=65520,nat(dst=10.244.1.5:53))
table=11,priority=290,ct_state=+est+trk,ip,actions=ct(table=20,zone=65520,nat)
table=11,priority=100,tcp,tp_dst=0x1000/0xf000,actions=set_field:0x5->reg0,resubmit(,20)
table=11,priority=90,reg0=0x5/0xff,reg1=7,actions=load:0x1->NXM_NX_REG2[0..3],resubmit(,20)
table=11,priority=80,metadata=0x10/0xff,actions=write_metadata:0x20/0xff,goto_table:20
table=11,priority=70,tcp,tcp_flags=+syn-ack,actions=output:2
table=11,priority=60,sctp,sctp_dst=9,actions=output:2
table=11,priority=50,ip,nw_tos=16,nw_ecn=1,nw_ttl=3,actions=mod_nw_tos:32,output:1
table=11,priority=45,ip,nw_frag=first,actions=drop
table=11,priority=40,pkt_mark=0x5,actions=set_field:0x10->pkt_mark,clear_actions
table=11,priority=35,ct_mark=0x1/0x1,ip,actions=ct(commit,exec(set_field:0x2->ct_mark)),output:1
table=11,priority=30,conj_id=7,ip,actions=output:1
table=11,priority=29,ip,nw_src=10.1.0.1,actions=conjunction(7,1/2)
table=11,priority=29,ip,nw_dst=10.2.0.1,actions=conjunction(7,2/2)
table=20,priority=10,idle_timeout=300,hard_timeout=600,send_flow_rem,ip,actions=output:1
table=20,priority=9,cookie=0xfeed,check_overlap,udp,udp_src=68,udp_dst=67,actions=CONTROLLER:65535
table=20,priority=8,ip,actions=learn(table=30,idle_timeout=60,priority=10,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),output:1
table=20,priority=7,tun_id=0x5,actions=set_field:0x6->tun_id,output:1
table=20,priority=6,dl_type=0x88cc,actions=controller(reason=no_match,max_len=64,userdata=01.02)
table=20,priority=5,ip,actions=multipath(eth_src,50,modulo_n,1,0,NXM_NX_REG0[]),bundle(eth_src,0,active_backup,ofport,members:1,2),output:1
table=20,priority=4,mpls,mpls_label=5,actions=pop_mpls:0x0800,output:1
table=20,priority=3,ip,actions=push_mpls:0x8847,set_field:10->mpls_label,output:1
table=20,priority=2,tcp,actions=set_field:10.0.0.9->ip_dst,set_field:99->tcp_dst,output:1
table=20,priority=1,actions=note:01.02.03,sample(probability=100,collector_set_id=1),output:1
table=30,priority=1,in_port=2,actions=output:1,output:3
`;

const VARIED_GROUPS = [
  'group_id=5,type=select,bucket=weight=10,actions=ct(commit,table=20,zone=65520,nat(dst=10.244.0.5:8080)),bucket=weight=20,actions=output:2',
  'group_id=6,type=all,bucket=actions=output:1,bucket=actions=set_field:0x1->reg0,output:2',
  'group_id=7,type=indirect,bucket=actions=mod_dl_dst:02:00:00:00:00:07,output:3',
  'group_id=8,type=ff,bucket=watch_port=1,actions=output:1,bucket=watch_port=2,actions=output:2',
  'group_id=4000000000,type=select,bucket=actions=group:5',
];

async function fillSwitch(sb: Sandbox): Promise<void> {
  await sb.vsctl('add-port', sb.bridge, `${sb.bridge}p1`, '--', 'set', 'interface', `${sb.bridge}p1`, 'type=internal', 'ofport_request=1');
  for (const g of VARIED_GROUPS) await sb.ofctl('add-group', sb.bridge, g);
  const file = join(sb.dir, 'varied.flows');
  writeFileSync(file, VARIED_FLOWS);
  await sb.ofctl('add-flows', sb.bridge, file);
}

t.test('dumps equal ovs-ofctl -O OpenFlow13', async (t) => {
  const sb = await createSandbox({ t });
  await fillSwitch(sb);
  const nFlows = VARIED_FLOWS.split('\n').filter((l) => l && !l.startsWith('#')).length;

  t.test('dump-flows, with stats (durations and counters aside)', async (t) => {
    const mine = await out(sb, ['dump-flows', sb.mgmt]);
    const theirs = await sb.ofctl('dump-flows', sb.bridge);
    t.match(mine, /^OFPST_FLOW reply \(OF1\.3\) \(xid=0x2\):\n cookie=0x0, duration=/);
    t.equal(mine.split('\n').filter((l) => l.startsWith(' cookie=')).length, nFlows, 'every flow');
    t.equal(stripStats(mine), stripStats(theirs));
  });

  t.test('dump-flows --no-stats: byte for byte', async (t) => {
    const mine = await out(sb, ['--no-stats', 'dump-flows', sb.mgmt]);
    t.equal(mine, await sb.ofctl('--no-stats', 'dump-flows', sb.bridge));
    t.notMatch(mine, /duration|n_packets|OFPST_FLOW/);
  });

  t.test('dump-flows FILTER (match, table, cookie mask, out_port, out_group)', async (t) => {
    const filters = [
      'table=11',
      'tcp',
      'table=11,tcp,nw_dst=10.96.0.10',
      'cookie=0x1234/-1',
      'out_port=1',
      'out_group=5',
      'ip,nw_src=10.0.0.0/8',
      'in_port=LOCAL',
      'table=99',
    ];
    for (const f of filters) {
      t.equal(stripStats(await out(sb, ['dump-flows', sb.mgmt, f])), stripStats(await sb.ofctl('dump-flows', sb.bridge, f)), f);
      t.equal(
        await out(sb, ['dump-flows', sb.mgmt, f, '--no-stats']),
        await sb.ofctl('--no-stats', 'dump-flows', sb.bridge, f),
        `--no-stats ${f}`,
      );
    }
    t.equal(
      stripStats(await out(sb, ['--no-names', 'dump-flows', sb.mgmt, 'table=11'])),
      stripStats(await sb.ofctl('--no-names', 'dump-flows', sb.bridge, 'table=11')),
      '--no-names',
    );
  });

  t.test('dump-flows FILTER naming a port', async (t) => {
    const f = `in_port=${sb.bridge}p1`;
    t.equal(stripStats(await out(sb, ['dump-flows', sb.mgmt, f])), stripStats(await sb.ofctl('dump-flows', sb.bridge, f)), f);
  });

  t.test('dump-groups', async (t) => {
    const mine = await out(sb, ['dump-groups', sb.mgmt]);
    t.equal(mine, await sb.ofctl('dump-groups', sb.bridge));
    t.equal(mine.split('\n').filter((l) => l.startsWith(' group_id=')).length, VARIED_GROUPS.length);
  });

  t.test('dump-group-stats, all or one', async (t) => {
    t.equal(stripStats(await out(sb, ['dump-group-stats', sb.mgmt])), stripStats(await sb.ofctl('dump-group-stats', sb.bridge)));
    const one = stripStats(await sb.ofctl('dump-group-stats', sb.bridge, 'group_id=6'));
    t.match(one, /group_id=6,ref_count=0/);
    t.equal(stripStats(await out(sb, ['dump-group-stats', sb.mgmt, 'group_id=6'])), one);
    t.equal(stripStats(await out(sb, ['dump-group-stats', sb.mgmt, '6'])), one, 'a bare group number too');
    t.equal(
      stripStats(await out(sb, ['--no-names', 'dump-group-stats', sb.mgmt])),
      stripStats(await sb.ofctl('--no-names', 'dump-group-stats', sb.bridge)),
      '--no-names',
    );
  });

  t.test('show', async (t) => {
    const mine = await out(sb, ['show', sb.mgmt]);
    // Port names come from the switch's port descriptions, so both print them the same way.
    t.equal(mine, await sb.ofctl('show', sb.bridge));
    t.match(mine, new RegExp(`^OFPT_FEATURES_REPLY \\(OF1\\.3\\) \\(xid=0x2\\): dpid:${sb.datapathId}\\n`));
    t.match(mine, new RegExp(` 1\\(${sb.bridge}p1\\): addr:`));
    t.match(mine, /OFPT_GET_CONFIG_REPLY \(OF1\.3\) \(xid=0x5\): frags=normal miss_send_len=0\n$/);
  });

  t.test('options before, between and after the verb; bare bridge name as TARGET', async (t) => {
    const expected = await sb.ofctl('--no-stats', 'dump-flows', sb.bridge, 'table=0');
    for (const args of [
      ['--no-stats', '-O', 'OpenFlow13', 'dump-flows', sb.bridge, 'table=0'],
      ['dump-flows', '--no-stats', sb.bridge, 'table=0', '--protocols=OpenFlow13'],
      ['dump-flows', sb.bridge, 'table=0', '--no-st', '-OOpenFlow10,OpenFlow13'],
      ['-O', 'OpenFlow13', '--no-stats', 'dump-flows', '--', sb.bridge, 'table=0'],
    ]) {
      t.equal(await out(sb, args), expected, args.join(' '));
    }
  });
});

t.test('a dump of several reply messages prints each with its header, flags=[more] included', async (t) => {
  const sb = await createSandbox({ t });
  const file = join(sb.dir, 'many.flows');
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++)
    lines.push(
      `table=1,priority=${i % 100},tcp,nw_dst=10.1.${i >> 8}.${i & 255},tp_dst=${i},actions=ct(commit,nat(dst=10.2.0.1:80)),output:1`,
    );
  writeFileSync(file, lines.join('\n') + '\n');
  await sb.ofctl('--bundle', 'add-flows', sb.bridge, file);
  const mine = await out(sb, ['dump-flows', sb.bridge]);
  t.ok((mine.match(/flags=\[more\]/g) ?? []).length >= 2, 'several parts');
  t.equal(stripStats(mine), stripStats(await sb.ofctl('dump-flows', sb.bridge)));
  t.equal(await out(sb, ['dump-flows', '--no-stats', sb.bridge]), await sb.ofctl('--no-stats', 'dump-flows', sb.bridge));
});
