import { SourceError } from './errors.js';
import { FileSource } from './file.js';
import { KubeSource } from './kube.js';
import type { SourceLogger } from './logger.js';
import type { ServiceSource } from './types.js';

export type * from './types.js';
export { ChangeBatcher } from './batcher.js';
export { BaseSource } from './base.js';
export { ObjectError, SourceError, formatFieldPath, type FieldPath, type ObjectKind, type SourceErrorDetails } from './errors.js';
export { FileSource, type FileSourceOptions } from './file.js';
export { KubeSource, type KubeSourceOptions } from './kube.js';
export type { BackoffOptions } from './kube-informer.js';
export { silentLogger, type SourceLogger } from './logger.js';
export { parseManifest, type Manifest } from './manifest.js';
export { MemorySource, type MemorySourceOptions } from './memory.js';
export {
  SERVICE_NAME_LABEL,
  SERVICE_PROXY_NAME_LABEL,
  TOPOLOGY_HINTS_ANNOTATION,
  TOPOLOGY_MODE_ANNOTATION,
  ZONE_LABEL,
  isProxyableService,
  nodeFromObject,
  objectKey,
  sameModel,
  serviceFromObject,
  serviceKey,
  sliceFromObject,
  sliceKey,
  sliceServiceKey,
  type ProxyableOptions,
} from './model.js';

export interface CreateSourceOptions {
  logger?: SourceLogger;
  /** For `kube`: kubeconfig path (else $KUBECONFIG / in-cluster). */
  kubeconfig?: string;
  /** For `kube`: watch only this namespace. */
  namespace?: string;
}

/** `file:PATH` → FileSource, `kube` → KubeSource. */
export function createSource(spec: string, options: CreateSourceOptions = {}): ServiceSource {
  if (spec.startsWith('file:')) {
    const path = spec.slice('file:'.length);
    if (!path) throw new SourceError(`source "${spec}": file: needs a path, e.g. file:/etc/ofwire/services.yaml`);
    return new FileSource(path, { logger: options.logger });
  }
  if (spec === 'kube') {
    return new KubeSource({ kubeconfig: options.kubeconfig, namespace: options.namespace, logger: options.logger });
  }
  throw new SourceError(`source "${spec}": unknown; use kube or file:PATH`);
}
