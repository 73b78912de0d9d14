// Sentence splitting for "Analyze": Intl.Segmenter knows abbreviations, decimals, quotes and
// scripts without spaces, unlike the original's split on "." and newlines.

/**
 * The sentences of `text` with their offsets in it, leading and trailing white space trimmed.
 * @returns {{text: string, start: number, end: number}[]} end is exclusive
 */
export function splitSentences(text, locale = "en") {
  const segmenter = new Intl.Segmenter(locale, { granularity: "sentence" });
  const sentences = [];
  for (const { segment, index } of segmenter.segment(text)) {
    const lead = segment.length - segment.trimStart().length;
    const trimmed = segment.trim();
    if (!trimmed || !/[\p{L}\p{N}]/u.test(trimmed)) continue; // nothing a reader would call a sentence
    const start = index + lead;
    sentences.push({ text: trimmed, start, end: start + trimmed.length });
  }
  return sentences;
}
