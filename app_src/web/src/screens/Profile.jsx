import { useState } from "react";
import { useSelector } from "react-redux";
import { useParams } from "react-router";
import { api, apiUrl } from "../api/api.js";
import { describeError, Empty, Field, Resource, ScreenTitle, useResource, WorkList } from "../components/common.jsx";
import { t } from "../strings.js";

function AvatarUpload({ onUploaded }) {
  const [message, setMessage] = useState(null);
  const [busy, setBusy] = useState(false);
  async function upload(event) {
    const file = event.target.files?.[0];
    if (!file) return;
    setBusy(true);
    setMessage(null);
    try {
      const image = await api.uploadAvatar(file);
      onUploaded(image.url);
      setMessage({ ok: true, text: t("profileAvatarUploaded") });
    } catch (err) {
      setMessage({ ok: false, text: describeError(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div>
      <Field label={t("profileAvatarUpload")}>
        {(props) => <input {...props} type="file" accept="image/jpeg,image/png,image/webp" onChange={upload} disabled={busy} />}
      </Field>
      {message && (
        <p className={message.ok ? "success" : "error"} role={message.ok ? "status" : "alert"}>
          {message.text}
        </p>
      )}
    </div>
  );
}

function WorksSection({ title, empty, resource }) {
  return (
    <section>
      <h2>{title}</h2>
      <Resource resource={resource}>
        {(found) => (found.items.length === 0 ? <Empty>{empty}</Empty> : <WorkList works={found.items} headingLevel={3} />)}
      </Resource>
    </section>
  );
}

export default function Profile() {
  const { userId } = useParams();
  const me = useSelector((s) => s.auth.user);
  const profile = useResource(() => api.user(userId), [userId]);
  const works = useResource(() => api.userWorks(userId), [userId]);
  const follows = useResource(() => api.userFollows(userId), [userId]);
  const mine = me?.id === Number(userId);

  return (
    <Resource resource={profile}>
      {(user) => {
        const name = `${user.first_name} ${user.last_name}`;
        const avatar = apiUrl(user.avatar_url);
        return (
          <article className="profile">
            <div className="work-head">
              {avatar ? (
                <img className="avatar" src={avatar} alt={t("profileAvatar", { name })} />
              ) : (
                <div className="avatar cover-missing" aria-hidden="true">
                  {user.first_name.slice(0, 1)}
                </div>
              )}
              <div>
                <ScreenTitle>{t("profileTitle", { name })}</ScreenTitle>
                <p className="muted">{t("profileUserName", { user: user.user_name })}</p>
                <p className="muted">{t("memberSince", { date: new Date(user.created_at).toLocaleDateString("en") })}</p>
              </div>
            </div>
            {mine && <AvatarUpload onUploaded={(url) => profile.setData({ ...user, avatar_url: url })} />}
            <WorksSection title={t("profileWorks")} empty={t("profileNoWorks")} resource={works} />
            <WorksSection title={t("profileFollows")} empty={t("profileNoFollows")} resource={follows} />
            {mine && (
              <section className="pending" aria-labelledby="settings-title">
                {/* PLACEHOLDER: edit profile and change password, once the API has endpoints for them. */}
                <h2 id="settings-title">{t("profileSettings")}</h2>
                <p className="muted">{t("profileSettingsPending")}</p>
              </section>
            )}
          </article>
        );
      }}
    </Resource>
  );
}
