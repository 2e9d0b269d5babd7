/**
 * `tsx benchmarks/harness/proxy-once-ab.ts A_MAIN [B_MAIN …] [--services N] [--runs N]`: the
 * whole `ofwire proxy --once` process of one or more builds of the command (paths of their
 * main.js) against `ovs-ofctl bundle` of the same groups and flows, interleaved on one sandboxed
 * ovs-vswitchd emptied before every run: medians of wall time, CPU time and peak RSS, and each build's
 * ratio to ovs-ofctl bundle of the same run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ofctlBundle, bundleFile, timedSpawn } from './ofctl.js';
import { compileSet, manifestJson, proxyFlags, type ServiceSet } from './services.js';
import { Vswitchd } from './switchd.js';
import { cliNodeFlags } from './build-agent.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    services: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '5' },
    endpoints: { type: 'string', default: '5' },
  },
});
const set: ServiceSet = { services: Number(values.services), endpointsPerService: Number(values.endpoints) };
const runs = Number(values.runs);
const tmp = mkdtempSync(join(os.tmpdir(), 'ofwire-once-'));
const manifest = join(tmp, 'services.json');
writeFileSync(manifest, manifestJson(set));
const compiled = compileSet(set);
const bundle = join(tmp, 'bundle.txt');
writeFileSync(bundle, bundleFile(compiled.groups, compiled.flows));
const usage = join(tmp, 'usage.json');
const preload = new URL('./hwm-preload.ts', import.meta.url).pathname.replace(/\.ts$/, '.js');
const preloadJs = join(tmp, 'hwm-preload.mjs');
writeFileSync(preloadJs, readFileSync(preload.replace(/\.js$/, '.ts'), 'utf8'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const vs = await Vswitchd.start();
const times: number[][] = positionals.map(() => []);
const rss: number[][] = positionals.map(() => []);
const cpu: number[][] = positionals.map(() => []);
const ofctlTimes: number[] = [];
try {
  for (let r = 0; r < runs; r++) {
    for (let c = 0; c < positionals.length; c++) {
      await vs.fresh();
      rmSync(usage, { force: true });
      const p = await timedSpawn(
        process.execPath,
        [
          ...cliNodeFlags(),
          '--import',
          preloadJs,
          positionals[c]!,
          'proxy',
          '--once',
          '--bridge',
          vs.target,
          '--source',
          `file:${manifest}`,
          ...proxyFlags(set),
          '--log-level',
          'warn',
        ],
        { env: { ...process.env, OFWIRE_BENCH_USAGE_FILE: usage } },
      );
      if (p.code !== 0) throw new Error(`${positionals[c]} failed: ${p.stderr}`);
      times[c]!.push(p.seconds);
      const used = JSON.parse(readFileSync(usage, 'utf8')) as { hwmKb: number; cpuSeconds: number };
      rss[c]!.push(used.hwmKb / 1024);
      cpu[c]!.push(used.cpuSeconds);
    }
    await vs.fresh();
    ofctlTimes.push(await ofctlBundle(vs.target, bundle));
  }
} finally {
  await vs.close();
  rmSync(tmp, { recursive: true, force: true });
}
const base = median(ofctlTimes);
console.log(
  `load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; ${set.services} services, ${runs} runs`,
);
console.log(`ovs-ofctl bundle: ${base.toFixed(3)} s`);
positionals.forEach((main, c) => {
  const t = median(times[c]!);
  console.log(
    `${main}: ${t.toFixed(3)} s (${(t / base).toFixed(2)}× ovs-ofctl bundle), peak RSS ${median(rss[c]!).toFixed(0)} MB, CPU ${median(cpu[c]!).toFixed(2)} s; runs ${times[c]!.map((x) => x.toFixed(2)).join(' ')}`,
  );
});
