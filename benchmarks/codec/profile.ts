/**
 * One ofwire codec workload in a loop, for a CPU profiler (see README.md, "Profiling"):
 *
 *   node --cpu-prof --cpu-prof-dir=DIR /tmp/ofwire-prof/benchmarks/codec/profile.js encode|write|decode [seconds]
 */
import { decodeMessage, encodeMessage } from '../../protocol/index.js';
import { Writer } from '../../protocol/wire/writer.js';
import { writeMessage } from '../../protocol/codec.js';
import { keep } from './measure.js';
import { flowStatsReply, proxyFlowStats, serviceFlowMod } from './workloads.js';

const [what = 'encode', secondsArg = '10'] = process.argv.slice(2);
const seconds = Number(secondsArg);
const flowMod = serviceFlowMod();
const writer = new Writer(1 << 16);
const messages = what === 'decode' ? flowStatsReply(proxyFlowStats(10000)).messages : [];

const step: Record<string, () => number> = {
  encode: () => (keep(encodeMessage(flowMod)), 1),
  write: () => {
    writer.reset();
    writeMessage(writer, flowMod);
    return 1;
  },
  decode: () => {
    let n = 0;
    for (const m of messages) {
      const d = decodeMessage(m);
      if (d.type === 'multipart_reply' && d.body.kind === 'flow') n += d.body.flows.length;
    }
    return n;
  },
};
const fn = step[what];
if (!fn) throw new Error(`unknown workload "${what}": encode, write or decode`);

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const t0 = cpu();
// Few clock reads: one per ~10 ms of work.
const batch = what === 'decode' ? 1 : 2000;
let ops = 0;
while (cpu() - t0 < seconds) for (let i = 0; i < batch; i++) ops += fn();
console.log(`${what}: ${ops} operations, ${(ops / (cpu() - t0)).toFixed(0)} per CPU second`);
