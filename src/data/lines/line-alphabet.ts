/** The characters line labels may hold (printable ASCII): the text-line models' alphabet. */
export const LINE_ALPHABET = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
