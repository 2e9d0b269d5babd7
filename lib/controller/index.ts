/** The controller API: switches (active or passive), flows, groups, bundles, statistics. */
export { Switch, ROLES, type ConnectedInfo, type Role, type SwitchEvents, type SwitchOptions } from './switch.js';
export { Controller, type ControllerEvents, type ControllerOptions } from './controller.js';
export { BundleBuilder, type BundleOptions } from './bundle.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { BundleError, NotConnectedError, SwitchClosedError, type BundleMemberFailure } from './errors.js';
export {
  FlowFlags,
  GROUP_TYPES,
  OFPFC,
  OFPGC,
  OFPG_ALL,
  OFPG_ANY,
  OFPP_ANY,
  OFPTT_ALL,
  OFP_DEFAULT_PRIORITY,
  SpecError,
  toFlowMod,
  toFlowStatsRequest,
  toGroupDelete,
  toGroupMod,
  toMatch,
  type BucketSpec,
  type FlowCommand,
  type FlowFilter,
  type FlowSpec,
  type GroupCommand,
  type GroupSpec,
  type GroupType,
  type MatchInput,
} from './specs.js';
export { flowFromText, groupFromText } from './text.js';
