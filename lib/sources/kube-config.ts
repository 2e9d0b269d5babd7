import { KubeConfig } from '@kubernetes/client-node';
import { SourceError, firstLine } from './errors.js';

/** What `KubeConfig.loadFromDefault` settles for when it finds nothing at all. */
function isLastResortConfig(config: KubeConfig): boolean {
  const cluster = config.getCurrentCluster();
  return config.getCurrentContext() === 'loaded-context' && cluster?.server === 'http://localhost:8080';
}

/**
 * Loads the kubeconfig from `path`, else as kubectl does: $KUBECONFIG, ~/.kube/config, then the
 * in-cluster service account. Throws a one-line SourceError naming where it looked.
 */
export function loadKubeConfig(path?: string): KubeConfig {
  const config = new KubeConfig();
  const origin = path
    ? `kubeconfig ${path}`
    : process.env.KUBECONFIG
      ? `kubeconfig $KUBECONFIG=${process.env.KUBECONFIG}`
      : 'kubeconfig';
  try {
    if (path) config.loadFromFile(path);
    else config.loadFromDefault();
  } catch (err) {
    throw new SourceError(`${origin}: ${firstLine(err)}`, { cause: err });
  }
  if (!path && isLastResortConfig(config)) {
    throw new SourceError(
      'kubeconfig: none found: pass --kubeconfig, set $KUBECONFIG, or run in a pod with a service account',
    );
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    throw new SourceError(`${origin}: current context "${config.getCurrentContext()}" names no known cluster`);
  }
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    throw new SourceError(
      `${origin}: cluster "${cluster.name}": plain http server ${cluster.server} needs insecure-skip-tls-verify: true`,
    );
  }
  return config;
}
