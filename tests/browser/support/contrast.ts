/**
 * WCAG 2.x contrast of the text the page shows: every visible element with its own text, its color
 * against the first opaque background behind it. AA asks 4.5:1, or 3:1 for large text (24 px, or
 * 18.66 px bold). Disabled controls are exempt, as in WCAG.
 */
import type { Page } from 'playwright-core';

/** One text whose contrast is below AA. */
export interface ContrastProblem {
  text: string;
  ratio: number;
  required: number;
}

/** The few DOM members the check uses (the test program has no DOM types). */
interface CheckedNode {
  nodeType: number;
  textContent: string | null;
}
interface CheckedElement extends CheckedNode {
  parentElement: CheckedElement | null;
  childNodes: ArrayLike<CheckedNode>;
  ownerDocument: { defaultView: { getComputedStyle(element: CheckedElement): CheckedStyle } };
  closest(selector: string): CheckedElement | null;
  getClientRects(): ArrayLike<unknown>;
  querySelectorAll(selector: string): ArrayLike<CheckedElement>;
}
interface CheckedStyle {
  color: string;
  backgroundColor: string;
  fontSize: string;
  fontWeight: string;
}

/** The texts of `page` whose contrast is below AA (none is the goal). */
export function contrastProblems(page: Page): Promise<ContrastProblem[]> {
  return page.locator('body').evaluate((node: unknown) => {
    const body = node as CheckedElement;
    const view = body.ownerDocument.defaultView;
    const channels = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const linear = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    const background = (element: CheckedElement): number[] => {
      for (let node: CheckedElement | null = element; node; node = node.parentElement) {
        const rgba = channels(view.getComputedStyle(node).backgroundColor);
        if (rgba.length === 3 || (rgba[3] ?? 0) > 0) return rgba;
      }
      return [255, 255, 255];
    };
    const problems: { text: string; ratio: number; required: number }[] = [];
    for (const element of Array.from(body.querySelectorAll('*'))) {
      const ownText = Array.from(element.childNodes)
        .filter((child) => child.nodeType === 3)
        .map((text) => (text.textContent ?? '').trim())
        .join(' ')
        .trim();
      if (ownText === '' || element.closest('[hidden]') || element.closest(':disabled')) continue;
      if (element.getClientRects().length === 0) continue;
      const style = view.getComputedStyle(element);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const [fg, bg] = [luminance(channels(style.color)), luminance(background(element))];
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      const required = large ? 3 : 4.5;
      if (ratio < required) problems.push({ text: ownText.slice(0, 60), ratio, required });
    }
    return problems;
  });
}
