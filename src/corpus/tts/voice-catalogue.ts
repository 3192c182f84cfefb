/**
 * The recorded (or formant) voices a corpus may use, with what a model card must say about
 * each: the speaker behind it, sex, synthesis type, the Debian package and its licence
 * terms. One recorded speaker can sit behind several voices (mbrola us1 through espeak-ng
 * and through festival; CMU ARCTIC awb behind flite awb and RHVoice alan), so splits by
 * speaker use `speaker`, never the voice id.
 */

/** How a voice makes speech. */
export type SynthesisType = 'formant' | 'diphone' | 'unit-selection' | 'hmm';

/** Sex of the recorded speaker ("various" for espeak-ng's formant variants). */
export type SpeakerSex = 'female' | 'male' | 'various';

/** What is known about a voice for the model card. */
export interface VoiceInfo {
  /** The recorded speaker (a stable key shared by every voice built from their recordings). */
  speaker: string;
  sex: SpeakerSex;
  synthesis: SynthesisType;
  /** Debian package that provides the voice data. */
  package: string;
  /** Licence terms, briefly. */
  licence: string;
}

/** One catalogue entry: a voice id ("engine:name") and how to tell it is installed. */
export interface CatalogueVoice extends VoiceInfo {
  id: string;
  /** Files that must all exist for the voice to work. */
  requires: string[];
}

const MBROLA_LICENCE = 'mbrola database licence: non-commercial, non-military use only, with the mbrola program (Debian non-free)';
const FESTVOX_MBROLA_LICENCE = `festival voice: non-commercial use only (Debian contrib); ${MBROLA_LICENCE}`;
const CSTR_LICENCE = 'CSTR/OGI festival diphone licence: free use and redistribution with notice kept';
const CSTR_CONTRIB = 'CSTR festival diphone licence: free use with notice kept; needs festlex-oald, free for non-commercial use only (Debian contrib)';
const ARCTIC_LICENCE = 'CMU ARCTIC / flite licence: free use and redistribution with notice kept';
const RHVOICE_ARCTIC = 'RHVoice voice from CMU ARCTIC recordings (ARCTIC licence: free, notice kept); Debian non-free (no training scripts)';
const RHVOICE_NC = 'RHVoice voice: CC BY-NC-ND 4.0, non-commercial use only; Debian non-free';
const PICO_LICENCE = 'SVOX Pico language data: Apache-2.0 as claimed upstream, without sources (Debian non-free)';

const MBROLA = '/usr/share/mbrola';
const FESTIVAL = '/usr/share/festival/voices/english';
const RHVOICE = '/usr/share/RHVoice/voices';
const PICO = '/usr/share/pico/lang';

function mbrolaVoices(): CatalogueVoice[] {
  const voices: CatalogueVoice[] = [];
  for (const [v, sex] of [['us1', 'female'], ['us2', 'male'], ['us3', 'male'], ['en1', 'male']] as const) {
    const data = [`${MBROLA}/${v}/${v}`];
    voices.push({ id: `espeak-ng:mb-${v}`, speaker: `mbrola-${v}`, sex, synthesis: 'diphone', package: `mbrola-${v}`, licence: MBROLA_LICENCE, requires: data });
    voices.push({
      id: `festival:${v}_mbrola`, speaker: `mbrola-${v}`, sex, synthesis: 'diphone', package: `festvox-${v} mbrola-${v}`,
      licence: FESTVOX_MBROLA_LICENCE, requires: [...data, `${FESTIVAL}/${v}_mbrola`],
    });
  }
  return voices;
}

/**
 * Every recorded voice sayre knows, reserved ones excluded (flite rms/slt, festival
 * cmu_us_slt_arctic_hts and RHVoice slt never appear here).
 */
export const VOICE_CATALOGUE: readonly CatalogueVoice[] = [
  { id: 'flite:kal16', speaker: 'kal', sex: 'male', synthesis: 'diphone', package: 'flite', licence: ARCTIC_LICENCE, requires: [] },
  { id: 'flite:awb', speaker: 'arctic-awb', sex: 'male', synthesis: 'unit-selection', package: 'flite', licence: ARCTIC_LICENCE, requires: [] },
  { id: 'festival:kal_diphone', speaker: 'kal', sex: 'male', synthesis: 'diphone', package: 'festvox-kallpc16k', licence: CSTR_LICENCE, requires: [`${FESTIVAL}/kal_diphone`] },
  { id: 'festival:ked_diphone', speaker: 'ked', sex: 'male', synthesis: 'diphone', package: 'festvox-kdlpc16k', licence: CSTR_LICENCE, requires: [`${FESTIVAL}/ked_diphone`] },
  { id: 'festival:rab_diphone', speaker: 'rab', sex: 'male', synthesis: 'diphone', package: 'festvox-rablpc16k', licence: CSTR_CONTRIB, requires: [`${FESTIVAL}/rab_diphone`] },
  { id: 'festival:don_diphone', speaker: 'don', sex: 'male', synthesis: 'diphone', package: 'festvox-don', licence: CSTR_CONTRIB, requires: [`${FESTIVAL}/don_diphone`] },
  ...mbrolaVoices(),
  { id: 'rhvoice:bdl', speaker: 'arctic-bdl', sex: 'male', synthesis: 'hmm', package: 'rhvoice-english', licence: RHVOICE_ARCTIC, requires: [`${RHVOICE}/bdl`] },
  { id: 'rhvoice:clb', speaker: 'arctic-clb', sex: 'female', synthesis: 'hmm', package: 'rhvoice-english', licence: RHVOICE_ARCTIC, requires: [`${RHVOICE}/clb`] },
  { id: 'rhvoice:alan', speaker: 'arctic-awb', sex: 'male', synthesis: 'hmm', package: 'rhvoice-english', licence: RHVOICE_ARCTIC, requires: [`${RHVOICE}/alan`] },
  { id: 'rhvoice:evgeniy-eng', speaker: 'rhvoice-evgeniy', sex: 'male', synthesis: 'hmm', package: 'rhvoice-english', licence: RHVOICE_NC, requires: [`${RHVOICE}/evgeniy-eng`] },
  { id: 'rhvoice:lyubov', speaker: 'rhvoice-lyubov', sex: 'female', synthesis: 'hmm', package: 'rhvoice-english', licence: RHVOICE_NC, requires: [`${RHVOICE}/lyubov`] },
  { id: 'pico:en-US', speaker: 'pico-en-US', sex: 'female', synthesis: 'hmm', package: 'libttspico-utils', licence: PICO_LICENCE, requires: [`${PICO}/en-US_ta.bin`] },
  { id: 'pico:en-GB', speaker: 'pico-en-GB', sex: 'female', synthesis: 'hmm', package: 'libttspico-utils', licence: PICO_LICENCE, requires: [`${PICO}/en-GB_ta.bin`] },
];

/** What the card says about espeak-ng's own formant voices (no recorded speaker behind them). */
export const ESPEAK_FORMANT_INFO: VoiceInfo = {
  speaker: 'espeak-ng-formant', sex: 'various', synthesis: 'formant', package: 'espeak-ng-data', licence: 'GPL-3+',
};

/** The catalogue entry of `id`, if it has one. */
export function catalogueVoice(id: string): CatalogueVoice | undefined {
  return VOICE_CATALOGUE.find((v) => v.id === id);
}
