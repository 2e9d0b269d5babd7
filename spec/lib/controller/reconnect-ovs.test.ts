/**
 * Reconnect against a real ovs-vswitchd: kill it (flows are lost with it), start it again, and the
 * caller's `connected` handler replays the current desired state — nothing stale survives.
 */
import t from 'tap';
import { NotConnectedError, Switch, type ConnectedInfo, type FlowSpec } from '../../../lib/controller/index.js';
import { createSandbox } from '../../helpers/ovs-sandbox.js';

function desiredFlows(generation: number, n: number): FlowSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    table: 0,
    priority: 100 + i,
    cookie: BigInt(generation),
    match: { reg0: i },
    actions: [{ type: 'output' as const, port: 1 + generation, maxLen: 0 }],
  }));
}

t.test('reconnect after ovs-vswitchd is killed and restarted; state replayed by the handler', async (t) => {
  const sb = await createSandbox({ t });
  const sw = new Switch(sb.mgmt, {
    reconnect: { minDelayMs: 20, maxDelayMs: 200 },
    echoIntervalMs: 500,
    echoTimeoutMs: 2000,
  });
  t.teardown(() => sw.close());

  let desired = desiredFlows(1, 50);
  const connections: ConnectedInfo[] = [];
  const replayed: Promise<void>[] = [];
  const replayErrors: Error[] = [];
  sw.on('connected', (info) => {
    connections.push(info);
    // Replace whatever the switch has with the desired state, atomically.
    replayed.push(
      sw
        .bundle((b) => {
          b.deleteFlows();
          for (const f of desired) b.addFlow(f);
        })
        .catch((err: Error) => void replayErrors.push(err)),
    );
  });
  const disconnections: (Error | undefined)[] = [];
  sw.on('disconnected', (err) => disconnections.push(err));
  let reconnectFailures = 0;
  sw.on('error', () => reconnectFailures++);

  sw.start();
  await sw.whenConnected();
  await replayed[0];
  t.equal(connections[0]?.reconnect, false, 'first connection');
  const cookies = async () => new Set((await sw.dumpFlows()).map((f) => f.cookie));
  t.same([...(await cookies())], [1n]);
  t.equal((await sw.dumpFlows()).length, 50);

  for (const generation of [2, 3]) {
    const gone = new Promise<void>((r) => sw.once('disconnected', () => r()));
    await sb.kill();
    await gone;
    t.notOk(sw.connected, `generation ${generation}: disconnected`);
    await t.rejects(sw.addFlow({}), NotConnectedError, 'requests while disconnected fail at once');

    desired = desiredFlows(generation, 30 + generation);
    const back = new Promise<ConnectedInfo>((r) => sw.once('connected', r));
    await sb.start();
    const info = await back;
    t.equal(info.reconnect, true, 'the connected event says the switch came back');
    t.equal(info.features.datapathId, BigInt(`0x${sb.datapathId}`));
    await replayed.at(-1);
    const flows = await sw.dumpFlows();
    t.equal(flows.length, 30 + generation, 'exactly the desired flows');
    t.same([...(await cookies())], [BigInt(generation)], 'nothing stale from an earlier generation');
    const ofctl = await sb.ofctl('dump-flows', '--no-stats', sb.bridge);
    t.equal(ofctl.split('\n').filter((l) => l.includes('priority=')).length, 30 + generation, 'ovs-ofctl agrees');
  }
  t.equal(replayErrors.length, 0, 'every replay succeeded');
  t.equal(connections.length, 3);
  t.equal(disconnections.length, 2);
  t.ok(reconnectFailures >= 0);
});

t.test('an in-flight request fails cleanly when the switch dies', async (t) => {
  const sb = await createSandbox({ t });
  const sw = await Switch.connect(sb.mgmt, { reconnect: { minDelayMs: 20, maxDelayMs: 100 }, echoIntervalMs: 0 });
  t.teardown(() => sw.close());
  // A large batch is still being written and confirmed when the process goes away.
  const big = sw
    .addFlows(
      (function* () {
        for (let i = 0; i < 200_000; i++) yield { table: 1, priority: 1 + (i % 60000), match: { reg2: i }, actions: [] };
      })(),
    )
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  const session = sw.session;
  while (session.channel.stats.messagesSent < 20_000) await new Promise((r) => setTimeout(r, 5));
  await sb.kill();
  const err = await big;
  t.match(err, { name: 'SessionClosedError' }, 'the batch is rejected as unconfirmed');
  const back = new Promise<ConnectedInfo>((r) => sw.once('connected', r));
  await sb.start();
  await back;
  await t.resolves(sw.barrier(), 'the new session works');
  t.equal((await sw.dumpFlows()).length, 0, 'the restarted switch is empty (no stale replay from ofwire itself)');
});
