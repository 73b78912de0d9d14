import { lazy, Suspense, useEffect } from "react";
import { useDispatch, useSelector } from "react-redux";
import { Link, Navigate, NavLink, Route, Routes, useLocation, useNavigate } from "react-router";
import { api } from "./api/api.js";
import { Loading } from "./components/common.jsx";
import { applyTheme, THEME_NAMES } from "./lib/themes.js";
import Browse from "./screens/Browse.jsx";
import Login from "./screens/Login.jsx";
import NotFound from "./screens/NotFound.jsx";
import Profile from "./screens/Profile.jsx";
import Reader from "./screens/Reader.jsx";
import Register from "./screens/Register.jsx";
import WorkDetail from "./screens/WorkDetail.jsx";
import WorkForm from "./screens/WorkForm.jsx";
import { loggedOut, themeChosen } from "./store/index.js";
import { t } from "./strings.js";

// The editor (Slate) is its own chunk: the first screen does not load it.
const Editor = lazy(() => import("./editor/EditorScreen.jsx"));

const THEME_LABELS = { light: "themeLight", dark: "themeDark", sepia: "themeSepia" };

function ThemePicker() {
  const dispatch = useDispatch();
  const name = useSelector((s) => s.theme.name);
  useEffect(() => applyTheme(name), [name]);
  return (
    <div className="theme-picker">
      <label htmlFor="theme-select">{t("themeLabel")}</label>
      <select id="theme-select" value={name} onChange={(e) => dispatch(themeChosen(e.target.value))}>
        {THEME_NAMES.map((theme) => (
          <option key={theme} value={theme}>
            {t(THEME_LABELS[theme])}
          </option>
        ))}
      </select>
    </div>
  );
}

function Header() {
  const user = useSelector((s) => s.auth.user);
  const dispatch = useDispatch();
  const navigate = useNavigate();
  async function logout() {
    try {
      await api.logout();
    } finally {
      dispatch(loggedOut());
      navigate("/login");
    }
  }
  return (
    <header className="site-header">
      <Link to="/works" className="brand">
        {t("appName")}
      </Link>
      <nav aria-label={t("navMain")}>
        <ul>
          <li>
            <NavLink to="/works" end>
              {t("navBrowse")}
            </NavLink>
          </li>
          {user ? (
            <>
              <li>
                <NavLink to="/works/new">{t("navNewWork")}</NavLink>
              </li>
              <li>
                <NavLink to={`/users/${user.id}`}>{t("navProfile")}</NavLink>
              </li>
              <li>
                <button type="button" className="link-button" onClick={logout}>
                  {t("navLogout")}
                </button>
              </li>
            </>
          ) : (
            <>
              <li>
                <NavLink to="/login">{t("navLogin")}</NavLink>
              </li>
              <li>
                <NavLink to="/register">{t("navRegister")}</NavLink>
              </li>
            </>
          )}
        </ul>
      </nav>
      <ThemePicker />
    </header>
  );
}

function RequireAuth({ children }) {
  const user = useSelector((s) => s.auth.user);
  const location = useLocation();
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

function SessionNotice() {
  const notice = useSelector((s) => s.auth.notice);
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => {
    // The refresh token was refused: the login page, then back to where the user was.
    if (notice === "sessionEnded" && location.pathname !== "/login") {
      navigate("/login", { state: { from: location.pathname + location.search } });
    }
  }, [notice]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!notice || location.pathname !== "/login") return null;
  return (
    <p className="notice" role="alert">
      {t(notice)}
    </p>
  );
}

export default function App() {
  return (
    <>
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <SessionNotice />
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<Navigate to="/works" replace />} />
            <Route path="/login" element={<Login />} />
            <Route path="/register" element={<Register />} />
            <Route path="/works" element={<Browse />} />
            <Route path="/works/new" element={<RequireAuth><WorkForm /></RequireAuth>} />
            <Route path="/works/:workId" element={<WorkDetail />} />
            <Route path="/works/:workId/edit" element={<RequireAuth><WorkForm /></RequireAuth>} />
            <Route path="/pages/:pageId" element={<Reader />} />
            <Route path="/pages/:pageId/edit" element={<RequireAuth><Editor /></RequireAuth>} />
            <Route path="/users/:userId" element={<Profile />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}
