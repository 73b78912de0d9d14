import { useEffect, useState } from "react";
import { useDispatch } from "react-redux";
import { useSearchParams } from "react-router";
import { api } from "../api/api.js";
import { Empty, Pagination, Resource, ScreenTitle, useResource, WorkList } from "../components/common.jsx";
import { worksReceived } from "../store/index.js";
import { t } from "../strings.js";

const PER_PAGE = 12;

export default function Browse() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q")?.trim() ?? "";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const [draft, setDraft] = useState(q);
  const dispatch = useDispatch();
  useEffect(() => setDraft(q), [q]);

  // Search answers in relevance order (the API ranks); browsing is newest first.
  const results = useResource(async () => {
    const found = q ? await api.search(q, page, PER_PAGE) : await api.works(page, PER_PAGE);
    dispatch(worksReceived(found.items));
    return found;
  }, [q, page]);

  function submit(event) {
    event.preventDefault();
    const text = draft.trim();
    setParams(text ? { q: text } : {});
  }

  const goTo = (next) => setParams(q ? { q, page: String(next) } : { page: String(next) });
  return (
    <section>
      <ScreenTitle>{q ? t("searchResultsTitle", { q }) : t("browseTitle")}</ScreenTitle>
      <form role="search" className="search" onSubmit={submit}>
        <label htmlFor="search-input">{t("searchLabel")}</label>
        <div className="row">
          <input id="search-input" type="search" name="q" value={draft} maxLength={100} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit">{t("searchSubmit")}</button>
          {q && (
            <button type="button" onClick={() => setParams({})}>
              {t("searchClear")}
            </button>
          )}
        </div>
      </form>
      <Resource resource={results}>
        {(found) =>
          found.items.length === 0 ? (
            <Empty>{q ? t("searchEmpty", { q }) : t("browseEmpty")}</Empty>
          ) : (
            <>
              <WorkList works={found.items} />
              <Pagination page={found.page} perPage={found.per_page} total={found.total} onPage={goTo} />
            </>
          )
        }
      </Resource>
    </section>
  );
}
