/**
 * ovs-ofctl text (`table=1,priority=100,ip,actions=ct(table=2)`, `group_id=1,type=select,…`) as
 * the controller API accepts it: parsed by protocol/text into the same FLOW_MOD / GROUP_MOD a typed
 * spec becomes. Syntax errors are OfpSyntaxError, thrown before anything is sent.
 */
import type { FlowMod, GroupMod } from '../../protocol/index.js';
import { parseFlow, parseGroup } from '../../protocol/text/index.js';
import type { FlowCommand, GroupCommand } from './specs.js';

/** Parses a flow in ovs-ofctl's syntax into a flow_mod with the given command. */
export function flowFromText(text: string, command: FlowCommand): Omit<FlowMod, 'xid'> {
  return parseFlow(text, command);
}

/** Parses a group in ovs-ofctl's syntax into a group_mod with the given command. */
export function groupFromText(text: string, command: GroupCommand): Omit<GroupMod, 'xid'> {
  return parseGroup(text, command);
}
