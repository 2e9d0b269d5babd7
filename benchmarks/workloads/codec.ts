/** The codec micro-benchmarks: benchmarks/codec/codec.bench.ts run as a process, its rows added as `codec-*`. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, type BenchRun } from '../harness/bench-run.js';
import { timedSpawn } from '../harness/ofctl.js';

/** Runs the codec benchmarks and adds a row per measured workload and contender. */
export async function codec(run: BenchRun): Promise<void> {
  const entry = join(REPO, 'benchmarks', 'codec', 'codec.bench.ts');
  if (!existsSync(entry)) {
    run.note('codec: benchmarks/codec/codec.bench.ts does not exist yet; no codec results.');
    return;
  }
  run.progress.task('codec micro-benchmarks (benchmarks/codec)');
  const out = join(run.tmp, 'codec.json');
  const r = await timedSpawn('npx', ['tsx', entry, '--json', out]);
  run.progress.step();
  if (r.code !== 0 || !existsSync(out)) {
    run.warn(`codec: benchmarks/codec/codec.bench.ts failed (${r.code}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    return;
  }
  const data = JSON.parse(readFileSync(out, 'utf8')) as {
    rows?: { workload: string; contender: string; unit?: string; runs?: unknown[]; cpu?: { median: number; min?: number; max?: number } }[];
  };
  for (const row of data.rows ?? []) {
    if (!row.cpu || !(row.cpu.median > 0)) continue;
    const slug = row.workload
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    const contender = row.contender.startsWith('ofwire') ? 'ofwire' : row.contender.startsWith('os-ken') ? 'os-ken' : row.contender;
    const rate = row.cpu.median;
    run.results.push({
      workload: `codec-${slug}`,
      services: 0,
      endpoints_per_service: 0,
      contender,
      runs: Array.isArray(row.runs) ? row.runs.length : 0,
      median_s: 1 / rate,
      min_s: row.cpu.max ? 1 / row.cpu.max : 1 / rate,
      max_s: row.cpu.min ? 1 / row.cpu.min : 1 / rate,
      extra: { label: row.contender, unit: row.unit, rate_per_s: rate },
    });
  }
  run.note(
    'codec-*: rows from benchmarks/codec/codec.bench.ts (its own runs and goals, CPU time per item); median_s is seconds per message or entry.',
  );
}
