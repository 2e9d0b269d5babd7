/**
 * Names that every JavaScript object inherits (`constructor`, `toString`, `__proto__`, …) are
 * names like any other in ovs-ofctl text: where a keyword, field, reason or type is expected they
 * are refused with a syntax error that names them, never taken for a table entry.
 */
import t from 'tap';
import { OfpSyntaxError, parseFlow, parseGroup } from '../../../protocol/text/index.js';

const NAMES = Object.getOwnPropertyNames(Object.prototype);

const FLOWS = [
  (n: string) => `${n},actions=drop`,
  (n: string) => `${n}=1,actions=drop`,
  (n: string) => `in_port=${n},actions=drop`,
  (n: string) => `ip,actions=${n}`,
  (n: string) => `ip,actions=output:${n}`,
  (n: string) => `ip,actions=controller(reason=${n})`,
  (n: string) => `ip,actions=multipath(${n},0,modulo_n,2,0,reg0)`,
  (n: string) => `ip,actions=multipath(eth_src,0,${n},2,0,reg0)`,
  (n: string) => `ip,actions=bundle(${n},0,active_backup,ofport,members:1)`,
  (n: string) => `ip,actions=encap(${n})`,
  (n: string) => `ip,actions=ct(nat(${n}))`,
];
const GROUPS = [
  (n: string) => `group_id=1,type=${n},bucket=actions=drop`,
  (n: string) => `group_id=1,type=select,bucket=${n}=1,actions=drop`,
];

t.test('inherited names are refused as unknown, with the name in the error', async (t) => {
  for (const name of NAMES) {
    for (const [parse, lines] of [
      [parseFlow, FLOWS],
      [parseGroup, GROUPS],
    ] as const) {
      for (const line of lines) {
        const text = line(name);
        let error: unknown;
        try {
          parse(text);
        } catch (err) {
          error = err;
        }
        t.type(error, OfpSyntaxError, text);
        t.match((error as Error | undefined)?.message ?? '', name, `${text}: the error names ${name}`);
      }
    }
  }
});
