/**
 * A parser for ARM template language expressions (`[format('{0}', parameters('x'))]`), enough for
 * what Bicep emits: string and integer literals, function calls, `.property` and `[index]` access.
 * It exists so the policy tests read the compiled template the way Resource Manager would, instead
 * of matching expression text.
 */

/** A parsed expression. */
export type ArmNode =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'call'; name: string; args: ArmNode[] }
  | { kind: 'property'; target: ArmNode; name: string }
  | { kind: 'index'; target: ArmNode; index: ArmNode };

/** True when a template string value is an expression (`[...]`, but not the `[[` escape). */
export function isExpression(value: string): boolean {
  return value.startsWith('[') && value.endsWith(']') && !value.startsWith('[[');
}

/** The literal a `[[...` escaped string stands for. */
export function unescapeLiteral(value: string): string {
  return value.startsWith('[[') ? value.slice(1) : value;
}

class Parser {
  #pos = 0;

  constructor(readonly text: string) {}

  parse(): ArmNode {
    const node = this.#expression();
    this.#skipSpace();
    if (this.#pos !== this.text.length) this.#fail('unexpected text');
    return node;
  }

  #fail(what: string): never {
    throw new Error(`ARM expression: ${what} at ${this.#pos} in [${this.text}]`);
  }

  #skipSpace(): void {
    while (this.#pos < this.text.length && /\s/.test(this.text[this.#pos]!)) this.#pos += 1;
  }

  #peek(): string {
    this.#skipSpace();
    return this.text[this.#pos] ?? '';
  }

  #expect(char: string): void {
    if (this.#peek() !== char) this.#fail(`expected '${char}'`);
    this.#pos += 1;
  }

  #expression(): ArmNode {
    let node = this.#primary();
    for (;;) {
      const next = this.#peek();
      if (next === '.') {
        this.#pos += 1;
        node = { kind: 'property', target: node, name: this.#identifier() };
      } else if (next === '[') {
        this.#pos += 1;
        const index = this.#expression();
        this.#expect(']');
        node = { kind: 'index', target: node, index };
      } else {
        return node;
      }
    }
  }

  #primary(): ArmNode {
    const next = this.#peek();
    if (next === "'") return this.#string();
    if (/[-0-9]/.test(next)) return this.#number();
    const name = this.#identifier();
    this.#expect('(');
    const args: ArmNode[] = [];
    if (this.#peek() !== ')') {
      for (;;) {
        args.push(this.#expression());
        if (this.#peek() === ',') {
          this.#pos += 1;
          continue;
        }
        break;
      }
    }
    this.#expect(')');
    return { kind: 'call', name, args };
  }

  #identifier(): string {
    this.#skipSpace();
    const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(this.text.slice(this.#pos));
    if (!match) this.#fail('expected a name');
    this.#pos += match[0].length;
    return match[0];
  }

  #string(): ArmNode {
    this.#pos += 1; // opening quote
    let value = '';
    for (;;) {
      const char = this.text[this.#pos];
      if (char === undefined) this.#fail('unterminated string');
      if (char === "'") {
        if (this.text[this.#pos + 1] === "'") {
          value += "'";
          this.#pos += 2;
          continue;
        }
        this.#pos += 1;
        return { kind: 'string', value };
      }
      value += char;
      this.#pos += 1;
    }
  }

  #number(): ArmNode {
    const match = /^-?\d+/.exec(this.text.slice(this.#pos));
    if (!match) this.#fail('expected a number');
    this.#pos += match[0].length;
    return { kind: 'number', value: Number(match[0]) };
  }
}

/** Parses the inside of a `[...]` template expression. */
export function parseArmExpression(value: string): ArmNode {
  if (!isExpression(value)) throw new Error(`not an ARM expression: ${value}`);
  return new Parser(value.slice(1, -1)).parse();
}
