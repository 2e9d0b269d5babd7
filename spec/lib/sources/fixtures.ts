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
