/**
 * Property tests: every action and instruction variant, generated at random, encodes to bytes that
 * decode back to the same object and re-encode to the same bytes.
 */
import fc from 'fast-check';
import t from 'tap';
import { actionCodecs, type Action } from '../../../protocol/actions/index.js';
import {
  actionList,
  anyAction,
  decodeActions,
  decodeInstructions,
  encodeActions,
  encodeInstructions,
  instructionList,
  show,
} from './support.js';

t.test('random action lists round-trip', async (t) => {
  fc.assert(
    fc.property(actionList, (actions) => {
      const bytes = encodeActions(actions);
      const decoded = decodeActions(bytes);
      t.strictSame(decoded, actions, show(actions));
      return encodeActions(decoded).equals(bytes) && bytes.length % 8 === 0;
    }),
    { numRuns: 1500 },
  );
});

t.test('random instruction lists round-trip', async (t) => {
  fc.assert(
    fc.property(instructionList, (list) => {
      const bytes = encodeInstructions(list);
      const decoded = decodeInstructions(bytes);
      t.strictSame(decoded, list, show(list));
      return encodeInstructions(decoded).equals(bytes);
    }),
    { numRuns: 400 },
  );
});

t.test('the generator covers every registered action', async (t) => {
  const seen = new Set<string>();
  const walk = (a: Action): void => {
    seen.add(a.type);
    if (a.type === 'ct' || a.type === 'clone') a.actions.forEach(walk);
  };
  fc.sample(anyAction, { numRuns: 20000, seed: 42 }).forEach(walk);
  for (const c of actionCodecs()) t.ok(seen.has(c.type), `${c.type} is generated`);
  t.ok(seen.has('unknown'), 'unknown is generated');
});
