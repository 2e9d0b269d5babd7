/**
 * What the switch commands of ovs-ofctl print: dump-flows (with and without `--no-stats`),
 * dump-groups, dump-group-stats and show. ovs-ofctl prints each reply message of a dump as
 * `ofp-print` does at verbosity 1 (a header line per reply, then one line per entry); with
 * `--no-stats` (or sorting) it prints the entries alone, one per line, each after a space.
 */
import type { FeaturesReply, GetConfigReply, MultipartReply } from '../message.js';
import type { FlowStats, GroupDesc } from '../messages/multipart-types.js';
import { formatMessage } from './format-message.js';
import { formatFlowStats, formatGroup, formatGroupStats } from './format-multipart.js';

export { formatFlowStats, formatGroupStats };

/** Options of printing flows and groups as ovs-ofctl's dump commands do. */
export interface DumpOptions {
  /** false for `--no-stats`: no duration, counters or (zero) cookie and table 0. */
  stats?: boolean;
}

/** One group as dump-groups prints it: `group_id=1,type=select,bucket=…` (no leading space). */
export function formatGroupDesc(g: GroupDesc): string {
  return formatGroup(g.groupId, g.groupType, g.buckets);
}

/** Flow entries one per line, each after a space, as `ovs-ofctl --no-stats dump-flows` prints them. */
export function formatFlowLines(flows: readonly FlowStats[], opts: DumpOptions = {}): string {
  return flows.map((f) => ` ${formatFlowStats(f, opts.stats ?? true)}\n`).join('');
}

/** Reply messages of a dump as ovs-ofctl prints them (each with its `OFPST_… reply` header line). */
export function formatDumpReplies(replies: readonly MultipartReply[]): string {
  return replies.map((r) => formatMessage(r, { verbosity: 1 })).join('');
}

/**
 * `ovs-ofctl dump-flows`: with stats, the reply messages as printed by ofp-print; without, the
 * flows alone.
 */
export function formatDumpFlows(replies: readonly MultipartReply[], opts: DumpOptions = {}): string {
  if (opts.stats ?? true) return formatDumpReplies(replies);
  const flows = replies.flatMap((r) => (r.body.kind === 'flow' ? r.body.flows : []));
  return formatFlowLines(flows, opts);
}

/** `ovs-ofctl dump-groups`: the group-desc replies. */
export function formatDumpGroups(replies: readonly MultipartReply[]): string {
  return formatDumpReplies(replies);
}

/** `ovs-ofctl dump-group-stats`: the group-stats replies. */
export function formatDumpGroupStats(replies: readonly MultipartReply[]): string {
  return formatDumpReplies(replies);
}

/**
 * `ovs-ofctl show`: the features reply, the port-desc replies (OpenFlow 1.3 features replies
 * carry no ports) and the get-config reply, each as ofp-print prints it.
 */
export function formatShow(features: FeaturesReply, portDesc: readonly MultipartReply[], config: GetConfigReply): string {
  return formatMessage(features, { verbosity: 1 }) + formatDumpReplies(portDesc) + formatMessage(config, { verbosity: 1 });
}
