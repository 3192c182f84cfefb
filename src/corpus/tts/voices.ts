/**
 * The TTS voices a corpus may use: espeak-ng's formant voices (English accents x variants),
 * and every recorded voice of the catalogue (voice-catalogue.ts) that is installed: flite,
 * festival (diphone and mbrola), mbrola through espeak-ng, RHVoice and SVOX Pico. Voices
 * built from the reserved CMU ARCTIC speakers slt and rms are refused everywhere.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { catalogueVoice, ESPEAK_FORMANT_INFO, VOICE_CATALOGUE } from './voice-catalogue.js';
import type { VoiceInfo } from './voice-catalogue.js';

/** The engines. */
export type Engine = 'espeak-ng' | 'flite' | 'festival' | 'rhvoice' | 'pico';

/** A voice: `id` is "engine:name", e.g. "espeak-ng:en-gb+Alex", "flite:kal16", "rhvoice:clb". */
export interface Voice extends VoiceInfo {
  id: string;
  engine: Engine;
  /** espeak-ng: "accent+variant" or "mb-us1"; others: the engine's voice name. */
  name: string;
  /** espeak-ng formant accent, e.g. "en-gb-scotland". */
  accent?: string;
  /** espeak-ng formant variant, e.g. "Alex". */
  variant?: string;
}

/** Voices reserved for independent evaluation, as "engine:name". */
export const RESERVED_VOICES: readonly string[] = ['flite:rms', 'flite:slt', 'festival:cmu_us_slt_arctic_hts', 'rhvoice:slt'];

/** Names built from the reserved ARCTIC speakers, in any engine: "slt", "cmu_us_rms_cg", "slt-hts"... */
const RESERVED_SPEAKER = /(^|[_+\-])(slt|rms)([_+\-]|$)/;

/** Throws if `id` (or a selector naming it) is a reserved voice. */
export function assertNotReserved(id: string): void {
  const name = id.slice(id.indexOf(':') + 1);
  if (RESERVED_VOICES.includes(id) || RESERVED_SPEAKER.test(name)) {
    throw new Error(`voice ${id} is reserved for independent evaluation and may not be used in a corpus`);
  }
}

function isReserved(id: string): boolean {
  try {
    assertNotReserved(id);
    return false;
  } catch {
    return true;
  }
}

function tryRun(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return undefined;
  }
}

/** A catalogue voice that is not installed, and the package that provides it. */
export interface MissingVoice {
  id: string;
  package: string;
}

/** What is installed. The recorded-voice lists hold names within their engine. */
export interface InstalledVoices {
  espeakAccents: string[];
  espeakVariants: string[];
  flite: string[];
  festival: string[];
  /** espeak-ng mbrola voices, e.g. "mb-us1". */
  mbrola?: string[];
  rhvoice?: string[];
  pico?: string[];
  /** Catalogue voices whose engine or data is absent. */
  missing?: MissingVoice[];
}

/** Whether each engine's program runs here. */
function engineAvailable(): Record<Engine, boolean> {
  return {
    'espeak-ng': tryRun('espeak-ng', ['--version']) !== undefined,
    flite: tryRun('flite', ['-lv']) !== undefined,
    festival: tryRun('festival', ['--version']) !== undefined,
    rhvoice: tryRun('RHVoice-test', ['--version']) !== undefined,
    pico: tryRun('pico2wave', ['--usage']) !== undefined || existsSync('/usr/bin/pico2wave'),
  };
}

/** Asks the engines which of the usable voices are installed (reserved voices never listed). */
export function detectVoices(): InstalledVoices {
  const available = engineAvailable();
  const en = available['espeak-ng'] ? tryRun('espeak-ng', ['--voices=en']) ?? '' : '';
  const accents = new Set<string>();
  for (const line of en.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length >= 5 && cols[4]!.startsWith('gmw/') && cols[1]!.startsWith('en')) accents.add(cols[1]!);
  }
  const variantsOut = available['espeak-ng'] ? tryRun('espeak-ng', ['--voices=variant']) ?? '' : '';
  const variants = variantsOut.split('\n').slice(1).map((l) => l.trim().split(/\s+/)[4] ?? '')
    .filter((f) => f.startsWith('!v/')).map((f) => f.slice(3));
  const fliteList = available.flite ? (tryRun('flite', ['-lv']) ?? '').split(/\s+/) : [];
  const hasMbrola = tryRun('mbrola', ['-h']) !== undefined || existsSync('/usr/bin/mbrola');
  const out: Required<InstalledVoices> = {
    espeakAccents: [...accents].sort(), espeakVariants: [...new Set(variants)].sort(),
    flite: [], festival: [], mbrola: [], rhvoice: [], pico: [], missing: [],
  };
  for (const v of VOICE_CATALOGUE) {
    const [engine, name] = v.id.split(':') as [Engine, string];
    const mbrolaVoice = v.id.includes('mb-') || v.id.endsWith('_mbrola');
    const ok = available[engine] && v.requires.every((p) => existsSync(p)) && (!mbrolaVoice || hasMbrola)
      && (engine !== 'flite' || fliteList.includes(name));
    if (!ok) {
      out.missing.push({ id: v.id, package: v.package });
      continue;
    }
    if (engine === 'espeak-ng') out.mbrola.push(name);
    else out[engine].push(name);
  }
  return out;
}

/** Every usable voice of `installed`, with its card information. */
export function allVoices(installed: InstalledVoices): Voice[] {
  const voices: Voice[] = [];
  for (const accent of installed.espeakAccents) {
    for (const variant of installed.espeakVariants) {
      voices.push({ id: `espeak-ng:${accent}+${variant}`, engine: 'espeak-ng', name: `${accent}+${variant}`, accent, variant, ...ESPEAK_FORMANT_INFO });
    }
  }
  const recorded: [Engine, string[] | undefined][] = [
    ['espeak-ng', installed.mbrola], ['flite', installed.flite], ['festival', installed.festival],
    ['rhvoice', installed.rhvoice], ['pico', installed.pico],
  ];
  for (const [engine, names] of recorded) {
    for (const name of names ?? []) {
      const id = `${engine}:${name}`;
      const info = catalogueVoice(id);
      if (info && !isReserved(id)) {
        voices.push({ id, engine, name, speaker: info.speaker, sex: info.sex, synthesis: info.synthesis, package: info.package, licence: info.licence });
      }
    }
  }
  return voices;
}

/**
 * The voices matching any of `selectors`: an engine ("espeak-ng": every espeak-ng voice,
 * formant and mbrola), an engine and name ("flite:kal16", "espeak-ng:mb-us1",
 * "espeak-ng:en-gb" for one accent, "espeak-ng:en-gb+Alex", "espeak-ng:+Alex" for one
 * variant in every accent), or a speaker ("speaker:mbrola-us1"). Throws for a reserved voice
 * or a selector matching nothing.
 */
export function selectVoices(voices: readonly Voice[], selectors: readonly string[]): Voice[] {
  const chosen = new Set<Voice>();
  for (const sel of selectors) {
    assertNotReserved(sel);
    const [engine, name] = sel.split(':') as [string, string | undefined];
    const matches = voices.filter((v) => {
      if (engine === 'speaker') return v.speaker === name;
      if (v.engine !== engine) return false;
      if (name === undefined || name === '') return true;
      if (v.accent === undefined) return v.name === name;
      const [accent, variant] = name.split('+') as [string, string | undefined];
      return (accent === '' || v.accent === accent) && (variant === undefined || v.variant === variant);
    });
    if (matches.length === 0) throw new Error(`voice selector ${JSON.stringify(sel)} matches no installed voice`);
    for (const m of matches) chosen.add(m);
  }
  return voices.filter((v) => chosen.has(v));
}
