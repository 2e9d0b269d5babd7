/** The sources layer, whole (the Kubernetes source included); the package's entries pick from it. */
export type * from './types.js';
export { ChangeBatcher } from './batcher.js';
export { BaseSource } from './base.js';
export { createSource, type CreateSourceOptions } from './create.js';
export { ObjectError, SourceError, formatFieldPath, type FieldPath, type ObjectKind, type SourceErrorDetails } from './errors.js';
export { FileSource, type FileSourceOptions } from './file.js';
export { KubeSource, type KubeSourceOptions } from './kube.js';
export type { BackoffOptions } from '../controller/backoff.js';
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
  sameContent,
  serviceFromObject,
  serviceKey,
  sliceFromObject,
  sliceKey,
  sliceServiceKey,
  type ProxyableOptions,
} from './convert.js';
