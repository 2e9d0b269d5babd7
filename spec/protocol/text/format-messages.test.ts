/**
 * Messages with what `ovs-ofctl ofp-print` prints for them: switch-to-controller messages
 * captured from a live ovs-vswitchd (spec/vectors/messages/live.jsonl), messages ovs-ofctl sends
 * (ofctl.jsonl), and the printer's own vectors (spec/vectors/print/messages.jsonl: packet-ins of
 * many packet kinds, every multipart reply, errors, …). Also the action texts and match texts of
 * the action and field vectors.
 */
import { resolve } from 'node:path';
import t from 'tap';
import { decodeMessage } from '../../../protocol/index.js';
import { formatMatch, formatMessage } from '../../../protocol/text/index.js';
import { VECTORS, readJsonLines } from '../../helpers/vectors.js';
import { assertPrinted } from './format-support.js';

for (const [file, what] of [
  ['messages/live.jsonl', 'captured from ovs-vswitchd'],
  ['messages/ofctl.jsonl', 'sent by ovs-ofctl'],
  ['print/messages.jsonl', 'encoded by ofwire'],
] as const) {
  const records = readJsonLines<{ name: string; hex: string; text: string; verbosity?: number }>(resolve(VECTORS, file));
  t.test(`${file} (${what})`, async (t) => {
    const counts = { same: 0, refused: 0 };
    for (const r of records) assertPrinted(t, r.name, r.hex, r.text, r.verbosity ?? 2, counts);
    t.comment(`${counts.same} identical, ${counts.refused} refused by both`);
  });
}

const actionRecords = readJsonLines<{ name: string; hex?: string; ovs_text?: string }>(resolve(VECTORS, 'actions/ovs-ofctl-3.1.0.jsonl'));
t.test('actions/ovs-ofctl-3.1.0.jsonl: the flow and group texts', async (t) => {
  const records = actionRecords;
  for (const r of records) {
    if (!r.hex || !r.ovs_text) continue;
    const text = formatMessage(decodeMessage(Buffer.from(r.hex, 'hex')));
    // ovs_text is what follows the header: on the header line, or on the next line for group mods.
    const body = text.startsWith('OFPT_GROUP_MOD') ? text.split('\n')[1]!.slice(1) : text.slice(text.indexOf('): ') + 3, -1);
    t.equal(body, r.ovs_text, r.name);
  }
});

const fieldRecords = readJsonLines<{ input: string; hex?: string; match?: string }>(resolve(VECTORS, 'fields/fields.jsonl'));
t.test('fields/fields.jsonl: matches', async (t) => {
  const records = fieldRecords;
  for (const r of records) {
    if (!r.hex || r.match === undefined) continue;
    const m = decodeMessage(Buffer.from(r.hex, 'hex'));
    if (m.type !== 'flow_mod') continue;
    t.equal(formatMatch(m.match), r.match, r.input);
  }
});
