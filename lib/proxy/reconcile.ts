/**
 * Brings the switch to the desired state with the fewest flow and group changes: each sync compares
 * only the keys that changed since the last one (or everything, after reading the switch), and
 * applies the difference as one atomic bundle (a lone message is atomic by itself and goes out
 * bare). A member the switch refuses fails only its owner: the owner's changes are taken out, the
 * rest is applied, and the owner is reported and retried later.
 *
 * One exception: a sync compiled while it is sent onto a switch that holds none of the proxy's
 * entries (a cold start, or ovs-vswitchd restarted empty) is committed in parts, each a bundle of
 * whole service ports, so that the switch applies one part while the next is compiled. There is no
 * state to replace, so no half-changed one can be seen: only services not programmed yet.
 */
import type { FlowStats, GroupDesc, OfpMessage } from '../../protocol/index.js';
import type { Writer } from '../../protocol/wire/writer.js';
import type { EncodedMessages, Outgoing } from '../session/session.js';
import { BundleError } from '../controller/errors.js';
import { OpenFlowError } from '../session/errors.js';
import { COOKIE_EXACT_MASK, cookieKind, CookieKind } from './cookies.js';
import type { DesiredState } from './desired.js';
import {
  cookieOfBody,
  isFlowKey,
  keyedFlowStats,
  keyedGroupDesc,
  type DumpedFlow,
  type DumpedGroup,
  type FlowEntry,
  type GroupEntry,
  type Keyed,
} from './entries.js';
import { writeEntryMod } from './frames.js';
import {
  OFPFC_ADD,
  OFPFC_DELETE_STRICT,
  OFPFC_MODIFY_STRICT,
  OFPGC_ADD,
  OFPGC_DELETE,
  OFPGC_MODIFY,
  OFPG_ANY,
  OFPP_ANY,
  OFP_NO_BUFFER,
} from '../../protocol/constants/openflow13.js';

/**
 * What the reconciler needs from a switch (the controller API's Switch provides it). With the
 * encoded variants, changes go out as bytes written from the entries' keys and bodies; without,
 * as typed messages.
 */
export interface ReconcilerSwitch {
  request(msg: Outgoing): Promise<unknown>;
  bundle(build: (b: { add(m: Outgoing): unknown }) => void): Promise<void>;
  requestEncoded?(list: EncodedMessages, index: number): Promise<void>;
  bundleEncoded?(members: EncodedMessages): Promise<void>;
}

export type OpKind = 'add' | 'modify' | 'delete';

/** One change: `entry` (what is wanted, or what goes) brought to the switch with `kind`. */
export class Op {
  constructor(
    readonly key: string,
    readonly kind: OpKind,
    /** The entry the message carries. */
    readonly entry: Keyed,
    /** Installed-state update once applied. */
    readonly next: Keyed | undefined,
  ) {}

  /** The change as a typed message. */
  get message(): Outgoing {
    return messageFor(this.entry, this.kind);
  }

  /** OpenFlow command of the change. */
  get command(): number {
    const flow = isFlowKey(this.key);
    if (this.kind === 'add') return flow ? OFPFC_ADD : OFPGC_ADD;
    if (this.kind === 'modify') return flow ? OFPFC_MODIFY_STRICT : OFPGC_MODIFY;
    return flow ? OFPFC_DELETE_STRICT : OFPGC_DELETE;
  }
}

/** Changes in a cold sync's bundle when it is committed in parts (see above). */
export const COLD_SYNC_PART_OPS = 4096;

/** The changes of a list from `offset` on, as messages kept encoded. */
class EncodedOps implements EncodedMessages {
  constructor(
    protected readonly ops: readonly Op[],
    protected readonly offset = 0,
  ) {}

  get size(): number {
    return this.ops.length - this.offset;
  }

  write(index: number, w: Writer, xid: number): void {
    const op = this.ops[this.offset + index]!;
    writeEntryMod(w, op.entry.key, op.entry.body, op.command, op.kind !== 'delete', xid);
  }

  message(index: number): Outgoing {
    return this.ops[this.offset + index]!.message;
  }
}

export interface SyncResult {
  applied: Op[];
  /** Owners whose changes the switch refused (kept pending for a retry). */
  failed: Map<string, Error>;
  /** Messages sent (including retries without the failed owners). */
  messages: number;
}

function flowMod(e: FlowEntry, command: number): Outgoing {
  return {
    type: 'flow_mod',
    cookie: e.cookie,
    cookieMask: command === OFPFC_ADD ? 0n : COOKIE_EXACT_MASK,
    tableId: e.table,
    command,
    idleTimeout: 0,
    hardTimeout: 0,
    priority: e.priority,
    bufferId: OFP_NO_BUFFER,
    outPort: OFPP_ANY,
    outGroup: OFPG_ANY,
    flags: 0,
    match: e.match,
    instructions: command === OFPFC_DELETE_STRICT ? [] : e.instructions,
  };
}

function groupMod(e: GroupEntry, command: number): Outgoing {
  return { type: 'group_mod', command, groupType: e.groupType, groupId: e.groupId, buckets: command === OFPGC_DELETE ? [] : e.buckets };
}

/**
 * Changes planned batch by batch while the bundle carrying them is sent, so that the switch reads
 * the first while the next are compiled. Adds and modifies go out as their batch comes (a batch
 * holds whole service ports, groups before the flows that use them). Deletes are planned last,
 * against the complete desired state (an entry not compiled yet is not an entry to delete). A key
 * that changes again after its change went out is left for the next sync.
 */
class StreamedOps extends EncodedOps {
  /** Keys with a change in this bundle. */
  private readonly sent = new Set<string>();
  /** Keys that would be deleted as things stand: planned again at the end. */
  private readonly deferred = new Set<string>();
  /** Keys to compare again in the next sync. */
  readonly again: string[] = [];
  private ended = false;

  constructor(
    private readonly list: Op[],
    first: Iterable<string>,
    private readonly nextKeys: () => Iterable<string> | undefined,
    private readonly plan: (keys: Iterable<string>) => Op[],
    /** Whether a key has a desired entry (one without would be a delete, planned at the end). */
    private readonly wanted: (key: string) => boolean,
  ) {
    super(list);
    this.take(first);
  }

  /** Keys whose change has not been sent (after a failure they stay pending). */
  get unsent(): string[] {
    return [...this.deferred, ...this.again];
  }

  /** Plans until `n` changes can go out or nothing is left; false when nothing is left. */
  prime(n: number): boolean {
    while (this.list.length < n) if (!this.more()) return false;
    return true;
  }

  more(): boolean {
    if (this.ended) return false;
    for (let keys = this.nextKeys(); keys; keys = this.nextKeys()) {
      const before = this.list.length;
      this.take(keys);
      if (this.list.length > before) return true;
    }
    this.ended = true;
    const deletes = this.plan(this.deferred);
    this.deferred.clear();
    for (const op of deletes) this.list.push(op);
    return deletes.length > 0;
  }

  private take(keys: Iterable<string>): void {
    const fresh: string[] = [];
    for (const k of keys) {
      if (this.sent.has(k)) this.again.push(k);
      else if (!this.wanted(k)) this.deferred.add(k);
      else {
        this.deferred.delete(k);
        fresh.push(k);
      }
    }
    for (const op of this.plan(fresh)) {
      if (op.kind === 'delete') this.deferred.add(op.key);
      else {
        this.sent.add(op.key);
        this.list.push(op);
      }
    }
  }
}

/** Order within one transaction: groups exist before flows use them and outlive them. */
function rank(op: Op): number {
  const group = !isFlowKey(op.key);
  if (op.kind === 'delete') return group ? 5 : 4;
  if (group) return op.kind === 'add' ? 0 : 1;
  return op.kind === 'add' ? 2 : 3;
}

/**
 * One part of a streamed cold sync: the changes planned from `offset` on, until about `limit` of
 * them (whole batches) went out; `sent` resolves when its bundle has no more members.
 */
class StreamPart extends EncodedOps {
  private resolveSent!: () => void;
  readonly sent = new Promise<void>((resolve) => (this.resolveSent = resolve));
  /** The end of the part in the list, once it has no more members (the next parts grow the list). */
  private end: number | undefined;

  constructor(
    private readonly stream: StreamedOps,
    private readonly list: Op[],
    offset: number,
    private readonly limit: number,
  ) {
    super(list, offset);
    while (this.size === 0) if (!stream.more()) break;
  }

  override get size(): number {
    return (this.end ?? this.list.length) - this.offset;
  }

  /** The part's changes (once sent). */
  get changes(): Op[] {
    return this.list.slice(this.offset, this.end);
  }

  more(): boolean {
    if (this.end === undefined && this.size < this.limit && this.stream.more()) return true;
    this.close();
    return false;
  }

  /** Ends the part where it is. */
  close(): void {
    this.end ??= this.list.length;
    this.resolveSent();
  }
}

export interface ReconcilerOptions {
  /** Changes per bundle of a cold sync committed in parts (default COLD_SYNC_PART_OPS). */
  coldSyncPartOps?: number;
}

export class Reconciler {
  /** What the switch holds, by key (as read back or as applied). */
  private readonly installed = new Map<string, Keyed>();

  private readonly partOps: number;

  constructor(
    private readonly desired: DesiredState,
    private readonly isOwnedGroup: (groupId: number) => boolean,
    options: ReconcilerOptions = {},
  ) {
    this.partOps = options.coldSyncPartOps ?? COLD_SYNC_PART_OPS;
  }

  get installedCount(): number {
    return this.installed.size;
  }

  /**
   * `list`, with each entry the switch holds byte for byte replaced by the installed one: desired
   * and installed state then share one copy of it (after a restart, every unchanged entry), and the
   * copy just compiled is dropped while it is young, which costs the collector nothing.
   */
  installedCopies(list: Keyed[]): Keyed[] {
    if (this.installed.size === 0) return list;
    for (let i = 0; i < list.length; i++) {
      const have = this.installed.get(list[i]!.key);
      if (have !== undefined && have.body === list[i]!.body) list[i] = have;
    }
    return list;
  }

  installedFlows(): number {
    let n = 0;
    for (const key of this.installed.keys()) if (isFlowKey(key)) n++;
    return n;
  }

  /**
   * Replaces the installed view with what the switch reports (flows already filtered by the
   * proxy's cookie; learned affinity flows are left alone) and marks every key for comparison.
   */
  loadInstalled(flows: Iterable<FlowStats>, groups: Iterable<GroupDesc>): void {
    this.load(
      mapped(flows, (f) => (cookieKind(f.cookie) === CookieKind.Learned ? undefined : keyedFlowStats(f))),
      mapped(groups, (g) => (this.isOwnedGroup(g.groupId) ? keyedGroupDesc(g) : undefined)),
    );
  }

  /**
   * loadInstalled() for entries read from raw dumps: their keys and bodies are compared as they
   * came from the switch, nothing is decoded.
   */
  loadDumped(flows: Iterable<DumpedFlow>, groups: Iterable<DumpedGroup>): void {
    this.load(
      mapped(flows, (f) => (cookieKind(f.cookie) === CookieKind.Learned ? undefined : f)),
      mapped(groups, (g) => (this.isOwnedGroup(g.groupId) ? g : undefined)),
    );
  }

  private load(flows: Iterable<Keyed | undefined>, groups: Iterable<Keyed | undefined>): void {
    const before = [...this.installed.keys()];
    this.installed.clear();
    for (const k of flows) if (k) this.installed.set(k.key, k);
    for (const k of groups) if (k) this.installed.set(k.key, k);
    this.desired.markDirty(before);
    this.desired.markDirty(this.installed.keys());
    this.desired.markDirty(this.desired.keys());
  }

  /** Forgets the installed view (the switch is gone); everything is compared on the next load. */
  forget(): void {
    this.installed.clear();
  }

  /** Operations that would bring `keys` to the desired state. */
  plan(keys: Iterable<string>): Op[] {
    const ops: Op[] = [];
    for (const key of keys) {
      const want = this.desired.get(key);
      const have = this.installed.get(key);
      if (want && have && want.body === have.body) continue;
      if (!want && !have) continue;
      if (want && !have) {
        ops.push(new Op(key, 'add', want, want));
      } else if (!want && have) {
        ops.push(new Op(key, 'delete', have, undefined));
      } else {
        // A flow whose cookie changes is replaced (a modify keeps the old cookie).
        const replace = isFlowKey(key) && cookieOfBody(want!.body) !== cookieOfBody(have!.body);
        ops.push(new Op(key, replace ? 'add' : 'modify', want!, want));
      }
    }
    return ops.sort((a, b) => rank(a) - rank(b));
  }

  /**
   * Applies the changes of `keys` (default: every key changed since the last sync). Owners whose
   * changes fail are reported in the result and their keys stay pending. With `more`, further keys
   * come batch by batch (undefined when there are none): on a switch that takes encoded bundles,
   * they are planned while the bundle is being sent.
   */
  async sync(
    sw: ReconcilerSwitch,
    keys: Iterable<string> = this.desired.takeDirty(),
    more?: () => Iterable<string> | undefined,
  ): Promise<SyncResult> {
    let ops: Op[] = [];
    let stream: StreamedOps | undefined;
    if (more && sw.bundleEncoded) {
      stream = new StreamedOps(
        ops,
        keys,
        more,
        (k) => this.plan(k),
        (k) => this.desired.get(k) !== undefined,
      );
      if (!stream.prime(2)) {
        // Everything is planned already: one transaction in the usual order.
        ops = ops.sort((a, b) => rank(a) - rank(b));
        this.desired.markDirty(stream.again);
        stream = undefined;
      }
    } else {
      const all = new Set(keys);
      for (let batch = more?.(); batch; batch = more?.()) for (const k of batch) all.add(k);
      ops = this.plan(all);
    }
    const failed = new Map<string, Error>();
    const applied: Op[] = [];
    let messages = 0;
    if (stream && this.installed.size === 0) {
      const s = stream;
      stream = undefined;
      try {
        const parts = await this.sendInParts(sw, s, ops);
        messages += parts.messages;
        applied.push(...parts.applied);
        for (const [owner, err] of parts.failed) failed.set(owner, err);
        ops = parts.retry.sort((a, b) => rank(a) - rank(b));
      } finally {
        this.desired.markDirty(s.unsent);
      }
    }
    for (;;) {
      if (!stream && !ops.length) return { applied, failed, messages };
      try {
        if (stream) {
          const s = stream;
          stream = undefined;
          try {
            await sw.bundleEncoded!(s);
          } finally {
            messages += ops.length;
            this.desired.markDirty(s.unsent);
          }
        } else if (sw.bundleEncoded && sw.requestEncoded) {
          messages += ops.length;
          const encoded = new EncodedOps(ops);
          if (ops.length === 1) await sw.requestEncoded(encoded, 0);
          else await sw.bundleEncoded(encoded);
        } else {
          messages += ops.length;
          if (ops.length === 1) await sw.request(ops[0]!.message);
          else await sw.bundle((b) => ops.forEach((op) => b.add(op.message)));
        }
        this.applied(ops);
        applied.push(...ops);
        return { applied, failed, messages };
      } catch (err) {
        const retry = this.withoutFailed(err, ops, failed);
        if (retry === undefined) throw err;
        ops = retry;
      }
    }
  }

  /**
   * A streamed sync onto a switch without the proxy's entries, committed in parts: each part's
   * bundle goes out while the next part is planned. Returns what was applied and, from parts the
   * switch refused, the changes to send again without their failed owners.
   */
  private async sendInParts(
    sw: ReconcilerSwitch,
    stream: StreamedOps,
    list: Op[],
  ): Promise<{ applied: Op[]; retry: Op[]; failed: Map<string, Error>; messages: number }> {
    const parts: { changes: Op[]; done: Promise<void> }[] = [];
    for (let offset = 0; ;) {
      const part = new StreamPart(stream, list, offset, this.partOps);
      if (part.size === 0) break;
      const done = sw.bundleEncoded!(part);
      const whole = await Promise.race([
        part.sent.then(() => true),
        done.then(
          () => true,
          () => false,
        ),
      ]);
      part.close();
      parts.push({ changes: part.changes, done });
      // Its bundle failed before its last member (the connection is gone): no part after it.
      if (!whole) break;
      offset = list.length;
      // A turn of the event loop: the part's replies are read and its commit goes out.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const settled = await Promise.allSettled(parts.map((p) => p.done));
    const result = { applied: [] as Op[], retry: [] as Op[], failed: new Map<string, Error>(), messages: 0 };
    let lost: Error | undefined;
    settled.forEach((outcome, i) => {
      const changes = parts[i]!.changes;
      result.messages += changes.length;
      if (outcome.status === 'fulfilled') {
        this.applied(changes);
        result.applied.push(...changes);
        return;
      }
      const retry = this.withoutFailed(outcome.reason, changes, result.failed);
      if (retry === undefined) lost ??= outcome.reason as Error;
      else result.retry.push(...retry);
    });
    if (lost !== undefined) {
      this.desired.markDirty(result.retry.map((o) => o.key));
      throw lost;
    }
    return result;
  }

  /** Records applied changes in the installed view. */
  private applied(ops: readonly Op[]): void {
    for (const op of ops) {
      if (op.next) this.installed.set(op.key, op.next);
      else this.installed.delete(op.key);
    }
  }

  /**
   * After `err` failed `ops`: the changes to send again without the owner it is blamed on (whose
   * changes stay pending, recorded in `failed`), or undefined when nobody can be blamed (then every
   * change stays pending).
   */
  private withoutFailed(err: unknown, ops: readonly Op[], failed: Map<string, Error>): Op[] | undefined {
    const index = failingIndex(err, ops.length);
    if (index === undefined) {
      // Not attributable (connection lost, …): everything stays pending.
      this.desired.markDirty(ops.map((o) => o.key));
      return undefined;
    }
    const owner = this.desired.ownerOf(ops[index]!.key) ?? 'unknown';
    failed.set(owner, err as Error);
    const dropped = ops.filter((o) => (this.desired.ownerOf(o.key) ?? 'unknown') === owner);
    this.desired.markDirty(dropped.map((o) => o.key));
    return ops.filter((o) => (this.desired.ownerOf(o.key) ?? 'unknown') !== owner);
  }
}

function messageFor(k: Keyed, kind: OpKind): Outgoing {
  const e = k.entry;
  if (e.kind === 'flow') {
    return flowMod(e, kind === 'add' ? OFPFC_ADD : kind === 'modify' ? OFPFC_MODIFY_STRICT : OFPFC_DELETE_STRICT);
  }
  return groupMod(e, kind === 'add' ? OFPGC_ADD : kind === 'modify' ? OFPGC_MODIFY : OFPGC_DELETE);
}

function* mapped<T, U>(list: Iterable<T>, fn: (x: T) => U): Iterable<U> {
  for (const x of list) yield fn(x);
}

function failingIndex(err: unknown, size: number): number | undefined {
  if (err instanceof BundleError && err.member) return err.member.index;
  if (err instanceof OpenFlowError && size === 1) return 0;
  return undefined;
}

export type { OfpMessage };
