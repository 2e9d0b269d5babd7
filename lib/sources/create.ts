import { SourceError } from './errors.js';
import { FileSource } from './file.js';
import { KubeSource } from './kube.js';
import type { SourceLogger } from './logger.js';
import type { ServiceSource } from './types.js';

/** Options of createSource(). */
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
