/**
 * A minimal OpenFlow 1.3 switch on a unix socket, for recording what ovs-ofctl sends. It answers just
 * enough (HELLO, ECHO, FEATURES, GET_CONFIG, BARRIER, ROLE, GET_ASYNC, multipart with empty or tiny
 * bodies, bundle control, queue config) for ovs-ofctl's commands to complete, and records every
 * message it receives. Used only by the vector generators.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Framer, decodeMessage, encodeMessage, versionBitmaps, type OfpMessage } from '../../../protocol/index.js';
import type { MultipartReplyBody } from '../../../protocol/index.js';

export interface Received {
  conn: number;
  hex: string;
}

function replyBody(req: Extract<OfpMessage, { type: 'multipart_request' }>['body']): MultipartReplyBody {
  switch (req.kind) {
    case 'desc':
      return { kind: 'desc', mfrDesc: 'ofwire', hwDesc: 'fake', swDesc: 'fake', serialNum: '1', dpDesc: 'fake switch' };
    case 'aggregate':
      return { kind: 'aggregate', packetCount: 0n, byteCount: 0n, flowCount: 0 };
    case 'group_features':
      return { kind: 'group_features', types: 15, capabilities: 0, maxGroups: [0, 0, 0, 0], actions: [0, 0, 0, 0] };
    case 'meter_features':
      return { kind: 'meter_features', maxMeter: 0, bandTypes: 0, capabilities: 0, maxBands: 0, maxColor: 0 };
    case 'port_desc':
      return {
        kind: 'port_desc',
        ports: [
          { portNo: 1, hwAddr: '00:00:00:00:00:01', name: 'p1', config: 0, state: 0, curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 0, maxSpeed: 0 },
        ],
      };
    case 'flow':
      return { kind: 'flow', flows: [] };
    case 'table':
      return { kind: 'table', tables: [] };
    case 'port_stats':
      return { kind: 'port_stats', ports: [] };
    case 'queue':
      return { kind: 'queue', queues: [] };
    case 'group':
      return { kind: 'group', groups: [] };
    case 'group_desc':
      return { kind: 'group_desc', groups: [] };
    case 'meter':
      return { kind: 'meter', meters: [] };
    case 'meter_config':
      return { kind: 'meter_config', meters: [] };
    case 'table_features':
      return {
        kind: 'table_features',
        tables: [{ tableId: 0, name: 'table0', metadataMatch: 0n, metadataWrite: 0n, config: 0, maxEntries: 1000, properties: [] }],
      };
    case 'flow_monitor':
      return { kind: 'flow_monitor', updates: [] };
    case 'experimenter':
      // NXST_IPFIX_BRIDGE wants a struct nx_ipfix_stats_reply (88 bytes after the headers).
      return { ...req, data: Buffer.alloc(req.experimenter === 0x2320 && req.expType === 3 ? 88 : 0) };
  }
}

function repliesTo(m: OfpMessage): OfpMessage[] {
  const xid = m.xid;
  switch (m.type) {
    case 'echo_request':
      return [{ type: 'echo_reply', xid, data: m.data }];
    case 'features_request':
      return [{ type: 'features_reply', xid, datapathId: 1n, nBuffers: 0, nTables: 254, auxiliaryId: 0, capabilities: 0x4f, reserved: 0 }];
    case 'get_config_request':
      return [{ type: 'get_config_reply', xid, flags: 0, missSendLen: 0xffff }];
    case 'barrier_request':
      return [{ type: 'barrier_reply', xid }];
    case 'role_request':
      return [{ type: 'role_reply', xid, role: m.role, generationId: m.generationId }];
    case 'get_async_request':
      return [{ type: 'get_async_reply', xid, packetInMask: [0, 0], portStatusMask: [0, 0], flowRemovedMask: [0, 0] }];
    case 'queue_get_config_request':
      return [{ type: 'queue_get_config_reply', xid, port: m.port, queues: [] }];
    case 'multipart_request':
      return [{ type: 'multipart_reply', xid, flags: 0, body: replyBody(m.body) }];
    case 'bundle_control':
      return m.ctrlType % 2 === 0 ? [{ ...m, ctrlType: m.ctrlType + 1 }] : [];
    default:
      return [];
  }
}

export class FakeSwitch {
  readonly received: Received[] = [];
  private server: Server;
  private sockets = new Set<Socket>();
  private conns = 0;

  constructor(readonly path: string) {
    this.server = createServer((sock) => this.serve(sock));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.path, () => resolve());
    });
  }

  private serve(sock: Socket): void {
    const conn = this.conns++;
    this.sockets.add(sock);
    const framer = new Framer();
    sock.write(encodeMessage({ type: 'hello', version: 4, xid: 0, elements: [{ type: 'versionbitmap', bitmaps: versionBitmaps([4]) }] }));
    sock.on('data', (chunk: Buffer) => {
      for (const raw of framer.push(chunk)) {
        this.received.push({ conn, hex: raw.toString('hex') });
        let m: OfpMessage;
        try {
          m = decodeMessage(raw);
        } catch {
          continue;
        }
        for (const r of repliesTo(m)) sock.write(encodeMessage(r));
      }
    });
    sock.on('error', () => {});
    sock.on('close', () => this.sockets.delete(sock));
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
