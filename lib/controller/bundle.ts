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
import type { BundleControl, ErrorMsg, OfpMessage } from '../../protocol/index.js';
import type { Outgoing, Session } from '../session/session.js';
import { OpenFlowError } from '../session/errors.js';
import { BundleError, type BundleMemberFailure } from './errors.js';
import {
  toFlowMod,
  toGroupDelete,
  toGroupMod,
  type FlowCommand,
  type FlowFilter,
  type FlowSpec,
  type GroupSpec,
} from './specs.js';
import { flowFromText, groupFromText } from './text.js';

export const OFPBCT = {
  OPEN_REQUEST: 0,
  OPEN_REPLY: 1,
  CLOSE_REQUEST: 2,
  CLOSE_REPLY: 3,
  COMMIT_REQUEST: 4,
  COMMIT_REPLY: 5,
  DISCARD_REQUEST: 6,
  DISCARD_REPLY: 7,
} as const;
export const OFPBF_ATOMIC = 1;
export const OFPBF_ORDERED = 2;

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
    this.members.push(
      typeof group === 'string' ? groupFromText(group, 'modify') : toGroupMod(group, 'modify', `bundle[${this.size}]`),
    );
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

export interface BundleOptions {
  /** Default true: all or nothing. */
  atomic?: boolean;
  /** Default true: apply in the order added. */
  ordered?: boolean;
}

/** Runs one bundle on a session; resolves when committed, rejects with BundleError otherwise. */
export async function runBundle(session: Session, bundleId: number, members: Outgoing[], opts: BundleOptions = {}): Promise<void> {
  const flags = (opts.atomic === false ? 0 : OFPBF_ATOMIC) | (opts.ordered === false ? 0 : OFPBF_ORDERED);
  const control = (ctrlType: number): Omit<BundleControl, 'xid'> => ({
    type: 'bundle_control',
    bundleId,
    ctrlType,
    flags,
    properties: [],
  });
  const size = members.length;

  // Replies are collected with allSettled below; marking them handled now keeps a connection lost
  // half-way through the loop from leaving unhandled rejections behind.
  const handled = <T>(r: { xid: number; reply: Promise<T> }) => {
    r.reply.catch(() => undefined);
    return r;
  };
  const open = handled(session.submit(control(OFPBCT.OPEN_REQUEST), { context: `bundle ${bundleId} open` }));
  // Members are tracked with callbacks, not a promise each: a bundle can hold 100k of them.
  const xids: number[] = new Array<number>(size).fill(0);
  let failed: { index: number; reason: Error } | undefined;
  let unsettled = size;
  let allMembersSettled: () => void = () => undefined;
  const membersSettled = new Promise<void>((r) => (allMembersSettled = r));
  const settleMember = (index: number, err: Error | null) => {
    if (err && (!failed || index < failed.index)) failed = { index, reason: err };
    if (--unsettled === 0) allMembersSettled();
  };
  for (let index = 0; index < size; index++) {
    // Flow control, and a turn of the event loop now and then for replies and timers.
    if (session.congested) await session.drained();
    else if (index % 4096 === 4095) await new Promise((r) => setImmediate(r));
    const message = members[index]! as OfpMessage;
    try {
      xids[index] = session.track({ type: 'bundle_add', bundleId, flags, message, properties: [] }, (err) => settleMember(index, err), {
        context: `bundle ${bundleId} member ${index}`,
      });
    } catch (err) {
      // Not sent (closed session, or a member that cannot be encoded): this and the rest fail.
      for (let rest = index; rest < size; rest++) settleMember(rest, err as Error);
      break;
    }
  }
  if (size === 0) allMembersSettled();
  const close = handled(session.submit(control(OFPBCT.CLOSE_REQUEST), { context: `bundle ${bundleId} close` }));
  /** The member as sent (with the xid its errors carry). */
  const memberAt = (index: number): OfpMessage => ({ ...members[index]!, xid: xids[index]! }) as OfpMessage;

  const [openResult, closeResult] = await Promise.allSettled([open.reply, close.reply, membersSettled]);
  const discard = async () => {
    await session.request(control(OFPBCT.DISCARD_REQUEST)).catch(() => undefined);
  };
  if (openResult!.status === 'rejected') {
    await discard();
    throw new BundleError(bundleId, 'open', undefined, openResult!.reason as Error, size);
  }
  if (failed) {
    const { index, reason } = failed;
    await discard();
    const member = reason instanceof OpenFlowError ? { index, message: memberAt(index), error: reason } : undefined;
    throw new BundleError(bundleId, 'add', member, reason, size);
  }
  if (closeResult!.status === 'rejected') {
    await discard();
    throw new BundleError(bundleId, 'close', undefined, closeResult!.reason as Error, size);
  }

  const indexByXid = new Map(xids.map((x, i) => [x, i]));
  let failure: BundleMemberFailure | undefined;
  const unwatch = session.watchErrors(indexByXid.keys(), (err: ErrorMsg) => {
    const index = indexByXid.get(err.xid)!;
    const message = memberAt(index);
    failure ??= { index, message, error: new OpenFlowError(err, message, `bundle ${bundleId} member ${index}`) };
  });
  try {
    await session.request(control(OFPBCT.COMMIT_REQUEST), { context: `bundle ${bundleId} commit` });
  } catch (err) {
    throw new BundleError(bundleId, 'commit', failure, err as Error, size);
  } finally {
    unwatch();
  }
}
