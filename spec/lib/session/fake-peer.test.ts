/**
 * Session behaviour against an in-process fake switch: correlation, errors, handshake failures,
 * coalescing, multipart reassembly and streaming, and faults a real switch will not produce.
 */
import t from 'tap';
import type { FlowMod, FlowStats, MultipartReply, OfpMessage } from '../../../protocol/index.js';
import { ProtocolError, encodeMessage } from '../../../protocol/index.js';
import { connect } from '../../../lib/transport/index.js';
import {
  BatchError,
  HandshakeError,
  OpenFlowError,
  PeerDeadError,
  RequestTimeoutError,
  Session,
  SessionClosedError,
  UnexpectedReplyError,
  type SessionOptions,
} from '../../../lib/session/index.js';
import { FakePeer, type FakePeerOptions } from '../../helpers/fake-peer.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

async function setup(t: Teardown, peerOpts: FakePeerOptions = {}, sessionOpts: SessionOptions = {}) {
  const peer = await FakePeer.start(peerOpts);
  t.teardown(() => peer.close());
  const session = await Session.open(await connect(peer.target), { echoIntervalMs: 0, ...sessionOpts });
  t.teardown(() => session.destroy());
  const conn = await peer.connection();
  return { peer, session, conn };
}

function flowMod(priority: number, port = 1): Omit<FlowMod, 'xid'> {
  return {
    type: 'flow_mod',
    cookie: 0n,
    cookieMask: 0n,
    tableId: 0,
    command: 0,
    idleTimeout: 0,
    hardTimeout: 0,
    priority,
    bufferId: 0xffffffff,
    outPort: 0xffffffff,
    outGroup: 0xffffffff,
    flags: 0,
    match: [],
    instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port, maxLen: 0 }] }],
  };
}

function flowStats(priority: number): FlowStats {
  return {
    tableId: 0,
    durationSec: 1,
    durationNsec: 0,
    priority,
    idleTimeout: 0,
    hardTimeout: 0,
    flags: 0,
    cookie: 0n,
    packetCount: 0n,
    byteCount: 0n,
    match: [],
    instructions: [],
  };
}

function flowPart(xid: number, more: boolean, priorities: number[]): MultipartReply {
  return { type: 'multipart_reply', xid, flags: more ? 1 : 0, body: { kind: 'flow', flows: priorities.map(flowStats) } };
}

const flowRequest = {
  kind: 'flow' as const,
  tableId: 0xff,
  outPort: 0xffffffff,
  outGroup: 0xffffffff,
  cookie: 0n,
  cookieMask: 0n,
  match: [],
};

function closed(session: Session): Promise<Error | undefined> {
  return new Promise((resolve) => session.once('close', resolve));
}

t.test('handshake: version bitmap, features, datapath id', async (t) => {
  const { session, conn } = await setup(t, { datapathId: 0x1234n });
  t.equal(session.dpid, '0000000000001234');
  t.same(session.peerVersions, [4]);
  const hello = conn.received[0] as Extract<OfpMessage, { type: 'hello' }>;
  t.equal(hello.type, 'hello');
  t.same(hello.elements, [{ type: 'versionbitmap', bitmaps: [0x10] }], 'ofwire announces OpenFlow 1.3 only');
  t.equal(conn.received[1]?.type, 'features_request');
});

t.test('a peer without OpenFlow 1.3 gets a clear error naming its versions', async (t) => {
  const peer = await FakePeer.start({ helloVersions: [1, 2] });
  t.teardown(() => peer.close());
  const err = await Session.open(await connect(peer.target)).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(err, HandshakeError);
  t.match((err as Error).message, /peer supports OpenFlow 1\.0, OpenFlow 1\.1; ofwire requires OpenFlow 1\.3/);
  t.same((err as HandshakeError).peerVersions, [1, 2]);
  const conn = await peer.connection();
  await new Promise<void>((r) => (conn.socket.destroyed ? r() : conn.socket.once('close', () => r())));
  const sentError = conn.received.find((m) => m.type === 'error');
  t.ok(sentError, 'the peer is told why (OFPET_HELLO_FAILED)');
  if (sentError?.type === 'error') t.match(sentError.data.toString(), /requires OpenFlow 1\.3/);
});

t.test('hello without a bitmap: header version decides', async (t) => {
  const ok = await FakePeer.start({ helloBitmap: false, helloHeaderVersion: 5 });
  t.teardown(() => ok.close());
  const s = await Session.open(await connect(ok.target), { echoIntervalMs: 0 });
  t.same(s.peerVersions, [1, 2, 3, 4, 5]);
  s.destroy();
  const old = await FakePeer.start({ helloBitmap: false, helloVersions: [1] });
  t.teardown(() => old.close());
  await t.rejects(Session.open(await connect(old.target)), { name: 'HandshakeError', message: /OpenFlow 1\.0; ofwire requires/ });
});

t.test('a peer that never says hello fails the handshake after the timeout', async (t) => {
  const peer = await FakePeer.start({ helloVersions: false });
  t.teardown(() => peer.close());
  await t.rejects(Session.open(await connect(peer.target), { handshakeTimeoutMs: 100 }), {
    name: 'HandshakeError',
    message: /no handshake within 100 ms/,
  });
});

t.test('replies are matched by xid, whatever their order', async (t) => {
  const held: OfpMessage[] = [];
  const { session, conn } = await setup(t, {
    onMessage: (m) => {
      if (m.type !== 'echo_request') return false;
      held.push(m);
      if (held.length === 3) {
        for (const e of held.reverse()) {
          if (e.type === 'echo_request') conn.send({ type: 'echo_reply', xid: e.xid, data: e.data });
        }
      }
      return true;
    },
  });
  const replies = await Promise.all(['a', 'b', 'c'].map((d) => session.request({ type: 'echo_request', data: Buffer.from(d) })));
  t.same(
    replies.map((r) => r.data.toString()),
    ['a', 'b', 'c'],
  );
});

t.test('OFPT_ERROR rejects the request that caused it with a typed OpenFlowError', async (t) => {
  const { session } = await setup(t, {
    onMessage: (m, c) => {
      if (m.type === 'flow_mod' && m.priority === 666) {
        c.send({ type: 'error', xid: m.xid, errType: 2, code: 4, data: Buffer.alloc(0) });
        return true;
      }
      return false;
    },
  });
  const good = session.request(flowMod(1));
  const bad = session.request(flowMod(666));
  const good2 = session.request(flowMod(2));
  await t.resolves(good);
  await t.resolves(good2);
  const err = await bad.catch((e: unknown) => e);
  t.type(err, OpenFlowError);
  const e = err as OpenFlowError;
  t.equal(e.typeName, 'OFPET_BAD_ACTION');
  t.equal(e.codeName, 'OFPBAC_BAD_OUT_PORT');
  t.equal(e.request?.type, 'flow_mod');
  t.equal((e.request as FlowMod).priority, 666);
  t.match(e.message, /flow_mod \(xid \d+\): OFPET_BAD_ACTION\/OFPBAC_BAD_OUT_PORT/);
});

t.test('an error for an untracked message is an error event', async (t) => {
  const { session, conn } = await setup(t);
  const got = new Promise<Error>((resolve) => session.once('error', resolve));
  conn.send({ type: 'error', xid: 0x7777, errType: 1, code: 1, data: Buffer.alloc(0) });
  const err = await got;
  t.type(err, OpenFlowError);
  t.match(err.message, /xid 30583: OFPET_BAD_REQUEST\/OFPBRC_BAD_TYPE/);
});

t.test('a burst of messages is coalesced into few writes and confirmed by one barrier', async (t) => {
  const { session, conn } = await setup(t);
  const before = session.channel.stats.writes;
  await Promise.all(Array.from({ length: 1000 }, (_, i) => session.request(flowMod(i + 1))));
  const writes = session.channel.stats.writes - before;
  t.ok(writes <= 4, `1000 flow_mods took ${writes} socket writes`);
  const flowMods = conn.received.filter((m) => m.type === 'flow_mod');
  const barriers = conn.received.filter((m) => m.type === 'barrier_request');
  t.equal(flowMods.length, 1000);
  t.ok(barriers.length >= 1 && barriers.length <= writes, `${barriers.length} confirming barrier(s)`);
  t.equal(conn.received.at(-1)?.type, 'barrier_request', 'the barrier follows the messages it confirms');
});

t.test('sendAll reports every failure with its request', async (t) => {
  const { session } = await setup(t, {
    onMessage: (m, c) => {
      if (m.type === 'flow_mod' && m.priority % 100 === 0) {
        c.send({ type: 'error', xid: m.xid, errType: 5, code: 1, data: Buffer.alloc(0) });
        return true;
      }
      return false;
    },
  });
  const err = await session.sendAll(Array.from({ length: 1000 }, (_, i) => flowMod(i + 1))).catch((e: unknown) => e);
  t.type(err, BatchError);
  const b = err as BatchError;
  t.equal(b.total, 1000);
  t.same(
    b.failures.map((f) => (f.request as FlowMod).priority),
    [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000],
  );
  t.equal(b.failures[0]?.codeName, 'OFPFMFC_TABLE_FULL');
});

t.test('multipart replies are reassembled in order', async (t) => {
  const { session } = await setup(t, {
    onMessage: (m, c) => {
      if (m.type !== 'multipart_request') return false;
      c.send(flowPart(m.xid, true, [1, 2]));
      c.send({ type: 'echo_request', xid: 99, data: Buffer.alloc(0) }); // interleaved traffic
      c.send(flowPart(m.xid, true, [3]));
      c.send(flowPart(m.xid, false, [4, 5]));
      return true;
    },
  });
  const parts = await session.multipart(flowRequest);
  t.equal(parts.length, 3);
  t.same(
    parts.flatMap((p) => p.flows.map((f) => f.priority)),
    [1, 2, 3, 4, 5],
  );
});

t.test('multipart replies undecoded: the body of each part as sent, in order', async (t) => {
  const { session } = await setup(t, {
    onMessage: (m, c) => {
      if (m.type !== 'multipart_request') return false;
      if (m.body.kind === 'group_desc') {
        // A part of another multipart type is decoded and refused.
        c.send(flowPart(m.xid, false, [1]));
        return true;
      }
      c.send(flowPart(m.xid, true, [1, 2]));
      c.send({ type: 'echo_request', xid: 99, data: Buffer.alloc(0) }); // interleaved traffic
      c.send(flowPart(m.xid, false, [3]));
      return true;
    },
  });
  const bodies: Buffer[] = [];
  await session.multipartRaw(flowRequest, (b) => bodies.push(Buffer.from(b)));
  t.equal(bodies.length, 2);
  const expected = [flowPart(0, true, [1, 2]), flowPart(0, false, [3])].map((m) => encodeMessage(m).subarray(16));
  t.same(bodies, expected, 'the bytes after each ofp_multipart_reply header');

  const wrong = await session.multipartRaw({ kind: 'group_desc' }, () => t.fail('no body expected')).catch((e: unknown) => e);
  t.type(wrong, UnexpectedReplyError);
  t.match((wrong as Error).message, /got a flow part, expected group_desc/);

  const thrown = await session
    .multipartRaw(flowRequest, () => {
      throw new RangeError('bad record');
    })
    .catch((e: unknown) => e);
  t.match(thrown, { name: 'RangeError', message: 'bad record' }, "the consumer's error rejects the request");
  await t.resolves(session.barrier(), 'the session keeps working');
});

t.test('multipart streaming: parts as they come; breaking out discards the rest', async (t) => {
  const { session } = await setup(t, {
    onMessage: (m, c) => {
      if (m.type !== 'multipart_request') return false;
      for (let i = 0; i < 50; i++) c.send(flowPart(m.xid, i < 49, [i * 2, i * 2 + 1]));
      return true;
    },
  });
  const seen: number[] = [];
  for await (const part of session.multipartStream(flowRequest)) {
    seen.push(...part.flows.map((f) => f.priority));
  }
  t.same(
    seen,
    Array.from({ length: 100 }, (_, i) => i),
  );

  let taken = 0;
  for await (const _part of session.multipartStream(flowRequest)) {
    if (++taken === 3) break;
  }
  t.equal(taken, 3);
  await t.resolves(session.barrier(), 'the session keeps working after an abandoned stream');
  t.same(await session.multipart(flowRequest).then((p) => p.length), 50);
});

t.test('fault: a peer that closes mid-multipart', async (t) => {
  const { session } = await setup(t, {
    onMessage: (m, c) => {
      if (m.type !== 'multipart_request') return false;
      c.send(flowPart(m.xid, true, [1]));
      c.send(flowPart(m.xid, true, [2]));
      setImmediate(() => c.destroy());
      return true;
    },
  });
  const err = await session.multipart(flowRequest).catch((e: unknown) => e);
  t.type(err, SessionClosedError);
  t.match((err as Error).message, /before multipart_request \(xid \d+\) was answered/);

  const { session: s2 } = await setup(t, {
    onMessage: (m, c) => {
      if (m.type !== 'multipart_request') return false;
      c.send(flowPart(m.xid, true, [1]));
      setTimeout(() => c.destroy(), 20);
      return true;
    },
  });
  const got: number[] = [];
  const streamErr = await (async () => {
    for await (const part of s2.multipartStream(flowRequest)) got.push(part.flows[0]!.priority);
  })().catch((e: unknown) => e);
  t.same(got, [1], 'parts before the close are delivered');
  t.type(streamErr, SessionClosedError, 'then the stream fails');
});

t.test('fault: garbage bytes close the session with a ProtocolError', async (t) => {
  const { session, conn } = await setup(t);
  const pending = session.request({ type: 'echo_request', data: Buffer.alloc(0) }).catch((e: unknown) => e);
  const why = closed(session);
  conn.sendRaw('deadbeefdeadbeefdeadbeefdeadbeefcafe');
  const cause = await why;
  t.type(cause, ProtocolError);
  const err = await pending;
  t.type(err, SessionClosedError);
  t.type((err as SessionClosedError).cause, ProtocolError);
  t.ok(session.closed);
});

t.test('fault: a length shorter than the header is fatal', async (t) => {
  const { session, conn } = await setup(t);
  const why = closed(session);
  conn.sendRaw('0402000400000009'); // an ECHO_REQUEST header claiming 4 bytes
  const cause = await why;
  t.type(cause, ProtocolError);
  t.match(cause!.message, /length 4 is shorter than the 8-byte header/);
});

t.test('fault: a length longer than the message swallows what follows', async (t) => {
  const { session, conn } = await setup(t, {
    onMessage: (m, c) => {
      if (m.type !== 'echo_request') return false;
      // An ECHO_REPLY that claims 64 bytes but carries 8, then the peer goes away.
      c.sendRaw(Buffer.from([4, 3, 0, 64, ...u32(m.xid)]));
      setTimeout(() => c.destroy(), 20);
      return true;
    },
  });
  void conn;
  const err = await session.echo().catch((e: unknown) => e);
  t.type(err, SessionClosedError, 'the request fails when the connection ends, not with a bogus reply');
});

t.test('fault: a body that does not decode rejects only its request', async (t) => {
  let features = 0;
  const { session } = await setup(t, {
    onMessage: (m, c) => {
      if (m.type !== 'features_request' || ++features === 1) return false;
      c.sendRaw(Buffer.from([4, 6, 0, 12, ...u32(m.xid), 0, 0, 0, 0])); // FEATURES_REPLY cut short
      return true;
    },
  });
  const err = await session.request({ type: 'features_request' }).catch((e: unknown) => e);
  t.type(err, ProtocolError);
  t.notOk(session.closed, 'the connection stays up');
  await t.resolves(session.barrier());
});

t.test('fault: a peer that stops reading — backpressure, bounded memory, then recovery', async (t) => {
  const { session, conn } = await setup(t);
  conn.pauseReading();
  const total = 100_000;
  let produced = 0;
  let maxQueued = 0;
  function* flows() {
    for (let i = 0; i < total; i++) {
      produced++;
      maxQueued = Math.max(maxQueued, session.channel.queuedBytes);
      yield flowMod((i % 60000) + 1);
    }
  }
  const done = session.sendAll(flows());
  while (!session.congested) await new Promise((r) => setImmediate(r));
  // Give the producer every chance to run ahead; it must stay parked while the peer is not reading.
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  const producedWhileStuck = produced;
  t.ok(producedWhileStuck < total, `producer parked after ${producedWhileStuck} of ${total} messages`);
  t.ok(maxQueued < 4 << 20, `queued bytes stayed bounded (max ${maxQueued})`);
  conn.resumeReading();
  await t.resolves(done);
  t.equal(conn.received.filter((m) => m.type === 'flow_mod').length, total, 'every message arrived once the peer read again');
  t.ok(maxQueued < 4 << 20, `queued bytes stayed bounded throughout (max ${maxQueued})`);
});

t.test('fault: a peer that never answers echo is declared dead', async (t) => {
  const peer = await FakePeer.start({ answerEcho: false });
  t.teardown(() => peer.close());
  const session = await Session.open(await connect(peer.target), { echoIntervalMs: 30, echoTimeoutMs: 120 });
  const pending = session.request({ type: 'get_config_request' }).catch((e: unknown) => e);
  const cause = await closed(session);
  t.type(cause, PeerDeadError);
  t.match(cause!.message, /did not answer an echo request/);
  const err = await pending;
  t.type(err, SessionClosedError);
  const conn = await peer.connection();
  t.ok(
    conn.received.some((m) => m.type === 'echo_request'),
    'the peer was probed',
  );
});

t.test('a peer that answers echo stays up', async (t) => {
  const { session, conn } = await setup(t, {}, { echoIntervalMs: 20, echoTimeoutMs: 60 });
  while (conn.received.filter((m) => m.type === 'echo_request').length < 5) await new Promise((r) => setTimeout(r, 10));
  t.notOk(session.closed);
});

t.test('echo requests from the peer are answered', async (t) => {
  const { conn } = await setup(t);
  conn.send({ type: 'echo_request', xid: 4242, data: Buffer.from('ping') });
  while (!conn.received.some((m) => m.type === 'echo_reply')) await new Promise((r) => setTimeout(r, 5));
  const reply = conn.received.find((m) => m.type === 'echo_reply');
  t.same(reply, { type: 'echo_reply', xid: 4242, data: Buffer.from('ping') });
});

t.test('request timeout', async (t) => {
  const { session } = await setup(t, { onMessage: (m) => m.type === 'get_config_request' });
  const err = await session.request({ type: 'get_config_request' }, { timeoutMs: 50 }).catch((e: unknown) => e);
  t.type(err, RequestTimeoutError);
  t.match((err as Error).message, /no reply to get_config_request \(xid \d+\) within 50 ms/);
});

t.test('asynchronous messages become typed events', async (t) => {
  const { session, conn } = await setup(t);
  const packetIn = new Promise((r) => session.once('packetIn', r));
  const portStatus = new Promise((r) => session.once('portStatus', r));
  conn.send({
    type: 'packet_in',
    xid: 0,
    bufferId: 0xffffffff,
    totalLen: 4,
    reason: 0,
    tableId: 3,
    cookie: 7n,
    match: [{ field: 'in_port', value: 5 }],
    data: Buffer.from('abcd'),
  });
  conn.send({
    type: 'port_status',
    xid: 0,
    reason: 0,
    desc: {
      portNo: 5,
      hwAddr: '0a:00:00:00:00:05',
      name: 'p5',
      config: 0,
      state: 0,
      curr: 0,
      advertised: 0,
      supported: 0,
      peer: 0,
      currSpeed: 0,
      maxSpeed: 0,
    },
  });
  t.match(await packetIn, { type: 'packet_in', tableId: 3, cookie: 7n });
  t.match(await portStatus, { type: 'port_status', desc: { portNo: 5, name: 'p5' } });
});

t.test('asyncEvents sends SET_CONFIG with a non-zero miss_send_len during the handshake', async (t) => {
  const { conn } = await setup(t, {}, { asyncEvents: true });
  t.match(
    conn.received.find((m) => m.type === 'set_config'),
    { type: 'set_config', missSendLen: 0xffff },
  );
});

t.test('closing the session rejects what is still pending', async (t) => {
  const { session } = await setup(t, { onMessage: (m) => m.type === 'get_config_request' });
  const pending = session.request({ type: 'get_config_request' }).catch((e: unknown) => e);
  await session.close();
  t.type(await pending, SessionClosedError);
  t.throws(() => session.send({ type: 'barrier_request' }), SessionClosedError);
});

function u32(v: number): number[] {
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}
