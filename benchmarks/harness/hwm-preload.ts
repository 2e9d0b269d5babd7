/**
 * Loaded with `node --import` into a process the benchmark spawns (the `ofwire` CLI): at exit it
 * writes the process's peak RSS (VmHWM) and CPU time to $OFWIRE_BENCH_USAGE_FILE.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.OFWIRE_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const status = readFileSync('/proc/self/status', 'utf8');
    const hwmKb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    const cpu = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ hwmKb, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
  });
}
