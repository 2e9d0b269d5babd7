/**
 * `ofwire print --json` and `ofwire encode --json`, run as a user would: the built command
 * (npm test builds dist/ first).
 */
import t from 'tap';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { messageVectors } from '../../helpers/vectors.js';

function ofwire(args: string[], input?: string): Promise<CliResult> {
  return runCli(args, input === undefined ? {} : { input });
}

const FEATURES = '04060020000000010f00000000000001000000fefe0000000000004f00000000';
const BARRIERS = '04140008000000070415000800000007';

t.test('print --json HEX…: one JSON object per message per line', async (t) => {
  const r = await ofwire(['print', '--json', FEATURES, BARRIERS]);
  t.equal(r.code, 0);
  t.equal(r.stderr, '');
  const lines = r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string });
  t.same(
    lines.map((l) => l.type),
    ['features_reply', 'barrier_request', 'barrier_reply'],
  );
  t.same(lines[0], {
    type: 'features_reply',
    xid: 1,
    datapathId: '0xf00000000000001',
    nBuffers: 254,
    nTables: 254,
    auxiliaryId: 0,
    capabilities: 0x4f,
    reserved: 0,
  });
});

t.test('print - reads one hex string per stdin line; spaces and 0x are fine', async (t) => {
  const r = await ofwire(['print', '--json', '-'], `${FEATURES}\n\n0x04 14 00 08 00 00 00 07\n# a comment\n`);
  t.equal(r.code, 0, r.stderr);
  t.equal(r.stdout.trimEnd().split('\n').length, 2);
});

t.test('print without --json uses the default format', async (t) => {
  const r = await ofwire(['print', BARRIERS]);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /barrier/i, 'both messages printed');
  t.equal(r.stderr, '');
});

t.test('every golden vector: print --json, then encode --json, gives the same hex', async (t) => {
  const hexes = messageVectors().map((v) => v.hex);
  const printed = await ofwire(['print', '--json', '-'], hexes.join('\n') + '\n');
  t.equal(printed.code, 0, printed.stderr);
  const encoded = await ofwire(['encode', '--json'], printed.stdout);
  t.equal(encoded.code, 0, encoded.stderr);
  t.same(encoded.stdout.trimEnd().split('\n'), hexes, `${hexes.length} messages, byte-exact, xids included`);
});

t.test('errors: one line on stderr and a non-zero status', async (t) => {
  const cases: [string[], string | undefined, RegExp][] = [
    [['print', '--json', 'zz'], undefined, /^ofwire print: argument: "zz" is not hex\n$/],
    [['print', '--json', '04140'], undefined, /^ofwire print: argument: odd number of hex digits \(5\)\n$/],
    [
      ['print', '--json', BARRIERS, '0414000400000001'],
      undefined,
      /^ofwire print: argument 2: ofp_header at offset 0: message length 4 is shorter than the 8-byte header\n$/,
    ],
    [
      ['print', '--json', '-'],
      `${FEATURES}\n04140008\n`,
      /^ofwire print: stdin line 2: ofp_header at offset 0: needs 8 bytes, only 4 left\n$/,
    ],
    [['encode', '--json'], '{"type":"barrier_request","xid":1}\n{"type":"barrier_request"\n', /^ofwire encode: line 2: not JSON/],
    [
      ['encode', '--json'],
      '{"type":"table_mod","xid":1,"tableId":300,"config":0}\n',
      /^ofwire encode: line 1: table_mod\.tableId: 300 is not an unsigned 8-bit integer\n$/,
    ],
    [['encode'], undefined, /^ofwire encode: say what to encode/],
    [['encode', 'no-such-form', 'x'], undefined, /^ofwire encode: unknown input form "no-such-form"/],
  ];
  for (const [args, input, want] of cases) {
    const r = await ofwire(args, input);
    t.not(r.code, 0, `${args.join(' ')} fails`);
    t.match(r.stderr, want, `${args.join(' ')}: ${r.stderr.trim()}`);
    t.equal(r.stderr.trimEnd().split('\n').length, 1, 'one line');
  }
  const ok = await ofwire(['encode', '--json'], '{"type":"barrier_request","xid":1}\n{"type":"barrier_request"\n');
  t.equal(ok.stdout, '0414000800000001\n', 'lines before the bad one were already encoded');
});
