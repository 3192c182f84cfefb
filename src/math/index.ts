/**
 * sayre/math: the seeded random stream.
 * @packageDocumentation
 */
export { Random } from './random.js';
