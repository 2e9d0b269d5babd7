/**
 * The package as a user gets it: built into a scratch directory, packed with `npm pack`, unpacked
 * into a scratch project's node_modules (its dependencies linked from this checkout's), and one
 * small program per entry type-checked with skipLibCheck off and run with node.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import t from 'tap';

const root = join(import.meta.dirname, '../..');
const tsc = join(root, 'node_modules/.bin/tsc');
const tmp = mkdtempSync(join(tmpdir(), 'ofwire-pack-'));
/** The staging copy's link to this checkout's node_modules (for the CLI bundler), removed before the rest. */
const stagedModules = join(tmp, 'stage/node_modules');
t.teardown(() => {
  rmSync(stagedModules, { force: true });
  rmSync(tmp, { recursive: true, force: true });
});

const run = (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

/** What each entry's program does; each prints one line the test checks. */
const programs: Record<string, { source: string; prints: RegExp }> = {
  protocol: {
    source: `
import { decodeMessage, encodeMessage, messageToJSON, OFPP_CONTROLLER, type FlowMod } from 'ofwire/protocol';
import * as protocol from 'ofwire/protocol';
const flow: FlowMod = {
  type: 'flow_mod', xid: 7, cookie: 0n, cookieMask: 0n, tableId: 0, command: 0, idleTimeout: 0, hardTimeout: 0,
  priority: 100, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 0,
  match: [{ field: 'eth_type', value: 0x0800 }],
  instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: OFPP_CONTROLLER, maxLen: 0xffff }] }],
};
const back = decodeMessage(encodeMessage(flow));
const internals = ['Reader', 'Writer', 'slotsOf', 'readActions', 'messageCodec'].filter((n) => n in protocol);
console.log(back.type, JSON.stringify(messageToJSON(back)).length > 0, 'internals:' + internals.join(','));
`,
    prints: /^flow_mod true internals:$/m,
  },
  text: {
    source: `
import { formatMessage, parseFlow, parseGroup } from 'ofwire/text';
const flow = parseFlow('table=1,priority=10,tcp,nw_dst=10.96.0.10,tp_dst=80,actions=ct(commit,nat(dst=10.244.0.5:8080))');
const group = parseGroup('group_id=5,type=select,bucket=actions=output:1');
console.log(formatMessage({ ...flow, xid: 1 }).trim().split('\\n')[0], group.type);
`,
    prints: /^OFPT_FLOW_MOD .*nw_dst=10\.96\.0\.10.*nat\(dst=10\.244\.0\.5:8080\)/m,
  },
  main: {
    source: `
import { MemorySource, ServiceProxy, Switch, parseTarget, type ProxySwitch } from 'ofwire';
import * as ofwire from 'ofwire';
const sw = new Switch('tcp:127.0.0.1:1', { reconnect: false });
const asProxySwitch: ProxySwitch = sw;
const proxy = new ServiceProxy(asProxySwitch, new MemorySource(), { tableBase: 10, nextTable: 20 });
const internals = ['compilePort', 'dealSlots', 'cookie', 'KubeSource', 'ServiceModel', 'resolveOptions'].filter((n) => n in ofwire);
console.log(parseTarget('unix:/run/br0.mgmt').kind, proxy.servicePortCount, 'internals:' + internals.join(','));
await sw.close();
`,
    prints: /^unix 0 internals:$/m,
  },
  kube: {
    source: `
import { KubeSource, createSource } from 'ofwire/kube';
const source = new KubeSource({ kubeconfig: '/nonexistent/kubeconfig' });
console.log(source instanceof KubeSource, createSource('file:/etc/ofwire/services.yaml').constructor.name);
`,
    prints: /^true FileSource$/m,
  },
};

t.test('npm pack: every entry type-checks with skipLibCheck off and runs', async (t) => {
  // Build into a staging copy of the package, so the test does not depend on dist/ being current.
  const stage = join(tmp, 'stage');
  mkdirSync(stage);
  for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) cpSync(join(root, f), join(stage, f));
  run(tsc, ['-p', 'tsconfig.build.json', '--outDir', join(stage, 'dist')], root);
  // The CLI bundle inlines some dependencies: the bundler finds them through this link (npm pack
  // neither follows nor changes it).
  symlinkSync(join(root, 'node_modules'), stagedModules);
  run(process.execPath, ['scripts/bundle-cli.mjs', '--from', join(stage, 'dist'), '--out', join(stage, 'dist/bin')], root);
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], stage)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const files = packed[0]!.files.map((f) => f.path);
  t.ok(files.includes('dist/lib/kube.d.ts') && files.includes('dist/protocol/text/index.d.ts'), 'the entries are in the package');
  t.notOk(
    files.some((f) => f.startsWith('spec/') || f.startsWith('lib/')),
    'no tests or sources',
  );

  // A scratch project: the package unpacked into node_modules, its dependencies linked.
  const app = join(tmp, 'app');
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, 'ofwire'), { recursive: true });
  run('tar', ['xzf', join(tmp, packed[0]!.filename), '-C', join(modules, 'ofwire'), '--strip-components=1'], tmp);
  const pkg = JSON.parse(readFileSync(join(modules, 'ofwire/package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const dep of [...Object.keys(pkg.dependencies), '@types/node']) {
    mkdirSync(dirname(join(modules, dep)), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), join(modules, dep));
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: false,
    types: ['node'],
    outDir: 'out',
  };
  const hooks = join(app, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.LOADED_LOG, r.url + '\\n');
  return r;
}`,
  );
  writeFileSync(join(app, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify('file://' + hooks)});\n`);

  // Two compilations: the Kubernetes entry's program alone, and the others together (none of which
  // may pull in the Kubernetes source's types).
  const typeChecked: Record<string, string[]> = {};
  for (const [name, entries] of [
    ['core', ['protocol', 'text', 'main']],
    ['kube', ['kube']],
  ] as const) {
    for (const entry of entries) {
      mkdirSync(join(app, entry));
      writeFileSync(join(app, entry, 'main.ts'), programs[entry]!.source);
    }
    const config = join(app, `tsconfig.${name}.json`);
    writeFileSync(
      config,
      JSON.stringify({ compilerOptions: { ...compilerOptions, rootDir: '.' }, include: entries.map((e) => `${e}/main.ts`) }),
    );
    try {
      const listed = run(tsc, ['-p', config, '--listFiles'], app);
      for (const entry of entries) typeChecked[entry] = listed.split('\n').filter((f) => f.includes('/node_modules/ofwire/'));
    } catch (err) {
      const out = (err as { stdout?: string }).stdout ?? (err as Error).message;
      t.fail(
        `tsc (${entries.join(', ')}): ${out
          .split('\n')
          .filter((l) => l.includes('error'))
          .join('\n')}`,
      );
    }
  }

  for (const [entry, { prints }] of Object.entries(programs)) {
    await t.test(entry, async (t) => {
      const typeFiles = typeChecked[entry];
      if (!typeFiles) return t.fail('did not type-check');
      t.ok(typeFiles.length > 0, 'type-checked against the package');
      const log = join(app, entry, 'loaded.txt');
      writeFileSync(log, '');
      const out = run(process.execPath, ['--import', join(app, 'register.mjs'), join(app, 'out', entry, 'main.js')], app, {
        LOADED_LOG: log,
      });
      t.match(out, prints);
      const loaded = readFileSync(log, 'utf8')
        .split('\n')
        .filter((u) => u.includes('/node_modules/ofwire/'));
      if (entry !== 'kube') {
        t.same(
          typeFiles.filter((f) => /\/sources\/kube/.test(f)),
          [],
          'no Kubernetes types type-checked',
        );
        t.same(
          loaded.filter((u) => /\/sources\/kube/.test(u)),
          [],
          'no Kubernetes module loaded',
        );
      }
      if (entry === 'protocol' || entry === 'text')
        t.same(
          loaded.filter((u) => u.includes('/dist/lib/')),
          [],
          'nothing of lib/ loaded',
        );
    });
  }

  await t.test('files outside the entries cannot be imported', async (t) => {
    const dir = join(app, 'deep');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'main.mjs'),
      `await import('ofwire/dist/lib/proxy/compile.js').then(() => console.log('loaded'), (e) => console.log(e.code));\n`,
    );
    t.match(run(process.execPath, [join(dir, 'main.mjs')], dir), /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
