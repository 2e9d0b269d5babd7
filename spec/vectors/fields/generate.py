#!/usr/bin/env python3
"""Regenerates fields.jsonl: for each case, the OpenFlow 1.3 FLOW_MOD bytes the installed
ovs-ofctl sends for `priority=100,CONTEXT,FIELD=VALUE,actions=drop` and the match text it
normalizes the flow to (or the error it gives).

    python3 spec/vectors/fields/generate.py        # from the repository root

Each output line: {"field", "context", "value", "input", "hex", "match"} or, for text ovs-ofctl
refuses, {"field", "context", "value", "input", "error"}.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (field as written, context fields, values).  The context supplies the prerequisites.
CASES = [
    # metadata
    ("dp_hash", "", ["0", "5", "0xffffffff", "0x12/0xff"]),
    ("recirc_id", "", ["0", "5", "4294967295"]),
    ("conj_id", "", ["0", "7", "0x10000"]),
    ("packet_type", "", ["(1,0x800)", "(1,0x86dd)"]),
    ("metadata", "", ["0", "5", "0xfedcba9876543210", "0x5/0xff", "0x100000000/0xffffffff00000000"]),
    ("in_port", "", ["1", "5", "65279", "LOCAL", "local", "controller", "IN_PORT", "ANY", "NORMAL", "FLOOD", "ALL", "TABLE", "65280", "4294967040", "65534"]),
    ("in_port_oxm", "", ["7"]),
    ("actset_output", "", ["5", "CONTROLLER", "LOCAL", "unset", "65534"]),
    ("pkt_mark", "", ["0", "5", "0xffffffff", "0x5/0xff", "0x80000000/0x80000000"]),
    # tunnel
    ("tun_id", "", ["0", "5", "0x123456789abcdef0", "0x5/0xff", "0xffffffffffffffff"]),
    ("tunnel_id", "", ["9"]),
    ("tun_src", "", ["1.2.3.4", "10.0.0.0/8", "10.0.0.1/255.0.255.0", "0.0.0.0"]),
    ("tun_dst", "", ["192.168.1.1", "192.168.0.0/16"]),
    ("tun_ipv6_src", "", ["::1", "fe80::/10", "2001:db8::1/ffff::ff"]),
    ("tun_ipv6_dst", "", ["2001:db8::5", "2001:db8::/32"]),
    ("tun_flags", "", ["+oam", "-oam", "oam", "0", "0x1/0x1"]),
    ("tun_gbp_id", "", ["0", "5", "65535", "0x10/0xf0"]),
    ("tun_gbp_flags", "", ["0", "3", "0xff", "3/3"]),
    ("tun_erspan_idx", "tun_erspan_ver=1", ["0x1234", "5"]),
    ("tun_erspan_ver", "", ["1", "2", "1/0xf"]),
    ("tun_erspan_dir", "tun_erspan_ver=2", ["1"]),
    ("tun_erspan_hwid", "tun_erspan_ver=2", ["3", "0x3f"]),
    ("tun_gtpu_flags", "", ["1", "0xff"]),
    ("tun_gtpu_msgtype", "", ["3", "255"]),
    # conntrack
    ("ct_state", "", ["+trk", "+new+trk", "-new+est+trk", "+trk-inv", "new|trk", "0x21", "0x21/0x21", "0", "+rpl+snat+dnat+rel"]),
    ("ct_zone", "", ["0", "5", "65535", "0x10"]),
    ("ct_mark", "", ["0", "5", "0x5/0xff", "0xffffffff"]),
    ("ct_label", "", ["0", "5", "0x5/0xff", "0x1000000000000000000000000000000f", "0x1/0x1"]),
    ("ct_nw_proto", "ct_state=+trk+new", ["6", "17"]),
    ("ct_nw_src", "ct_state=+trk+new,ip", ["1.2.3.4", "10.0.0.0/8"]),
    ("ct_nw_dst", "ct_state=+trk+est,ip", ["10.96.0.10", "10.96.0.0/255.255.0.0"]),
    ("ct_ipv6_src", "ct_state=+trk+new,ipv6", ["fd00::1", "fd00::/8"]),
    ("ct_ipv6_dst", "ct_state=+trk+new,ipv6", ["fd00::2"]),
    ("ct_tp_src", "ct_state=+trk+new,ip,ct_nw_proto=6", ["80", "0x50/0xfff0"]),
    ("ct_tp_dst", "ct_state=+trk+new,ip,ct_nw_proto=17", ["53", "0/0xff00"]),
    # registers
    ("reg0", "", ["0", "5", "0xffffffff", "0x5/0xff", "0/0x1"]),
    *((f"reg{i}", "", [hex(1 << i)]) for i in range(1, 15)),
    ("reg15", "", ["0xdeadbeef/0xffff0000"]),
    ("xreg0", "", ["5", "0x100000005", "0x5/0xff", "0x100000000/0x100000000", "0xffffffffffffffff"]),
    ("xreg3", "", ["0x1234"]),
    ("xreg7", "", ["0x8000000000000000/0x8000000000000000"]),
    ("xxreg0", "", ["5", "0x1/0x1", "0x1000000000000000000000000000002"]),
    ("xxreg1", "", ["0x5/0xff"]),
    ("xxreg3", "", ["0xffffffffffffffffffffffffffffffff"]),
    # Ethernet, VLAN
    ("eth_src", "", ["00:11:22:33:44:55", "01:00:00:00:00:00/01:00:00:00:00:00", "aa:bb:cc:dd:ee:ff/ff:ff:ff:00:00:00"]),
    ("dl_src", "", ["00:00:00:00:00:01"]),
    ("eth_dst", "", ["ff:ff:ff:ff:ff:ff", "0:1:2:3:4:5", "00:00:00:00:00:00/01:00:00:00:00:00"]),
    ("dl_dst", "", ["02:00:00:00:00:02"]),
    ("eth_type", "", ["0x88cc", "0x0800", "0x86dd", "0x0806", "0x8847"]),
    ("dl_type", "", ["0x894f", "2048"]),
    ("vlan_tci", "", ["0", "0x1005", "0x1000/0x1000", "0x0123/0x0fff", "0xf005", "0x1000/0xf000"]),
    ("dl_vlan", "", ["5", "0", "4095"]),
    ("vlan_vid", "", ["5", "0x1005", "0x1000/0x1000", "0x1005/0x1ff0", "0"]),
    ("dl_vlan_pcp", "", ["3", "0", "7"]),
    ("dl_vlan_pcp", "dl_vlan=5", ["2"]),
    ("vlan_pcp", "", ["3"]),
    ("vlan_pcp", "vlan_vid=0x1005", ["7"]),
    # MPLS
    ("mpls_label", "mpls", ["5", "0", "1048575"]),
    ("mpls_label", "mplsm", ["3"]),
    ("mpls_tc", "mpls", ["3", "7"]),
    ("mpls_bos", "mpls", ["1", "0"]),
    ("mpls_ttl", "mpls", ["5", "255"]),
    # IPv4, IPv6
    ("ip_src", "ip", ["10.0.0.1", "10.0.0.0/8", "10.0.0.1/255.0.255.0", "0.0.0.0/1", "1.2.3.4/32"]),
    ("nw_src", "ip", ["192.168.0.0/24"]),
    ("ip_src", "ip", ["172.16.0.1", "255.255.255.255"]),
    ("ip_dst", "ip", ["10.96.0.10", "10.96.0.0/12"]),
    ("nw_dst", "tcp", ["10.0.0.5"]),
    ("ipv6_src", "ipv6", ["::1", "fe80::/10", "::1/ffff::ff", "2001:db8::1:0:0:1", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8"]),
    ("ipv6_dst", "ipv6", ["fd00::10", "fd00::/64"]),
    ("ipv6_label", "ipv6", ["5", "0xfffff", "0x5/0xff", "0x12345/0xfffff"]),
    ("ip_proto", "ip", ["6", "17", "47", "1"]),
    ("nw_proto", "ipv6", ["58", "132", "89"]),
    ("nw_tos", "ip", ["0", "16", "252", "4"]),
    ("ip_dscp", "ip", ["0", "4", "63"]),
    ("ip_ecn", "ip", ["1", "3", "0"]),
    ("nw_ecn", "ipv6", ["2"]),
    ("nw_ttl", "ip", ["5", "0", "255"]),
    ("nw_ttl", "ipv6", ["64"]),
    ("ip_frag", "ip", ["no", "yes", "first", "later", "not_later"]),
    ("nw_frag", "ipv6", ["yes", "later"]),
    # ARP
    ("arp_op", "arp", ["1", "2", "255"]),
    ("arp_op", "rarp", ["3"]),
    ("arp_spa", "arp", ["10.0.0.1", "10.0.0.0/8"]),
    ("arp_tpa", "arp", ["10.0.0.2", "10.0.0.0/255.255.0.0"]),
    ("arp_sha", "arp", ["00:11:22:33:44:55", "00:11:22:00:00:00/ff:ff:ff:00:00:00"]),
    ("arp_tha", "arp", ["00:00:00:00:00:00", "66:77:88:99:aa:bb"]),
    # transport
    ("tcp_src", "tcp", ["80", "0", "65535", "0x50/0xfff0", "0x400/0xfc00"]),
    ("tcp_dst", "tcp", ["443", "0x1000/0xf000"]),
    ("tcp_dst", "tcp6", ["22"]),
    ("tp_src", "tcp", ["8080", "0x10/0xff"]),
    ("tp_dst", "tcp", ["80"]),
    ("tp_src", "udp", ["53"]),
    ("tp_dst", "udp6", ["0x35/0xffff"]),
    ("tp_src", "sctp", ["5"]),
    ("tp_src", "icmp", ["3"]),
    ("tp_dst", "icmp6", ["4"]),
    ("tcp_flags", "tcp", ["+syn", "+syn-ack", "syn|ack", "0x12", "0x12/0x12", "+fin+syn+rst+psh+ack+urg+ece+cwr+ns", "-rst", "0x200/0x200", "fin"]),
    ("tcp_flags", "tcp6", ["+ack"]),
    ("udp_src", "udp", ["53", "0x1000/0xf000"]),
    ("udp_dst", "udp", ["4789", "68"]),
    ("udp_dst", "udp6", ["547"]),
    ("sctp_src", "sctp", ["1", "0x100/0xff00"]),
    ("sctp_dst", "sctp", ["2"]),
    ("sctp_dst", "sctp6", ["3"]),
    ("icmp_type", "icmp", ["0", "8", "255"]),
    ("icmp_code", "icmp", ["0", "3"]),
    ("icmpv6_type", "icmp6", ["128", "1"]),
    ("icmpv6_code", "icmp6", ["0", "4"]),
    ("icmp_type", "icmp6", ["135"]),
    # neighbor discovery
    ("nd_target", "icmp6,icmp_type=135,icmp_code=0", ["fe80::1", "fe80::/64"]),
    ("nd_target", "icmp6,icmp_type=136", ["2001:db8::1"]),
    ("nd_sll", "icmp6,icmp_type=135", ["00:11:22:33:44:55", "00:11:22:00:00:00/ff:ff:ff:00:00:00"]),
    ("nd_tll", "icmp6,icmp_type=136", ["66:77:88:99:aa:bb"]),
    ("nd_reserved", "icmp6,icmp_type=136", ["3", "0"]),
    ("nd_options_type", "icmp6,icmp_type=135", ["1", "2"]),
    # NSH
    ("nsh_flags", "dl_type=0x894f", ["1", "0x2/0x2"]),
    ("nsh_ttl", "dl_type=0x894f", ["63"]),
    ("nsh_mdtype", "dl_type=0x894f", ["1", "2"]),
    ("nsh_np", "dl_type=0x894f", ["3"]),
    ("nsh_spi", "dl_type=0x894f", ["0x123", "5"]),
    ("nsp", "dl_type=0x894f", ["0x10"]),
    ("nsh_si", "dl_type=0x894f", ["5", "255"]),
    ("nsi", "dl_type=0x894f", ["1"]),
    ("nsh_c1", "dl_type=0x894f,nsh_mdtype=1", ["5", "0x5/0xff"]),
    ("nsh_c4", "dl_type=0x894f,nsh_mdtype=1", ["0xffffffff"]),
    ("nshc2", "dl_type=0x894f,nsh_mdtype=1", ["7"]),
    # combinations, as a service proxy writes them
    ("nw_dst", "ct_state=+new+trk,tcp,tp_dst=80", ["10.96.0.10"]),
    ("reg0", "ip,nw_dst=10.96.0.0/12,ct_state=-new+est+trk,ct_mark=0x1/0x1", ["0x1/0x1"]),
    ("in_port", "ip,dl_dst=fa:16:3e:00:00:01,reg1=0x5", ["LOCAL"]),
    ("nw_ttl", "ip,nw_src=10.0.0.0/8,nw_dst=10.0.0.1,nw_tos=32,nw_ecn=2,ip_frag=not_later,in_port=3,dl_src=00:00:00:00:00:01", ["9"]),
    ("ipv6_label", "tcp6,ipv6_src=fd00::/8,ipv6_dst=fd00::1,nw_tos=4,tcp_flags=+syn,tp_src=1,tp_dst=2,reg3=4", ["0x1"]),
    ("nd_tll", "icmp6,icmp_type=136,icmp_code=0,nd_target=fe80::1,nd_reserved=5,nd_options_type=2,dl_vlan=7,dl_vlan_pcp=1", ["00:00:00:00:00:02"]),
    ("arp_tha", "arp,arp_op=2,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,arp_sha=00:00:00:00:00:01,eth_dst=ff:ff:ff:ff:ff:ff", ["00:00:00:00:00:03"]),
    ("mpls_ttl", "mpls,mpls_label=16,mpls_tc=1,mpls_bos=1,vlan_tci=0x1000/0x1000", ["64"]),
    ("ct_zone", "ct_state=-new+est-rel+rpl-inv+trk,ct_mark=0x1/0x1,ct_label=0x2/0x2,tun_id=0x10,tun_src=1.1.1.1,tun_flags=+oam,pkt_mark=0x5,metadata=0x1/0x1,xreg2=0x1/0x1", ["7"]),
    ("ct_tp_dst", "ct_state=+trk+new,ipv6,ct_ipv6_src=fd00::1,ct_ipv6_dst=fd00::2,ct_nw_proto=6,ct_tp_src=1234,dp_hash=0x5/0xf,recirc_id=1,conj_id=3,actset_output=4", ["80"]),
    ("udp_dst", "udp,in_port=LOCAL,dl_type=0x0800,nw_proto=17,tp_src=0x100/0xff00", ["4789"]),
    # text ovs-ofctl refuses
    ("tcp_flags", "tcp", ["+bogus", "0x1000", "syn+ack", "+syn+syn"]),
    ("ct_state", "", ["+bogus", "0x100"]),
    ("tun_flags", "", ["+df", "2"]),
    ("ip_frag", "ip", ["maybe", "0x3/0x1"]),
    ("nw_src", "ip", ["1.2.3.4/33", "1.2.3", "1.2.3.256", "hello"]),
    ("ipv6_src", "ipv6", ["fe80::1/129", "fe80:::1", "1:2:3:4:5:6:7:8:9"]),
    ("eth_src", "", ["00:11:22:33:44", "zz:11:22:33:44:55", "00:11:22:33:44:55/ff"]),
    ("in_port", "", ["0xfff8", "bogus", "1/1", "4294967039"]),
    ("reg0", "", ["0x100000000", "abc", "5/xyz", "4294967296"]),
    ("ip_proto", "ip", ["6/0xf0", "256"]),
    ("tun_id", "", ["0x10000000000000000"]),
    ("packet_type", "", ["(1)", "1,2"]),
]


# set_field actions print the value as meta-flow formats a field: (field, context, value).
SET_FIELD_CASES = [
    ("reg0", "", "5"), ("reg3", "", "0"), ("reg15", "", "0xffffffff"), ("xreg0", "", "5"), ("xxreg1", "", "0x10"),
    ("tun_id", "", "5"), ("tun_id", "", "0"), ("tun_src", "", "1.2.3.4"), ("tun_ipv6_dst", "", "fd00::1"),
    ("tun_gbp_id", "", "5"), ("tun_gbp_flags", "", "3"), ("pkt_mark", "", "0x10"), ("metadata", "", "0x5"),
    ("in_port", "", "LOCAL"), ("in_port", "", "5"), ("in_port", "", "controller"),
    ("eth_src", "", "00:11:22:33:44:55"), ("eth_dst", "", "ff:ff:ff:ff:ff:ff"),
    ("ip_dst", "ip", "10.0.0.1"), ("nw_src", "ip", "192.168.0.1"), ("nw_tos", "ip", "16"), ("ip_dscp", "ip", "4"),
    ("nw_ecn", "ip", "1"), ("nw_ttl", "ip", "64"), ("ipv6_src", "ipv6", "fe80::1"), ("ipv6_label", "ipv6", "0x12345"),
    ("tcp_dst", "tcp", "80"), ("tcp_src", "tcp", "0"), ("udp_src", "udp", "53"), ("sctp_dst", "sctp", "9"),
    ("icmp_type", "icmp", "8"), ("icmpv6_code", "icmp6", "0"), ("arp_op", "arp", "2"), ("arp_sha", "arp", "00:00:00:00:00:01"),
    ("arp_tpa", "arp", "10.0.0.9"), ("nd_target", "icmp6,icmp_type=135", "fe80::2"), ("nd_sll", "icmp6,icmp_type=135", "00:01:02:03:04:05"),
    ("mpls_label", "mpls", "5"), ("mpls_tc", "mpls", "3"), ("mpls_ttl", "mpls", "9"), ("vlan_vid", "dl_vlan=1", "0x1005"),
    ("vlan_pcp", "dl_vlan=1", "3"), ("vlan_tci", "", "0x1005"),
]


def run(args):
    return subprocess.run(["ovs-ofctl", "-O", "OpenFlow13", *args], capture_output=True, text=True)


def hex_of(dump):
    msgs = []
    for line in dump.splitlines():
        m = re.match(r"^([0-9a-f]{8})  (.{1,49})", line)
        if not m:
            continue
        if m.group(1) == "00000000":
            msgs.append("")
        if msgs:
            msgs[-1] += re.sub(r"[^0-9a-f]", "", m.group(2).split("|")[0])
    return msgs


def main():
    out = []
    for field, context, values in CASES:
        for value in values:
            parts = ["priority=100"] + ([context] if context else []) + [f"{field}={value}", "actions=drop"]
            flow = ",".join(parts)
            rec = {"field": field, "context": context, "value": value, "input": flow}
            r = run(["-mmmmm", "parse-flow", flow])
            if r.returncode != 0:
                rec["error"] = r.stderr.strip().splitlines()[-1].removeprefix("ovs-ofctl: ")
            else:
                msgs = hex_of(r.stdout)
                m = re.search(r"\): ADD (?:priority=100,?)?(.*?) ?actions=drop", r.stdout)
                if len(msgs) != 1 or not m or "decode error" in r.stdout:
                    rec["error"] = "ovs-ofctl cannot decode its own encoding"
                else:
                    rec["hex"] = msgs[0]
                    rec["match"] = m.group(1)
                    warn = [l for l in r.stderr.splitlines() if "|WARN|" in l or "|INFO|" in l]
                    if warn:
                        rec["warning"] = warn[0].split("|", 4)[-1]
            out.append(rec)
    for field, context, value in SET_FIELD_CASES:
        parts = ["priority=100"] + ([context] if context else []) + [f"actions=set_field:{value}->{field}"]
        flow = ",".join(parts)
        r = run(["parse-flow", flow])
        m = re.search(r"actions=set_field:(.*)->(\S+)$", r.stdout.strip())
        if r.returncode != 0 or not m:
            sys.exit(f"set_field vector {flow!r} did not print as set_field: {r.stdout}{r.stderr}")
        out.append({"field": field, "context": context, "value": value, "input": flow, "set_field": m.group(1), "set_field_name": m.group(2)})
    path = os.path.join(HERE, "fields.jsonl")
    with open(path, "w") as f:
        for rec in out:
            f.write(json.dumps(rec) + "\n")
    ver = run(["--version"]).stdout.splitlines()[0]
    print(f"{len(out)} vectors from {ver} -> {os.path.relpath(path)}", file=sys.stderr)


if __name__ == "__main__":
    main()
