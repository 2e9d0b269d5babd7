/**
 * The desired state: every entry the proxy wants, grouped by owner (a service port's key, or
 * `base`). Entries shared by several owners (hairpin and affinity DNAT flows) are reference
 * counted. Every change records the keys it touched, so a sync looks only at those.
 */
import { keyed, type Entry, type Keyed } from './entries.js';

export class DesiredState {
  /** Each entry with its owner: one map, so adding an entry costs one lookup and one insert. */
  private readonly entries = new Map<string, Slot>();
  private readonly own = new Map<string, string[]>();
  private readonly sharedRefs = new Map<string, number>();
  private readonly sharedOf = new Map<string, string[]>();
  /** Keys whose desired value changed since the last `takeDirty()`. */
  private dirty = new Set<string>();

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Keyed | undefined {
    return this.entries.get(key)?.keyed;
  }

  /** The owner of an entry (`shared` for shared entries). */
  ownerOf(key: string): string | undefined {
    return this.entries.get(key)?.owner;
  }

  ownersKeys(owner: string): readonly string[] {
    return this.own.get(owner) ?? [];
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  owners(): IterableIterator<string> {
    return this.own.keys();
  }

  /**
   * Replaces what `owner` wants. Throws (changing nothing) when one of its own entries is already
   * owned by someone else — two service ports claiming the same flow.
   */
  set(owner: string, own: readonly Entry[], shared: readonly Entry[] = []): void {
    this.setKeyed(owner, own.map(keyed), shared.map(keyed));
  }

  /** `set` with entries already keyed. */
  setKeyed(owner: string, ownKeyed: readonly Keyed[], sharedList: readonly Keyed[] = []): void {
    for (const k of ownKeyed) {
      const current = this.entries.get(k.key)?.owner;
      if (current !== undefined && current !== owner) {
        throw new Error(`${describe(k)} is already installed for ${current}`);
      }
    }
    const sharedKeyed = dedupe(sharedList);
    for (const k of sharedKeyed) {
      const current = this.entries.get(k.key)?.owner;
      if (current !== undefined && current !== 'shared') throw new Error(`${describe(k)} is already installed for ${current}`);
    }
    // Own entries. An entry already present passed the check above, so it is this owner's.
    // The same keys as before (an endpoint change): nothing to drop, the owner's list is kept.
    const previous = this.own.get(owner);
    const same = previous !== undefined && sameKeys(previous, ownKeyed);
    const before = !same && previous?.length ? new Set(previous) : undefined;
    const after: string[] = same ? previous : [];
    for (const k of ownKeyed) {
      if (!same) after.push(k.key);
      before?.delete(k.key);
      const slot = this.entries.get(k.key);
      if (slot === undefined) {
        this.entries.set(k.key, new Slot(k, owner));
        this.dirty.add(k.key);
      } else if (slot.keyed.body !== k.body) {
        slot.keyed = k;
        this.dirty.add(k.key);
      }
    }
    if (before) for (const key of before) this.drop(key);
    if (after.length) this.own.set(owner, after);
    else this.own.delete(owner);
    // Shared entries: reference the new ones before releasing the old ones.
    const oldShared = this.sharedOf.get(owner) ?? NONE;
    if (sameKeys(oldShared, sharedKeyed)) return;
    const newShared: string[] = [];
    for (const k of sharedKeyed) {
      newShared.push(k.key);
      this.sharedRefs.set(k.key, (this.sharedRefs.get(k.key) ?? 0) + 1);
      if (!this.entries.has(k.key)) {
        this.entries.set(k.key, new Slot(k, 'shared'));
        this.dirty.add(k.key);
      }
    }
    for (const key of oldShared) {
      const n = (this.sharedRefs.get(key) ?? 1) - 1;
      if (n > 0) this.sharedRefs.set(key, n);
      else {
        this.sharedRefs.delete(key);
        this.drop(key);
      }
    }
    if (newShared.length) this.sharedOf.set(owner, newShared);
    else this.sharedOf.delete(owner);
  }

  remove(owner: string): void {
    this.set(owner, [], []);
  }

  private drop(key: string): void {
    if (this.entries.delete(key)) this.dirty.add(key);
  }

  /** Marks keys to be compared with the switch again (e.g. after a failed sync or a re-dump). */
  markDirty(keys: Iterable<string>): void {
    for (const k of keys) this.dirty.add(k);
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  takeDirty(): Set<string> {
    const d = this.dirty;
    this.dirty = new Set();
    return d;
  }
}

class Slot {
  constructor(
    public keyed: Keyed,
    readonly owner: string,
  ) {}
}

const NONE: readonly string[] = [];

function sameKeys(keys: readonly string[], list: readonly Keyed[]): boolean {
  if (keys.length !== list.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== list[i]!.key) return false;
  return true;
}

function dedupe(list: readonly Keyed[]): readonly Keyed[] {
  if (list.length < 2) return list;
  const seen = new Map<string, Keyed>();
  for (const k of list) seen.set(k.key, k);
  return [...seen.values()];
}

export function describe(k: Keyed): string {
  const e = k.entry;
  return e.kind === 'group' ? `group ${e.groupId}` : `flow in table ${e.table} at priority ${e.priority}`;
}
