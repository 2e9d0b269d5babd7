/** ofwire/protocol text: ovs-ofctl's syntax for flows, groups and messages. */
export { formatMessage, formatRawMessage, type FormatOptions } from './format-message.js';
export { messageName } from './format-message-names.js';
export { formatMatch } from './format-match.js';
export { OFP_DEFAULT_PRIORITY } from '../constants/openflow13.js';
export { formatAction, formatActions, formatInstructions } from './format-actions.js';
export { formatPacketSummary } from './format-packet.js';
export {
  formatFlowStats,
  formatFlowLines,
  formatGroupDesc,
  formatGroupStats,
  formatDumpFlows,
  formatDumpGroups,
  formatDumpGroupStats,
  formatDumpReplies,
  formatShow,
  type DumpOptions,
} from './format-stats.js';
export { OfpSyntaxError, type ParseWarning } from './errors.js';
export { parseFlow, parseActions, parseInstructions, type FlowCommand, type ParseFlowOptions } from './parse-flow.js';
export { parseGroup, type GroupCommand, type ParseGroupOptions } from './parse-group.js';
export { parseFlowsFile, parseGroupsFile, type ParseFileOptions } from './parse-files.js';
