/**
 * The import graph of src/: every relative import (type-only, re-exports and dynamic
 * imports included) from one source file to another, read from the TypeScript sources.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One import: `from` and `to` are paths relative to src/, with `.ts` endings. */
export interface ImportEdge {
  from: string;
  to: string;
}

const specifierPatterns = [
  /\bfrom\s+['"]([^'"]+)['"]/g,
  /\bimport\s+['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];

function sourceFiles(root: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Strips comments so that an example in a doc comment is not read as an import. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Reads every `.ts` file under `srcDir` and returns its imports of other files there. */
export function importGraph(srcDir: string): { files: string[]; edges: ImportEdge[] } {
  const root = resolve(srcDir);
  const files = sourceFiles(root).map((f) => relative(root, f).split(sep).join('/')).sort();
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const text = withoutComments(readFileSync(join(root, file), 'utf8'));
    const seen = new Set<string>();
    for (const pattern of specifierPatterns) {
      for (const match of text.matchAll(pattern)) {
        const specifier = match[1];
        if (specifier === undefined || !specifier.startsWith('.')) continue;
        const target = relative(root, resolve(root, dirname(file), specifier))
          .split(sep).join('/').replace(/\.js$/, '.ts');
        if (seen.has(target)) continue;
        seen.add(target);
        edges.push({ from: file, to: target });
      }
    }
  }
  return { files, edges };
}

/** Returns each cycle once, as the list of files around it (first file repeated at the end). */
export function findCycles(files: readonly string[], edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const f of files) next.set(f, []);
  for (const e of edges) next.get(e.from)?.push(e.to);
  // Tarjan's strongly connected components: each component of more than one file is a cycle.
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
      }
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (next.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) cycles.push(component.sort());
    }
  };
  for (const f of files) if (!indexOf.has(f)) visit(f);
  return cycles;
}
