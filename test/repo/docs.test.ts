/**
 * The README stays short and the documentation's links stay true: README.md is at most
 * 12,000 bytes, every relative link in README.md and docs/*.md names a file that exists
 * (and, with #anchor, a heading in it), and docs/layout.md names every folder of src/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { repoRoot } from '../helpers/fixtures.js';

const README_MAX_BYTES = 12_000;

const docsDir = join(repoRoot, 'docs');
const pages = [join(repoRoot, 'README.md'), ...readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort().map((f) => join(docsDir, f))];

/** Markdown without its fenced code blocks and inline code, where brackets are not links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/`/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** The anchors of a Markdown file's headings, numbered as GitHub numbers repeats. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of markdown.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, '').matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = headingAnchor(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

test('README.md is at most 12,000 bytes', () => {
  const size = statSync(join(repoRoot, 'README.md')).size;
  assert.ok(size <= README_MAX_BYTES, `README.md is ${size} bytes; move detail into docs/`);
});

test('heading anchors follow GitHub', () => {
  assert.equal(headingAnchor('Backends: GEMM and LSTM gates'), 'backends-gemm-and-lstm-gates');
  assert.equal(headingAnchor('The `sayre` command line'), 'the-sayre-command-line');
  assert.equal(headingAnchor('RNN-T loss'), 'rnn-t-loss');
  assert.deepEqual([...anchors('# A\n```\n# not a heading\n```\n## A\n')], ['a', 'a-1']);
});

for (const page of pages) {
  const name = relative(repoRoot, page);
  test(`every relative link in ${name} points to an existing file and heading`, () => {
    const text = readFileSync(page, 'utf8');
    const links = [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
    const broken: string[] = [];
    for (const link of links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // http:, https:, mailto:
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path === '' ? page : join(dirname(page), decodeURIComponent(path));
      if (!existsSync(target)) {
        broken.push(`${link} (no file ${relative(repoRoot, target)})`);
      } else if (anchor !== undefined && target.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).has(anchor)) {
        broken.push(`${link} (no heading #${anchor} in ${relative(repoRoot, target)})`);
      }
    }
    assert.deepEqual(broken, [], `${name}: broken links`);
  });
}

test('docs/layout.md names every folder of src/', () => {
  const layout = readFileSync(join(docsDir, 'layout.md'), 'utf8');
  const folders = readdirSync(join(repoRoot, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `src/${d.name}/`);
  assert.deepEqual(folders.filter((f) => !layout.includes(`\`${f}\``)), [], 'folders of src/ missing from docs/layout.md');
});
