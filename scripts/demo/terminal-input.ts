/**
 * Lines typed in the terminal (or piped in), one at a time, on demand.
 */
import readline from 'node:readline';

/**
 * Reads answers from stdin. The readline interface opens on the first question, so a
 * non-interactive run never holds stdin open; lines that arrive before a question are kept for it.
 */
export class TerminalInput {
  #rl: readline.Interface | undefined;
  #lines: AsyncIterator<string> | undefined;

  /** Prints `> ` and resolves with the next line, or undefined at end of input or when `signal` aborts. */
  async readLine(signal: AbortSignal): Promise<string | undefined> {
    if (signal.aborted) return undefined;
    if (!this.#rl) {
      this.#rl = readline.createInterface({
        input: process.stdin,
        output: process.stdout,
        terminal: process.stdin.isTTY === true,
      });
      // In a terminal, readline takes Ctrl-C from the process: hand it back to the process's handler.
      this.#rl.on('SIGINT', () => process.emit('SIGINT', 'SIGINT'));
      this.#lines = this.#rl[Symbol.asyncIterator]();
    }
    this.#rl.setPrompt('> ');
    this.#rl.prompt();
    const aborted = new Promise<undefined>((resolve) =>
      signal.addEventListener('abort', () => resolve(undefined), { once: true }),
    );
    const next = this.#lines!.next().then((result) => {
      const line = result.done ? undefined : result.value;
      // A terminal echoes what was typed; piped input is echoed here so the transcript reads the same.
      if (process.stdin.isTTY !== true) process.stdout.write(`${line ?? ''}\n`);
      return line;
    });
    return Promise.race([next, aborted]);
  }

  /** Releases stdin. */
  close(): void {
    this.#rl?.close();
    this.#rl = undefined;
    this.#lines = undefined;
  }
}
