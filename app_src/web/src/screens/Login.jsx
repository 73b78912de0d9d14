import { useState } from "react";
import { useDispatch } from "react-redux";
import { Link, useLocation, useNavigate } from "react-router";
import { api, tokens } from "../api/api.js";
import { describeError, Field, ScreenTitle } from "../components/common.jsx";
import { loggedIn } from "../store/index.js";
import { t } from "../strings.js";

export default function Login() {
  const [form, setForm] = useState({ user_name: "", password: "" });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const dispatch = useDispatch();
  const navigate = useNavigate();
  const from = useLocation().state?.from ?? "/works";

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const pair = await api.login(form.user_name, form.password);
      tokens.save(pair);
      dispatch(loggedIn(pair.access_token));
      navigate(from, { replace: true });
    } catch (err) {
      setError(err.status === 401 ? t("loginFailed") : describeError(err));
      setBusy(false);
    }
  }

  const change = (name) => (e) => setForm({ ...form, [name]: e.target.value });
  return (
    <section className="narrow">
      <ScreenTitle>{t("loginTitle")}</ScreenTitle>
      <form onSubmit={submit} noValidate>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <Field label={t("loginUser")}>
          {(props) => <input {...props} name="user_name" autoComplete="username" required value={form.user_name} onChange={change("user_name")} />}
        </Field>
        <Field label={t("loginPassword")}>
          {(props) => (
            <input {...props} name="password" type="password" autoComplete="current-password" required value={form.password} onChange={change("password")} />
          )}
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {t("loginSubmit")}
        </button>
      </form>
      <p>
        {t("loginNoAccount")} <Link to="/register">{t("loginSignUpLink")}</Link>
      </p>
    </section>
  );
}
