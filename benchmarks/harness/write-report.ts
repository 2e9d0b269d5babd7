/** Writes a finished run's report: latest.md (also to stdout), cold-sync.svg, README-fragment.md and the JSON. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BenchRun } from './bench-run.js';
import { goals } from './goals.js';
import type { Machine } from './machine.js';
import { coldSyncSvg, markdown, readmeFragment } from './report.js';

/** Where a run's report goes. */
export interface ReportFiles {
  outDir: string;
  jsonFile: string;
}

/** Writes the report of `run`, which started at `started` (ms since the epoch), into `files`. */
export function writeReport(run: BenchRun, machine: Machine, started: number, files: ReportFiles): void {
  const { results, notes } = run;
  const { quick, sizes, endpoints, churnChanges, spawnChanges, sustainedSeconds, sustainedRate } = run.settings;
  const { outDir, jsonFile } = files;
  const goalList = goals(run);
  const input = {
    machine,
    results,
    goals: goalList,
    notes,
    settings: {
      quick,
      sizes,
      endpoints,
      churnChanges,
      spawnChanges,
      sustainedSeconds,
      sustainedRate,
      minutes: (Date.now() - started) / 60000,
    },
  };
  const md = markdown(input);
  mkdirSync(outDir, { recursive: true });
  mkdirSync(dirname(jsonFile), { recursive: true });
  writeFileSync(join(outDir, 'latest.md'), md);
  writeFileSync(join(outDir, 'cold-sync.svg'), coldSyncSvg(results, machine));
  writeFileSync(join(outDir, 'README-fragment.md'), readmeFragment(input));
  writeFileSync(jsonFile, `${JSON.stringify({ machine, settings: input.settings, goals: goalList, results, notes }, null, 2)}\n`);
  process.stdout.write(`${md}\n`);
  process.stderr.write(
    `wrote ${jsonFile}, ${join(outDir, 'latest.md')}, cold-sync.svg and README-fragment.md in ${outDir} (${((Date.now() - started) / 60000).toFixed(1)} min)\n`,
  );
}
