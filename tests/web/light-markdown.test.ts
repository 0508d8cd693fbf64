import { parseInline, parseMarkdown, safeHref, type Inline } from '../../web/src/light-markdown';

const text = (value: string): Inline => ({ kind: 'text', text: value });

describe('parseMarkdown', () => {
  it('keeps a plain answer as one paragraph with its line breaks and its # order numbers', () => {
    expect(parseMarkdown('Order #12345 ships today.\nTracking follows.')).toEqual([
      { kind: 'paragraph', children: [text('Order #12345 ships today.\nTracking follows.')] },
    ]);
  });

  it('reads bulleted and numbered lists, blank lines between paragraphs and headings as bold lines', () => {
    const answer = [
      '## Your options',
      'You can:',
      '- get a **refund**',
      '* ask for a _replacement_',
      '',
      '1. Send the parcel back',
      '2) Wait for the label',
      '   by email',
      '',
      'Thanks!',
    ].join('\n');
    expect(parseMarkdown(answer)).toEqual([
      { kind: 'heading', children: [text('Your options')] },
      { kind: 'paragraph', children: [text('You can:')] },
      {
        kind: 'list',
        ordered: false,
        items: [
          [text('get a '), { kind: 'strong', children: [text('refund')] }],
          [text('ask for a '), { kind: 'em', children: [text('replacement')] }],
        ],
      },
      {
        kind: 'list',
        ordered: true,
        items: [[text('Send the parcel back')], [text('Wait for the label\nby email')]],
      },
      { kind: 'paragraph', children: [text('Thanks!')] },
    ]);
  });
});

describe('parseInline', () => {
  it('reads bold, italics, inline code and links, nested where Markdown nests them', () => {
    expect(
      parseInline('**Order _7_** is `refunded`, see [the policy](https://example.com/refunds).'),
    ).toEqual([
      { kind: 'strong', children: [text('Order '), { kind: 'em', children: [text('7')] }] },
      text(' is '),
      { kind: 'code', text: 'refunded' },
      text(', see '),
      { kind: 'link', href: 'https://example.com/refunds', children: [text('the policy')] },
      text('.'),
    ]);
  });

  it('links a bare http(s) address, leaving the sentence punctuation after it', () => {
    expect(parseInline('Track it at https://example.com/track?id=12345.')).toEqual([
      text('Track it at '),
      {
        kind: 'link',
        href: 'https://example.com/track?id=12345',
        children: [text('https://example.com/track?id=12345')],
      },
      text('.'),
    ]);
  });

  it('leaves markup and unclosed or spaced markers as the text they are', () => {
    const answer = 'a * b * c, snake_case_name, 2*3*4 = 24, **not closed, <b>bold</b>';
    const parsed = parseInline(answer);
    expect(parsed.filter((node) => node.kind !== 'text' && node.kind !== 'em')).toEqual([]);
    expect(JSON.stringify(parsed)).toContain('<b>bold</b>');
    expect(parsed.map((node) => (node.kind === 'text' ? node.text : '')).join('')).toContain(
      'snake_case_name',
    );
  });

  it('keeps a code span literal: no emphasis or link inside it', () => {
    expect(parseInline('`**x** [a](https://e.com)`')).toEqual([
      { kind: 'code', text: '**x** [a](https://e.com)' },
    ]);
  });

  it.each([
    ['javascript:alert(1)'],
    ['JavaScript:alert(document.cookie)'],
    [' javascript:alert(1)'],
    ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['vbscript:msgbox(1)'],
    ['//evil.example/x'],
    ['/relative/path'],
    ['file:///etc/passwd'],
  ])('makes no link of the address %j: the text stays text', (href) => {
    const parsed = parseInline(`[click me](${href})`);
    expect(JSON.stringify(parsed)).not.toContain('"link"');
    expect(parsed.map((node) => (node.kind === 'text' ? node.text : '')).join('')).toContain('click me');
  });

  it('cannot be talked into markup: HTML, entities and quotes in links stay text or an encoded address', () => {
    const parsed = parseInline(
      '[<img src=x onerror=alert(1)>](https://example.com/"onmouseover="alert) &lt;script&gt;',
    );
    const link = parsed.find((node) => node.kind === 'link');
    expect(link).toMatchObject({
      kind: 'link',
      href: 'https://example.com/%22onmouseover=%22alert',
      children: [text('<img src=x onerror=alert(1)>')],
    });
    expect(parsed.at(-1)).toEqual(text(' &lt;script&gt;'));
  });
});

describe('safeHref', () => {
  it('accepts http and https addresses only', () => {
    expect(safeHref('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeHref('http://example.com')).toBe('http://example.com/');
    expect(safeHref('mailto:someone@example.com')).toBeUndefined();
    expect(safeHref('not a url')).toBeUndefined();
  });
});
