/**
 * Where the Kubernetes API is and how to authenticate, found as kubectl and client-go find it: a
 * kubeconfig file given by path, else $KUBECONFIG (several files, merged: the first to define a
 * name wins), else ~/.kube/config, else the pod's service account (KUBERNETES_SERVICE_HOST and
 * _PORT, the token and CA under /var/run/secrets/kubernetes.io/serviceaccount).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SourceError, firstLine } from './errors.js';
import type { KubeConnection } from './kube-client.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeConfigOptions {
  /** The service account's files (token, ca.crt); default /var/run/secrets/kubernetes.io/serviceaccount. */
  serviceAccountDir?: string;
  /** Environment to read KUBECONFIG, KUBERNETES_SERVICE_HOST/PORT and HOME from; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface LoadedKubeConfig {
  connection: KubeConnection;
  /** Where it came from, for messages: `kubeconfig PATH` or `in-cluster config`. */
  origin: string;
}

type Named<T> = { name?: unknown } & T;
interface KubeConfigFile {
  path: string;
  doc: {
    'current-context'?: unknown;
    clusters?: Named<{ cluster?: Record<string, unknown> }>[];
    users?: Named<{ user?: Record<string, unknown> }>[];
    contexts?: Named<{ context?: Record<string, unknown> }>[];
  };
}

/**
 * The API server and credentials to use. Throws a one-line SourceError naming the file (and the
 * cluster or user) when nothing usable is found.
 */
export function loadKubeConfig(path?: string, options: KubeConfigOptions = {}): LoadedKubeConfig {
  const env = options.env ?? process.env;
  if (path) return fromFiles([path], `kubeconfig ${path}`);
  if (env.KUBECONFIG) {
    const paths = env.KUBECONFIG.split(':').filter((p) => p);
    return fromFiles(paths, `kubeconfig $KUBECONFIG=${env.KUBECONFIG}`, true);
  }
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return fromFiles([home], `kubeconfig ${home}`);
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(join(dir, 'token'))) return inCluster(env, dir);
  throw new SourceError('kubeconfig: none found: pass --kubeconfig, set $KUBECONFIG, or run in a pod with a service account');
}

function inCluster(env: NodeJS.ProcessEnv, dir: string): LoadedKubeConfig {
  const host = env.KUBERNETES_SERVICE_HOST!;
  const origin = 'in-cluster config';
  const caFile = join(dir, 'ca.crt');
  let ca: Buffer;
  try {
    ca = readFileSync(caFile);
  } catch (err) {
    throw new SourceError(`${origin}: ${firstLine(err)}`, { cause: err });
  }
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`;
  return { origin, connection: { server, ca, tokenFile: join(dir, 'token') } };
}

function readConfigFile(path: string, origin: string, skipMissing: boolean): KubeConfigFile | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (skipMissing && (err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SourceError(`${origin}: ${firstLine(err)}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new SourceError(`${origin}: not a kubeconfig (YAML): ${firstLine(err)}`, { cause: err });
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new SourceError(`${origin}: not a kubeconfig (a YAML mapping)`);
  return { path, doc: doc as KubeConfigFile['doc'] };
}

/** First entry named `name` across the files (kubectl's merge: the first file to define it wins). */
function find<K extends 'clusters' | 'users' | 'contexts'>(files: KubeConfigFile[], list: K, name: string) {
  for (const f of files) {
    const entries = f.doc[list];
    if (!Array.isArray(entries)) continue;
    for (const e of entries as NonNullable<KubeConfigFile['doc'][K]>)
      if (e && e.name === name) return { file: f, entry: e as NonNullable<KubeConfigFile['doc'][K]>[number] };
  }
  return undefined;
}

function fromFiles(paths: string[], origin: string, skipMissing = false): LoadedKubeConfig {
  const files = paths.map((p) => readConfigFile(p, origin, skipMissing)).filter((f): f is KubeConfigFile => f !== null);
  const current = files.map((f) => f.doc['current-context']).find((c) => typeof c === 'string' && c);
  if (typeof current !== 'string') throw new SourceError(`${origin}: no current-context`);
  const context = find(files, 'contexts', current)?.entry.context;
  const clusterName = context?.cluster;
  const cluster = typeof clusterName === 'string' ? find(files, 'clusters', clusterName) : undefined;
  if (!cluster?.entry.cluster) throw new SourceError(`${origin}: current context "${current}" names no known cluster`);
  const c = cluster.entry.cluster;
  const where = `${origin}: cluster "${clusterName as string}"`;
  if (typeof c.server !== 'string' || !/^https?:\/\/./.test(c.server)) {
    throw new SourceError(`${where}: server ${JSON.stringify(c.server ?? null)} is not an http:// or https:// URL`);
  }
  const connection: KubeConnection = { server: c.server };
  if (c['insecure-skip-tls-verify'] === true) connection.insecure = true;
  if (typeof c['tls-server-name'] === 'string') connection.tlsServerName = c['tls-server-name'];
  const ca = pem(c, 'certificate-authority', cluster.file, where);
  if (ca) connection.ca = ca;

  const userName = context?.user;
  if (typeof userName === 'string' && userName) {
    const user = find(files, 'users', userName);
    if (!user?.entry.user) throw new SourceError(`${origin}: current context "${current}" names no known user "${userName}"`);
    Object.assign(connection, credentials(user.entry.user, user.file, `${origin}: user "${userName}"`));
  }
  return { origin, connection };
}

function credentials(u: Record<string, unknown>, file: KubeConfigFile, where: string): Partial<KubeConnection> {
  if (u.exec !== undefined || u['auth-provider'] !== undefined) {
    throw new SourceError(
      `${where}: ${u.exec !== undefined ? 'exec credential plugins' : 'auth providers'} are not supported; use a token, a token file or a client certificate`,
    );
  }
  const out: Partial<KubeConnection> = {};
  if (typeof u.token === 'string' && u.token) out.token = u.token;
  else if (typeof u.tokenFile === 'string' && u.tokenFile) out.tokenFile = relativeTo(file, u.tokenFile);
  const cert = pem(u, 'client-certificate', file, where);
  const key = pem(u, 'client-key', file, where);
  if (!cert !== !key) throw new SourceError(`${where}: client-certificate and client-key go together`);
  if (cert && key) Object.assign(out, { cert, key });
  if (typeof u.username === 'string') out.username = u.username;
  if (typeof u.password === 'string') out.password = u.password;
  return out;
}

/** `NAME-data` (base64 PEM) or `NAME` (a file, relative to the kubeconfig). */
function pem(entry: Record<string, unknown>, name: string, file: KubeConfigFile, where: string): Buffer | undefined {
  const data = entry[`${name}-data`];
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
  const path = entry[name];
  if (typeof path !== 'string' || !path) return undefined;
  try {
    return readFileSync(relativeTo(file, path));
  } catch (err) {
    throw new SourceError(`${where}: ${name}: ${firstLine(err)}`, { cause: err });
  }
}

function relativeTo(file: KubeConfigFile, path: string): string {
  return isAbsolute(path) ? path : join(dirname(file.path), path);
}
