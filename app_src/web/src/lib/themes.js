// The three themes as colour tokens (applied as CSS custom properties). tests/unit/themes.test.js
// checks every text/background pair against WCAG AA (4.5:1 for text, 3:1 for focus rings/borders).

export const THEMES = {
  light: {
    bg: "#ffffff",
    surface: "#f3f4f6",
    text: "#1b1d21",
    muted: "#4b5261",
    link: "#0b57c2",
    accent: "#0b57c2",
    accentText: "#ffffff",
    border: "#767d8c",
    focus: "#b3261e",
    danger: "#a3160d",
    positiveBg: "#cde2ff",
    positiveText: "#0a2a5c",
    negativeBg: "#ffd9cf",
    negativeText: "#5c1200",
  },
  dark: {
    bg: "#16181c",
    surface: "#23262d",
    text: "#eceef2",
    muted: "#b7bcc7",
    link: "#8ab8ff",
    accent: "#8ab8ff",
    accentText: "#0d1522",
    border: "#8a909c",
    focus: "#ffcc4d",
    danger: "#ff9b8f",
    positiveBg: "#1d3f7a",
    positiveText: "#ffffff",
    negativeBg: "#7d2613",
    negativeText: "#ffffff",
  },
  sepia: {
    bg: "#f5edda",
    surface: "#ebe0c6",
    text: "#3a2e1d",
    muted: "#5e4d35",
    link: "#7a3b00",
    accent: "#7a3b00",
    accentText: "#fffaf0",
    border: "#8a7456",
    focus: "#1d4ed8",
    danger: "#8f1d0c",
    positiveBg: "#c7dbf2",
    positiveText: "#10294d",
    negativeBg: "#f3c6b8",
    negativeText: "#4d1408",
  },
};

export const THEME_NAMES = Object.keys(THEMES);
const THEME_KEY = "sinpluma.theme";

export function storedTheme(storage = globalThis.localStorage) {
  const name = storage?.getItem(THEME_KEY);
  return THEME_NAMES.includes(name) ? name : "light";
}

export function applyTheme(name, root = document.documentElement, storage = globalThis.localStorage) {
  const theme = THEMES[name] ?? THEMES.light;
  for (const [token, value] of Object.entries(theme)) {
    root.style.setProperty(`--${token.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value);
  }
  root.dataset.theme = name;
  root.style.colorScheme = name === "dark" ? "dark" : "light";
  storage?.setItem(THEME_KEY, name);
}

function luminance(hex) {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
