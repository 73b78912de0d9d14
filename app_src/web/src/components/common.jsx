import { useCallback, useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import { apiUrl } from "../api/api.js";
import { NetworkError } from "../api/client.js";
import { t } from "../strings.js";

/** A user-facing sentence for any error the client throws. */
export function describeError(error) {
  if (error instanceof NetworkError) return t("errorNetwork");
  if (error?.status === 404) return t("errorNotFound");
  if (error?.status === 403) return t("errorForbidden");
  if (error?.status === 429) return t("errorRateLimited");
  return t("errorGeneric", { message: error?.message ?? String(error) });
}

/**
 * Loads `load()` when `deps` change; gives {data, error, loading, reload, setData}. Requests of
 * an unmounted or superseded load are ignored (no render loops, no state on unmounted screens).
 * New deps drop the old data (no stale results under a new query); reload() keeps it on screen.
 */
export function useResource(load, deps) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const generation = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const start = useCallback(
    (keep) => {
      const mine = ++generation.current;
      setState((s) => ({ data: keep ? s.data : undefined, error: null, loading: true }));
      run().then(
        (data) => mine === generation.current && setState({ data, error: null, loading: false }),
        (error) => mine === generation.current && setState({ data: undefined, error, loading: false }),
      );
    },
    [run],
  );
  const reload = useCallback(() => start(true), [start]);
  useEffect(() => {
    start(false);
    return () => {
      generation.current += 1;
    };
  }, [start]);
  const setData = useCallback((data) => setState((s) => ({ ...s, data })), []);
  return { ...state, reload, setData };
}

export function Loading() {
  return (
    <p className="status" role="status" aria-live="polite">
      {t("loading")}
    </p>
  );
}

export function ErrorMessage({ error, onRetry }) {
  return (
    <div className="error" role="alert">
      <p>{describeError(error)}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t("retry")}
        </button>
      )}
    </div>
  );
}

export function Empty({ children }) {
  return <p className="empty">{children}</p>;
}

/** Loading / error / content of a useResource result. */
export function Resource({ resource, children }) {
  if (resource.loading && resource.data === undefined) return <Loading />;
  if (resource.error) return <ErrorMessage error={resource.error} onRetry={resource.reload} />;
  if (resource.data === undefined) return <Loading />;
  return children(resource.data);
}

/** Sets the document title and moves focus to the screen's heading (screen-reader navigation). */
export function ScreenTitle({ children, level = 1 }) {
  const ref = useRef(null);
  const text = typeof children === "string" ? children : null;
  useEffect(() => {
    if (text) document.title = `${text} · ${t("appName")}`;
    ref.current?.focus({ preventScroll: true });
  }, [text]);
  const Tag = `h${level}`;
  return (
    <Tag ref={ref} tabIndex={-1} className="screen-title">
      {children}
    </Tag>
  );
}

export function Field({ label, hint, error, children }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={errorId} className="field-error">
          {error}
        </small>
      )}
    </div>
  );
}

/** Field errors from a 422 response's details ({field: [messages]}). */
export function fieldErrors(error) {
  const details = error?.status === 422 && error.details && typeof error.details === "object" ? error.details : {};
  const out = {};
  for (const [field, messages] of Object.entries(details)) {
    out[field] = Array.isArray(messages) ? messages.join(" ") : String(messages);
  }
  return out;
}

export function Pagination({ page, perPage, total, onPage }) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label={t("paginationLabel")}>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        {t("pagePrevious")}
      </button>
      <span aria-current="page">{t("pageOf", { page, pages })}</span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page >= pages}>
        {t("pageNext")}
      </button>
    </nav>
  );
}

export function Cover({ work, size = "small" }) {
  const url = apiUrl(work.cover_url);
  return url ? (
    <img className={`cover cover-${size}`} src={url} alt={t("coverOf", { title: work.title })} />
  ) : (
    <div className={`cover cover-${size} cover-missing`} aria-hidden="true">
      {work.title.slice(0, 1).toUpperCase()}
    </div>
  );
}

export function authorName(author) {
  return `${author.first_name} ${author.last_name}`.trim() || author.user_name;
}

export function WorkList({ works, headingLevel = 2 }) {
  const Heading = `h${headingLevel}`;
  return (
    <ul className="work-list">
      {works.map((work) => (
        <li key={work.id} className="work-card">
          <Cover work={work} />
          <div>
            <Heading className="work-card-title">
              <Link to={`/works/${work.id}`}>{work.title}</Link>
            </Heading>
            <p className="muted">
              {t("byAuthor", { name: authorName(work.author) })} · {work.genre.name}
            </p>
            {work.synopsis && <p className="synopsis">{work.synopsis}</p>}
          </div>
        </li>
      ))}
    </ul>
  );
}
