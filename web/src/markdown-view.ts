/** Elements for an answer's light Markdown (see `light-markdown.ts`): every text through `textContent`. */
import { element } from './dom.js';
import { parseMarkdown, type Block, type Inline } from './light-markdown.js';

function inlineNodes(inlines: readonly Inline[]): Node[] {
  return inlines.map((inline): Node => {
    switch (inline.kind) {
      case 'text':
        return document.createTextNode(inline.text);
      case 'code':
        return element('code', '', inline.text);
      case 'strong':
      case 'em': {
        const node = element(inline.kind, '');
        node.append(...inlineNodes(inline.children));
        return node;
      }
      case 'link': {
        const link = element('a', '');
        link.href = inline.href;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        link.append(...inlineNodes(inline.children));
        return link;
      }
    }
  });
}

function blockNode(block: Block): HTMLElement {
  if (block.kind === 'list') {
    const list = element(block.ordered ? 'ol' : 'ul', 'md-list');
    for (const item of block.items) {
      const li = element('li', '');
      li.append(...inlineNodes(item));
      list.append(li);
    }
    return list;
  }
  const paragraph = element('p', block.kind === 'heading' ? 'md-heading' : 'md-paragraph');
  paragraph.append(...inlineNodes(block.children));
  return paragraph;
}

/** Replaces the content of `container` with `text` rendered as light Markdown. */
export function renderMarkdown(container: HTMLElement, text: string): void {
  container.replaceChildren(...parseMarkdown(text).map(blockNode));
}
