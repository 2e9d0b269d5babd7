/**
 * Codec micro-benchmarks: encoding the service-port FLOW_MOD and decoding a 10k-flow FLOW_STATS
 * reply, for ofwire, os-ken 2.5 (measured in the same run, as the baseline), binary-parser and a
 * hand-written reader. Goals: encode ≥ 2 M msg/s and decode ≥ 1 M flow entries/s on one core.
 *
 *   npx tsx benchmarks/codec/codec.bench.ts [--json FILE] [--runs N] [--run-ms MS] [--warmup-ms MS] [--flows N]
 *
 * Every contender runs in a process of its own (os-ken's under /usr/bin/python3); this process
 * builds and checks the workloads, then asks each contender for one run per round, in an order
 * that rotates from round to round.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeMessage, type FlowMod } from '../../protocol/index.js';
import { CONTENDERS, DECODE, ENCODE } from './contenders.js';
import { loopRate, pairedRatio, summarize, type Run } from './measure.js';
import { NodeContender } from './node-contender.js';
import { Osken, type OskenWorkload } from './oskn.js';
import { writeFlowModPlain } from './plain-flow-mod-writer.js';
import { machineInfo, markdown, type Row } from './report.js';
import { checkWorkloads, flowStatsReply, FLOW_MOD_HEX, proxyFlowStats, serviceFlowMod } from './workloads.js';

const GOALS = { [ENCODE]: 2e6, [DECODE]: 1e6 } as const;

const { values: args } = parseArgs({
  options: {
    json: { type: 'string' },
    runs: { type: 'string', default: '9' },
    'run-ms': { type: 'string', default: '200' },
    'warmup-ms': { type: 'string', default: '500' },
    flows: { type: 'string', default: '10000' },
  },
});
const settings = {
  runs: Number(args.runs),
  runMs: Number(args['run-ms']),
  warmupMs: Number(args['warmup-ms']),
  flows: Number(args.flows),
  messages: 0,
};
for (const [k, v] of Object.entries(settings)) {
  if (k !== 'messages' && !(Number.isInteger(v) && v > 0)) throw new Error(`--${k}: ${v} is not a positive integer`);
}

const flowMod = serviceFlowMod();
const reply = flowStatsReply(proxyFlowStats(settings.flows));
settings.messages = reply.messages.length;
checkWorkloads(reply);
if (writeFlowModPlain(flowMod).toString('hex') !== FLOW_MOD_HEX)
  throw new Error('the reference writer does not write the FLOW_MOD ovs-ofctl sends');

/** os-ken's FLOW_MOD has the same fields, in os-ken's OXM order. */
function checkOskenFlowMod(hex: string): void {
  const m = decodeMessage(Buffer.from(hex, 'hex')) as FlowMod;
  const key = (f: FlowMod) =>
    JSON.stringify({ ...f, match: [...f.match].sort((a, b) => a.field.localeCompare(b.field)) }, (_k, v: unknown) =>
      typeof v === 'bigint' ? `${v}` : v,
    );
  if (key(m) !== key(flowMod)) throw new Error(`os-ken's FLOW_MOD differs from ofwire's: ${hex}`);
}

const OSKEN_ROWS: { workload: string; name: string; key: OskenWorkload }[] = [
  { workload: ENCODE, name: 'os-ken OFPFlowMod.serialize() (prebuilt)', key: 'encode_serialize' },
  { workload: ENCODE, name: 'os-ken build OFPFlowMod + serialize()', key: 'encode_build_serialize' },
  { workload: DECODE, name: 'os-ken ofproto_parser.msg()', key: 'decode' },
];

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ofwire-codec-bench-'));
const nodes: NodeContender[] = [];
let osken: Osken | undefined;
try {
  const replyFile = path.join(tmp, 'flow-stats-reply.bin');
  writeFileSync(replyFile, reply.stream);
  // Started one after another, so that warm-ups do not compete with each other.
  osken = await Osken.start(replyFile, settings.flows, settings.runMs, settings.warmupMs);
  checkOskenFlowMod(osken.info.flowModHex);
  for (const def of CONTENDERS) nodes.push(await NodeContender.start(def, replyFile, settings.runMs, settings.warmupMs));

  const machine = machineInfo(osken.info, loopRate());
  const o = osken;
  const players: (() => Promise<void>)[] = [...nodes.map((n) => () => n.round()), () => o.round()];
  for (let round = 0; round < settings.runs; round++) {
    for (let k = 0; k < players.length; k++) await players[(k + round) % players.length]!();
    machine.loopRate.push(loopRate());
  }
  machine.loadAfter = os.loadavg();

  const all: { workload: string; contender: string; unit: string; runs: Run[] }[] = [
    ...nodes.map((n) => ({ workload: n.def.workload, contender: n.def.name, unit: n.def.unit, runs: n.runs })),
    ...OSKEN_ROWS.map((r) => ({
      workload: r.workload,
      contender: r.name,
      unit: r.workload === ENCODE ? 'msg' : 'entry',
      runs: o.runs[r.key],
    })),
  ];
  const runsOf = (workload: string, prefix: string): Run[] =>
    all.find((r) => r.workload === workload && r.contender.startsWith(prefix))!.runs;
  const base: Record<string, { ofwire: Run[]; osken: Run[]; goal: number }> = {
    [ENCODE]: { ofwire: runsOf(ENCODE, 'ofwire encodeMessage'), osken: runsOf(ENCODE, 'os-ken OFPFlowMod.serialize'), goal: GOALS[ENCODE] },
    [DECODE]: { ofwire: runsOf(DECODE, 'ofwire decodeMessage'), osken: runsOf(DECODE, 'os-ken'), goal: GOALS[DECODE] },
  };
  const rows: Row[] = [ENCODE, DECODE].flatMap((workload) =>
    all
      .filter((r) => r.workload === workload)
      .map((r) => {
        const cpu = summarize(r.runs.map((x) => x.cpu));
        const b = base[workload]!;
        const row: Row = {
          ...r,
          cpu,
          wall: summarize(r.runs.map((x) => x.wall)),
          ratioToOfwire: pairedRatio(r.runs, b.ofwire),
          ratioToOsken: pairedRatio(r.runs, b.osken),
        };
        if (r.contender.startsWith('ofwire')) row.ratioToGoal = cpu.median / b.goal;
        return row;
      }),
  );
  console.log(markdown(rows, machine, settings));
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ machine, settings, goals: GOALS, rows }, null, 2)}\n`);
} finally {
  await Promise.all([...nodes.map((n) => n.stop()), osken?.stop()]);
  rmSync(tmp, { recursive: true, force: true });
}
