/**
 * The TTS voices a corpus may use: espeak-ng English accents x voice variants, flite kal16
 * and awb, festival kal_diphone and ked_diphone. Voices reserved for independent
 * evaluation (flite rms and slt, festival cmu_us_slt_arctic_hts) are refused everywhere.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The engines. */
export type Engine = 'espeak-ng' | 'flite' | 'festival';

/** A voice: `id` is "engine:name", e.g. "espeak-ng:en-gb+Alex", "flite:kal16". */
export interface Voice {
  id: string;
  engine: Engine;
  /** espeak-ng: "accent+variant"; flite and festival: the voice name. */
  name: string;
  /** espeak-ng accent, e.g. "en-gb-scotland". */
  accent?: string;
  /** espeak-ng variant, e.g. "Alex". */
  variant?: string;
}

/** Voices reserved for independent evaluation, as "engine:name". */
export const RESERVED_VOICES: readonly string[] = ['flite:rms', 'flite:slt', 'festival:cmu_us_slt_arctic_hts'];

/** Throws if `id` (or a selector naming it) is a reserved voice. */
export function assertNotReserved(id: string): void {
  const [engine, name = ''] = id.split(':');
  for (const r of RESERVED_VOICES) {
    const [re, rn] = r.split(':') as [string, string];
    if (engine === re && (name === rn || name.startsWith(`${rn}+`) || (rn.includes('slt') && name.includes('slt')))) {
      throw new Error(`voice ${id} is reserved for independent evaluation and may not be used in a corpus`);
    }
  }
}

const FLITE_VOICES = ['kal16', 'awb'];
const FESTIVAL_VOICES = ['kal_diphone', 'ked_diphone'];
const FESTIVAL_VOICE_DIR = '/usr/share/festival/voices/english';

function tryRun(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return undefined;
  }
}

/** What is installed: espeak-ng accents and variants, flite and festival voices. */
export interface InstalledVoices {
  espeakAccents: string[];
  espeakVariants: string[];
  flite: string[];
  festival: string[];
}

/** Asks the engines which of the usable voices are installed (reserved voices never listed). */
export function detectVoices(): InstalledVoices {
  const en = tryRun('espeak-ng', ['--voices=en']) ?? '';
  const accents = new Set<string>();
  for (const line of en.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    // Only espeak-ng's own (gmw/) voices: the mb/ ones need mbrola, which is not installed.
    if (cols.length >= 5 && cols[4]!.startsWith('gmw/') && cols[1]!.startsWith('en')) accents.add(cols[1]!);
  }
  const variantsOut = tryRun('espeak-ng', ['--voices=variant']) ?? '';
  const variants = variantsOut.split('\n').slice(1).map((l) => l.trim().split(/\s+/)[4] ?? '')
    .filter((f) => f.startsWith('!v/')).map((f) => f.slice(3));
  const fliteList = tryRun('flite', ['-lv']) ?? '';
  const flite = FLITE_VOICES.filter((v) => fliteList.split(/\s+/).includes(v));
  const hasFestival = tryRun('festival', ['--version']) !== undefined;
  const festival = hasFestival ? FESTIVAL_VOICES.filter((v) => existsSync(`${FESTIVAL_VOICE_DIR}/${v}`)) : [];
  return { espeakAccents: [...accents].sort(), espeakVariants: [...new Set(variants)].sort(), flite, festival };
}

/** Every usable voice of `installed`. */
export function allVoices(installed: InstalledVoices): Voice[] {
  const voices: Voice[] = [];
  for (const accent of installed.espeakAccents) {
    for (const variant of installed.espeakVariants) {
      voices.push({ id: `espeak-ng:${accent}+${variant}`, engine: 'espeak-ng', name: `${accent}+${variant}`, accent, variant });
    }
  }
  for (const name of installed.flite) voices.push({ id: `flite:${name}`, engine: 'flite', name });
  for (const name of installed.festival) voices.push({ id: `festival:${name}`, engine: 'festival', name });
  return voices.filter((v) => !RESERVED_VOICES.includes(v.id));
}

/**
 * The voices matching any of `selectors`: an engine ("espeak-ng"), an engine and name
 * ("flite:kal16", "espeak-ng:en-gb" for one accent, "espeak-ng:en-gb+Alex", "espeak-ng:+Alex"
 * for one variant in every accent). Throws for a reserved voice or a selector matching nothing.
 */
export function selectVoices(voices: readonly Voice[], selectors: readonly string[]): Voice[] {
  const chosen = new Set<Voice>();
  for (const sel of selectors) {
    assertNotReserved(sel);
    const [engine, name] = sel.split(':') as [string, string | undefined];
    const matches = voices.filter((v) => {
      if (v.engine !== engine) return false;
      if (name === undefined || name === '') return true;
      if (v.engine !== 'espeak-ng') return v.name === name;
      const [accent, variant] = name.split('+') as [string, string | undefined];
      return (accent === '' || v.accent === accent) && (variant === undefined || v.variant === variant);
    });
    if (matches.length === 0) throw new Error(`voice selector ${JSON.stringify(sel)} matches no installed voice`);
    for (const m of matches) chosen.add(m);
  }
  return voices.filter((v) => chosen.has(v));
}
