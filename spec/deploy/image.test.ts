/**
 * The image's production install, run as the Dockerfile's final stage runs it (its COPY and RUN
 * lines, in a clean directory instead of /opt/ofwire, with no dev dependency present), then the
 * agent started from there against a real ovs-vswitchd.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { ROOT } from '../helpers/cli.js';
import { service, slice } from '../helpers/cluster.js';
import { createSandbox } from '../helpers/ovs-sandbox.js';

const exec = promisify(execFile);

interface Stage {
  workdir: string;
  env: Record<string, string>;
  steps: { kind: 'COPY' | 'RUN'; args: string }[];
  entrypoint: string[];
}

/** The final stage of the Dockerfile (continuation lines joined). */
function finalStage(): Stage {
  const lines = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ').split('\n');
  let stage: Stage | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [word, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (word === 'FROM') stage = { workdir: '/', env: {}, steps: [], entrypoint: [] };
    else if (word === 'WORKDIR') stage!.workdir = args;
    else if (word === 'ENV') for (const kv of rest) stage!.env[kv.split('=')[0]!] = kv.split('=').slice(1).join('=');
    else if (word === 'COPY' || word === 'RUN') stage!.steps.push({ kind: word, args });
    else if (word === 'ENTRYPOINT') stage!.entrypoint = JSON.parse(args) as string[];
  }
  return stage!;
}

t.test('the production install works from a clean directory', async (t) => {
  if (!existsSync(join(ROOT, 'dist/bin/main.js'))) throw new Error('dist/ is missing: npm test builds it first');
  const stage = finalStage();
  t.equal(stage.workdir, '/opt/ofwire');
  t.same(stage.entrypoint, ['ofwire']);
  const dir = mkdtempSync(join(tmpdir(), 'ofwire-image-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const app = join(dir, 'app');
  const bin = join(dir, 'bin');
  mkdirSync(app);
  mkdirSync(bin);
  // A private npm cache: the stage's `npm cache clean` must not empty this machine's.
  const env = { ...process.env, ...stage.env, npm_config_cache: join(dir, 'npm-cache'), PATH: `${bin}:${process.env.PATH}` };
  const local = (s: string) => s.replaceAll(stage.workdir, app).replaceAll('/usr/local/bin', bin);
  for (const step of stage.steps) {
    if (step.kind === 'COPY') {
      // COPY SRC… DEST, or COPY --from=build /src/dist DEST (what the build stage made: our dist/).
      const parts = step.args.split(/\s+/);
      const dest = join(app, parts.at(-1)!);
      const from = parts[0]!.startsWith('--from=') ? [join(ROOT, parts[1]!.replace(/^\/src\//, ''))] : parts.slice(0, -1).map((p) => join(ROOT, p));
      for (const src of from) cpSync(src, from.length > 1 || dest.endsWith('/') ? join(dest, src.split('/').at(-1)!) : dest, { recursive: true });
    } else {
      await exec('sh', ['-c', local(step.args)], { cwd: app, env, timeout: 300_000 });
    }
  }
  const deps = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: object }).dependencies);
  for (const d of deps) t.ok(existsSync(join(app, 'node_modules', d)), `dependency ${d} installed`);
  for (const dev of ['typescript', 'tap', 'esbuild', 'tsx', 'fast-check']) t.notOk(existsSync(join(app, 'node_modules', dev)), `no ${dev} (a dev dependency)`);

  const ofwire = join(bin, stage.entrypoint[0]!);
  const help = await exec(ofwire, ['proxy', '--help'], { env, cwd: dir });
  t.match(help.stdout, /--healthz/, 'the entrypoint runs');

  const sb = await createSandbox({ t });
  const manifest = join(dir, 'services.json');
  writeFileSync(
    manifest,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        service('web', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
        slice('web', 'web-1', [{ name: 'http', port: 8080 }], [{ ip: '10.244.0.11' }]),
      ],
    }),
  );
  await exec(ofwire, ['proxy', '--once', '--bridge', sb.mgmt, '--source', `file:${manifest}`, '--log-level', 'warn'], { env, cwd: dir, timeout: 60_000 });
  t.match(await sb.ofctl('dump-groups', sb.bridge), /nat\(dst=10\.244\.0\.11:8080\)/, 'the installed agent programmed the switch');
});
