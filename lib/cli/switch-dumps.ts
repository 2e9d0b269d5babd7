/**
 * The verbs that read a switch, printing what ovs-ofctl prints when its output is not a terminal:
 *
 *   show TARGET                     features reply, port descriptions, switch configuration
 *   dump-flows TARGET [FLOW]        each reply with its header line; --no-stats: flows alone
 *   dump-groups TARGET [GROUP]      every group (OpenFlow 1.3 cannot ask for one: GROUP is ignored)
 *   dump-group-stats TARGET [GROUP] counters of every group, or of group_id=N
 *
 * Header lines carry the xid ovs-ofctl's own request would have had (its xids count across the
 * extra connections it opens to learn port and table names), so that the two outputs compare
 * equal line for line. Replies are printed as they arrive: a dump of any size is never held whole.
 */
import type { FeaturesReply, MultipartReply, MultipartReplyBody, MultipartRequestBody } from '../../protocol/index.js';
import { OfpSyntaxError } from '../../protocol/text/errors.js';
import { formatDumpReplies, formatFlowLines, formatShow } from '../../protocol/text/format-stats.js';
import { parseFlow } from '../../protocol/text/parse-flow.js';
import { parseGroup } from '../../protocol/text/parse-group.js';
import type { Session } from '../session/session.js';
import { CliError } from './errors.js';
import type { SwitchOptions } from './switch-options.js';
import { openSession, portNames } from './switch-target.js';
import { OFPG_ALL, OFPG_MAX } from '../../protocol/constants/openflow13.js';

export type DumpVerb = 'show' | 'dump-flows' | 'dump-groups' | 'dump-group-stats';

/**
 * ovs-ofctl's xid for the request of a dump: its HELLO and requests share one counter, and it
 * first opens two connections (port names, then table names) when it reads text that may name
 * them, unless --no-names.
 */
function ofctlXid(readsNames: boolean, options: SwitchOptions): number {
  return readsNames && options.names !== false ? 6 : 2;
}

/** Output is gathered into large writes: one per reply message. */
function write(text: string): void {
  if (text) process.stdout.write(text);
}

const USAGE: Record<DumpVerb, string> = {
  show: 'show TARGET',
  'dump-flows': 'dump-flows TARGET [FLOW]',
  'dump-groups': 'dump-groups TARGET [GROUP]',
  'dump-group-stats': 'dump-group-stats TARGET [GROUP]',
};
const MAX_ARGS: Record<DumpVerb, number> = { show: 1, 'dump-flows': 2, 'dump-groups': 2, 'dump-group-stats': 2 };

export async function runDumpVerb(verb: DumpVerb, args: string[], options: SwitchOptions): Promise<void> {
  if (args.length === 0) throw new CliError(`missing TARGET (usage: ${USAGE[verb]})`);
  if (args.length > MAX_ARGS[verb]) {
    throw new CliError(`too many arguments (usage: ${USAGE[verb]}${MAX_ARGS[verb] > 1 ? '; quote a flow or group that has spaces' : ''})`);
  }
  const session = await openSession(args[0]!, options);
  try {
    switch (verb) {
      case 'show':
        await show(session);
        break;
      case 'dump-flows':
        await dumpFlows(session, args[1], options);
        break;
      case 'dump-groups':
        await dumpReplies(session, { kind: 'group_desc' }, 2);
        break;
      case 'dump-group-stats':
        await dumpReplies(session, { kind: 'group', groupId: groupOf(args[1]) }, ofctlXid(true, options));
        break;
    }
  } finally {
    await session.close();
  }
}

function withXid<T extends { xid: number }>(m: T, xid: number): T {
  return { ...m, xid };
}

async function show(session: Session): Promise<void> {
  const features: FeaturesReply = withXid(session.features, 2);
  const ports = await session.request({ type: 'multipart_request', flags: 0, body: { kind: 'port_desc' } });
  const config = await session.request({ type: 'get_config_request' });
  write(
    formatShow(
      features,
      ports.map((p) => withXid(p, 3)),
      withXid(config, 5),
    ),
  );
}

/** GROUP of dump-group-stats: `group_id=N` as ovs-ofctl reads it, or a bare number or `all`. */
function groupOf(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return OFPG_ALL;
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n > OFPG_MAX) throw new CliError(`invalid group id ${t}`);
    return n;
  }
  if (t.toLowerCase() === 'all') return OFPG_ALL;
  try {
    return parseGroup(t, 'delete').groupId;
  } catch (err) {
    if (err instanceof OfpSyntaxError) throw new CliError(err.message);
    throw err;
  }
}

/**
 * The parts of a multipart reply as whole reply messages, each as soon as the next one (or the
 * end) shows whether more follow.
 */
async function* replies(session: Session, body: MultipartRequestBody, xid: number): AsyncGenerator<MultipartReply> {
  let previous: MultipartReplyBody | undefined;
  for await (const part of session.multipartStream(body)) {
    if (previous) yield { type: 'multipart_reply', xid, flags: 1, body: previous };
    previous = part;
  }
  if (previous) yield { type: 'multipart_reply', xid, flags: 0, body: previous };
}

async function dumpReplies(session: Session, body: MultipartRequestBody, xid: number): Promise<void> {
  for await (const r of replies(session, body, xid)) write(formatDumpReplies([r]));
}

/** The flow stats request for FILTER, read as ovs-ofctl reads it (a del-flows match: table=, out_port=, cookie=V/M…). */
function flowRequest(filter: string, ports: ReadonlyMap<string, number> | undefined): MultipartRequestBody {
  try {
    const fm = parseFlow(filter, ports ? { command: 'delete', ports } : { command: 'delete' });
    return {
      kind: 'flow',
      tableId: fm.tableId,
      outPort: fm.outPort,
      outGroup: fm.outGroup,
      cookie: fm.cookie,
      cookieMask: fm.cookieMask,
      match: fm.match,
    };
  } catch (err) {
    if (err instanceof OfpSyntaxError) throw new CliError(err.message);
    throw err;
  }
}

const ALL_FLOWS: MultipartRequestBody = {
  kind: 'flow',
  tableId: 0xff,
  outPort: 0xffffffff,
  outGroup: 0xffffffff,
  cookie: 0n,
  cookieMask: 0n,
  match: [],
};

async function dumpFlows(session: Session, filter: string | undefined, options: SwitchOptions): Promise<void> {
  const filtered = filter !== undefined && filter !== '';
  const request = filtered ? flowRequest(filter, options.names !== false ? await portNames(session) : undefined) : ALL_FLOWS;
  for await (const r of replies(session, request, ofctlXid(filtered, options))) {
    if (options.stats) write(formatDumpReplies([r]));
    else if (r.body.kind === 'flow') write(formatFlowLines(r.body.flows, { stats: false }));
  }
}
