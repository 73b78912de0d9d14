import { describe, expect, it } from "vitest";
import { splitSentences } from "../../src/lib/sentences.js";

const texts = (value) => splitSentences(value).map((s) => s.text);

describe("splitSentences", () => {
  it("splits on terminal punctuation and keeps offsets that point back into the text", () => {
    const text = "I love this book.  The ending was awful! Was it? Yes";
    const found = splitSentences(text);
    expect(found.map((s) => s.text)).toEqual(["I love this book.", "The ending was awful!", "Was it?", "Yes"]);
    for (const s of found) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it("does not split decimals, ellipses inside quotes or e-mail-like tokens", () => {
    expect(texts("It cost 3.50 dollars. Then we left.")).toEqual(["It cost 3.50 dollars.", "Then we left."]);
    expect(texts('She said "wait... no." He went home.')).toEqual(['She said "wait... no."', "He went home."]);
  });

  it("splits on paragraph breaks and drops empty or punctuation-only pieces", () => {
    expect(texts("First line\nSecond line")).toEqual(["First line", "Second line"]);
    expect(texts("   ")).toEqual([]);
    expect(texts("... !!! Real one.")).toEqual(["Real one."]);
  });

  it("handles text without spaces and other scripts", () => {
    expect(texts("今日は晴れです。明日は雨です。")).toEqual(["今日は晴れです。", "明日は雨です。"]);
    expect(texts("¡Hola! ¿Qué tal? Bien.")).toEqual(["¡Hola!", "¿Qué tal?", "Bien."]);
  });
});
