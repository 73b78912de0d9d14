import { createEditor } from "slate";
import { describe, expect, it } from "vitest";
import { decorateLeaf, highlightsFrom, sentencesOf } from "../../src/editor/richtext.js";

const doc = [
  { type: "heading-one", children: [{ text: "A title" }] },
  { type: "paragraph", children: [{ text: "I love it. " }, { text: "I hate", bold: true }, { text: " it." }] },
  { type: "bulleted-list", children: [{ type: "list-item", children: [{ text: "Nice list item." }] }] },
];

describe("sentencesOf", () => {
  it("gives one batch item per sentence of every text block, with its block and offsets", () => {
    const { items, spans, truncated } = sentencesOf(doc);
    expect(items).toEqual([
      { key: "s0", sentence: "A title" },
      { key: "s1", sentence: "I love it." },
      { key: "s2", sentence: "I hate it." },
      { key: "s3", sentence: "Nice list item." },
    ]);
    expect(spans.get("s2")).toEqual({ block: "1", start: 11, end: 21 });
    expect(spans.get("s3")).toEqual({ block: "2.0", start: 0, end: 15 });
    expect(truncated).toBe(false);
  });

  it("respects the service's limits", () => {
    const long = [{ type: "paragraph", children: [{ text: "Yes. ".repeat(10) + "x".repeat(50) }] }];
    const { items, truncated } = sentencesOf(long, { limit: 3, maxChars: 20 });
    expect(items).toHaveLength(3);
    expect(truncated).toBe(true);
    const { items: cut } = sentencesOf([{ type: "paragraph", children: [{ text: "y".repeat(50) }] }], { maxChars: 20 });
    expect(cut[0].sentence).toHaveLength(20);
  });
});

describe("decorateLeaf", () => {
  it("cuts a sentence's highlight at the boundaries of the text leaves it spans", () => {
    const editor = createEditor();
    editor.children = doc;
    const { spans } = sentencesOf(doc);
    const highlights = highlightsFrom(spans, [
      { key: "s1", sentiment: "positive", score: 0.9 },
      { key: "s2", sentiment: "negative", score: 0.1 },
    ]);
    const leaf = (path) => [doc[path[0]].children[path[1]], path];
    expect(decorateLeaf(editor, highlights, leaf([1, 0]))).toEqual([
      { anchor: { path: [1, 0], offset: 0 }, focus: { path: [1, 0], offset: 10 }, sentiment: "positive" },
    ]);
    expect(decorateLeaf(editor, highlights, leaf([1, 1]))).toEqual([
      { anchor: { path: [1, 1], offset: 0 }, focus: { path: [1, 1], offset: 6 }, sentiment: "negative" },
    ]);
    expect(decorateLeaf(editor, highlights, leaf([1, 2]))).toEqual([
      { anchor: { path: [1, 2], offset: 0 }, focus: { path: [1, 2], offset: 4 }, sentiment: "negative" },
    ]);
    expect(decorateLeaf(editor, highlights, leaf([0, 0]))).toEqual([]);
  });

  it("never puts the highlights into the document", () => {
    const before = JSON.stringify(doc);
    const editor = createEditor();
    editor.children = doc;
    const { spans } = sentencesOf(doc);
    decorateLeaf(editor, highlightsFrom(spans, [{ key: "s1", sentiment: "positive" }]), [doc[1].children[0], [1, 0]]);
    expect(JSON.stringify(editor.children)).toBe(before);
  });
});
