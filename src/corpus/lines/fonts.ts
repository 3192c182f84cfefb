/**
 * Fonts for rendered text lines, found with fontconfig (fc-list). The handwriting-like
 * families Kristi, DkgHandwriting and Dancing Script are reserved for the test split:
 * never rendered into train or dev.
 */
import { execFileSync } from 'node:child_process';

/** Families reserved for independent evaluation (test split only). */
export const RESERVED_FONT_FAMILIES: readonly string[] = ['Kristi', 'DkgHandwriting', 'Dancing Script'];

/** Handwriting-like families from Debian packages (besides the reserved ones). */
const HANDWRITING_FAMILIES = ['Breip', 'femkeklaver', 'Ecolier_court', 'Humor Sans', 'Comic Neue', 'Z003', 'Lobster', 'Lobster Two',
  'Lobster 1.4', 'Isabella', 'TeX Gyre Chorus',
  // fonts-sjfonts, fonts-dustin (its hand-lettered faces), fonts-havana, fonts-kaushanscript, fonts-leckerli-one,
  // fonts-rufscript, fonts-staypuft, fonts-yusei-magic
  'Steve', 'Delphine', 'Domestic Manners', 'El Abogado Loco', 'Junkyard', 'Penguin Attack', "It wasn't me", 'Havana',
  'Kaushan Script', 'Leckerli One', 'Rufscript', 'StayPuft', 'Yusei Magic'];

/**
 * Families that would make unreadable or wrong lines: symbols, math, non-Latin; faces
 * without digits or punctuation, with capitals for lowercase letters, or with ruled paper
 * drawn around the text (fonts-dustin, fonts-levien-typoscript, fonts-tomsontalks,
 * fonts-ecolier-lignes-court).
 */
const EXCLUDED = new RegExp('symbol|math|dingbat|emoji|standard symbols|d050000l|droid|ipa|noto .*(cjk|arab|hebr)|initials|keyboard'
  + '|^(balker|marked fool|swift|winks|flatline|progenisis|wargames|typoscript|tomson talks|ecolier_lignes_court)$', 'i');

/** A usable font file. */
export interface LineFont {
  /** Family name as fontconfig reports it (first name). */
  family: string;
  style: string;
  file: string;
  /** Handwriting-like (reserved families included). */
  handwriting: boolean;
  /** Reserved for the test split. */
  reserved: boolean;
  /** Draws lowercase letters as capitals (lines in it are planned in capitals, so the label says what is drawn). */
  unicase?: boolean;
}

/** Handwriting-like families whose lowercase letters are capitals (fonts-bwht, fonts-humor-sans). */
const UNICASE = /^(Because We .*|Humor Sans)$/i;

/** Lowercase family name without spaces, for matching. */
const key = (family: string): string => family.toLowerCase().replace(/\s+/g, '');

/** True for a family reserved for evaluation (any spelling of its name). */
export function isReservedFont(family: string): boolean {
  return RESERVED_FONT_FAMILIES.some((f) => key(f) === key(family));
}

/**
 * Parses `fc-list : file family style` output into fonts: Latin text faces only (no
 * symbol or math fonts), TrueType/OpenType/Type 1 files, one entry per file, sorted by file.
 */
export function parseFontList(text: string): LineFont[] {
  const out = new Map<string, LineFont>();
  for (const line of text.split('\n')) {
    const m = /^(.+?\.(?:ttf|otf|pfb)): ([^:]+)(?::style=([^\n]*))?$/i.exec(line.trim());
    if (!m) continue;
    const [, file, families, styles] = m;
    const family = families!.split(',')[0]!.trim();
    if (EXCLUDED.test(family) || EXCLUDED.test(file!)) continue;
    // Type 1 copies of the URW fonts duplicate their OpenType files.
    if (file!.endsWith('.pfb')) continue;
    const reserved = isReservedFont(family);
    out.set(file!, {
      family, style: (styles ?? 'Regular').split(',')[0]!.trim(), file: file!,
      handwriting: reserved || HANDWRITING_FAMILIES.some((f) => key(f) === key(family)) || /^Because We/.test(family),
      reserved,
      ...(UNICASE.test(family) ? { unicase: true } : {}),
    });
  }
  return [...out.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The fonts installed here (fc-list); throws with an install hint when there are none. */
export function installedFonts(): LineFont[] {
  let text: string;
  try {
    text = execFileSync('fc-list', [':', 'file', 'family', 'style'], { encoding: 'utf8' });
  } catch (err) {
    throw new Error(`fc-list: cannot list fonts (${(err as Error).message}); install fontconfig and font packages`);
  }
  const fonts = parseFontList(text);
  if (fonts.filter((f) => !f.reserved).length === 0) {
    throw new Error('no usable fonts found by fc-list (install e.g. fonts-dejavu fonts-liberation fonts-freefont-ttf)');
  }
  return fonts;
}
