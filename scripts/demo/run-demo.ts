/**
 * The demo run: start the host, start the workflow through the client over HTTP, print its events
 * as the article does, answer questions in interactive mode, print the conversation history.
 */
import type { RunningHost } from '../../devhost/host';
import { HandoffClient } from '../../src/client/handoff-client';
import { HandoffApiError } from '../../src/client/handoff-api-error';
import type { RunHandle } from '../../src/client/api-schemas';
import type { WorkflowEvent, WorkflowEventOf } from '../../src/core/events';
import { AnswerPrinter } from './answer-printer';
import {
  approvalLines,
  bannerLines,
  eventLine,
  failedExecutorLine,
  historyLines,
  parseApprovalAnswer,
  problemLine,
  questionLines,
} from './console-view';
import type { DemoArgs } from './demo-args';
import { startDemoHost } from './demo-host';
import { TerminalInput } from './terminal-input';

/** Exit codes of the demo. */
export const EXIT = { completed: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** Where the demo writes. */
export interface DemoOutput {
  out(line: string): void;
  /** Writes to stdout without a line break (an answer as it is written). */
  write(text: string): void;
  err(line: string): void;
}

/**
 * Runs the demo to its end and returns the exit code. `interrupt` aborts on Ctrl-C: the stream
 * stops, the run is left behind with the in-memory host, and the host stops.
 */
export async function runDemo(
  args: DemoArgs,
  output: DemoOutput,
  interrupt: AbortController,
): Promise<number> {
  let host: RunningHost | undefined;
  const input = new TerminalInput();
  try {
    host = await startDemoHost({ verbose: args.verbose });
    if (interrupt.signal.aborted) return EXIT.interrupted;
    // The function key opens the start route even when the app requires one (DURABLE_HANDOFF_START_AUTH_LEVEL).
    const client = new HandoffClient({ baseUrl: host.baseUrl, functionKey: host.functionKey });
    const run = await client.startRun(args.workflow, {
      message: args.message,
      mode: args.interactive ? 'human_in_loop' : 'autonomous',
      signal: interrupt.signal,
    });
    for (const line of bannerLines(args.message)) output.out(line);
    const ending = await followAndAnswer(client, run, args, output, input, interrupt.signal);
    if (ending === undefined) return EXIT.interrupted;
    for (const line of historyLines(ending.conversation)) output.out(line);
    return ending.stopReason === 'error' || ending.stopReason === 'cancelled' ? EXIT.failed : EXIT.completed;
  } catch (error) {
    if (interrupt.signal.aborted) return EXIT.interrupted;
    if (HandoffApiError.isInstance(error) && error.code === 'workflow_not_found') {
      output.err(error.message);
      return EXIT.usage;
    }
    output.err(`The demo failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  } finally {
    input.close();
    await host?.stop();
  }
}

/** Streams the run, printing and answering; the output event, or undefined when interrupted. */
async function followAndAnswer(
  client: HandoffClient,
  run: RunHandle,
  args: DemoArgs,
  output: DemoOutput,
  input: TerminalInput,
  signal: AbortSignal,
): Promise<WorkflowEventOf<'output'> | undefined> {
  let ending: WorkflowEventOf<'output'> | undefined;
  const answers = new AnswerPrinter({
    write: (text) => output.write(text),
    line: (text) => output.out(text),
  });
  let previous: WorkflowEvent | undefined;
  try {
    for await (const event of client.runStream(run, { signal, deltas: true })) {
      if (event.type === 'agent_response_delta') {
        answers.delta(event);
        continue;
      }
      answers.event(event);
      const line =
        event.type === 'executor_completed' && previous?.type === 'error'
          ? failedExecutorLine(event)
          : eventLine(event);
      previous = event;
      if (line !== undefined) output.out(line);
      if (event.type === 'warning' || event.type === 'error') output.err(problemLine(event));
      if (event.type === 'output') ending = event;
      if (event.type !== 'request_info') continue;
      if (!args.interactive) {
        output.out(`${event.agent} asks for input; run with --interactive to answer. Ending the run.`);
        await client.terminate(run, { signal });
        continue;
      }
      const approval = event.kind === 'tool_approval';
      const lines = approval
        ? approvalLines(event)
        : questionLines(event, answers.printed(event.agent, event.prompt));
      for (const line of lines) output.out(line);
      let answer = await input.readLine(signal);
      let decision = answer === undefined ? undefined : parseApprovalAnswer(answer);
      while (approval && answer !== undefined && answer.trim() !== '' && decision === undefined) {
        output.out('Type y to approve, or n (and a reason) to reject.');
        answer = await input.readLine(signal);
        decision = answer === undefined ? undefined : parseApprovalAnswer(answer);
      }
      if (signal.aborted) return undefined;
      if (answer === undefined || answer.trim() === '') {
        output.out('No answer: ending the run.');
        await client.terminate(run, { signal });
        continue;
      }
      if (approval && decision) await client.respond(run, decision, { requestId: event.requestId, signal });
      else await client.respond(run, answer, { requestId: event.requestId, signal });
    }
  } catch (error) {
    if (signal.aborted) return undefined;
    throw error;
  }
  return ending;
}
