/**
 * One Node contender in its own process (forked by codec.bench.ts): warms up, reports `ready`,
 * then times one run each time it receives `run`, until it receives `exit`.
 *
 *   argv: <contender id> <reply file> <run ms> <warm-up ms>
 */
import { CONTENDERS } from './contenders.js';
import { calibrate, timeBatch, type Run } from './measure.js';

export type WorkerMessage = { ready: true } | { run: Run } | { error: string };

const [id, replyFile, runMs, warmupMs] = process.argv.slice(2);
const send = (m: WorkerMessage): void => void process.send!(m);

try {
  const def = CONTENDERS.find((c) => c.id === id);
  if (!def || !replyFile)
    throw new Error(`usage: contender-worker.ts <${CONTENDERS.map((c) => c.id).join('|')}> <reply file> <run ms> <warm-up ms>`);
  const fn = def.make(replyFile);
  const calls = calibrate(fn, Number(warmupMs), Number(runMs));
  process.on('message', (m: string) => {
    if (m === 'run') send({ run: timeBatch(fn, calls) });
    else process.disconnect();
  });
  send({ ready: true });
} catch (err) {
  send({ error: err instanceof Error ? err.message : String(err) });
  process.disconnect();
}
