/** `n` bytes of `b` from `at` as ASCII text, or '' when `b` ends first: how file formats are told by their magic numbers. */
export const asciiAt = (b: Uint8Array, at: number, n: number): string => (at + n <= b.length ? String.fromCharCode(...b.subarray(at, at + n)) : '');
