import { useState } from "react";
import { useDispatch } from "react-redux";
import { Link, useNavigate } from "react-router";
import { api, tokens } from "../api/api.js";
import { describeError, Field, fieldErrors, ScreenTitle } from "../components/common.jsx";
import { loggedIn } from "../store/index.js";
import { t } from "../strings.js";

const FIELDS = [
  ["user_name", "registerUser", "text", "username", "registerUserHint"],
  ["email", "registerEmail", "email", "email"],
  ["first_name", "registerFirstName", "text", "given-name"],
  ["last_name", "registerLastName", "text", "family-name"],
  ["password", "registerPassword", "password", "new-password", "registerPasswordHint"],
];

export default function Register() {
  const [form, setForm] = useState(Object.fromEntries(FIELDS.map(([name]) => [name, ""])));
  const [error, setError] = useState(null);
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const dispatch = useDispatch();
  const navigate = useNavigate();

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      await api.register(form);
      const pair = await api.login(form.user_name, form.password);
      tokens.save(pair);
      dispatch(loggedIn(pair.access_token));
      navigate("/works", { replace: true });
    } catch (err) {
      if (err.status === 409) setError(t("registerTaken"));
      else if (err.status === 422) {
        setErrors(fieldErrors(err));
        setError(t("registerInvalid"));
      } else setError(describeError(err));
      setBusy(false);
    }
  }

  return (
    <section className="narrow">
      <ScreenTitle>{t("registerTitle")}</ScreenTitle>
      <form onSubmit={submit} noValidate>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {FIELDS.map(([name, label, type, autoComplete, hint]) => (
          <Field key={name} label={t(label)} hint={hint && t(hint)} error={errors[name]}>
            {(props) => (
              <input
                {...props}
                name={name}
                type={type}
                autoComplete={autoComplete}
                required
                value={form[name]}
                onChange={(e) => setForm({ ...form, [name]: e.target.value })}
              />
            )}
          </Field>
        ))}
        <button type="submit" className="primary" disabled={busy}>
          {t("registerSubmit")}
        </button>
      </form>
      <p>
        {t("registerHaveAccount")} <Link to="/login">{t("navLogin")}</Link>
      </p>
    </section>
  );
}
