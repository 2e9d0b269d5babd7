/**
 * What the parsers read from each item of a line: keys in any case, the whole item and its column
 * in errors, and nat ranges with ports, each with ovs-ofctl's reading or its error.
 */
import t from 'tap';
import { encodeMessage } from '../../../protocol/index.js';
import { parseActions, parseFlow, parseGroup } from '../../../protocol/text/index.js';
import { syntaxError } from '../../helpers/syntax-error.js';

t.test('bucket and action keys are read in any case', async (tt) => {
  const lower = parseGroup('group_id=1,type=select,bucket=weight:5,actions=output:1,bucket=watch_port:2,actions=drop');
  const upper = parseGroup('group_id=1,type=select,bucket=WEIGHT:5,Actions=OUTPUT:1,bucket=Watch_Port:2,ACTIONS=drop');
  tt.same(encodeMessage(upper), encodeMessage(lower));
  tt.same(parseActions('CT(commit,nat(dst=10.0.0.1))'), parseActions('ct(commit,nat(dst=10.0.0.1))'));
  tt.same(parseFlow('ip,actions=Group:7'), parseFlow('ip,actions=group:7'));
});

t.test('errors quote the whole item at its column', async (tt) => {
  const flow = syntaxError(() => parseFlow('ip,tp_dst=http,actions=drop'));
  tt.equal(flow.token, 'tp_dst=http');
  tt.equal(flow.column, 3);
  const bare = syntaxError(() => parseFlow('ip,bogus,actions=drop'));
  tt.equal(bare.token, 'bogus');
  tt.equal(bare.column, 3);
  const nested = syntaxError(() => parseGroup('group_id=1,type=all,bucket=actions=ct(commit,zone=70000)'));
  tt.equal(nested.token, 'zone=70000');
  tt.match(nested.message, /unknown field `70000'/);
  const nat = syntaxError(() => parseGroup('group_id=1,type=all,bucket=actions=ct(commit,nat(dst=10.0.0.1:x))'));
  tt.equal(nat.token, 'dst=10.0.0.1:x');
  const group = syntaxError(() => parseGroup('group_id=1,type=every,bucket=actions=drop'));
  tt.equal(group.token, 'type=every');
  tt.equal(group.column, 11);
});

t.test('nat ranges: addresses, ports and their errors', async (tt) => {
  const nat = (range: string) => (parseActions(`ct(commit,nat(dst=${range}))`)[0] as { actions: unknown[] }).actions[0];
  const error = (range: string) => syntaxError(() => nat(range)).message;
  tt.same(nat('10.128.0.2:8080'), { type: 'nat', flags: 2, ipMin: '10.128.0.2', portMin: 8080 });
  tt.same(nat('10.0.0.1-10.0.0.9:80-90'), { type: 'nat', flags: 2, ipMin: '10.0.0.1', ipMax: '10.0.0.9', portMin: 80, portMax: 90 });
  tt.same(nat('10.0.0.1:0'), { type: 'nat', flags: 2, ipMin: '10.0.0.1' });
  tt.same(nat('10.0.0.1:065535'), { type: 'nat', flags: 2, ipMin: '10.0.0.1', portMin: 65535 });
  tt.same(nat('[fd00::1]:443'), { type: 'nat', flags: 2, ipMin: 'fd00::1', portMin: 443 });
  tt.match(error('10.0.0.1:'), /invalid nat range "10\.0\.0\.1:"/);
  tt.match(error('10.0.0.1:80-'), /invalid nat range "10\.0\.0\.1:80-"/);
  tt.match(error('10.0.0.1:90-80'), /invalid nat range "10\.0\.0\.1:90-80"/);
  tt.match(error('10.0.0.1:65536'), /port 65536 is over 65535/);
  tt.match(error('10.0.0.1:80-70000'), /port 70000 is over 65535/);
  tt.match(error('10.0.0.1-10.0.0.300'), /invalid nat range "10\.0\.0\.1-10\.0\.0\.300"/);
  tt.match(error('10.0.0.1-x'), /invalid nat range "10\.0\.0\.1-x"/);
  tt.match(error('300.0.0.1:80'), /300\.0\.0\.1 is not an IPv4 address/);
  tt.match(error('10.0.0.1:80x'), /garbage \(x\) after nat range "10\.0\.0\.1:80x" \(pos: 11\)/);
});
