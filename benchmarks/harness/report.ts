/** The report: Markdown tables, the goals with their ratios, the cold-sync chart (SVG) and the README fragment. */
import type { Machine } from './machine.js';
import { NORTH_SOUTH, type Result } from './results.js';

export interface Goal {
  goal: string;
  target: string;
  measured: string;
  met: boolean | null;
}

function size(n: number): string {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

export function seconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '–';
  // Units are picked by the value as it will be rounded (999.7 µs prints as 1.00 ms).
  if (s >= 9.995) return `${s.toFixed(1)} s`;
  if (s >= 0.9995) return `${s.toFixed(2)} s`;
  if (s >= 0.0009995) return `${(s * 1000).toPrecision(3)} ms`;
  return `${(s * 1e6).toPrecision(3)} µs`;
}

function ratio(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  return x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`;
}

function mb(x: number | undefined): string {
  return x === undefined ? '–' : `${x.toFixed(0)} MB`;
}

function check(r: Result): string {
  const v = r.verified;
  if (r.contender === 'iptables-restore') return v === true ? 'all rules loaded' : v === false ? '**rules missing**' : '';
  return v === true ? 'same flows & groups' : v === false ? '**DIFFERENT**' : '';
}

/** CPU time from /proc (10 ms ticks). */
function cpuTime(s: number | undefined): string {
  if (s === undefined) return '–';
  return s < 0.005 ? '< 10 ms' : seconds(s);
}

const LABEL: Record<string, string> = {
  'cold-sync/ofwire': 'ofwire (ServiceProxy, in-process)',
  'cold-sync-process/ofwire': 'ofwire proxy --once (whole process)',
  'cold-sync-library/ofwire': 'ofwire Switch.bundle() (library)',
  'cold-sync/floor': 'floor (pre-encoded, raw socket)',
  'cold-sync/ovs-ofctl-bundle': 'ovs-ofctl bundle FILE',
  'cold-sync/os-ken': 'os-ken 2.5 (no bundle)',
  'cold-sync/iptables-restore': 'iptables-legacy-restore (kube-proxy rules)',
  'cold-sync-iptables-nft/iptables-restore': 'iptables-nft-restore (kube-proxy rules)',
  'churn/ofwire': 'ofwire (MemorySource → synced)',
  'churn-kube/ofwire': 'ofwire (Kubernetes watch → synced)',
  'churn-library/ofwire': 'ofwire Switch.request(GROUP_MOD)',
  'churn/floor': 'floor (GROUP_MOD + BARRIER, raw)',
  'churn/ovs-ofctl-spawn': 'ovs-ofctl mod-group (a process per change)',
  'restart/ofwire': 'ofwire (new ServiceProxy, same switch)',
  'restart-process/ofwire': 'ofwire proxy --once (whole process)',
  'restart/floor': 'floor (read flows and groups back, raw)',
  'recovery/ofwire': 'ofwire (Switch reconnects, proxy reprograms)',
  'recovery/floor': 'floor (poll socket, pre-encoded bundle)',
  'recovery/ovs-ofctl-bundle': 'ovs-ofctl bundle FILE (poll socket)',
  'cli-add/ofwire': 'ofwire --bundle add-groups, add-flows',
  'cli-add/ovs-ofctl-bundle': 'ovs-ofctl --bundle add-groups, add-flows',
};

function label(r: Result): string {
  const northSouth = r.workload.endsWith(NORTH_SOUTH);
  const workload = northSouth ? r.workload.slice(0, -NORTH_SOUTH.length) : r.workload;
  return `${LABEL[`${workload}/${r.contender}`] ?? String((r.extra?.label as string | undefined) ?? r.contender)}${northSouth ? ' — north-south mix' : ''}`;
}

/** The rows of these workloads by size; at each size the north-south mix's rows after the ClusterIP-only ones (unless `clusterOnly`). */
function byWorkload(results: readonly Result[], workloads: string[], clusterOnly = false): Result[] {
  const all = clusterOnly ? workloads : [...workloads, ...workloads.map((w) => w + NORTH_SOUTH)];
  const order = (r: Result) => all.indexOf(r.workload);
  return results.filter((r) => all.includes(r.workload)).sort((a, b) => a.services - b.services || order(a) - order(b));
}

function timeTable(
  rows: Result[],
  opts: { vsFloor?: boolean; vsOfctl?: boolean; readded?: boolean; extra?: (r: Result) => string; extraHead?: string },
): string {
  const head = ['services', 'contender', 'runs', 'median', 'min – max'];
  if (opts.vsFloor) head.push('× floor');
  if (opts.vsOfctl) head.push('× ovs-ofctl bundle');
  if (opts.readded) head.push('re-added');
  head.push('vswitchd CPU', 'peak RSS');
  if (opts.extraHead) head.push(opts.extraHead);
  head.push('check');
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_h, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const cells = [size(r.services), label(r), String(r.runs), seconds(r.median_s), `${seconds(r.min_s)} – ${seconds(r.max_s)}`];
    if (opts.vsFloor) cells.push(r.contender === 'floor' && r.workload.startsWith('cold-sync') ? '1' : ratio(r.ratios?.['x_floor']));
    if (opts.vsOfctl) cells.push(r.contender === 'ovs-ofctl-bundle' ? '1' : ratio(r.ratios?.['x_ovs-ofctl-bundle']));
    if (opts.readded) cells.push(r.flows_readded === undefined ? '' : String(r.flows_readded));
    cells.push(cpuTime(r.vswitchd_cpu_s), mb(r.peak_rss_mb));
    if (opts.extraHead) cells.push(opts.extra?.(r) ?? '');
    cells.push(check(r));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function latencyTable(rows: Result[]): string {
  const head = ['services', 'contender', 'changes', 'p50', 'p90', 'p99', 'max', 'p99 × floor', 'vswitchd CPU / change', 'RSS'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const perChange = r.vswitchd_cpu_s !== undefined && r.samples ? r.vswitchd_cpu_s / r.samples : undefined;
    const perChangeText =
      perChange === undefined ? '–' : r.vswitchd_cpu_s! < 0.005 ? `< ${seconds(0.01 / r.samples!)}` : seconds(perChange);
    lines.push(
      `| ${[
        size(r.services),
        label(r),
        `${r.samples} (${r.runs} run${r.runs > 1 ? 's' : ''})`,
        seconds(r.median_s),
        seconds(r.p90_s),
        seconds(r.p99_s),
        seconds(r.max_s),
        r.contender === 'floor' ? '1' : ratio(r.ratios?.['p99_x_floor']),
        perChangeText,
        mb(r.rss_mb ?? r.peak_rss_mb),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

function sustainedTable(rows: Result[]): string {
  const head = ['services', 'offered', 'achieved', 'changes', 'syncs (changes per sync)', 'p50', 'p99', 'max'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 1 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const e = r.extra as { offered: number; issued: number; achieved: number; syncs: number };
    lines.push(
      `| ${[`${size(r.services)}${r.workload.endsWith(NORTH_SOUTH) ? ' (north-south mix)' : ''}`, `${e.offered}/s (issued ${e.issued.toFixed(0)}/s)`, `${e.achieved.toFixed(0)}/s`, String(r.samples), `${e.syncs} (${((r.samples ?? 0) / (e.syncs || 1)).toFixed(1)})`, seconds(r.median_s), seconds(r.p99_s), seconds(r.max_s)].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

function codecTable(rows: Result[]): string {
  const head = ['benchmark', 'contender', 'median rate', 'time per item', 'runs'];
  const lines = [`| ${head.join(' | ')} |`, '|---|---|---:|---:|---:|'];
  for (const r of rows) {
    const rate = Number(r.extra?.rate_per_s);
    lines.push(
      `| ${r.workload} | ${String((r.extra?.label as string | undefined) ?? r.contender)} | ${rate >= 1e6 ? `${(rate / 1e6).toFixed(2)} M` : `${(rate / 1e3).toFixed(0)} k`}/s | ${seconds(r.median_s)} | ${r.runs} |`,
    );
  }
  return lines.join('\n');
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.ram_gb} GB RAM, Linux ${m.kernel} (${m.os}), Node ${m.node}, ${m.ovs}, ${m.os_ken === 'not' ? 'os-ken not run' : `os-ken ${m.os_ken} (Python ${m.python})`}, ${m.iptables === 'not run' ? 'iptables not run' : m.iptables}; ofwire ${m.ofwire}; ${m.date.slice(0, 16).replace('T', ' ')} UTC`;
}

function loadLine(m: Machine): string {
  const busy = m.busy_at_start.length ? ` Busiest processes at start (%CPU): ${m.busy_at_start.join(', ')}.` : '';
  return `Load average (1/5/15 min) at start ${m.load_start.join(' / ')}, at end ${(m.load_end ?? []).join(' / ')} on ${m.cores} cores.${busy}`;
}

export interface ReportInput {
  machine: Machine;
  results: Result[];
  goals: Goal[];
  notes: string[];
  settings: Record<string, unknown>;
}

export function markdown(input: ReportInput): string {
  const { machine, results, goals, notes } = input;
  const parts: string[] = [];
  parts.push('# ofwire benchmark: service proxy against ovs-vswitchd, with the baselines in the same run', '');
  parts.push(`Machine: ${machineLine(machine)}.`, '', loadLine(machine), '');
  parts.push('## Goals', '', goalsTable(goals), '');
  const cold = byWorkload(results, ['cold-sync', 'cold-sync-process', 'cold-sync-library', 'cold-sync-iptables-nft']);
  if (cold.length) {
    parts.push('## Cold sync — empty bridge → every service programmed, acknowledged, one atomic bundle', '');
    parts.push(timeTable(cold, { vsFloor: true, vsOfctl: true }), '');
    const split = cold.filter((r) => r.workload === 'cold-sync' && r.contender === 'ofwire' && typeof r.extra?.sync_s_median === 'number');
    if (split.length) {
      parts.push(
        `Where ofwire's in-process time goes (medians of the runs): ${split
          .map((r) => {
            const gc =
              typeof r.extra!.gc_s_median === 'number'
                ? `; ${seconds(r.extra!.gc_s_median)} of the run collecting garbage (${Math.round((100 * r.extra!.gc_s_median) / r.median_s)}%)`
                : '';
            return `${size(r.services)}: ${seconds(r.extra!.sync_s_median as number)} in the sync (services compiled in batches while the bundle is sent, commit), ${seconds((r.extra!.before_s_median as number | undefined) ?? r.median_s - (r.extra!.sync_s_median as number))} before it (reading the empty switch and the source)${gc}`;
          })
          .join('; ')}.`,
        '',
      );
    }
    const node = results.find((r) => r.workload === 'process-start-up' && r.contender === 'node');
    const cli = results.find((r) => r.workload === 'process-start-up' && r.contender === 'ofwire');
    if (node && cli) {
      parts.push(
        `Process start-up alone (median of ${cli.runs}, spawn to exit): \`node -e ''\` ${seconds(node.median_s)}, \`ofwire --help\` ${seconds(cli.median_s)} — part of every \`ofwire proxy --once\` row.`,
        '',
      );
    }
    parts.push('![cold sync](cold-sync.svg)', '');
  }
  const churn = byWorkload(results, ['churn', 'churn-kube', 'churn-library']);
  if (churn.length) {
    parts.push('## Endpoint churn — one endpoint change → acknowledged by barrier, one at a time', '');
    parts.push(latencyTable(churn), '');
    const gc = churn.filter((r) => r.contender === 'ofwire' && r.workload === 'churn' && typeof r.extra?.gc_share === 'number');
    if (gc.length) {
      parts.push(
        `Garbage collection during ofwire's churn (MemorySource): ${gc.map((r) => `${size(r.services)} ${Math.round(100 * (r.extra!.gc_share as number))}%`).join(', ')} of the time.`,
        '',
      );
    }
  }
  const sus = byWorkload(results, ['churn-sustained']);
  if (sus.length) {
    parts.push('## Sustained churn — endpoint changes at a steady rate (ofwire, MemorySource)', '');
    parts.push(sustainedTable(sus), '');
  }
  const restart = byWorkload(results, ['restart', 'restart-process']);
  if (restart.length) {
    parts.push('## Restart — agent restarted, services unchanged (time to converge; nothing may be re-sent)', '');
    parts.push(timeTable(restart, { readded: true }), '');
  }
  const split = splitTable(results);
  if (split) {
    parts.push("## Where ofwire's time goes — the agent's counted steps, the rest, and garbage collection", '', split, '');
    parts.push(
      "Steps (benchmarks/harness/phases.ts, each counted once): model = the source's objects into the service model and its service ports; compile = a service's ports into desired entries; diff = comparing them with the installed state; encode = messages into the outgoing buffer; write = bytes handed to the socket; waiting = the rest of the run (the switch, the event loop, reading the dump). GC overlaps the steps it interrupts. Each from a run of its own after the timed ones, which are not counted (counting adds a little to each step); churn per change.",
      '',
    );
  }
  const recovery = byWorkload(results, ['recovery']);
  if (recovery.length) {
    parts.push('## Recovery — ovs-vswitchd killed and restarted empty (time from its start to full state)', '');
    parts.push(
      timeTable(recovery, {
        vsFloor: true,
        extraHead: 'socket up · reconnected',
        extra: (r) =>
          `${seconds(r.extra?.socket_up_s as number | undefined)}${r.extra?.reconnected_s !== undefined ? ` · ${seconds(r.extra.reconnected_s as number)}` : ''}`,
      }),
      '',
    );
  }
  const cli = byWorkload(results, ['cli-add']);
  if (cli.length) {
    parts.push(
      '## The command line — `--bundle add-groups FILE` then `--bundle add-flows FILE` on an empty bridge, two processes each',
      '',
    );
    parts.push(
      timeTable(cli, {
        vsOfctl: true,
        extraHead: 'groups + flows',
        extra: (r) => String((r.extra?.groups_and_flows as number | undefined) ?? ''),
      }),
      '',
    );
  }
  const codec = results.filter((r) => r.workload.startsWith('codec-'));
  if (codec.length) {
    parts.push('## Codec micro-benchmarks (benchmarks/codec, CPU time per item)', '', codecTable(codec), '');
  }
  parts.push('## Notes', '', ...notes.map((n) => `- ${n}`), '');
  return parts.join('\n');
}

const SPLIT_WORKLOADS: [string, string][] = [
  ['cold-sync', 'cold sync'],
  ['restart', 'restart, nothing changed'],
  ['churn', 'endpoint change (per change)'],
];

/** Rows of the ofwire results that carry a time split (extra.split), or undefined when none do. */
function splitTable(results: readonly Result[]): string | undefined {
  const rows = SPLIT_WORKLOADS.flatMap(([w, name]) =>
    results
      .filter((r) => r.workload === w && r.contender === 'ofwire' && r.extra?.split)
      .map((r) => ({ name, r, s: r.extra!.split as Record<string, number> })),
  );
  if (!rows.length) return undefined;
  const cols = ['model', 'compile', 'diff', 'encode', 'write', 'wait', 'gc'];
  const lines = [
    '| workload | services | total | model | compile | diff | encode | write | waiting | GC |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { name, r, s } of rows) {
    const cell = (k: string) => `${seconds(s[`${k}_s`])} (${Math.round((100 * (s[`${k}_s`] ?? 0)) / (s.total_s || 1))}%)`;
    lines.push(`| ${name} | ${size(r.services)} | ${seconds(s.total_s)} | ${cols.map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

export function goalsTable(goals: Goal[]): string {
  const lines = ['| goal | target | measured | met |', '|---|---|---|---|'];
  for (const g of goals) lines.push(`| ${g.goal} | ${g.target} | ${g.measured} | ${g.met === null ? 'n/a' : g.met ? 'yes' : '**no**'} |`);
  return lines.join('\n');
}

/** The fragment for README.md: the machine, the goals, the cold-sync summary and the chart. */
export function readmeFragment(input: ReportInput): string {
  const { machine, results, goals } = input;
  const cold = byWorkload(results, ['cold-sync', 'cold-sync-process'], true);
  const sizes = [...new Set(cold.map((r) => r.services))];
  const contenders = [...new Set(cold.map((r) => `${r.workload}/${r.contender}`))];
  const head = ['cold sync (median)', ...sizes.map(size)];
  const lines = [`| ${head.join(' | ')} |`, `|---|${sizes.map(() => '---:').join('|')}|`];
  for (const c of contenders) {
    const [w, name] = c.split('/');
    const cells = sizes.map((s) => {
      const r = cold.find((x) => x.workload === w && x.contender === name && x.services === s);
      return r ? seconds(r.median_s) : '–';
    });
    lines.push(`| ${LABEL[c] ?? c} | ${cells.join(' | ')} |`);
  }
  const churn = results.filter((r) => r.workload === 'churn' && r.contender === 'ofwire');
  const churnLine = churn.length
    ? `Endpoint change → barrier-acknowledged (ofwire, p50 / p99): ${churn.map((r) => `${size(r.services)} services ${seconds(r.median_s)} / ${seconds(r.p99_s)}`).join('; ')}.`
    : '';
  return [
    '## Benchmarks',
    '',
    `\`npm run bench\` (\`-- --quick\` for 1k and 10k only) starts its own sandboxed ovs-vswitchd and measures ofwire and the baselines in the same run; full report: [benchmarks/results/latest.md](benchmarks/results/latest.md).`,
    '',
    `Measured on ${machineLine(machine)}. ${loadLine(machine)}`,
    '',
    lines.join('\n'),
    '',
    churnLine,
    '',
    '![cold sync: seconds by number of services](benchmarks/results/cold-sync.svg)',
    '',
    goalsTable(goals),
    '',
  ].join('\n');
}

// ---- chart ---------------------------------------------------------------------------------------

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];

function axisLabel(v: number): string {
  return v >= 1
    ? `${Number(v.toPrecision(2))} s`
    : v >= 0.001
      ? `${Number((v * 1000).toPrecision(2))} ms`
      : `${Number((v * 1e6).toPrecision(2))} µs`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cold sync: services on x, seconds on y (both logarithmic), one line per contender, min–max bars. */
export function coldSyncSvg(results: readonly Result[], machine: Machine): string {
  const rows = results.filter((r) => ['cold-sync', 'cold-sync-process'].includes(r.workload) && r.median_s > 0);
  const series = [...new Set(rows.map((r) => `${r.workload}/${r.contender}`))];
  const W = 840;
  const H = 460;
  const m = { l: 70, r: 310, t: 40, b: 60 };
  const endpoints = rows[0]?.endpoints_per_service ?? 0;
  const xs = rows.map((r) => r.services);
  const ys = rows.flatMap((r) => [r.min_s, r.max_s, r.median_s]).filter((y) => y > 0);
  if (!xs.length)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="80"><text x="10" y="40">no cold-sync results</text></svg>\n`;
  const lx0 = Math.log10(Math.min(...xs)) - 0.15;
  const lx1 = Math.log10(Math.max(...xs)) + 0.15;
  const ly0 = Math.floor(Math.log10(Math.min(...ys)));
  const ly1 = Math.ceil(Math.log10(Math.max(...ys)));
  const px = (x: number) => m.l + ((Math.log10(x) - lx0) / (lx1 - lx0 || 1)) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((Math.log10(y) - ly0) / (ly1 - ly0 || 1)) * (H - m.t - m.b);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(
    `<text x="${m.l}" y="22" font-size="15" font-weight="bold">Cold sync: empty bridge → all services programmed (${endpoints} endpoints each)</text>`,
  );
  for (let e = ly0; e <= ly1; e++) {
    for (const k of [1, 2, 5]) {
      const v = k * 10 ** e;
      if (Math.log10(v) > ly1 + 1e-9) continue;
      const y = py(v);
      out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="${k === 1 ? '#bbb' : '#eee'}"/>`);
      if (k === 1 || ly1 - ly0 <= 2)
        out.push(`<text x="${m.l - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${esc(axisLabel(v))}</text>`);
    }
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    const X = px(x);
    out.push(`<line x1="${X.toFixed(1)}" x2="${X.toFixed(1)}" y1="${m.t}" y2="${H - m.b}" stroke="#eee"/>`);
    out.push(`<text x="${X.toFixed(1)}" y="${H - m.b + 18}" text-anchor="middle">${size(x)}</text>`);
  }
  out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/>`);
  out.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`);
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 18}" text-anchor="middle">services (log scale)</text>`);
  out.push(
    `<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">seconds (log scale), median; bars: min–max</text>`,
  );
  series.forEach((key, i) => {
    const color = COLORS[i % COLORS.length]!;
    const pts = rows.filter((r) => `${r.workload}/${r.contender}` === key).sort((a, b) => a.services - b.services);
    const d = pts.map((r, j) => `${j ? 'L' : 'M'}${px(r.services).toFixed(1)},${py(r.median_s).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const r of pts) {
      const X = px(r.services);
      out.push(
        `<line x1="${X.toFixed(1)}" x2="${X.toFixed(1)}" y1="${py(r.min_s).toFixed(1)}" y2="${py(r.max_s).toFixed(1)}" stroke="${color}"/>`,
      );
      out.push(
        `<circle cx="${X.toFixed(1)}" cy="${py(r.median_s).toFixed(1)}" r="3.5" fill="${color}"><title>${esc(`${LABEL[key] ?? key}, ${size(r.services)}: ${seconds(r.median_s)}`)}</title></circle>`,
      );
    }
    const ly = m.t + 10 + i * 20;
    out.push(`<line x1="${W - m.r + 12}" x2="${W - m.r + 32}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${W - m.r + 38}" y="${ly + 4}">${esc(LABEL[key] ?? key)}</text>`);
  });
  out.push(
    `<text x="${m.l}" y="${H - 2}" font-size="10" fill="#666">${esc(`${machine.cpu}, ${machine.cores} cores; ${machine.ovs}; load avg at start ${machine.load_start[0]}`)}</text>`,
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
