import { describe, expect, it } from "vitest";
import { contrast, THEMES } from "../../src/lib/themes.js";

const TEXT_PAIRS = [
  ["text", "bg"], ["text", "surface"], ["muted", "bg"], ["muted", "surface"], ["link", "bg"],
  ["link", "surface"], ["accentText", "accent"], ["danger", "bg"], ["danger", "surface"],
  ["positiveText", "positiveBg"], ["negativeText", "negativeBg"],
];
const NON_TEXT_PAIRS = [["focus", "bg"], ["focus", "surface"], ["border", "bg"]];

describe.each(Object.entries(THEMES))("theme %s", (_name, theme) => {
  it.each(TEXT_PAIRS)("%s on %s passes WCAG AA for text (4.5:1)", (fg, bg) => {
    expect(contrast(theme[fg], theme[bg])).toBeGreaterThanOrEqual(4.5);
  });
  it.each(NON_TEXT_PAIRS)("%s on %s passes 3:1 for non-text contrast", (fg, bg) => {
    expect(contrast(theme[fg], theme[bg])).toBeGreaterThanOrEqual(3);
  });
});

it("computes the textbook ratios", () => {
  expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
  expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
});
