/** Targets in ovs-ofctl notation, connecting and listening, coalesced writes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { connect, formatTarget, listen, parseTarget, TargetError, type Channel } from '../../../lib/transport/index.js';
import { decodeMessages } from '../../../protocol/index.js';

t.test('parseTarget', async (t) => {
  const cases: [string, unknown, string][] = [
    ['unix:/run/ovs/br0.mgmt', { kind: 'unix', path: '/run/ovs/br0.mgmt' }, 'unix:/run/ovs/br0.mgmt'],
    ['tcp:10.0.0.1:6634', { kind: 'tcp', host: '10.0.0.1', port: 6634 }, 'tcp:10.0.0.1:6634'],
    ['tcp:10.0.0.1', { kind: 'tcp', host: '10.0.0.1', port: 6653 }, 'tcp:10.0.0.1:6653'],
    ['tcp:[::1]:99', { kind: 'tcp', host: '::1', port: 99 }, 'tcp:[::1]:99'],
    ['ssl:switch.example:6653', { kind: 'ssl', host: 'switch.example', port: 6653 }, 'ssl:switch.example:6653'],
    ['ptcp:', { kind: 'ptcp', host: '127.0.0.1', port: 6653 }, 'ptcp:6653:127.0.0.1'],
    ['ptcp:6633', { kind: 'ptcp', host: '127.0.0.1', port: 6633 }, 'ptcp:6633:127.0.0.1'],
    ['ptcp:6633:0.0.0.0', { kind: 'ptcp', host: '0.0.0.0', port: 6633 }, 'ptcp:6633:0.0.0.0'],
    ['ptcp::[::1]', { kind: 'ptcp', host: '::1', port: 6653 }, 'ptcp:6653:[::1]'],
    ['pssl:0', { kind: 'pssl', host: '127.0.0.1', port: 0 }, 'pssl:0:127.0.0.1'],
    ['punix:/tmp/c.sock', { kind: 'punix', path: '/tmp/c.sock' }, 'punix:/tmp/c.sock'],
  ];
  for (const [text, parsed, formatted] of cases) {
    t.same(parseTarget(text), parsed, text);
    t.equal(formatTarget(parseTarget(text)), formatted, `${text} prints as ${formatted}`);
  }
  const bad: [string, RegExp][] = [
    ['br0', /expected METHOD:ADDRESS/],
    ['udp:1.2.3.4:5', /unknown method "udp"/],
    ['tcp:1.2.3.4:http', /port "http" is not a number/],
    ['tcp:1.2.3.4:70000', /port 70000 is out of range/],
    ['tcp::::1', /IPv6 address must be written in brackets/],
    ['tcp:[::1', /unterminated "\["/],
    ['unix:', /missing socket path/],
    ['tcp:', /missing host/],
  ];
  for (const [text, message] of bad) {
    t.throws(() => parseTarget(text), { name: 'TargetError', message }, text);
  }
  t.match(new TargetError('x', 'y').message, /^target "x": y$/);
});

t.test('connect and listen refuse the wrong kind of target and report failures', async (t) => {
  await t.rejects(connect('ptcp:0'), { name: 'TargetError', message: /listening target; use listen/ });
  await t.rejects(listen('tcp:127.0.0.1:1'), { name: 'TargetError', message: /active target; use connect/ });
  await t.rejects(connect('unix:/nonexistent/ofwire.sock'), {
    name: 'ConnectionError',
    message: /^unix:\/nonexistent\/ofwire\.sock: cannot connect: .*ENOENT/,
  });
  const l = await listen('ptcp:0');
  t.teardown(() => l.close());
  await t.rejects(listen(`ptcp:${l.port}`), { name: 'ConnectionError', message: /cannot listen: .*EADDRINUSE/ });
});

t.test('a listener hands out channels; messages in one turn share one write', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-transport-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const l = await listen(`punix:${join(dir, 'l.sock')}`);
  t.teardown(() => l.close());
  const accepted = new Promise<Channel>((r) => l.once('channel', r));
  const client = await connect(`unix:${join(dir, 'l.sock')}`);
  const server = await accepted;
  t.teardown(() => {
    client.destroy();
    server.destroy();
  });

  const frames: Buffer[] = [];
  server.on('frame', (f) => frames.push(Buffer.from(f)));
  for (let i = 0; i < 500; i++) client.send({ type: 'echo_request', xid: i + 1, data: Buffer.alloc(20, i) });
  t.equal(client.stats.writes, 0, 'nothing is written synchronously');
  while (frames.length < 500) await new Promise((r) => setTimeout(r, 5));
  t.equal(client.stats.writes, 1, '500 messages, one socket write');
  t.same(
    decodeMessages(Buffer.concat(frames)).map((m) => m.xid),
    Array.from({ length: 500 }, (_, i) => i + 1),
    'every message arrives whole and in order',
  );
  t.throws(() => client.send({ type: 'no_such_message', xid: 1 } as never), { name: 'EncodeError' }, 'bad messages throw at send');
  t.throws(
    () =>
      client.send({
        type: 'flow_mod',
        xid: 2,
        cookie: 0n,
        cookieMask: 0n,
        tableId: 0,
        command: 0,
        idleTimeout: 0,
        hardTimeout: 0,
        priority: 1,
        bufferId: 0,
        outPort: 0,
        outGroup: 0,
        flags: 0,
        match: [{ field: 'no_such_field', value: 1 }],
        instructions: [],
      }),
    { name: 'EncodeError', message: /no_such_field/ },
    'a message that fails half-way through encoding throws at send',
  );
  frames.length = 0;
  client.send({ type: 'barrier_request', xid: 3 });
  while (frames.length < 1) await new Promise((r) => setTimeout(r, 5));
  t.same(decodeMessages(frames[0]!), [{ type: 'barrier_request', xid: 3 }], 'a failed send leaves no partial bytes behind');
  const closed = new Promise<Error | undefined>((r) => server.once('close', r));
  client.close();
  t.equal(await closed, undefined, 'an orderly close has no error');
  t.throws(() => client.send({ type: 'barrier_request', xid: 9 }), { name: 'ConnectionError' });
});
