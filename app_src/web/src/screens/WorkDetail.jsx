import { useState } from "react";
import { useDispatch, useSelector } from "react-redux";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../api/api.js";
import { authorName, Cover, describeError, Empty, Resource, ScreenTitle, useResource } from "../components/common.jsx";
import { workRemoved, workSaved } from "../store/index.js";
import { t } from "../strings.js";

export const pageLabel = (page) => page.title || t("pageUntitled", { position: page.position });

function FollowButton({ work, onFollowChange }) {
  const user = useSelector((s) => s.auth.user);
  const status = useResource(() => (user ? api.followStatus(work.id) : Promise.resolve(null)), [user?.id, work.id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  if (!user) {
    return (
      <p className="muted">
        <Link to="/login" state={{ from: `/works/${work.id}` }}>
          {t("workLoginToFollow")}
        </Link>
      </p>
    );
  }
  if (user.id === work.author.id) return null;
  if (status.loading || status.error) return status.error ? <p className="error">{describeError(status.error)}</p> : null;
  const following = status.data.following;
  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      if (following) await api.unfollow(work.id);
      else await api.follow(work.id);
      status.setData({ following: !following });
      onFollowChange(following ? -1 : 1);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="follow">
      {following && <p className="muted">{t("workFollowing")}</p>}
      <button type="button" className={following ? "" : "primary"} aria-pressed={following} onClick={toggle} disabled={busy}>
        {following ? t("workUnfollow") : t("workFollow")}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function OwnerTools({ work }) {
  const navigate = useNavigate();
  const dispatch = useDispatch();
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function addPage() {
    setBusy(true);
    try {
      const page = await api.addPage(work.id, { title: "" });
      navigate(`/pages/${page.id}/edit`);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  }
  async function remove() {
    if (!window.confirm(t("workDeleteConfirm"))) return;
    try {
      await api.deleteWork(work.id);
      dispatch(workRemoved(work.id));
      navigate(`/users/${work.author.id}`);
    } catch (err) {
      setError(describeError(err));
    }
  }
  return (
    <div className="owner-tools row">
      <Link className="button" to={`/works/${work.id}/edit`}>
        {t("workEdit")}
      </Link>
      <button type="button" className="primary" onClick={addPage} disabled={busy}>
        {t("workAddPage")}
      </button>
      <button type="button" className="danger" onClick={remove}>
        {t("workDelete")}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export default function WorkDetail() {
  const { workId } = useParams();
  const user = useSelector((s) => s.auth.user);
  const dispatch = useDispatch();
  const work = useResource(async () => {
    const found = await api.work(workId);
    dispatch(workSaved(found));
    return found;
  }, [workId]);
  const contents = useResource(() => api.contents(workId), [workId]);

  return (
    <Resource resource={work}>
      {(w) => {
        const owner = user?.id === w.author.id;
        return (
          <article className="work">
            <div className="work-head">
              <Cover work={w} size="large" />
              <div>
                <ScreenTitle>{w.title}</ScreenTitle>
                <dl className="facts">
                  <dt>{t("workAuthor")}</dt>
                  <dd>
                    <Link to={`/users/${w.author.id}`}>{authorName(w.author)}</Link>
                  </dd>
                  <dt>{t("workGenre")}</dt>
                  <dd>{w.genre.name}</dd>
                  {w.tags.length > 0 && (
                    <>
                      <dt>{t("workTags")}</dt>
                      <dd>{w.tags.join(", ")}</dd>
                    </>
                  )}
                </dl>
                <p className="muted">{t(w.follower_count === 1 ? "workFollowerOne" : "workFollowers", { count: w.follower_count })}</p>
                <FollowButton work={w} onFollowChange={(delta) => work.setData({ ...w, follower_count: w.follower_count + delta })} />
              </div>
            </div>
            {owner && <OwnerTools work={w} />}
            <h2>{t("workSynopsis")}</h2>
            {w.synopsis ? <p className="synopsis">{w.synopsis}</p> : <Empty>{t("workNoSynopsis")}</Empty>}
            <h2>{t("workContents")}</h2>
            <Resource resource={contents}>
              {(pages) =>
                pages.length === 0 ? (
                  <Empty>{t("workNoPages")}</Empty>
                ) : (
                  <ol className="contents">
                    {pages.map((page) => (
                      <li key={page.id}>
                        <Link to={`/pages/${page.id}`}>{pageLabel(page)}</Link>
                        {owner && (
                          <>
                            {" "}
                            <Link className="small" to={`/pages/${page.id}/edit`} aria-label={t("workEditPage", { title: pageLabel(page) })}>
                              ✎
                            </Link>
                          </>
                        )}
                      </li>
                    ))}
                  </ol>
                )
              }
            </Resource>
          </article>
        );
      }}
    </Resource>
  );
}
