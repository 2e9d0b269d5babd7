/**
 * Loads every message module, each registering its codecs (and, first, the field and action layers
 * theirs), so that the codec knows every message whichever module is imported first.
 */
import '../fields/table.js';
import '../actions/standard.js';
import '../actions/nicira.js';
import './hello.js';
import './error.js';
import './echo.js';
import './experimenter.js';
import './features.js';
import './switch-config.js';
import './packet-in.js';
import './flow-removed.js';
import './port-status.js';
import './packet-out.js';
import './flow-mod.js';
import './group-mod.js';
import './port-mod.js';
import './table-mod.js';
import './multipart.js';
import './multipart-desc.js';
import './multipart-flow.js';
import './multipart-port.js';
import './multipart-group.js';
import './multipart-meter.js';
import './table-features.js';
import './flow-monitor.js';
import './barrier.js';
import './queue-config.js';
import './role.js';
import './async-config.js';
import './meter-mod.js';
import './role-status.js';
import './requestforward.js';
import './bundle.js';
import './nx-config.js';
import './nx-ct-flush.js';
import './nx-packet-in2.js';
