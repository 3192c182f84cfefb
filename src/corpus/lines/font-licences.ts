/**
 * Where the fonts of a line corpus come from and under what terms: font family -> file
 * (fontconfig) -> Debian package (dpkg) -> section and upstream licence (the "Files: *"
 * stanza of the package's machine-readable copyright file). For model cards.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** A font family's package, Debian section and licence. */
export interface FontSourceInfo {
  package: string;
  section: string;
  licence: string;
}

const run = (cmd: string, args: string[]): string => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  } catch (err) {
    // dpkg -S exits 1 when some paths belong to no package but still prints the others.
    return (err as { stdout?: string }).stdout ?? '';
  }
};

/**
 * The upstream licence a Debian copyright file gives: the License of its "Files: *"
 * stanza (else of its first stanza with one); undefined for a file not in the
 * machine-readable format.
 */
export function copyrightLicence(text: string): string | undefined {
  const stanzas = text.split(/\n\s*\n/);
  const licence = (s: string): string | undefined => /^License:[ \t]*(\S[^\n]*)/m.exec(s)?.[1]?.trim();
  const all = stanzas.find((s) => /^Files:[ \t]*\*[ \t]*$/m.test(s) && licence(s));
  return licence(all ?? stanzas.find((s) => /^Files:/m.test(s) && licence(s)) ?? '');
}

/** Package, section and licence of each family fontconfig knows (families it does not know, or in no package, are left out). */
export function fontSources(families: readonly string[]): Record<string, FontSourceInfo> {
  const fileOf = new Map<string, string>();
  for (const line of run('fc-list', [':', 'file', 'family']).split('\n').sort()) {
    const m = /^(.*?): (.*)$/.exec(line);
    if (!m) continue;
    for (const name of m[2]!.split(',')) if (families.includes(name.trim()) && !fileOf.has(name.trim())) fileOf.set(name.trim(), m[1]!);
  }
  const pkgOf = new Map<string, string>();
  if (fileOf.size) {
    for (const line of run('dpkg', ['-S', ...new Set(fileOf.values())]).split('\n')) {
      const m = /^([^:,\s]+)[^:]*: (.*)$/.exec(line);
      if (m) pkgOf.set(m[2]!.trim(), m[1]!);
    }
  }
  const out: Record<string, FontSourceInfo> = {};
  for (const [family, file] of fileOf) {
    const pkg = pkgOf.get(file);
    if (!pkg) continue;
    // dpkg's Section is "fonts" in main, "non-free/fonts" elsewhere.
    const raw = run('dpkg-query', ['-W', '-f=${Section}', pkg]).trim();
    const section = raw === '' ? '?' : raw.includes('/') ? raw.split('/')[0]! : 'main';
    const copyright = `/usr/share/doc/${pkg}/copyright`;
    const licence = existsSync(copyright) ? copyrightLicence(readFileSync(copyright, 'utf8')) ?? `not machine-readable: see ${copyright}` : 'no copyright file';
    out[family] = { package: pkg, section, licence };
  }
  return out;
}
