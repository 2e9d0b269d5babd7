/**
 * The test harness itself: a sandbox and its pods leave nothing behind — not on close(), not when
 * the process exits, throws or is signalled, and what a SIGKILLed process left is swept by the next
 * sandbox.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { createSandbox, run, waitFor } from './ovs-sandbox.js';
import { createPod } from './netns.js';

const CHILD = fileURLToPath(new URL('./fixtures/sandbox-child.ts', import.meta.url));

interface Report {
  netns: string[];
  dir: string;
  pids: number[];
  link: string;
  hostIp: string;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function leftovers(r: Report): Promise<string[]> {
  const out: string[] = [];
  const namespaces = await run('ip', ['netns', 'list']);
  for (const ns of r.netns) if (namespaces.split('\n').some((l) => l.split(' ')[0] === ns)) out.push(`netns ${ns}`);
  if (existsSync(r.dir)) out.push(`dir ${r.dir}`);
  for (const p of r.pids) if (alive(p)) out.push(`pid ${p}`);
  const links = await run('ip', ['-o', 'link', 'show']);
  if (links.includes(`${r.link}@`) || links.includes(`${r.link}:`)) out.push(`link ${r.link}`);
  return out;
}

/** Leftovers once killed processes had the chance to finish dying (SIGKILL is asynchronous). */
async function settled(r: Report): Promise<string[]> {
  try {
    await waitFor('teardown to finish', async () => (await leftovers(r)).length === 0, 10_000);
  } catch {
    // report what is left
  }
  return leftovers(r);
}

interface Child {
  report: Promise<Report>;
  exit: Promise<number | string | null>;
  go(): void;
  kill(sig: NodeJS.Signals): void;
}

function child(mode: string): Child {
  const c = spawn(process.execPath, ['--import', 'tsx', CHILD, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const report = new Promise<Report>((resolve, reject) => {
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as Report);
    });
    c.on('exit', () => reject(new Error(`child exited before reporting: ${err}`)));
  });
  c.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | string | null>((r) => c.on('exit', (code, sig) => r(code ?? sig)));
  return { report, exit, go: () => c.stdin.write('go\n'), kill: (sig) => c.kill(sig) };
}

t.test('close() removes namespaces, processes, links and files', async (t) => {
  const sb = await createSandbox();
  const pod = await createPod(sb, { name: 'p', index: 9 });
  await pod.serveHttp(8080);
  await sb.hostLink();
  const r: Report = {
    netns: [sb.netns, pod.netns],
    dir: sb.dir,
    pids: [],
    link: `${sb.bridge.slice(0, 14)}h`,
    hostIp: '',
  };
  t.same(await leftovers(r), [`netns ${sb.netns}`, `netns ${pod.netns}`, `dir ${sb.dir}`, `link ${r.link}`], 'resources exist while open');
  await sb.close();
  t.same(await settled(r), [], 'nothing left after close()');
  await sb.close();
  t.pass('close() is idempotent');
});

for (const [mode, how] of [
  ['exit', 'process.exit()'],
  ['throw', 'an uncaught exception'],
] as const) {
  t.test(`teardown on ${how}`, async (t) => {
    const c = child(mode);
    const r = await c.report;
    t.ok((await leftovers(r)).length >= 3, 'the child built a sandbox');
    c.go();
    const code = await c.exit;
    t.not(code, null);
    t.same(await settled(r), [], 'nothing left behind');
  });
}

for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`teardown on ${sig}`, async (t) => {
    const c = child('signal');
    const r = await c.report;
    c.kill(sig);
    t.equal(await c.exit, sig, `the child still dies of ${sig}`);
    t.same(await settled(r), [], 'nothing left behind');
  });
}

t.test('what a SIGKILLed process left is swept by the next sandbox', async (t) => {
  const c = child('signal');
  const r = await c.report;
  c.kill('SIGKILL');
  await c.exit;
  t.ok((await leftovers(r)).length >= 3, 'SIGKILL leaves the sandbox behind');
  const sb = await createSandbox({ t });
  t.same(await settled(r), [], 'swept');
  t.ok(existsSync(sb.dir), 'the new sandbox is untouched');
});
