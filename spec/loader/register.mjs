// The test processes' TypeScript loader (see hooks.mjs); it replaces the ts-node loader of
// @tapjs/typescript, which the tap config turns off with TAP_TYPE_STRIP_ONLY=1.
import { createRequire, register } from 'node:module';

register('./hooks.mjs', import.meta.url);

// Processes that the tests start (the built CLI, node -e in pods, tsx) are not instrumented for
// coverage: they run dist/ or code outside lib/ and protocol/, so their coverage is all excluded
// anyway, and the instrumentation costs each of them a loader thread and a coverage dump.
const fromProcessinfo = createRequire(createRequire(import.meta.url).resolve('@tapjs/processinfo'));
fromProcessinfo('process-on-spawn').removeAllListeners();
const options = process.env.NODE_OPTIONS?.replace(/"?--(import|loader|experimental-loader)=\S*@tapjs\/processinfo\S*"?/g, '').trim();
if (options) process.env.NODE_OPTIONS = options;
else delete process.env.NODE_OPTIONS;
