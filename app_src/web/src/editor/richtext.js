// Formatting commands and the text-to-sentence mapping of the editor (Slate, no React here).
import { Editor, Element, Node, Text, Transforms } from "slate";
import { splitSentences } from "../lib/sentences.js";

export const LIST_TYPES = ["bulleted-list", "numbered-list"];
export const EMPTY_DOCUMENT = [{ type: "paragraph", children: [{ text: "" }] }];

export function isMarkActive(editor, mark) {
  return Boolean(Editor.marks(editor)?.[mark]);
}

export function toggleMark(editor, mark) {
  if (isMarkActive(editor, mark)) Editor.removeMark(editor, mark);
  else Editor.addMark(editor, mark, true);
}

export function isBlockActive(editor, type) {
  if (!editor.selection) return false;
  const [match] = Editor.nodes(editor, {
    at: Editor.unhangRange(editor, editor.selection),
    match: (n) => Element.isElement(n) && n.type === type,
  });
  return Boolean(match);
}

export function toggleBlock(editor, type) {
  const active = isBlockActive(editor, type);
  const list = LIST_TYPES.includes(type);
  Editor.withoutNormalizing(editor, () => {
    Transforms.unwrapNodes(editor, {
      match: (n) => Element.isElement(n) && LIST_TYPES.includes(n.type),
      split: true,
    });
    Transforms.setNodes(editor, { type: active ? "paragraph" : list ? "list-item" : type });
    if (!active && list) Transforms.wrapNodes(editor, { type, children: [] });
  });
}

/** Blocks whose children are text leaves (paragraphs, headings, list items), with their paths. */
export function* textBlocks(nodes, path = []) {
  for (let i = 0; i < nodes.length; i += 1) {
    const node = nodes[i];
    if (Text.isText(node)) continue;
    const here = [...path, i];
    if (node.children.every((child) => Text.isText(child))) yield [node, here];
    else yield* textBlocks(node.children, here);
  }
}

/**
 * The page's sentences as batch items plus where each one is: {items: [{key, sentence}],
 * spans: Map<key, {block: "0.1", start, end}>}. `limit` and `maxChars` follow the service's limits.
 */
export function sentencesOf(document, { limit = 500, maxChars = 2000 } = {}) {
  const items = [];
  const spans = new Map();
  let truncated = false;
  for (const [block, path] of textBlocks(document)) {
    for (const sentence of splitSentences(Node.string(block))) {
      if (items.length >= limit) {
        truncated = true;
        break;
      }
      const key = `s${items.length}`;
      items.push({ key, sentence: sentence.text.slice(0, maxChars) });
      spans.set(key, { block: path.join("."), start: sentence.start, end: sentence.end });
    }
  }
  return { items, spans, truncated };
}

/** block path → [{start, end, sentiment}] from the service's answer. */
export function highlightsFrom(spans, results) {
  const byBlock = new Map();
  for (const { key, sentiment } of results) {
    const span = spans.get(key);
    if (!span || (sentiment !== "positive" && sentiment !== "negative")) continue;
    if (!byBlock.has(span.block)) byBlock.set(span.block, []);
    byBlock.get(span.block).push({ start: span.start, end: span.end, sentiment });
  }
  return byBlock;
}

/** Slate decorate(): the highlight ranges that fall inside one text leaf. */
export function decorateLeaf(editor, highlights, [node, path]) {
  if (!Text.isText(node) || highlights.size === 0 || path.length < 2) return [];
  const ranges = highlights.get(path.slice(0, -1).join("."));
  if (!ranges) return [];
  const parent = Node.parent(editor, path);
  let offset = 0;
  for (let i = 0; i < path[path.length - 1]; i += 1) offset += parent.children[i].text.length;
  const end = offset + node.text.length;
  const out = [];
  for (const range of ranges) {
    const from = Math.max(range.start, offset);
    const to = Math.min(range.end, end);
    if (from >= to) continue;
    out.push({
      anchor: { path, offset: from - offset },
      focus: { path, offset: to - offset },
      sentiment: range.sentiment,
    });
  }
  return out;
}
