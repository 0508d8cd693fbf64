import type { WorkflowEvent } from '../../src/core/events';
import type { AgentResponseDelta } from '../../src/core/response-delta';
import { AnswerPrinter } from '../../scripts/demo/answer-printer';

const at = { timestamp: '2026-01-01T00:00:00.000Z' };
const delta = (text: string, attempt = 1, agent = 'shipping_agent', turn = 2): AgentResponseDelta => ({
  type: 'agent_response_delta',
  agent,
  turn,
  attempt,
  delta: text,
});
const answer = (text: string, agent = 'shipping_agent'): WorkflowEvent => ({
  type: 'agent_response',
  seq: 9,
  ...at,
  agent,
  text,
});

/** A terminal: what was written, in order, `write` pieces as they came and `line` with its break. */
function terminal() {
  const writes: string[] = [];
  const printer = new AnswerPrinter({
    write: (text) => writes.push(text),
    line: (text) => writes.push(`${text}\n`),
  });
  return { printer, writes, screen: () => writes.join('') };
}

describe('the demo answer printer', () => {
  it('writes each piece as it comes on one line, which the answer ends', () => {
    const { printer, writes, screen } = terminal();
    printer.delta(delta('Your'));
    expect(screen()).toBe('💬 shipping_agent: Your');
    printer.delta(delta(' package ships.'));
    expect(writes.at(-1)).toBe(' package ships.');
    printer.event(answer('Your package ships.'));
    expect(screen()).toBe('💬 shipping_agent: Your package ships.\n');
    expect(printer.printed('shipping_agent', 'Your package ships.')).toBe(true);
  });

  it('starts a new line when a retried attempt starts the answer again', () => {
    const { printer, screen } = terminal();
    printer.delta(delta('Your pack'));
    printer.delta(delta('Your package ships.', 2));
    printer.delta(delta('stale piece of attempt 1'));
    printer.event(answer('Your package ships.'));
    expect(screen()).toBe(
      '💬 shipping_agent: Your pack\n' +
        '↻ shipping_agent starts its answer again (attempt 2)\n' +
        '💬 shipping_agent: Your package ships.\n',
    );
  });

  it('finishes an answer whose preview showed only its start, and prints one that had none', () => {
    const { printer, screen } = terminal();
    printer.delta(delta('Your package'));
    printer.event(answer('Your package ships today.'));
    printer.event(answer('How can I help?', 'coordinator_agent'));
    expect(screen()).toBe(
      '💬 shipping_agent: Your package ships today.\n💬 coordinator_agent: How can I help?\n',
    );
  });

  it('shows the answers of one turn as previewed, a blank line apart, and ends the line after the last', () => {
    const { printer, screen } = terminal();
    printer.delta(delta('Let me check.'));
    printer.delta(delta('\n\nIt ships today.'));
    printer.event(answer('Let me check.'));
    expect(screen().endsWith('\n')).toBe(false);
    printer.event(answer('It ships today.'));
    expect(screen()).toBe('💬 shipping_agent: Let me check.\n\nIt ships today.\n');
  });

  it('closes a preview that no answer followed when the run reports an error', () => {
    const { printer, screen } = terminal();
    printer.delta(delta('I will now say'));
    printer.event({ type: 'error', seq: 9, ...at, code: 'content_filter', message: 'Filtered.' });
    printer.event(answer('Later answer', 'refund_agent'));
    expect(screen()).toBe('💬 shipping_agent: I will now say\n💬 refund_agent: Later answer\n');
  });
});
