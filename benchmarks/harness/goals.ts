/** The goals table: each goal a ratio to a baseline of the same run, or a figure reported as is. */
import type { BenchRun } from './bench-run.js';
import { seconds, type Goal } from './report.js';
import { NORTH_SOUTH, type Result } from './results.js';

/** The report's goals, measured on this run's results (at 10k services, or the largest size run). */
export function goals(run: BenchRun): Goal[] {
  const { results } = run;
  const { sizes, endpoints: E, externalEvery } = run.settings;
  const at = (workload: string, contender: string, n: number) =>
    results.find((r) => r.workload === workload && r.contender === contender && r.services === n);
  const sizeFor = sizes.includes(10000) ? 10000 : Math.max(...sizes);
  const where = sizeFor === 10000 ? '10k' : `${sizeFor} services (10k not run)`;
  const out: Goal[] = [];
  const ratioGoal = (
    goal: string,
    a: Result | undefined,
    b: Result | undefined,
    max: number,
    pick: (r: Result) => number = (r) => r.median_s,
  ) => {
    if (!a || !b) return out.push({ goal, target: `≤ ${max}×`, measured: 'not measured', met: null });
    const x = pick(a) / pick(b);
    out.push({ goal, target: `≤ ${max}×`, measured: `${x.toFixed(2)}× (${seconds(pick(a))} vs ${seconds(pick(b))})`, met: x <= max });
  };
  const floorRatioGoal = (goal: string, n: number, workload: string, max: number) =>
    ratioGoal(goal, at(workload, 'ofwire', n), at(workload, 'floor', n), max);
  for (const n of new Set([sizeFor, 50000])) {
    if (n === sizeFor || sizes.includes(n))
      floorRatioGoal(`cold sync, ${n === sizeFor ? where : '50k'}: ofwire (in-process) ÷ floor`, n, 'cold-sync', 1.5);
  }
  ratioGoal(
    `cold sync, ${where}: \`ofwire proxy --once\` (whole process) ÷ ovs-ofctl bundle`,
    at('cold-sync-process', 'ofwire', sizeFor),
    at('cold-sync', 'ovs-ofctl-bundle', sizeFor),
    1.0,
  );
  const once = at('cold-sync-process', 'ofwire', sizeFor);
  out.push({
    goal: `cold sync, ${where}: peak RSS of \`ofwire proxy --once\``,
    target: '≤ 150 MB',
    measured: once?.peak_rss_mb ? `${once.peak_rss_mb.toFixed(0)} MB` : 'not measured',
    met: once?.peak_rss_mb ? once.peak_rss_mb <= 150 : null,
  });
  ratioGoal(
    `cold sync, ${where}: Switch.bundle() (library) ÷ floor`,
    at('cold-sync-library', 'ofwire', sizeFor),
    at('cold-sync', 'floor', sizeFor),
    1.5,
  );
  // Against what people use today: reported, with the floor's own ratio beside (how far any OpenFlow program could get).
  const ofw = at('cold-sync', 'ofwire', sizeFor);
  const floorCold = at('cold-sync', 'floor', sizeFor);
  for (const [name, contender] of [
    ['os-ken', 'os-ken'],
    ['iptables-restore', 'iptables-restore'],
  ] as const) {
    const other = at('cold-sync', contender, sizeFor);
    out.push({
      goal: `cold sync, ${where}: ofwire vs ${name} (reported)`,
      target: 'reported',
      measured:
        ofw && other && floorCold
          ? `${(other.median_s / ofw.median_s).toFixed(1)}× faster (${seconds(ofw.median_s)} vs ${seconds(other.median_s)}); the floor: ${(other.median_s / floorCold.median_s).toFixed(1)}×`
          : 'not measured',
      met: null,
    });
  }
  const restart = at('restart', 'ofwire', sizeFor);
  ratioGoal(`restart with nothing changed, ${where}: ofwire ÷ floor's read-back`, restart, at('restart', 'floor', sizeFor), 3);
  if (restart)
    out.push({
      goal: `restart with nothing changed, ${where}: messages sent`,
      target: '0',
      measured: String(restart.flows_readded ?? 0),
      met: (restart.flows_readded ?? 0) === 0,
    });
  const latencyGoal = (
    goal: string,
    r: Result | undefined,
    p50PlusUs: number,
    p99Times?: number,
    floorChurn = at('churn', 'floor', sizeFor),
  ) => {
    const target = `p50 ≤ floor p50 + ${p50PlusUs} µs${p99Times ? `, p99 ≤ ${p99Times}× floor p99` : ''}`;
    if (!r || !floorChurn) return out.push({ goal, target, measured: 'not measured', met: null });
    const p50Ok = r.median_s <= floorChurn.median_s + p50PlusUs / 1e6;
    const p99Ok = !p99Times || r.p99_s! <= p99Times * floorChurn.p99_s!;
    out.push({
      goal,
      target,
      measured: `p50 ${seconds(r.median_s)}, p99 ${seconds(r.p99_s)} (floor ${seconds(floorChurn.median_s)}, ${seconds(floorChurn.p99_s)})`,
      met: p50Ok && p99Ok,
    });
  };
  latencyGoal(`endpoint change → barrier ack, ${where} installed (MemorySource)`, at('churn', 'ofwire', sizeFor), 50, 2);
  latencyGoal(`endpoint change → barrier ack, ${where} installed (Kubernetes watch event)`, at('churn-kube', 'ofwire', sizeFor), 150);
  latencyGoal(`Switch.request(GROUP_MOD) → barrier ack, ${where} installed`, at('churn-library', 'ofwire', sizeFor), 20);
  if (externalEvery !== undefined) {
    // The north-south mix: the same ratio goals as the ClusterIP-only mix, against the floor on the same mix.
    const ns = `${where}, 1 in ${externalEvery} services NodePort/LoadBalancer`;
    floorRatioGoal(`cold sync, ${ns}: ofwire (in-process) ÷ floor`, sizeFor, `cold-sync${NORTH_SOUTH}`, 1.5);
    latencyGoal(
      `endpoint change → barrier ack, ${ns} (MemorySource)`,
      at(`churn${NORTH_SOUTH}`, 'ofwire', sizeFor),
      50,
      2,
      at(`churn${NORTH_SOUTH}`, 'floor', sizeFor),
    );
  }
  const rssRows = results.filter((r) => r.contender === 'ofwire' && r.services === sizeFor && ['cold-sync', 'churn'].includes(r.workload));
  if (rssRows.length) {
    const peak = Math.max(...rssRows.map((r) => r.peak_rss_mb ?? 0));
    out.push({
      goal: `peak RSS of the ofwire agent, ${where} × ${E} endpoints (cold sync and churn)`,
      target: '≤ 150 MB',
      measured: `${peak.toFixed(0)} MB`,
      met: peak <= 150,
    });
  }
  const big = results.filter((r) => r.contender === 'ofwire' && r.services === 50000 && ['cold-sync', 'churn'].includes(r.workload));
  if (big.length)
    out.push({
      goal: `peak RSS of the ofwire agent, 50k × ${E} endpoints`,
      target: 'reported',
      measured: `${Math.max(...big.map((r) => r.peak_rss_mb ?? 0)).toFixed(0)} MB`,
      met: null,
    });
  const cliOfw = at('cli-add', 'ofwire', sizeFor);
  const cliEntries = (cliOfw?.extra as { groups_and_flows?: number } | undefined)?.groups_and_flows;
  ratioGoal(
    `\`ofwire --bundle add-groups\` + \`add-flows\` (two processes, start-up included), ${where}${cliEntries ? ` (${Math.round(cliEntries / 1000)}k groups and flows)` : ''} ÷ the same ovs-ofctl commands`,
    cliOfw,
    at('cli-add', 'ovs-ofctl-bundle', sizeFor),
    1.0,
  );
  return out;
}
