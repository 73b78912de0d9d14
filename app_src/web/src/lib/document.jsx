// Renders a stored page document (the editor's JSON) without loading the editor.
const BLOCKS = {
  "heading-one": "h2",
  "heading-two": "h3",
  "bulleted-list": "ul",
  "numbered-list": "ol",
  "list-item": "li",
  paragraph: "p",
};

function Leaf({ leaf }) {
  let out = leaf.text;
  if (leaf.bold) out = <strong>{out}</strong>;
  if (leaf.italic) out = <em>{out}</em>;
  return out;
}

export function renderNodes(nodes) {
  return nodes.map((node, index) => {
    if ("text" in node) return <Leaf key={index} leaf={node} />;
    const Tag = BLOCKS[node.type] ?? "p";
    return <Tag key={index}>{renderNodes(node.children ?? [])}</Tag>;
  });
}

export function isEmptyDocument(nodes) {
  const text = (n) => ("text" in n ? n.text : (n.children ?? []).map(text).join(""));
  return !nodes || nodes.map(text).join("").trim() === "";
}
