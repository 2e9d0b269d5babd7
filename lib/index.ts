/**
 * ofwire: OpenFlow 1.3 sessions and a controller API for Open vSwitch, and a Kubernetes ClusterIP
 * service proxy on top. The codec alone (no I/O) is `ofwire/protocol`.
 */
export * from './transport/index.js';
export * from './session/index.js';
export * from './controller/index.js';
export * from './proxy/index.js';
export * from './sources/index.js';
// Both layers name their retry settings BackoffOptions; the controller's is the public one.
export type { BackoffOptions } from './controller/index.js';
