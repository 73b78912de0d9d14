import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useSelector } from "react-redux";
import { Link, useParams } from "react-router";
import { createEditor } from "slate";
import { withHistory } from "slate-history";
import { Editable, Slate, useSlate, withReact } from "slate-react";
import { api } from "../api/api.js";
import { NetworkError } from "../api/client.js";
import { describeError, ErrorMessage, Field, Resource, ScreenTitle, useResource } from "../components/common.jsx";
import { t } from "../strings.js";
import { pageLabel } from "../screens/WorkDetail.jsx";
import {
  decorateLeaf,
  EMPTY_DOCUMENT,
  highlightsFrom,
  isBlockActive,
  isMarkActive,
  sentencesOf,
  toggleBlock,
  toggleMark,
} from "./richtext.js";

const AUTOSAVE_MS = 1200;
const RETRY_MS = 5000;
const draftKey = (pageId) => `sinpluma.draft.${pageId}`;

const ELEMENTS = {
  "heading-one": "h2",
  "heading-two": "h3",
  "bulleted-list": "ul",
  "numbered-list": "ol",
  "list-item": "li",
};

function renderElement({ attributes, children, element }) {
  const Tag = ELEMENTS[element.type] ?? "p";
  return <Tag {...attributes}>{children}</Tag>;
}

function renderLeaf({ attributes, children, leaf }) {
  let out = children;
  if (leaf.bold) out = <strong>{out}</strong>;
  if (leaf.italic) out = <em>{out}</em>;
  if (leaf.sentiment) {
    out = (
      <span className={`hl hl-${leaf.sentiment}`} data-sentiment={leaf.sentiment}>
        {out}
      </span>
    );
  }
  return <span {...attributes}>{out}</span>;
}

const TOOLS = [
  { kind: "mark", format: "bold", label: "editorBold", glyph: "B", hotkey: "b" },
  { kind: "mark", format: "italic", label: "editorItalic", glyph: "I", hotkey: "i" },
  { kind: "block", format: "heading-one", label: "editorHeading1", glyph: "H1" },
  { kind: "block", format: "heading-two", label: "editorHeading2", glyph: "H2" },
  { kind: "block", format: "bulleted-list", label: "editorBulleted", glyph: "•" },
  { kind: "block", format: "numbered-list", label: "editorNumbered", glyph: "1." },
];

function Toolbar() {
  const editor = useSlate(); // re-renders on every change, so aria-pressed follows the selection
  return (
    <div className="toolbar" role="toolbar" aria-label={t("editorToolbar")}>
      {TOOLS.map((tool) => {
        const active = tool.kind === "mark" ? isMarkActive(editor, tool.format) : isBlockActive(editor, tool.format);
        return (
          <button
            key={tool.format}
            type="button"
            aria-pressed={active}
            title={t(tool.label)}
            className={`tool tool-${tool.format}`}
            onMouseDown={(e) => e.preventDefault()} // keep the text selection
            onClick={() => (tool.kind === "mark" ? toggleMark(editor, tool.format) : toggleBlock(editor, tool.format))}
          >
            <span aria-hidden="true">{tool.glyph}</span>
            <span className="visually-hidden">{t(tool.label)}</span>
          </button>
        );
      })}
    </div>
  );
}

function Legend() {
  return (
    <div className="legend" aria-labelledby="legend-title">
      <h2 id="legend-title" className="legend-title">
        {t("legendTitle")}
      </h2>
      <ul>
        <li>
          <span className="hl hl-positive">{t("legendPositive")}</span>
        </li>
        <li>
          <span className="hl hl-negative">{t("legendNegative")}</span>
        </li>
      </ul>
    </div>
  );
}

/** The editor of one page document; remounted (new `key`) when the user loads the saved version. */
function PageEditor({ page, work, onReload }) {
  const editor = useMemo(() => withHistory(withReact(createEditor())), []);
  const draft = useMemo(() => {
    try {
      return JSON.parse(localStorage.getItem(draftKey(page.id)) ?? "null");
    } catch {
      return null;
    }
  }, [page.id]);
  const initial = draft?.content ?? (page.content?.length ? page.content : EMPTY_DOCUMENT);
  const [title, setTitle] = useState(draft?.title ?? page.title);
  const [status, setStatus] = useState(draft ? "unsaved" : "saved"); // saved | unsaved | saving | error | conflict
  const [saveError, setSaveError] = useState(null);
  const [highlights, setHighlights] = useState(() => new Map());
  const [analysis, setAnalysis] = useState(null); // {state: running|done|failed|cleared|empty, ...}
  const version = useRef(draft?.version ?? page.version);
  const edits = useRef(draft ? 1 : 0); // bumps on every change; a save clears only what it sent
  const savedEdits = useRef(0);
  const titleRef = useRef(title);
  const timer = useRef(null);
  const inFlight = useRef(false);
  const conflicted = useRef(false);

  const save = useCallback(async () => {
    clearTimeout(timer.current);
    timer.current = null;
    if (inFlight.current || conflicted.current || edits.current === savedEdits.current) return;
    inFlight.current = true;
    const sending = edits.current;
    setStatus("saving");
    try {
      const saved = await api.savePage(page.id, { title: titleRef.current, content: editor.children, version: version.current });
      version.current = saved.version;
      savedEdits.current = sending;
      setSaveError(null);
      if (edits.current === sending) {
        localStorage.removeItem(draftKey(page.id));
        setStatus("saved");
      } else {
        setStatus("unsaved");
      }
    } catch (error) {
      if (error.status === 409) {
        conflicted.current = true; // stop autosaving; the user decides; the text stays in the editor
        setStatus("conflict");
      } else {
        setSaveError(error);
        setStatus("error");
        if (error instanceof NetworkError || error.status >= 500) timer.current = setTimeout(() => save(), RETRY_MS);
      }
    } finally {
      inFlight.current = false;
    }
    if (!conflicted.current && edits.current !== savedEdits.current && !timer.current) schedule();
  }, [editor, page.id]); // eslint-disable-line react-hooks/exhaustive-deps

  function schedule() {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      save();
    }, AUTOSAVE_MS);
  }

  function changed() {
    edits.current += 1;
    // Keep a local copy until the server has it: a closed tab or a failed save loses nothing.
    localStorage.setItem(draftKey(page.id), JSON.stringify({ title: titleRef.current, content: editor.children, version: version.current }));
    if (!conflicted.current) {
      setStatus("unsaved");
      schedule();
    }
  }

  useEffect(() => {
    if (draft) schedule(); // a restored draft is saved like any other change (409 if the page moved on)
    const warn = (e) => {
      if (edits.current !== savedEdits.current) e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => {
      window.removeEventListener("beforeunload", warn);
      clearTimeout(timer.current);
    };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  function onChange() {
    const contentChanged = editor.operations.some((op) => op.type !== "set_selection");
    if (!contentChanged) return;
    if (highlights.size > 0) {
      setHighlights(new Map());
      setAnalysis({ state: "cleared" });
    }
    changed();
  }

  async function keepMine() {
    try {
      const current = await api.page(page.id);
      version.current = current.version;
      conflicted.current = false;
      edits.current += 1;
      await save();
    } catch (error) {
      setSaveError(error);
      setStatus("error");
    }
  }

  async function analyze() {
    if (highlights.size > 0) {
      setHighlights(new Map());
      setAnalysis(null);
      return;
    }
    const { items, spans, truncated } = sentencesOf(editor.children);
    if (items.length === 0) {
      setAnalysis({ state: "empty" });
      return;
    }
    setAnalysis({ state: "running" });
    try {
      const answer = await api.sentiment(items); // one batch request for the whole page
      const found = highlightsFrom(spans, answer.items);
      const counts = { positive: 0, negative: 0 };
      for (const r of answer.items) counts[r.sentiment] = (counts[r.sentiment] ?? 0) + 1;
      startTransition(() => {
        setHighlights(found);
        setAnalysis({ state: "done", ...counts, truncated: truncated ? items.length : 0 });
      });
    } catch (error) {
      setAnalysis({ state: "failed", error });
    }
  }

  const decorate = useCallback((entry) => decorateLeaf(editor, highlights, entry), [editor, highlights]);

  function onKeyDown(event) {
    if (!(event.ctrlKey || event.metaKey)) return;
    const tool = TOOLS.find((x) => x.hotkey === event.key.toLowerCase());
    if (tool) {
      event.preventDefault();
      toggleMark(editor, tool.format);
    } else if (event.key.toLowerCase() === "s") {
      event.preventDefault();
      save();
    }
  }

  const statusText = {
    saved: t("editorSaved"),
    unsaved: t("editorUnsaved"),
    saving: t("editorSaving"),
    error: t("editorSaveFailed", { message: saveError ? describeError(saveError) : "" }),
    conflict: t("editorConflictTitle"),
  }[status];

  return (
    <div className="editor-screen">
      <p className="muted">
        <Link to={`/works/${work.id}`}>← {t("editorBackToWork")}: {work.title}</Link> · <Link to={`/pages/${page.id}`}>{t("editorPreview")}</Link>
      </p>
      <ScreenTitle>{t("editorTitle")}</ScreenTitle>
      {draft && <p className="notice">{t("editorDraftRestored")}</p>}
      <Field label={t("editorPageTitle")}>
        {(props) => (
          <input
            {...props}
            name="page-title"
            maxLength={80}
            value={title}
            onChange={(e) => {
              titleRef.current = e.target.value;
              setTitle(e.target.value);
              changed();
            }}
          />
        )}
      </Field>
      <div className="editor-bar row">
        <p className={`save-status save-${status}`} role="status" aria-live="polite" data-status={status}>
          {statusText}
        </p>
        {(status === "unsaved" || status === "error") && (
          <button type="button" onClick={() => save()}>
            {t("editorSaveNow")}
          </button>
        )}
      </div>
      {status === "conflict" && (
        <div className="conflict" role="alert">
          <h2>{t("editorConflictTitle")}</h2>
          <p>{t("editorConflictText")}</p>
          <div className="row">
            <button type="button" className="primary" onClick={keepMine}>
              {t("editorKeepMine")}
            </button>
            <LoadTheirs pageId={page.id} onReload={onReload} />
          </div>
        </div>
      )}
      <Slate editor={editor} initialValue={initial} onChange={onChange}>
        <Toolbar />
        <span id="editor-label" className="visually-hidden">
          {t("editorBody")}
        </span>
        <Editable
          className="page-text editable"
          aria-labelledby="editor-label"
          renderElement={renderElement}
          renderLeaf={renderLeaf}
          decorate={decorate}
          onKeyDown={onKeyDown}
          spellCheck
        />
      </Slate>
      <div className="analyze row">
        <button type="button" className="primary" onClick={analyze} disabled={analysis?.state === "running"}>
          {highlights.size > 0 ? t("analyzeClear") : t("analyze")}
        </button>
        <p role="status" aria-live="polite" className="analysis-status">
          {analysis?.state === "running" && t("analyzing")}
          {analysis?.state === "done" && t("analyzeDone", analysis)}
          {analysis?.state === "done" && analysis.truncated > 0 && ` ${t("analyzeTruncated", { count: analysis.truncated })}`}
          {analysis?.state === "empty" && t("analyzeEmpty")}
          {analysis?.state === "cleared" && t("analyzeCleared")}
          {analysis?.state === "failed" && t("analyzeFailed", { message: describeError(analysis.error) })}
        </p>
      </div>
      <Legend />
    </div>
  );
}

function LoadTheirs({ pageId, onReload }) {
  return (
    <button
      type="button"
      className="danger"
      onClick={() => {
        if (!window.confirm(t("editorLoadTheirsConfirm"))) return;
        localStorage.removeItem(draftKey(pageId));
        onReload();
      }}
    >
      {t("editorLoadTheirs")}
    </button>
  );
}

export default function EditorScreen() {
  const { pageId } = useParams();
  const user = useSelector((s) => s.auth.user);
  const data = useResource(async () => {
    const page = await api.page(pageId);
    return { page, work: await api.work(page.notebook_id) };
  }, [pageId]);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => {
    data.reload();
    setGeneration((g) => g + 1); // a new editor: its history and pending saves go with the old one
  }, [data.reload]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Resource resource={data}>
      {({ page, work }) =>
        work.author.id !== user.id ? (
          <ErrorMessage error={{ status: 403 }} />
        ) : (
          <section aria-label={pageLabel(page)}>
            <PageEditor key={`${page.id}:${page.version}:${generation}`} page={page} work={work} onReload={reload} />
          </section>
        )
      }
    </Resource>
  );
}
