/**
 * sayre/corpus: corpus builders that call outside programs (TTS voices, sox, ImageMagick), their text sources, and the labelled VAD sets.
 * @packageDocumentation
 */
export { buildLinesCorpus, isCompletePng } from './lines/build-lines-corpus.js';
export type { LineManifestEntry, LinesCorpusOptions, LinesCorpusProgress, LinesCorpusResult } from './lines/build-lines-corpus.js';
export { installedFonts, isReservedFont, parseFontList, RESERVED_FONT_FAMILIES } from './lines/fonts.js';
export type { LineFont } from './lines/fonts.js';
export { cutIntoLines, fortuneLines } from './lines/line-texts.js';
export { LINE_SPLITS, planLines } from './lines/plan.js';
export type { LineAugmentation, LinePlanOptions, LineSplit, PlannedLine } from './lines/plan.js';
export { buildTtsCorpus } from './tts/build-tts-corpus.js';
export type { CorpusProgress, TtsCorpusOptions, TtsCorpusResult } from './tts/build-tts-corpus.js';
export { planCorpus, SPLITS } from './tts/plan.js';
export type { CorpusPlan, PlannedUtterance, PlanOptions, Split } from './tts/plan.js';
export { FORTUNE_DIR, readFortuneSentences, RESERVED_TEXTS } from './fortune-sentences.js';
export type { FortuneOptions, FortuneSentence } from './fortune-sentences.js';
export { allVoices, detectVoices, RESERVED_VOICES, selectVoices } from './tts/voices.js';
export type { Engine, InstalledVoices, MissingVoice, Voice } from './tts/voices.js';
export { VOICE_CATALOGUE } from './tts/voice-catalogue.js';
export type { CatalogueVoice, SpeakerSex, SynthesisType, VoiceInfo } from './tts/voice-catalogue.js';
export { DEFAULT_HELD_OUT, partitionBySpeaker, speakerLeaks } from './tts/speaker-splits.js';
export type { HeldOutSpeakers } from './tts/speaker-splits.js';
export { corpusText } from './tts/corpus-text.js';
export { lmText } from './tts/lm-text.js';
export type { LmTextOptions } from './tts/lm-text.js';
export type { CorpusText, CorpusTextOptions } from './tts/corpus-text.js';
export { readTextSource } from './tts/text-sources.js';
export type { TextSource } from './tts/text-sources.js';
export { importWarzoneTutorial } from './warzone-tutorial.js';
export type { WarzoneOptions } from './warzone-tutorial.js';
export { formatCorpusSummary, summariseCorpus } from './tts/summary.js';
export type { CorpusSummary, SummaryRow } from './tts/summary.js';
export { CORPUS_LAYOUTS, importCorpus } from './import/import-corpus.js';
export type { CorpusLayout, ImportedManifest, ImportOptions, ImportSummary } from './import/import-corpus.js';
export { audioHeaderInfo } from './import/audio-duration.js';
export type { AudioHeaderInfo } from './import/audio-duration.js';
export { buildVadSet, activeSpeechPower, DEFAULT_SNRS_DB } from './vad/vad-set.js';
export type { VadExample, VadSetOptions } from './vad/vad-set.js';
export { NOISE_KINDS, vadNoise } from './vad/vad-noise.js';
export type { NoiseKind } from './vad/vad-noise.js';
export { speechFrameLabels, SPEECH_WITHIN_DB, wholeFrameEnergiesDb } from './vad/speech-labels.js';
export { readVadClips } from './vad/vad-clips.js';
export type { VadClipOptions } from './vad/vad-clips.js';
export { buildVadSplit, VAD_SPLITS } from './vad/vad-splits.js';
export type { VadSplit } from './vad/vad-splits.js';
