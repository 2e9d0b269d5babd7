/**
 * Bundles (the ONF extension to OpenFlow 1.3 that OpenFlow 1.4 adopted): a list of flow and group
 * changes that the switch applies atomically at commit, or not at all.
 *
 * Exchange: OPEN, every BUNDLE_ADD and CLOSE go out in one write; once CLOSE is answered, COMMIT
 * if every member was accepted, DISCARD otherwise. OVS checks a member twice: when it is added
 * (decoding) and when the bundle is committed (e.g. a flow naming a missing group); in the second
 * case it sends an error with the member's xid and then fails the commit with OFPBFC_MSG_FAILED.
 * Both cases end in a BundleError that names the member.
 */
import { encodeMessage, type BundleControl, type ErrorMsg, type OfpMessage } from '../../protocol/index.js';
import type { Writer } from '../../protocol/wire/writer.js';
import type { EncodedMessages, Outgoing, Session } from '../session/session.js';
import { OpenFlowError } from '../session/errors.js';
import { BundleError, type BundleMemberFailure } from './errors.js';
import { toFlowMod, toGroupDelete, toGroupMod, type FlowCommand, type FlowFilter, type FlowSpec, type GroupSpec } from './specs.js';
import { flowFromText, groupFromText } from './text.js';
import {
  OFPBCT_CLOSE_REQUEST,
  OFPBCT_COMMIT_REQUEST,
  OFPBCT_DISCARD_REQUEST,
  OFPBCT_OPEN_REQUEST,
  OFPBF_ATOMIC,
  OFPBF_ORDERED,
} from '../../protocol/constants/openflow13.js';

/** Collects a bundle's members; given to the callback of `Switch.bundle()`. */
export class BundleBuilder {
  /** @internal */
  readonly members: Outgoing[] = [];

  get size(): number {
    return this.members.length;
  }

  addFlow(flow: FlowSpec | string): this {
    return this.flow(flow, 'add');
  }

  /** Changes the instructions of matching flows (strict: same priority and exact match). */
  modifyFlows(flow: FlowSpec | string, opts: { strict?: boolean } = {}): this {
    return this.flow(flow, opts.strict ? 'modify_strict' : 'modify');
  }

  deleteFlows(filter: FlowFilter | string = {}, opts: { strict?: boolean } = {}): this {
    return this.flow(filter, opts.strict ? 'delete_strict' : 'delete');
  }

  addGroup(group: GroupSpec | string): this {
    this.members.push(typeof group === 'string' ? groupFromText(group, 'add') : toGroupMod(group, 'add', `bundle[${this.size}]`));
    return this;
  }

  modifyGroup(group: GroupSpec | string): this {
    this.members.push(typeof group === 'string' ? groupFromText(group, 'modify') : toGroupMod(group, 'modify', `bundle[${this.size}]`));
    return this;
  }

  deleteGroup(groupId: number | 'all'): this {
    this.members.push(toGroupDelete(groupId));
    return this;
  }

  /** A ready-made flow_mod, group_mod, port_mod or packet_out. */
  add(message: Outgoing): this {
    this.members.push(message);
    return this;
  }

  private flow(spec: FlowSpec | string, command: FlowCommand): this {
    this.members.push(typeof spec === 'string' ? flowFromText(spec, command) : toFlowMod(spec, command, `bundle[${this.size}]`));
    return this;
  }
}

/** Options of a bundle: atomic (all or nothing) and ordered. */
export interface BundleOptions {
  /** Default true: all or nothing. */
  atomic?: boolean;
  /** Default true: apply in the order added. */
  ordered?: boolean;
}

/** Where a BUNDLE_ADD's variable parts are, in the bytes the codec writes before its message. */
interface BundleAddLayout {
  head: Buffer;
  length: number;
  xid: number;
  bundleId: number;
  flags: number;
}

let layout: BundleAddLayout | undefined;

function bundleAddLayout(): BundleAddLayout {
  if (layout) return layout;
  const sample = { xid: 0x5a6b7c8d, bundleId: 0xa1b2c3d4, flags: 0x0e0f };
  const bytes = encodeMessage({ type: 'bundle_add', ...sample, message: { type: 'barrier_request', xid: sample.xid }, properties: [] });
  const head = Buffer.from(bytes.subarray(0, bytes.length - 8));
  const at = (v: number, size: 2 | 4) => {
    const b = Buffer.alloc(size);
    if (size === 2) b.writeUInt16BE(v);
    else b.writeUInt32BE(v);
    return head.indexOf(b);
  };
  layout = { head, length: at(bytes.length, 2), xid: at(sample.xid, 4), bundleId: at(sample.bundleId, 4), flags: at(sample.flags, 2) };
  return layout;
}

/** Encoded messages, each wrapped in a BUNDLE_ADD of one bundle. */
class EncodedBundleAdds implements EncodedMessages {
  private readonly layout = bundleAddLayout();

  constructor(
    private readonly members: EncodedMessages,
    private readonly bundleId: number,
    private readonly flags: number,
  ) {}

  get size(): number {
    return this.members.size;
  }

  write(index: number, w: Writer, xid: number): void {
    const l = this.layout;
    const start = w.pos;
    w.bytes(l.head);
    w.buf.writeUInt32BE(xid, start + l.xid);
    w.buf.writeUInt32BE(this.bundleId, start + l.bundleId);
    w.buf.writeUInt16BE(this.flags, start + l.flags);
    this.members.write(index, w, xid);
    if (w.pos - start > 0xffff) throw new RangeError(`bundle member ${index} is longer than an OpenFlow message can be`);
    w.buf.writeUInt16BE(w.pos - start, start + l.length);
  }

  message(index: number): Outgoing {
    return {
      type: 'bundle_add',
      bundleId: this.bundleId,
      flags: this.flags,
      message: this.members.message(index) as OfpMessage,
      properties: [],
    };
  }
}

function memberContext(bundleId: number, index: number): string {
  return `bundle ${bundleId} member ${index}`;
}

function isEncoded(members: Outgoing[] | EncodedMessages): members is EncodedMessages {
  return !Array.isArray(members);
}

/**
 * Runs one bundle on a session; resolves when committed, rejects with BundleError otherwise.
 * Members are messages, or messages kept encoded (written straight into the stream).
 */
export async function runBundle(
  session: Session,
  bundleId: number,
  members: Outgoing[] | EncodedMessages,
  opts: BundleOptions = {},
): Promise<void> {
  const flags = (opts.atomic === false ? 0 : OFPBF_ATOMIC) | (opts.ordered === false ? 0 : OFPBF_ORDERED);
  const encoded = isEncoded(members) ? new EncodedBundleAdds(members, bundleId, flags) : undefined;
  const memberMessage = (index: number): Outgoing => (isEncoded(members) ? members.message(index) : members[index]!);
  const control = (ctrlType: number): Omit<BundleControl, 'xid'> => ({
    type: 'bundle_control',
    bundleId,
    ctrlType,
    flags,
    properties: [],
  });
  let size = isEncoded(members) ? members.size : members.length;

  // Replies are collected with allSettled below; marking them handled now keeps a connection lost
  // half-way through the loop from leaving unhandled rejections behind.
  const handled = <T>(r: { xid: number; reply: Promise<T> }) => {
    r.reply.catch(() => undefined);
    return r;
  };
  // Members go out untracked (no record per member: a bundle can hold 100k of them). The switch
  // answers a member only with an error, under its xid, and handles a connection's messages in
  // order: once CLOSE is answered, every member's error has arrived.
  const xids: number[] = [];
  /** Set when a member fails: before commit, the first (by index) refused or not sent. */
  let failed: { index: number; reason: Error } | undefined;
  let committing = false;
  let failure: BundleMemberFailure | undefined;
  const bundleAdd = (index: number): OfpMessage =>
    encoded
      ? { ...encoded.message(index), xid: xids[index]! }
      : { type: 'bundle_add', xid: xids[index]!, bundleId, flags, message: memberMessage(index) as OfpMessage, properties: [] };
  /** The member as sent (with the xid its errors carry). */
  const memberAt = (index: number): OfpMessage => ({ ...memberMessage(index), xid: xids[index]! });
  const unwatch = session.watchErrors(
    (xid) => memberIndex(xids, xid) >= 0,
    (err: ErrorMsg) => {
      const index = memberIndex(xids, err.xid);
      if (committing) {
        const message = memberAt(index);
        failure ??= { index, message, error: new OpenFlowError(err, message, memberContext(bundleId, index)) };
      } else if (!failed || index < failed.index) {
        failed = { index, reason: new OpenFlowError(err, bundleAdd(index), memberContext(bundleId, index)) };
      }
    },
  );
  try {
    const open = handled(session.submit(control(OFPBCT_OPEN_REQUEST), { context: `bundle ${bundleId} open` }));
    for (let index = 0; ; index++) {
      if (index >= size) {
        // Encoded members may come in batches: the switch reads the first while the next are made.
        if (!encoded || !isEncoded(members) || !members.more?.()) break;
        size = encoded.size;
        if (index >= size) break;
      }
      // Flow control, and a turn of the event loop now and then for replies and timers.
      if (session.congested) await session.drained();
      else if (index % 4096 === 4095) await new Promise((r) => setImmediate(r));
      try {
        if (encoded) xids.push(session.sendEncoded(encoded, index));
        else xids.push(session.send({ type: 'bundle_add', bundleId, flags, message: memberMessage(index) as OfpMessage, properties: [] }));
      } catch (err) {
        // Not sent (closed session, or a member that cannot be encoded): this one fails, the rest are not sent.
        if (!failed || index < failed.index) failed = { index, reason: err as Error };
        break;
      }
    }
    const close = handled(session.submit(control(OFPBCT_CLOSE_REQUEST), { context: `bundle ${bundleId} close` }));

    const [openResult, closeResult] = await Promise.allSettled([open.reply, close.reply]);
    const discard = async () => {
      await session.request(control(OFPBCT_DISCARD_REQUEST)).catch(() => undefined);
    };
    if (openResult.status === 'rejected') {
      await discard();
      throw new BundleError(bundleId, 'open', undefined, openResult.reason as Error, size);
    }
    if (failed) {
      const { index, reason } = failed;
      await discard();
      const member = reason instanceof OpenFlowError ? { index, message: memberAt(index), error: reason } : undefined;
      throw new BundleError(bundleId, 'add', member, reason, size);
    }
    if (closeResult.status === 'rejected') {
      await discard();
      throw new BundleError(bundleId, 'close', undefined, closeResult.reason as Error, size);
    }
    committing = true;
    try {
      await session.request(control(OFPBCT_COMMIT_REQUEST), { context: `bundle ${bundleId} commit` });
    } catch (err) {
      throw new BundleError(bundleId, 'commit', failure, err as Error, size);
    }
  } finally {
    unwatch();
  }
}

/**
 * The index of the member sent with `xid`, or -1. Xids are handed out in increasing order, so
 * the list is sorted unless the 32-bit xid space wrapped during the bundle.
 */
export function memberIndex(xids: readonly number[], xid: number): number {
  const n = xids.length;
  if (n === 0) return -1;
  if (xids[0]! > xids[n - 1]!) return xids.indexOf(xid);
  let lo = 0;
  let hi = n - 1;
  if (xid < xids[0]! || xid > xids[hi]!) return -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = xids[mid]!;
    if (x === xid) return mid;
    if (x < xid) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
