/** The real-shaped Kubernetes objects under spec/fixtures/k8s. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers/cli.js';

export interface KubeList {
  items: Array<Record<string, any>>;
}

export function fixturePath(name: string): string {
  return join(ROOT, 'spec/fixtures/k8s', name);
}

export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** The items of a `kubectl get … -o json` List fixture (fresh copies on every call). */
export function fixtureItems(name: 'services.json' | 'endpointslices.json'): Array<Record<string, any>> {
  return (JSON.parse(fixtureText(name)) as KubeList).items;
}

/** A Service as a manifest lists it (its label has a quote, a backslash and characters beyond ASCII). */
export function manifestService(i: number, port: unknown = 80): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${i}`, namespace: 'ns', labels: { app: `a"\\${i} é ✓` } },
    spec: { clusterIP: `10.96.${i >> 8}.${i & 255}`, ports: [{ name: 'http', port, targetPort: 8080 }] },
  };
}

/** The EndpointSlice of manifestService(i): one ready endpoint. */
export function manifestSlice(i: number): Record<string, unknown> {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `svc-${i}-a`, namespace: 'ns', labels: { 'kubernetes.io/service-name': `svc-${i}` } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080 }],
    endpoints: [{ addresses: [`10.128.${i >> 8}.${i & 255}`], conditions: { ready: true }, nodeName: 'n1' }],
  };
}
