/**
 * ofwire/kube: the Kubernetes source (Services, EndpointSlices and Nodes from the API server, by
 * list and watch), apart from `ofwire` so that programs without it never load it.
 */
export { KubeSource, type KubeSourceOptions } from './sources/kube.js';
export type { BackoffOptions } from './controller/backoff.js';
export { KubeApiError } from './sources/kube-client.js';
export { createSource, type CreateSourceOptions } from './sources/create.js';
