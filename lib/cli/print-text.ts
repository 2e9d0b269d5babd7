/**
 * `ofwire print HEX…` in ovs-ofctl's text: each message as `ovs-ofctl ofp-print HEX` prints it.
 * Registered as the default output format of `print` (`--json` still selects JSON).
 */
import { formatMessage } from '../../protocol/text/index.js';
import { registerPrintFormat } from './codec-commands.js';

/** Makes `print` without `--json` write what `ovs-ofctl ofp-print` writes. */
export function registerTextPrintFormat(): void {
  // `print` ends each message's output with a newline of its own; ofp-print's text already has one.
  registerPrintFormat('text', (m) => formatMessage(m).replace(/\n$/, ''), true);
}
