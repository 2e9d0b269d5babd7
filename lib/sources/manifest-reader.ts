import { ObjectError, SourceError, formatFieldPath, type FieldPath } from './errors.js';
import { serviceFromObject, serviceKey, sliceFromObject, sliceKey } from './convert.js';
import type { EndpointSlice, Service } from './types.js';

/** What a manifest file declares. */
export interface Manifest {
  services: Map<string, Service>;
  slices: Map<string, EndpointSlice>;
  /** How many objects of other kinds (Pods, Endpoints, …) were skipped. */
  skipped: number;
}

/** One document of a manifest file and a way to find the line of a field in it. */
export interface ManifestDocument {
  /** The document's value; for a JSON List read item by item, its fields other than `items`. */
  value: unknown;
  lineOf(path: FieldPath): number;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a document's `kind` says it is a List (`List`, `ServiceList`, …). */
export function isListKind(kind: unknown): boolean {
  return typeof kind === 'string' && kind.endsWith('List');
}

/** Items of a typed list (`ServiceList`) may leave out their kind: this is theirs. */
export function itemKindOf(listKind: string): string | undefined {
  return listKind === 'List' ? undefined : listKind.slice(0, -'List'.length);
}

/** Collects the Services and EndpointSlices of a file's documents, rejecting duplicates. */
export class ManifestReader {
  readonly manifest: Manifest = { services: new Map(), slices: new Map(), skipped: 0 };
  private readonly firstSeen = new Map<string, { document: ManifestDocument; path: FieldPath }>();

  constructor(private readonly file: string) {}

  readDocument(document: ManifestDocument): void {
    const value = document.value;
    if (value === null || value === undefined) return;
    if (!isRecord(value)) this.fail(document, [], 'document must be a Kubernetes object or List');
    if (!isListKind(value.kind)) {
      this.readObject(document, value, []);
      return;
    }
    const items = value.items ?? [];
    if (!Array.isArray(items)) this.fail(document, ['items'], 'must be a list');
    const itemKind = itemKindOf(value.kind as string);
    items.forEach((item, i) => this.readObject(document, item, ['items', i], itemKind));
  }

  /** One object of a document: `path` leads to it, `listKind` is its List's item kind. */
  readObject(document: ManifestDocument, obj: unknown, path: FieldPath, listKind?: string): void {
    if (!isRecord(obj)) this.fail(document, path, 'must be a Kubernetes object');
    const kind = obj.kind ?? listKind;
    if (kind === undefined) this.fail(document, [...path, 'kind'], 'required');
    if (kind !== 'Service' && kind !== 'EndpointSlice') {
      this.manifest.skipped += 1;
      return;
    }
    try {
      if (kind === 'Service') {
        const service = serviceFromObject(obj);
        const key = serviceKey(service);
        this.remember(document, path, `Service ${key}`);
        this.manifest.services.set(key, service);
      } else {
        const slice = sliceFromObject(obj);
        const key = sliceKey(slice);
        this.remember(document, path, `EndpointSlice ${key}`);
        this.manifest.slices.set(key, slice);
      }
    } catch (err) {
      if (!(err instanceof ObjectError)) throw err;
      throw SourceError.inFile(this.file, document.lineOf([...path, ...err.path]), err.message, err.field);
    }
  }

  fail(document: ManifestDocument, path: FieldPath, problem: string): never {
    const field = formatFieldPath(path);
    throw SourceError.inFile(this.file, document.lineOf(path), field ? `${field}: ${problem}` : problem, field || undefined);
  }

  /** Lines are looked up only when there is something to report: finding them is the slow part. */
  private remember(document: ManifestDocument, path: FieldPath, id: string): void {
    const first = this.firstSeen.get(id);
    if (first) {
      const firstLine = first.document.lineOf(first.path);
      throw SourceError.inFile(this.file, document.lineOf(path), `${id}: defined twice (first at line ${firstLine})`);
    }
    this.firstSeen.set(id, { document, path });
  }
}
