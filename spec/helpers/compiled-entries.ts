/** Compiled proxy entries checked against the ovs-ofctl text of what ovs-vswitchd prints back. */
import type { Test } from 'tap';
import { canonicalMatch } from '../../protocol/fields/canonical.js';
import { formatInstructions, formatMatch, parseFlow, parseGroup } from '../../protocol/text/index.js';
import { keyed, type Entry } from '../../lib/proxy/entries.js';

/** The entry that ovs-ofctl text stands for. */
export function entryFromText(text: string): Entry {
  if (text.startsWith('group_id=')) {
    const g = parseGroup(text);
    return { kind: 'group', groupId: g.groupId, groupType: g.groupType, buckets: g.buckets };
  }
  const f = parseFlow(text);
  return { kind: 'flow', table: f.tableId, priority: f.priority, match: f.match, instructions: f.instructions, cookie: f.cookie };
}

export const hex = (latin1: string): string => Buffer.from(latin1, 'latin1').toString('hex');

function describeEntry(e: Entry): string {
  if (e.kind === 'group') return `group ${e.groupId}`;
  return `table=${e.table},priority=${e.priority},${formatMatch(e.match)} actions=${formatInstructions(e.instructions)}`;
}

/** Compiled entries equal the ovs-ofctl lines, in order, byte for byte; matches are canonical. */
export function sameAsOvs(t: Test, entries: readonly Entry[], lines: string[]): void {
  t.equal(entries.length, lines.length, `${lines.length} entries`);
  entries.forEach((e, i) => {
    const line = lines[i];
    if (line === undefined) return t.fail(`unexpected ${describeEntry(e)}`);
    const want = keyed(entryFromText(line));
    const got = keyed(e);
    const ok = hex(got.key) === hex(want.key) && hex(got.body) === hex(want.body);
    t.ok(ok, line);
    if (!ok) t.comment(`compiled: ${describeEntry(e)}`);
    if (e.kind === 'flow') t.same(canonicalMatch(e.match), e.match, `canonical match: ${line}`);
  });
}
