"""os-ken contender: an os-ken application that programs the benchmark's groups and flows.

Run under /usr/bin/python3 (Debian's python3-os-ken), inside the vswitchd's network namespace:

    python3 osken_program.py SPEC.json PORT

It listens for the bridge on 127.0.0.1:PORT. Each time the bridge connects (the harness points the
bridge's controller at it for each run, on a freshly restarted, empty switch) it builds every
GROUP_MOD and FLOW_MOD of the spec with os-ken's OpenFlow 1.3 parser, serializes and sends them
on the Datapath (os-ken has no bundle API), then a BARRIER_REQUEST, and prints one JSON line when
the barrier reply arrives: seconds from the start of building to the reply.

os-ken 2.5 leaves out the padding of the last action of a message when that action is a Nicira
NAT (the action's length field counts it, the buffer does not have it): a GROUP_MOD whose last
bucket ends in ct(...,nat(dst=...)) is short by 2 bytes (IP:PORT) or 4 (IP only) and OVS
refuses it (OFPBRC_BAD_LEN). send() appends the missing zero bytes and corrects the message
length, which is what a user of os-ken would have to do.
"""
import json
import os
import struct
import sys
import time

SPEC_ENV = 'OFWIRE_BENCH_OSKEN_SPEC'

if __name__ == '__main__':
    spec_path, port = sys.argv[1], sys.argv[2]
    os.environ[SPEC_ENV] = spec_path
    from os_ken.cmd import manager
    sys.exit(manager.main(args=[
        '--ofp-listen-host', '127.0.0.1',
        '--ofp-tcp-listen-port', port,
        os.path.abspath(__file__),
    ]))

from os_ken.base import app_manager  # noqa: E402
from os_ken.controller import ofp_event  # noqa: E402
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls  # noqa: E402
from os_ken.ofproto import ofproto_v1_3  # noqa: E402


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


class OfwireBenchOsken(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with open(os.environ[SPEC_ENV]) as f:
            self.spec = json.load(f)
        self.runs = {}
        emit({'ready': True})

    # ---- translation of the spec into os-ken objects -------------------------------------------

    def action(self, dp, a):
        p = dp.ofproto_parser
        t = a['type']
        if t == 'ct':
            return p.NXActionCT(flags=a['flags'], zone_src='', zone_ofs_nbits=a['zone'], recirc_table=a['table'],
                                alg=a['alg'], actions=[self.action(dp, x) for x in a['actions']])
        if t == 'nat':
            kw = {}
            if 'ipMin' in a:
                kw['range_ipv4_min'] = a['ipMin']
            if 'ipMax' in a:
                kw['range_ipv4_max'] = a['ipMax']
            if 'portMin' in a:
                kw['range_proto_min'] = a['portMin']
            if 'portMax' in a:
                kw['range_proto_max'] = a['portMax']
            return p.NXActionNAT(flags=a['flags'], **kw)
        if t == 'group':
            return p.OFPActionGroup(a['groupId'])
        if t == 'output':
            return p.OFPActionOutput(a['port'], a['maxLen'])
        raise ValueError('action %s is not translated' % t)

    def instructions(self, dp, insts):
        p = dp.ofproto_parser
        ofp = dp.ofproto
        out = []
        for i in insts:
            if i['type'] == 'apply_actions':
                out.append(p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [self.action(dp, a) for a in i['actions']]))
            elif i['type'] == 'goto_table':
                out.append(p.OFPInstructionGotoTable(i['tableId']))
            else:
                raise ValueError('instruction %s is not translated' % i['type'])
        return out

    def match(self, dp, fields):
        kw = {}
        for f in fields:
            kw[f['field']] = (f['value'], f['mask']) if 'mask' in f else f['value']
        return dp.ofproto_parser.OFPMatch(**kw)

    def messages(self, dp):
        p = dp.ofproto_parser
        ofp = dp.ofproto
        for g in self.spec['groups']:
            buckets = [p.OFPBucket(weight=b['weight'], watch_port=b['watchPort'], watch_group=b['watchGroup'],
                                   actions=[self.action(dp, a) for a in b['actions']]) for b in g['buckets']]
            yield p.OFPGroupMod(dp, ofp.OFPGC_ADD, g['groupType'], g['groupId'], buckets)
        for f in self.spec['flows']:
            yield p.OFPFlowMod(dp, cookie=int(f['cookie'], 16), cookie_mask=0, table_id=f['table'],
                               command=ofp.OFPFC_ADD, idle_timeout=0, hard_timeout=0, priority=f['priority'],
                               buffer_id=ofp.OFP_NO_BUFFER, out_port=ofp.OFPP_ANY, out_group=ofp.OFPG_ANY,
                               flags=0, match=self.match(dp, f['match']),
                               instructions=self.instructions(dp, f['instructions']))

    def send(self, dp, msg, group):
        dp.set_xid(msg)
        msg.serialize()
        buf = msg.buf
        if group:
            end = 16
            while end + 2 <= len(buf):
                end += struct.unpack_from('!H', buf, end)[0]
            if end > len(buf):
                buf = bytearray(buf) + bytes(end - len(buf))
                struct.pack_into('!H', buf, 2, len(buf))
                self.padded += 1
        dp.send(bytes(buf))

    # ---- events ---------------------------------------------------------------------------------

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def on_features(self, ev):
        dp = ev.msg.datapath
        t0 = time.perf_counter()
        n = 0
        self.padded = 0
        group_mod = dp.ofproto_parser.OFPGroupMod
        for m in self.messages(dp):
            self.send(dp, m, isinstance(m, group_mod))
            n += 1
        barrier = dp.ofproto_parser.OFPBarrierRequest(dp)
        dp.set_xid(barrier)
        self.runs[(id(dp), barrier.xid)] = {'t0': t0, 'sent': time.perf_counter(), 'messages': n, 'errors': 0,
                                            'padded': self.padded}
        self.errors_of = self.runs[(id(dp), barrier.xid)]
        dp.send_msg(barrier)

    @set_ev_cls(ofp_event.EventOFPBarrierReply, [CONFIG_DISPATCHER, MAIN_DISPATCHER])
    def on_barrier(self, ev):
        run = self.runs.pop((id(ev.msg.datapath), ev.msg.xid), None)
        if run is None:
            return
        t1 = time.perf_counter()
        emit({'seconds': t1 - run['t0'], 'sendSeconds': run['sent'] - run['t0'], 'messages': run['messages'],
              'errors': run['errors'], 'padded': run['padded']})

    @set_ev_cls(ofp_event.EventOFPErrorMsg, [CONFIG_DISPATCHER, MAIN_DISPATCHER])
    def on_error(self, ev):
        run = getattr(self, 'errors_of', None)
        if run is not None:
            if run['errors'] == 0:
                emit({'firstError': 'type=%d code=%d' % (ev.msg.type, ev.msg.code)})
            run['errors'] += 1
