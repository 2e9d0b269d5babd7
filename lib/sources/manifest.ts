import { LineCounter, isMap, parseAllDocuments, type Node, type Scalar, type YAMLSeq } from 'yaml';
import type { FieldPath } from './errors.js';
import { SourceError } from './errors.js';
import { readJsonManifest } from './json-manifest.js';
import { ManifestReader, type Manifest, type ManifestDocument } from './manifest-reader.js';

export type { Manifest } from './manifest-reader.js';

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

function parseYaml(text: string, file: string): ManifestDocument[] {
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
      return { value: document.toJS() as unknown, lineOf };
    } catch (err) {
      throw SourceError.inFile(file, lineOf([]), `invalid YAML: ${(err as Error).message}`);
    }
  });
}

/** YAML (and JSON that is not plain JSON): every document parsed, then read. */
export function parseYamlManifest(text: string, file: string): Manifest {
  const reader = new ManifestReader(file);
  for (const document of parseYaml(text, file)) reader.readDocument(document);
  return reader.manifest;
}

/**
 * Reads Kubernetes manifests — YAML (multi-document) or JSON, single objects or `List`s, as
 * `kubectl get svc,endpointslices -A -o yaml` prints them — keeping the Services and
 * EndpointSlices. Throws a SourceError `file:line: what: problem` for the first problem found.
 */
export function parseManifest(text: string, file: string): Manifest {
  return readJsonManifest(text, file) ?? parseYamlManifest(text, file);
}
