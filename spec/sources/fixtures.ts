/** The real-shaped Kubernetes objects under spec/fixtures/k8s. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface KubeList {
  items: Array<Record<string, any>>;
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/k8s/${name}`, import.meta.url));
}

export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** The items of a `kubectl get … -o json` List fixture (fresh copies on every call). */
export function fixtureItems(name: 'services.json' | 'endpointslices.json'): Array<Record<string, any>> {
  return (JSON.parse(fixtureText(name)) as KubeList).items;
}
