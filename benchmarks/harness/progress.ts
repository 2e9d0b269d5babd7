/**
 * Progress on stderr while the benchmark runs: a bar with the current step when stderr is a
 * terminal (cli-progress), one line per step otherwise.
 */
import cliProgress from 'cli-progress';

export class Progress {
  private multi: cliProgress.MultiBar | undefined;
  private bar: cliProgress.SingleBar | undefined;
  private total = 0;
  private done = 0;
  private current = '';
  private readonly tty = process.stderr.isTTY === true;
  private readonly t0 = Date.now();

  start(total: number): void {
    this.total = total;
    if (!this.tty) return;
    this.multi = new cliProgress.MultiBar(
      {
        stream: process.stderr,
        format: ' {bar} {value}/{total} | {duration_formatted} | {task}',
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar = this.multi.create(total, 0, { task: this.current });
  }

  task(text: string): void {
    this.current = text;
    if (this.bar) this.bar.update(this.done, { task: text });
    else process.stderr.write(`[${this.done}/${this.total || '?'} ${((Date.now() - this.t0) / 1000).toFixed(0)}s] ${text}\n`);
  }

  step(): void {
    this.done++;
    this.bar?.update(this.done, { task: this.current });
  }

  log(text: string): void {
    if (this.multi) this.multi.log(`${text}\n`);
    else process.stderr.write(`${text}\n`);
  }

  stop(): void {
    this.multi?.stop();
    this.multi = undefined;
    this.bar = undefined;
  }
}
