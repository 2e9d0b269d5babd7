/**
 * One atomic, ordered bundle whose members are sent while they are still being parsed: OPEN,
 * then each BUNDLE_ADD as soon as its line is read, then a barrier, then COMMIT once the switch has
 * answered the barrier without refusing a member. The switch applies nothing before COMMIT, so a
 * failure at any point (a line that does not parse, a member the switch refuses when it is added
 * or when the bundle is committed) ends in DISCARD and leaves the tables as they were.
 *
 * Members go out untracked (no reply object each): the switch answers only to refuse one, with an
 * error carrying the member's xid, and answers in order, so every refusal has arrived by the time
 * the barrier's reply does. What is kept per member is its line and what it does, packed in a
 * number, so that a large file is never held in memory.
 */
import type { BundleControl } from '../../protocol/index.js';
import { OpenFlowError } from '../session/errors.js';
import type { Session } from '../session/session.js';
import type { Mod, ParsedLine } from './switch-files.js';
import {
  OFPBCT_COMMIT_REQUEST,
  OFPBCT_DISCARD_REQUEST,
  OFPBCT_OPEN_REQUEST,
  OFPBF_ATOMIC,
  OFPBF_ORDERED,
} from '../../protocol/constants/openflow13.js';

const FLAGS = OFPBF_ATOMIC | OFPBF_ORDERED;

/** A member as errors describe it. */
export interface MemberInfo {
  line: number;
  /** `flow_mod add`, `group_mod delete`, … */
  what: string;
}

const KINDS = [
  'flow_mod add',
  'flow_mod modify',
  'flow_mod modify_strict',
  'flow_mod delete',
  'flow_mod delete_strict',
  'group_mod add',
  'group_mod modify',
  'group_mod delete',
];

function kindOf(mod: Mod): number {
  return mod.type === 'flow_mod' ? mod.command : 5 + mod.command;
}

/** Why a bundle was not applied. */
export class BundleFailed extends Error {
  override readonly name = 'BundleFailed';
  constructor(
    readonly stage: 'open' | 'add' | 'commit',
    /** The member the switch refused, when it said which. */
    readonly member: MemberInfo | undefined,
    override readonly cause: Error,
  ) {
    super(cause.message);
  }
}

function control(bundleId: number, ctrlType: number): Omit<BundleControl, 'xid'> {
  return { type: 'bundle_control', bundleId, ctrlType, flags: FLAGS, properties: [] };
}

/**
 * Sends the members as one bundle and commits it; resolves with the member count. Rejects with
 * BundleFailed for what the switch refused, or with the members' own error (e.g. a syntax error)
 * after discarding what was sent.
 */
export async function streamBundle(
  session: Session,
  batches: AsyncIterable<Iterable<ParsedLine>> | Iterable<Iterable<ParsedLine>>,
  bundleId = 0,
): Promise<number> {
  /** xid → line * 8 + index in KINDS */
  const members = new Map<number, number>();
  const memberOf = (xid: number): MemberInfo | undefined => {
    const packed = members.get(xid);
    return packed === undefined ? undefined : { line: Math.floor(packed / 8), what: KINDS[packed % 8] ?? 'member' };
  };
  let failure: BundleFailed | undefined;
  let stage: 'add' | 'commit' = 'add';
  const onError = (err: Error) => {
    if (err instanceof OpenFlowError && members.has(err.xid)) failure ??= new BundleFailed(stage, memberOf(err.xid), err);
  };
  session.on('error', onError);
  const discard = () =>
    session.request(control(bundleId, OFPBCT_DISCARD_REQUEST)).then(
      () => undefined,
      () => undefined,
    );

  try {
    const open = session.submit(control(bundleId, OFPBCT_OPEN_REQUEST));
    open.reply.catch((err: Error) => (failure ??= new BundleFailed('open', undefined, err)));
    try {
      for await (const batch of batches) {
        for (const { mod, line } of batch) {
          if (session.congested) await session.drained();
          const xid = session.send({ type: 'bundle_add', bundleId, flags: FLAGS, message: mod, properties: [] });
          members.set(xid, line * 8 + kindOf(mod));
        }
        if (failure) break;
        // A turn of the event loop: the batch goes out now and the switch's answers are read.
        await new Promise((r) => setImmediate(r));
      }
      await open.reply.catch(() => undefined);
      await session.barrier();
    } catch (err) {
      await discard();
      throw err;
    }
    if (failure) {
      await discard();
      throw failure;
    }

    // OVS checks members again at commit (e.g. a flow naming a missing group): it reports the
    // member's own error under the member's xid, then fails the commit.
    stage = 'commit';
    try {
      await session.request(control(bundleId, OFPBCT_COMMIT_REQUEST));
    } catch (err) {
      throw failure ?? new BundleFailed('commit', undefined, err as Error);
    }
    return members.size;
  } finally {
    session.off('error', onError);
  }
}
