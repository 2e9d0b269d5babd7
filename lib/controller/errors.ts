import type { OfpMessage } from '../../protocol/index.js';
import type { OpenFlowError } from '../session/errors.js';

/** The switch is not connected right now (it may come back: see the `connected` event). */
export class NotConnectedError extends Error {
  override readonly name = 'NotConnectedError';
  constructor(readonly target: string) {
    super(`${target}: switch is not connected`);
  }
}

/** The switch handle was closed by its owner. */
export class SwitchClosedError extends Error {
  override readonly name = 'SwitchClosedError';
  constructor(readonly target: string) {
    super(`${target}: switch handle is closed`);
  }
}

/** One message of a bundle that the switch refused, with the error it answered. */
export interface BundleMemberFailure {
  /** Position of the failing message in the bundle (0-based, in the order it was added). */
  index: number;
  /** The message as it was added (flow_mod, group_mod, …). */
  message: OfpMessage;
  /** The switch's error for it. */
  error: OpenFlowError;
}

/** A bundle was not applied: nothing in it took effect. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
  constructor(
    readonly bundleId: number,
    /** What failed: opening, a member, closing or committing the bundle. */
    readonly stage: 'open' | 'add' | 'close' | 'commit',
    /** The failing member, when the switch said which one. */
    readonly member: BundleMemberFailure | undefined,
    override readonly cause: Error,
    readonly size: number,
  ) {
    super(
      member
        ? `bundle ${bundleId} rolled back: member ${member.index} of ${size} (${describe(member.message)}) failed: ` +
            `${member.error.typeName}/${member.error.codeName}`
        : `bundle ${bundleId} rolled back at ${stage}: ${cause.message}`,
    );
  }
}

function describe(m: OfpMessage): string {
  switch (m.type) {
    case 'flow_mod':
      return `flow_mod ${['add', 'modify', 'modify_strict', 'delete', 'delete_strict'][m.command] ?? m.command} table ${m.tableId} priority ${m.priority}`;
    case 'group_mod':
      return `group_mod ${['add', 'modify', 'delete'][m.command] ?? m.command} group ${m.groupId}`;
    default:
      return m.type;
  }
}
