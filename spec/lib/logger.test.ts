/** The JSON-lines logger of the command line: pino's line format, levels, child bindings, errors as messages. */
import t from 'tap';
import { jsonLinesLogger, silentLogger } from '../../lib/logger.js';

function capture(level: 'debug' | 'info' | 'warn', filter?: Parameters<typeof jsonLinesLogger>[0]['filter']) {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const log = jsonLinesLogger({
    level,
    write: (l) => (raw.push(l), lines.push(JSON.parse(l) as Record<string, unknown>)),
    ...(filter ? { filter } : {}),
  });
  return { log, lines, raw };
}

t.test('lines carry level, time, bindings, fields and message in that order', async (t) => {
  const { log, lines, raw } = capture('info');
  log.child({ component: 'proxy' }).child({ switch: 'br0' }).info({ services: 3, dpid: 10n }, 'synced');
  log.warn('plain message');
  log.error({ err: new Error('refused: bad match\n  at stack') }, 'programming failed');
  log.debug({ x: 1 }, 'not at info');
  t.equal(lines.length, 3);
  t.match(raw[0], /^\{"level":30,"time":\d+,"component":"proxy","switch":"br0","services":3,"dpid":"10","msg":"synced"\}\n$/);
  t.same(lines[1], { level: 40, time: lines[1]!.time, msg: 'plain message' });
  t.equal(lines[2]!.err, 'refused: bad match\n  at stack', 'an error is its message');
  t.equal(lines[2]!.level, 50);
});

t.test('a filter sees each line before it is written', async (t) => {
  const { log, lines } = capture('debug', (level, fields) => level !== 40 || fields.drop !== true);
  log.warn({ drop: true }, 'dropped');
  log.warn({ drop: false }, 'kept');
  log.debug({}, 'debug on');
  t.same(
    lines.map((l) => l.msg),
    ['kept', 'debug on'],
  );
});

t.test('the silent logger writes nothing and its children are silent', async (t) => {
  silentLogger.child({ a: 1 }).info({}, 'nothing');
  t.equal(silentLogger.child({}), silentLogger);
});
