/**
 * sayre/image: text-line images in: decoding, resizing, normalisation, the line front end.
 * @packageDocumentation
 */
export { decodeImage, readImage, readImageBytes, rgbaToGrey, sniffImageFormat, type ImageFormat } from './decode-image.js';
export type { GreyImage } from './decode-image.js';
export { resize, scaleToHeight } from './resize.js';
export { normaliseInk } from './normalise.js';
export { imageToColumns, lineFrames, readLineFeatures, readLineFrames } from './line-image.js';
export type { LineFrames } from './line-image.js';
export { lineInput, NotOneLineError } from './line-input.js';
export { pageLines } from './page-lines.js';
export type { PageLine } from './page-lines.js';
export type { LineInput } from './line-input.js';
export { isImageFrontEnd, resolveImageFrontEnd } from './line-front-end.js';
export type { ImageFrontEndConfig } from './line-front-end.js';
