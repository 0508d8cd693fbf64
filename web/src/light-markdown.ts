/**
 * The little Markdown that agents' answers use (paragraphs, bulleted and numbered lists, headings
 * shown as bold lines, bold, italics, inline code, links), parsed into a plain tree. Pure: no DOM,
 * no HTML. The page builds elements from the tree with `textContent` (see `markdown-view.ts`), so
 * model text can never become markup; a link is kept only when its address is http or https.
 */

/** A piece of text inside a block. */
export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'strong' | 'em'; children: Inline[] }
  | { kind: 'code'; text: string }
  | { kind: 'link'; href: string; children: Inline[] };

/** A block of an answer. `heading` is shown as a bold line, not as a page heading. */
export type Block =
  | { kind: 'paragraph' | 'heading'; children: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] };

const BULLET = /^\s*[-*+•]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,9}[.)]\s+(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;

/** Parses `text` into blocks; lines of a paragraph keep their line breaks. */
export function parseMarkdown(text: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;
  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', children: parseInline(paragraph.join('\n')) });
    paragraph = [];
  };
  const endList = () => {
    if (list) blocks.push({ kind: 'list', ordered: list.ordered, items: list.items.map(parseInline) });
    list = undefined;
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const item = bullet ?? numbered;
    if (item) {
      endParagraph();
      const ordered = numbered !== null;
      if (list && list.ordered !== ordered) endList();
      list ??= { ordered, items: [] };
      list.items.push(item[1] ?? '');
      continue;
    }
    if (line.trim() === '') {
      endParagraph();
      endList();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      endParagraph();
      endList();
      blocks.push({ kind: 'heading', children: parseInline(heading[1] ?? '') });
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      // An indented line goes on with the list item above it.
      list.items[list.items.length - 1] += `\n${line.trim()}`;
      continue;
    }
    endList();
    paragraph.push(line);
  }
  endParagraph();
  endList();
  return blocks;
}

/** The spans an inline rule recognises, tried at every position; the earliest match wins. */
const RULES: readonly { pattern: RegExp; make: (match: RegExpExecArray) => Inline | undefined }[] = [
  { pattern: /`([^`\n]+)`/, make: (m) => ({ kind: 'code', text: m[1] ?? '' }) },
  {
    pattern: /\[([^\]\n]+)\]\(\s*([^\s()]+)\s*\)/,
    make: (m) => {
      const href = safeHref(m[2] ?? '');
      return href ? { kind: 'link', href, children: parseInline(m[1] ?? '') } : undefined;
    },
  },
  {
    pattern: /\bhttps?:\/\/[^\s<>()[\]]*[^\s<>()[\].,;:!?'"*_]/,
    make: (m) => {
      const href = safeHref(m[0]);
      return href ? { kind: 'link', href, children: [{ kind: 'text', text: m[0] }] } : undefined;
    },
  },
  {
    pattern: /\*\*(?=\S)([\s\S]*?\S)\*\*/,
    make: (m) => ({ kind: 'strong', children: parseInline(m[1] ?? '') }),
  },
  {
    pattern: /(?<![\w])__(?=\S)([\s\S]*?\S)__(?![\w])/,
    make: (m) => ({ kind: 'strong', children: parseInline(m[1] ?? '') }),
  },
  {
    pattern: /\*(?=[^\s*])([^*\n]*?[^\s*])\*/,
    make: (m) => ({ kind: 'em', children: parseInline(m[1] ?? '') }),
  },
  {
    pattern: /(?<![\w])_(?=[^\s_])([^_\n]*?[^\s_])_(?![\w])/,
    make: (m) => ({ kind: 'em', children: parseInline(m[1] ?? '') }),
  },
];

/** Parses the inline Markdown of `text`; whatever no rule recognises stays text, as written. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let rest = text;
  let plain = '';
  while (rest !== '') {
    let best: { index: number; length: number; node: Inline } | undefined;
    for (const rule of RULES) {
      const match = rule.pattern.exec(rest);
      if (!match || (best && match.index >= best.index)) continue;
      const node = rule.make(match);
      if (node) best = { index: match.index, length: match[0].length, node };
    }
    if (!best) {
      plain += rest;
      break;
    }
    plain += rest.slice(0, best.index);
    if (plain !== '') out.push({ kind: 'text', text: plain });
    plain = '';
    out.push(best.node);
    rest = rest.slice(best.index + best.length);
  }
  if (plain !== '') out.push({ kind: 'text', text: plain });
  return out;
}

/** `href` normalised when it is an absolute http or https address; undefined for anything else. */
export function safeHref(href: string): string | undefined {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
