/**
 * Fonts for rendered text lines, found with fontconfig (fc-list). The handwriting-like
 * families Kristi, DkgHandwriting and Dancing Script are reserved for independent
 * evaluation: never listed, so no split of a line corpus ever holds them. A few families
 * are held out of train, dev and test (HELD_OUT_FAMILIES) for the held-out-font splits.
 */
import { execFileSync } from 'node:child_process';

/** Families reserved for independent evaluation: left out of every line corpus. */
export const RESERVED_FONT_FAMILIES: readonly string[] = ['Kristi', 'DkgHandwriting', 'Dancing Script'];

/**
 * Handwriting-like and script families in Debian's archive (main, contrib, non-free),
 * besides the reserved ones, by package.
 */
const HANDWRITING_FAMILIES = ['Breip', 'femkeklaver', 'Ecolier_court', 'Humor Sans', 'Comic Neue', 'Z003', 'Lobster', 'Lobster Two',
  'Lobster 1.4', 'Isabella', 'TeX Gyre Chorus',
  // fonts-sjfonts, fonts-dustin (its hand-lettered faces), fonts-havana, fonts-kaushanscript, fonts-leckerli-one,
  // fonts-rufscript, fonts-staypuft, fonts-yusei-magic
  'Steve', 'Delphine', 'Domestic Manners', 'El Abogado Loco', 'Junkyard', 'Penguin Attack', "It wasn't me", 'Havana',
  'Kaushan Script', 'Leckerli One', 'Rufscript', 'StayPuft', 'Yusei Magic',
  // fonts-cabinsketch, fonts-klee, fonts-kiloji, fonts-seto, fonts-yozvox-yozfont, fonts-mikachan (non-free),
  // fonts-tlwg-purisa-otf: handwriting with Latin letters; fonts-aenigma's Fidgety; fonts-larabie-* (non-free): the
  // hand-lettered capitals Pupcat, Hurry Up, Scritzy and Biting My Nails
  'Cabin Sketch', 'Klee One', 'kiloji', 'SetoFont', 'YOzN', 'YOzA', 'mikachan', 'Purisa', 'Fidgety BRK',
  'Pupcat', 'Hurry Up', 'Scritzy', 'Biting My Nails'];

/**
 * Families held out of train, dev and test: the held-out-font dev and test splits render
 * only these (whole families, several handwriting-like ones and a regular one in each).
 */
export const HELD_OUT_FAMILIES: Readonly<Record<'heldout-dev' | 'heldout-test', readonly string[]>> = {
  'heldout-dev': ['Purisa', 'Rufscript', 'Lobster Two', 'Tuffy'],
  'heldout-test': ['Kaushan Script', 'Breip', 'Klee One', 'mikachan', 'Havana', 'Cantarell', 'EB Garamond'],
};

/**
 * Folders of packages with hundreds of decorative faces (fonts-larabie-*, fonts-aenigma) or
 * of CJK fonts with many variants: only their HANDWRITING_FAMILIES are used.
 */
const LISTED_ONLY = /\/(larabie|aenigma|yozvox-yozfont|kiloji|mikachan|seto|klee)\//i;

/**
 * Families that would make unreadable or wrong lines: symbols, math, non-Latin; faces
 * without digits or punctuation, with capitals for lowercase letters, or with ruled paper
 * drawn around the text (fonts-dustin, fonts-levien-typoscript, fonts-tomsontalks,
 * fonts-ecolier-lignes-court, fonts-joscelyn).
 */
const EXCLUDED = new RegExp('symbol|math|dingbat|emoji|standard symbols|d050000l|droid|ipa|noto .*(cjk|arab|hebr)|initials|keyboard'
  + '|^(balker|marked fool|swift|winks|flatline|progenisis|wargames|typoscript|tomson talks|ecolier_lignes_court|joscelyn)$', 'i');

/** A usable font file. */
export interface LineFont {
  /** Family name as fontconfig reports it (first name). */
  family: string;
  style: string;
  file: string;
  /** Handwriting-like or script. */
  handwriting: boolean;
  /** Draws lowercase letters as capitals (lines in it are planned in capitals, so the label says what is drawn). */
  unicase?: boolean;
}

/** Handwriting-like families whose lowercase letters are capitals (fonts-bwht, fonts-humor-sans, fonts-larabie-*). */
const UNICASE = /^(Because We .*|Humor Sans|Pupcat|Hurry Up|Scritzy|Biting My Nails)$/i;

/** Lowercase family name without spaces, for matching. */
const key = (family: string): string => family.toLowerCase().replace(/\s+/g, '');

/** True for a family reserved for evaluation (any spelling of its name). */
export function isReservedFont(family: string): boolean {
  return RESERVED_FONT_FAMILIES.some((f) => key(f) === key(family));
}

/**
 * Parses `fc-list : file family style` output into fonts: Latin text faces only (no
 * symbol or math fonts, no reserved family), TrueType/OpenType files, one entry per file,
 * sorted by file.
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
    if (isReservedFont(family)) continue;
    const handwriting = HANDWRITING_FAMILIES.some((f) => key(f) === key(family)) || /^Because We/.test(family);
    if (!handwriting && LISTED_ONLY.test(file!)) continue;
    out.set(file!, {
      family, style: (styles ?? 'Regular').split(',')[0]!.trim(), file: file!, handwriting,
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
  if (fonts.length === 0) {
    throw new Error('no usable fonts found by fc-list (install e.g. fonts-dejavu fonts-liberation fonts-freefont-ttf)');
  }
  return fonts;
}

/** The held-out split a family belongs to, or undefined for the families of train, dev and test. */
export function heldOutSplitOf(family: string): keyof typeof HELD_OUT_FAMILIES | undefined {
  for (const [split, families] of Object.entries(HELD_OUT_FAMILIES) as [keyof typeof HELD_OUT_FAMILIES, readonly string[]][]) {
    if (families.some((f) => key(f) === key(family))) return split;
  }
  return undefined;
}

/** Family names that other releases of a package give (Debian 12's fonts-lobster calls its face Lobster Two): not expected. */
const OTHER_RELEASE_NAMES = ['Lobster', 'Lobster 1.4'];

/**
 * The handwriting-like and held-out families that `fonts` lacks: a corpus built without
 * them trains on fewer hands, or evaluates on other held-out fonts than the documented ones.
 */
export function missingListedFamilies(fonts: readonly LineFont[]): string[] {
  const have = new Set(fonts.map((f) => key(f.family)));
  const listed = [...HANDWRITING_FAMILIES, ...Object.values(HELD_OUT_FAMILIES).flat()].filter((f) => !OTHER_RELEASE_NAMES.includes(f));
  return [...new Set(listed)].filter((f) => !have.has(key(f)));
}
