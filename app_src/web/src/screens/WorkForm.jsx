import { useEffect, useState } from "react";
import { useDispatch, useSelector } from "react-redux";
import { useNavigate, useParams } from "react-router";
import { api } from "../api/api.js";
import { Cover, describeError, ErrorMessage, Field, fieldErrors, Loading, ScreenTitle, useResource } from "../components/common.jsx";
import { workSaved } from "../store/index.js";
import { t } from "../strings.js";

const MAX_COVER_BYTES = 5 * 1024 * 1024;

export default function WorkForm() {
  const { workId } = useParams();
  const editing = Boolean(workId);
  const user = useSelector((s) => s.auth.user);
  const dispatch = useDispatch();
  const navigate = useNavigate();
  const genres = useResource(() => api.genres(), []);
  const existing = useResource(() => (editing ? api.work(workId) : Promise.resolve(null)), [workId]);
  const [form, setForm] = useState({ title: "", synopsis: "", genre_id: "", tags: "" });
  const [cover, setCover] = useState(null);
  const [errors, setErrors] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const w = existing.data;
    if (w) setForm({ title: w.title, synopsis: w.synopsis, genre_id: String(w.genre.id), tags: w.tags.join(", ") });
  }, [existing.data]);

  if (genres.loading || existing.loading) return <Loading />;
  if (genres.error || existing.error) {
    const failed = genres.error ?? existing.error;
    return <ErrorMessage error={failed} onRetry={genres.error ? genres.reload : existing.reload} />;
  }
  if (editing && existing.data.author.id !== user.id) return <ErrorMessage error={{ status: 403 }} />;

  async function submit(event) {
    event.preventDefault();
    if (cover && cover.size > MAX_COVER_BYTES) {
      setErrors({ cover: t("workFormCoverTooBig") });
      return;
    }
    setBusy(true);
    setError(null);
    setErrors({});
    const body = {
      title: form.title,
      synopsis: form.synopsis,
      genre_id: Number(form.genre_id) || 0,
      tags: form.tags.split(",").map((tag) => tag.trim()).filter(Boolean),
    };
    let saved;
    try {
      saved = editing ? await api.updateWork(workId, body) : await api.createWork(body);
      dispatch(workSaved(saved));
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(err.status === 422 ? t("workFormInvalid") : describeError(err));
      setBusy(false);
      return;
    }
    if (cover) {
      try {
        await api.uploadCover(saved.id, cover);
      } catch (err) {
        // The work exists now: go on editing it rather than losing the form.
        setError(t("workFormCoverFailed", { message: describeError(err) }));
        setBusy(false);
        if (!editing) navigate(`/works/${saved.id}/edit`, { replace: true });
        return;
      }
    }
    navigate(`/works/${saved.id}`);
  }

  const change = (name) => (e) => setForm({ ...form, [name]: e.target.value });
  return (
    <section className="narrow">
      <ScreenTitle>{editing ? t("workFormEditTitle") : t("workFormNewTitle")}</ScreenTitle>
      <form onSubmit={submit} noValidate>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <Field label={t("workFormTitle")} error={errors.title}>
          {(props) => <input {...props} name="title" required maxLength={80} value={form.title} onChange={change("title")} />}
        </Field>
        <Field label={t("workFormGenre")} error={errors.genre_id}>
          {(props) => (
            <select {...props} name="genre_id" required value={form.genre_id} onChange={change("genre_id")}>
              <option value="">{t("workFormChooseGenre")}</option>
              {genres.data.items.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("workFormSynopsis")} error={errors.synopsis}>
          {(props) => <textarea {...props} name="synopsis" rows={5} maxLength={600} value={form.synopsis} onChange={change("synopsis")} />}
        </Field>
        <Field label={t("workFormTags")} error={errors.tags}>
          {(props) => <input {...props} name="tags" value={form.tags} onChange={change("tags")} />}
        </Field>
        {existing.data?.cover_url && <Cover work={existing.data} />}
        <Field label={t("workFormCover")} error={errors.cover}>
          {(props) => (
            <input {...props} name="cover" type="file" accept="image/jpeg,image/png,image/webp" onChange={(e) => setCover(e.target.files?.[0] ?? null)} />
          )}
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("workFormSaving") : t("workFormSave")}
        </button>
      </form>
    </section>
  );
}
