import { useSelector } from "react-redux";
import { Link, useParams } from "react-router";
import { api } from "../api/api.js";
import { Empty, Resource, ScreenTitle, useResource } from "../components/common.jsx";
import { isEmptyDocument, renderNodes } from "../lib/document.jsx";
import { t } from "../strings.js";
import { pageLabel } from "./WorkDetail.jsx";

export default function Reader() {
  const { pageId } = useParams();
  const user = useSelector((s) => s.auth.user);
  const data = useResource(async () => {
    const page = await api.page(pageId);
    const [work, contents] = await Promise.all([api.work(page.notebook_id), api.contents(page.notebook_id)]);
    return { page, work, contents };
  }, [pageId]);

  return (
    <Resource resource={data}>
      {({ page, work, contents }) => {
        const index = contents.findIndex((p) => p.id === page.id);
        const previous = index > 0 ? contents[index - 1] : null;
        const next = index >= 0 && index < contents.length - 1 ? contents[index + 1] : null;
        const nav = (
          <nav className="reader-nav row" aria-label={t("readerPageNav")}>
            {previous ? (
              <Link rel="prev" to={`/pages/${previous.id}`}>
                ← {t("readerPrevious")}: {pageLabel(previous)}
              </Link>
            ) : (
              <span />
            )}
            <Link to={`/works/${work.id}`}>{t("readerContents")}</Link>
            {next ? (
              <Link rel="next" to={`/pages/${next.id}`}>
                {t("readerNext")}: {pageLabel(next)} →
              </Link>
            ) : (
              <span />
            )}
          </nav>
        );
        return (
          <article className="reader">
            <p className="muted">
              <Link to={`/works/${work.id}`}>{work.title}</Link>
            </p>
            <ScreenTitle>{pageLabel(page)}</ScreenTitle>
            {user?.id === work.author.id && (
              <p>
                <Link to={`/pages/${page.id}/edit`}>{t("readerEdit")}</Link>
              </p>
            )}
            <div className="page-text">{isEmptyDocument(page.content) ? <Empty>{t("readerEmpty")}</Empty> : renderNodes(page.content)}</div>
            {nav}
          </article>
        );
      }}
    </Resource>
  );
}
