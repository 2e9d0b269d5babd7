/** OFPMP_PORT_STATS, OFPMP_QUEUE (OpenFlow 1.3 bodies with durations) and OFPMP_PORT_DESC. */
import { emptyBody, readFixed, registerMultipart } from './multipart.js';
import { PORT_COUNTERS, type PortStats } from './multipart-types.js';
import { OFP_PORT_LEN, readPort, writePort } from './port.js';
import { put32, put64 } from './put-lenient.js';

registerMultipart({
  kind: 'port_stats',
  name: 'OFPST_PORT',
  mpType: 4,
  encodeRequest: (w, b, path) => {
    put32(w, b.portNo, path, 'portNo');
    w.zeros(4);
  },
  decodeRequest: (r, s) => {
    const portNo = r.u32(s);
    r.pad(4, s);
    return { kind: 'port_stats', portNo };
  },
  encodeReply: (w, b, path) => {
    b.ports.forEach((p, i) => {
      const pp = `${path}.ports[${i}]`;
      put32(w, p.portNo, pp, 'portNo');
      w.zeros(4);
      for (const k of PORT_COUNTERS) put64(w, p[k], pp, k);
      put32(w, p.durationSec, pp, 'durationSec');
      put32(w, p.durationNsec, pp, 'durationNsec');
    });
  },
  decodeReply: (r, s) => ({
    kind: 'port_stats',
    ports: readFixed(r, s, 112, (p, s) => {
      const portNo = p.u32(s);
      p.pad(4, s);
      const out = { portNo } as PortStats;
      for (const k of PORT_COUNTERS) out[k] = p.u64(s);
      out.durationSec = p.u32(s);
      out.durationNsec = p.u32(s);
      return out;
    }),
  }),
});

registerMultipart({
  kind: 'queue',
  name: 'OFPST_QUEUE',
  mpType: 5,
  encodeRequest: (w, b, path) => {
    put32(w, b.portNo, path, 'portNo');
    put32(w, b.queueId, path, 'queueId');
  },
  decodeRequest: (r, s) => ({ kind: 'queue', portNo: r.u32(s), queueId: r.u32(s) }),
  encodeReply: (w, b, path) => {
    b.queues.forEach((q, i) => {
      const p = `${path}.queues[${i}]`;
      put32(w, q.portNo, p, 'portNo');
      put32(w, q.queueId, p, 'queueId');
      put64(w, q.txBytes, p, 'txBytes');
      put64(w, q.txPackets, p, 'txPackets');
      put64(w, q.txErrors, p, 'txErrors');
      put32(w, q.durationSec, p, 'durationSec');
      put32(w, q.durationNsec, p, 'durationNsec');
    });
  },
  decodeReply: (r, s) => ({
    kind: 'queue',
    queues: readFixed(r, s, 40, (q, s) => ({
      portNo: q.u32(s),
      queueId: q.u32(s),
      txBytes: q.u64(s),
      txPackets: q.u64(s),
      txErrors: q.u64(s),
      durationSec: q.u32(s),
      durationNsec: q.u32(s),
    })),
  }),
});

const portDesc = emptyBody('port_desc');
registerMultipart({
  kind: 'port_desc',
  name: 'OFPST_PORT_DESC',
  mpType: 13,
  encodeRequest: portDesc.encode,
  decodeRequest: portDesc.decode,
  encodeReply: (w, b, path) => b.ports.forEach((p, i) => writePort(w, p, `${path}.ports[${i}]`)),
  decodeReply: (r, s) => ({ kind: 'port_desc', ports: readFixed(r, s, OFP_PORT_LEN, readPort) }),
});
