import { LineCounter, isMap, parseAllDocuments, parseDocument, type Node, type Scalar, type YAMLSeq } from 'yaml';
import { ObjectError, SourceError, formatFieldPath, type FieldPath } from './errors.js';
import { serviceFromObject, serviceKey, sliceFromObject, sliceKey } from './model.js';
import type { EndpointSlice, Service } from './types.js';

/** What a manifest file declares. */
export interface Manifest {
  services: Map<string, Service>;
  slices: Map<string, EndpointSlice>;
  /** How many objects of other kinds (Pods, Endpoints, …) were skipped. */
  skipped: number;
}

/** One YAML document's value and a way to find the line of a field in it. */
interface ParsedDocument {
  value: unknown;
  lineOf(path: FieldPath): number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The line of the deepest node on `path` that exists (the key's line for mapping entries). In a
 * parsed document keys, values and items are all nodes.
 */
function lineOfPath(root: Node, path: FieldPath, lines: LineCounter): number {
  let node: Node = root;
  let anchor: Node = root;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as Scalar).value === part);
      if (!pair) break;
      anchor = pair.key as Node;
      node = pair.value as Node;
    } else {
      // Error paths lead only through mappings and existing sequence items.
      node = (node as YAMLSeq).items[part as number] as Node;
      anchor = node;
    }
  }
  return lines.linePos(anchor.range![0]).line;
}

function parseYaml(text: string, file: string): ParsedDocument[] {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  return documents.map((document) => {
    const problem = document.errors[0];
    if (problem) {
      const { line, col } = lines.linePos(problem.pos[0]);
      throw SourceError.inFile(file, line, `invalid YAML at column ${col}: ${problem.message.split('\n', 1)[0]}`);
    }
    // Documents without contents are skipped before any line is asked for.
    const lineOf = (path: FieldPath): number => lineOfPath(document.contents!, path, lines);
    try {
      return { value: document.toJS(), lineOf };
    } catch (err) {
      throw SourceError.inFile(file, lineOf([]), `invalid YAML: ${(err as Error).message}`);
    }
  });
}

/** JSON goes through JSON.parse (fast); its line numbers are found with the YAML parser when needed. */
function parseJson(text: string): ParsedDocument[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  let located: { lines: LineCounter; contents: Node } | undefined;
  const lineOf = (path: FieldPath): number => {
    if (!located) {
      const lines = new LineCounter();
      located = { lines, contents: parseDocument(text, { lineCounter: lines }).contents! };
    }
    return lineOfPath(located.contents, path, located.lines);
  };
  return [{ value, lineOf }];
}

function isList(value: Record<string, unknown>): boolean {
  return typeof value.kind === 'string' && value.kind.endsWith('List');
}

/** Collects the Services and EndpointSlices of a file's documents, rejecting duplicates. */
class ManifestReader {
  readonly manifest: Manifest = { services: new Map(), slices: new Map(), skipped: 0 };
  private readonly firstSeen = new Map<string, { document: ParsedDocument; path: FieldPath }>();

  constructor(private readonly file: string) {}

  readDocument(document: ParsedDocument): void {
    const value = document.value;
    if (value === null || value === undefined) return;
    if (!isRecord(value)) this.fail(document, [], 'document must be a Kubernetes object or List');
    if (!isList(value)) {
      this.readObject(document, value, []);
      return;
    }
    const items = value.items ?? [];
    if (!Array.isArray(items)) this.fail(document, ['items'], 'must be a list');
    // Items of a typed list (`ServiceList`) may leave out their kind.
    const itemKind = value.kind === 'List' ? undefined : String(value.kind).slice(0, -'List'.length);
    items.forEach((item, i) => this.readObject(document, item, ['items', i], itemKind));
  }

  private readObject(document: ParsedDocument, obj: unknown, path: FieldPath, listKind?: string): void {
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
        this.remember(document, path, `Service ${serviceKey(service)}`);
        this.manifest.services.set(serviceKey(service), service);
      } else {
        const slice = sliceFromObject(obj);
        this.remember(document, path, `EndpointSlice ${sliceKey(slice)}`);
        this.manifest.slices.set(sliceKey(slice), slice);
      }
    } catch (err) {
      if (!(err instanceof ObjectError)) throw err;
      throw SourceError.inFile(this.file, document.lineOf([...path, ...err.path]), err.message, err.field);
    }
  }

  private fail(document: ParsedDocument, path: FieldPath, problem: string): never {
    const field = formatFieldPath(path);
    throw SourceError.inFile(this.file, document.lineOf(path), field ? `${field}: ${problem}` : problem, field || undefined);
  }

  /** Lines are looked up only when there is something to report: finding them is the slow part. */
  private remember(document: ParsedDocument, path: FieldPath, id: string): void {
    const first = this.firstSeen.get(id);
    if (first) {
      const firstLine = first.document.lineOf(first.path);
      throw SourceError.inFile(this.file, document.lineOf(path), `${id}: defined twice (first at line ${firstLine})`);
    }
    this.firstSeen.set(id, { document, path });
  }
}

/**
 * Reads Kubernetes manifests — YAML (multi-document) or JSON, single objects or `List`s, as
 * `kubectl get svc,endpointslices -A -o yaml` prints them — keeping the Services and
 * EndpointSlices. Throws a SourceError `file:line: what: problem` for the first problem found.
 */
export function parseManifest(text: string, file: string): Manifest {
  const documents = (/^\s*[{[]/.test(text) ? parseJson(text) : undefined) ?? parseYaml(text, file);
  const reader = new ManifestReader(file);
  for (const document of documents) reader.readDocument(document);
  return reader.manifest;
}
