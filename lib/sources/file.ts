import { createHash } from 'node:crypto';
import { statSync, watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { BaseSource } from './base.js';
import { SourceError, firstLine } from './errors.js';
import { silentLogger, type SourceLogger } from './logger.js';
import { readJsonManifest } from './json-manifest.js';
import { readJsonListFile } from './json-list-stream.js';
import type { Manifest } from './manifest-reader.js';

/** Options of a FileSource. */
export interface FileSourceOptions {
  logger?: SourceLogger;
  /** How long to wait for a burst of file-system events to settle before rereading (ms). Default 20. */
  debounceMs?: number;
}

/** Kubernetes ConfigMap and Secret volumes update files by swapping this symlinked directory. */
const ATOMIC_WRITER_DIR = '..data';

/**
 * Services and EndpointSlices from a manifest file (YAML or JSON, as kubectl prints them).
 * The file's directory is watched, so in-place writes and editors' rename-and-replace both
 * count; each save applies the difference. A broken or missing file keeps the last good state
 * and reports a SourceError; `synced` comes with the first good read.
 */
export class FileSource extends BaseSource {
  /** The path as given, used in messages. */
  readonly file: string;
  private readonly fullPath: string;
  private readonly logger: SourceLogger;
  private readonly debounceMs: number;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private rereadRequested = false;
  /** Digest of the text last applied (the text itself is not kept). */
  private lastDigest: string | undefined;

  constructor(path: string, options: FileSourceOptions = {}) {
    super();
    this.file = path;
    this.fullPath = resolve(path);
    this.logger = options.logger ?? silentLogger;
    this.debounceMs = options.debounceMs ?? 20;
  }

  async start(): Promise<void> {
    if (this.watcher) return;
    const directory = dirname(this.fullPath);
    const name = basename(this.fullPath);
    try {
      if (!statSync(directory).isDirectory()) throw new Error('not a directory');
      this.watcher = watch(directory, (_event, changed) => {
        if (!changed || changed === name || changed === ATOMIC_WRITER_DIR) this.scheduleRead();
      });
    } catch (err) {
      throw new SourceError(`file:${this.file}: cannot watch ${directory}: ${firstLine(err)}`, { file: this.file, cause: err });
    }
    this.watcher.on('error', (err) =>
      this.report(new SourceError(`${this.file}: watch failed: ${firstLine(err)}`, { file: this.file, cause: err })),
    );
    this.lastDigest = undefined;
    this.rereadRequested = false;
    await this.read();
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    this.watcher = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.reading;
    this.endSync();
  }

  private scheduleRead(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.read();
    }, this.debounceMs);
  }

  /** Reads the file, one read at a time; a request during a read causes one more read. */
  private async read(): Promise<void> {
    /* c8 ignore start: a save landing while a read awaits the disk is timing-dependent */
    if (this.reading) {
      this.rereadRequested = true;
      return this.reading;
    }
    /* c8 ignore stop */
    this.reading = this.readOnce();
    await this.reading;
    this.reading = undefined;
    /* c8 ignore start */
    if (this.rereadRequested && this.watcher) {
      this.rereadRequested = false;
      await this.read();
    }
    /* c8 ignore stop */
  }

  private async readOnce(): Promise<void> {
    let read: { manifest: Manifest; digest: string } | undefined;
    try {
      // A JSON List is read chunk by chunk, anything else whole.
      read = (await readJsonListFile(this.fullPath, this.file)) ?? (await this.readWhole());
    } catch (err) {
      if (err instanceof SourceError) {
        // The manifest readers report every problem as a SourceError.
        this.report(err);
        return;
      }
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : firstLine(err);
      this.report(new SourceError(`${this.file}: ${reason}; keeping the last good state`, { file: this.file, cause: err }));
      return;
    }
    /* c8 ignore next: stopped while the file was read */
    if (!this.watcher) return;
    const { manifest, digest } = read;
    if (digest === this.lastDigest) return;
    this.lastDigest = digest;
    this.logger.debug(
      { file: this.file, services: manifest.services.size, slices: manifest.slices.size, skipped: manifest.skipped },
      'manifest read',
    );
    this.replaceState(manifest.services, manifest.slices);
    if (!this.isSynced) this.markStateSynced();
  }

  /** The file read at once: JSON, or YAML (its parser is loaded only for a file that is not JSON). */
  private async readWhole(): Promise<{ manifest: Manifest; digest: string }> {
    const bytes = await readFile(this.fullPath);
    // The bytes are hashed as they are (hashing the decoded text would encode it back first).
    const digest = createHash('sha256').update(bytes).digest('base64');
    const manifest =
      readJsonManifest(bytes, this.file) ?? (await import('./manifest.js')).parseYamlManifest(bytes.toString('utf8'), this.file);
    return { manifest, digest };
  }

  private report(err: SourceError): void {
    this.logger.warn({ err }, err.message);
    this.emit('error', err);
  }
}
