"""os-ken's side of the codec benchmark (run by codec.bench.ts with /usr/bin/python3).

Encodes the FLOW_MOD table=11,priority=200,ct_state=+new+trk,tcp,nw_dst=10.96.0.10,tp_dst=80,
actions=group:5 and parses the FLOW_STATS reply messages found in --reply (the bytes the TypeScript
side generated), with the same method as measure.ts: warm-up, then runs of about --run-ms of CPU
time, each timed with both process CPU time and wall time. After the warm-up it prints one JSON
line (versions, the FLOW_MOD bytes), then runs one round per line read from stdin and prints each
round's results as one JSON line.
"""

import argparse
import binascii
import json
import platform
import struct
import sys
import time

import os_ken
from os_ken.ofproto import ofproto_parser
from os_ken.ofproto import ofproto_v1_3 as ofp
from os_ken.ofproto import ofproto_v1_3_parser as parser


class Datapath:
    """The two attributes os-ken's message classes read from a datapath."""

    ofproto = ofp
    ofproto_parser = parser


DP = Datapath()


def build_flow_mod():
    match = parser.OFPMatch(eth_type=0x0800, ipv4_dst='10.96.0.10', ip_proto=6, tcp_dst=80, ct_state=(0x21, 0x21))
    actions = [parser.OFPActionGroup(5)]
    return parser.OFPFlowMod(
        DP, cookie=0, cookie_mask=0, table_id=11, command=ofp.OFPFC_ADD, idle_timeout=0, hard_timeout=0,
        priority=200, buffer_id=ofp.OFP_NO_BUFFER, out_port=ofp.OFPP_ANY, out_group=ofp.OFPG_ANY, flags=0,
        match=match, instructions=[parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)])


PREBUILT = build_flow_mod()
PREBUILT.set_xid(1)


def encode_prebuilt():
    PREBUILT.serialize()
    return 1


def encode_build():
    m = build_flow_mod()
    m.set_xid(1)
    m.serialize()
    return 1


def split_messages(stream):
    out = []
    at = 0
    while at < len(stream):
        (length,) = struct.unpack_from('!H', stream, at + 2)
        out.append(bytes(stream[at:at + length]))
        at += length
    return out


def parse(message):
    version, msg_type, msg_len, xid = ofproto_parser.header(message)
    m = ofproto_parser.msg(DP, version, msg_type, msg_len, xid, message)
    if m is None:
        raise RuntimeError('os-ken could not parse a reply message')
    return m


def check_reply(messages, expected):
    """Parses every message once; checks the entry count and the shape of the first two flows."""
    flows = [f for m in messages for f in parse(m).body]
    if len(flows) != expected:
        raise RuntimeError('os-ken parsed %d flows, expected %d' % (len(flows), expected))
    group = flows[0].instructions[0].actions[0]
    ct = flows[1].instructions[0].actions[0]
    if not isinstance(group, parser.OFPActionGroup) or group.group_id != 0x7f000000:
        raise RuntimeError('first flow: expected group:2130706432, got %r' % (group,))
    if not isinstance(ct, parser.NXActionCT) or ct.actions[0].range_ipv4_min != '10.244.0.0':
        raise RuntimeError('second flow: expected ct(nat(dst=10.244.0.0:…)), got %r' % (ct,))
    if dict(flows[0].match.items()).get('ct_state') != (0x21, 0x21):
        raise RuntimeError('first flow: ct_state not parsed: %r' % (flows[0].match,))


def cyclic_decoder(messages):
    state = {'i': 0}

    def decode():
        m = messages[state['i']]
        state['i'] = (state['i'] + 1) % len(messages)
        return len(parse(m).body)

    return decode


def warm_up(fn, ms):
    calls = 0
    t0 = time.process_time()
    t = t0
    while (t - t0) * 1000 < ms:
        fn()
        calls += 1
        t = time.process_time()
    return calls / ((t - t0) * 1000)


def time_batch(fn, calls):
    ops = 0
    w0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(calls):
        ops += fn()
    c1 = time.process_time()
    w1 = time.perf_counter()
    return {'cpu': ops / (c1 - c0), 'wall': ops / (w1 - w0)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--reply', required=True, help='file holding the FLOW_STATS reply messages back to back')
    ap.add_argument('--flows', type=int, required=True, help='number of flow entries in --reply')
    ap.add_argument('--run-ms', type=float, default=300)
    ap.add_argument('--warmup-ms', type=float, default=200)
    a = ap.parse_args()

    with open(a.reply, 'rb') as f:
        messages = split_messages(f.read())
    check_reply(messages, a.flows)
    PREBUILT.serialize()
    contenders = {
        'encode_serialize': encode_prebuilt,
        'encode_build_serialize': encode_build,
        'decode': cyclic_decoder(messages),
    }
    calls = {name: max(1, round(warm_up(fn, a.warmup_ms) * a.run_ms)) for name, fn in contenders.items()}
    emit({
        'osken': os_ken.__version__,
        'python': platform.python_version(),
        'flowModHex': binascii.hexlify(bytes(PREBUILT.buf)).decode(),
    })
    # One round per line on stdin, so that the caller can interleave these runs with its own.
    for _ in sys.stdin:
        emit({name: time_batch(fn, calls[name]) for name, fn in contenders.items()})


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


if __name__ == '__main__':
    main()
