/**
 * The handoff orchestrator: one generic orchestrator for every workflow (its input names the
 * workflow). It only translates the {@link RunMachine}'s steps into durable tasks and feeds the
 * results back; the decisions live in the machine.
 *
 * @remarks Deterministic by construction: no clocks (time is `context.df.currentUtcDateTime`), no
 * randomness (ids come from `context.df.newGuid`), no I/O, no `await`; it yields only durable tasks.
 * ESLint enforces this for the folder. Recorded histories are replayed in CI.
 */
import type {
  OrchestrationContext,
  OrchestrationHandler,
  RetryOptions,
  Task,
  TimerTask,
} from 'durable-functions';
import { WorkflowInputError } from '../../core/errors';
import { durableRetryOptions } from '../durable-functions-sdk';
import { agentTurnActivity, type AgentTurnOutput } from '../wire/agent-turn-activity';
import { cancelRunEvent } from '../wire/cancel-event';
import { finishRunActivity } from '../wire/finish-run-activity';
import type { OrchestrationInput } from '../wire/orchestration-input';
import type { RunOutput } from '../wire/run-output';
import { syncRunActivity } from '../wire/sync-run-activity';
import { userReplyEvent } from '../wire/user-reply-event';
import { formatIssues } from '../../core/zod-issues';
import { ACTIVITY_ATTEMPTS, failureOfTask } from './failure-of-task';
import { OrchestrationInputReader } from './orchestration-input-reader';
import { RunMachine, type RunEnvironment } from './run-machine';
import { turnOutputOf } from './turn-output';

/** What the orchestrator needs to know of the app's workflows: which names exist. */
export interface WorkflowLookup {
  has(name: string): boolean;
  list(): readonly { name: string }[];
}

/** Retry policy of agent turns and run syncs: first retry after 2 s, then 4, 8, 16 s; 5 attempts in all. */
export function activityRetryOptions(): RetryOptions {
  const options = durableRetryOptions(2000, ACTIVITY_ATTEMPTS);
  options.backoffCoefficient = 2;
  return options;
}

function parseInput(
  inputs: OrchestrationInputReader,
  raw: unknown,
  workflows: WorkflowLookup,
): OrchestrationInput {
  const parsed = inputs.read(raw);
  if (!parsed.success) {
    throw new WorkflowInputError(
      `${formatIssues('The orchestration input is invalid', parsed.error)}. Start runs with startHandoffRun().`,
    );
  }
  const name = parsed.data.plan.workflow;
  if (!workflows.has(name)) {
    const known = workflows
      .list()
      .map((w) => w.name)
      .join(', ');
    throw new WorkflowInputError(`Unknown workflow '${name}'. Registered workflows: ${known || '(none)'}.`);
  }
  return parsed.data;
}

/**
 * Creates the orchestrator function for an app's workflows.
 *
 * @example
 * df.app.orchestration(HANDOFF_ORCHESTRATOR, createHandoffOrchestrator(workflowRegistry));
 */
export function createHandoffOrchestrator(workflows: WorkflowLookup): OrchestrationHandler {
  const inputs = new OrchestrationInputReader();
  return function* handoffOrchestrator(
    context: OrchestrationContext,
  ): Generator<Task, RunOutput | undefined, unknown> {
    const input = parseInput(inputs, context.df.getInput(), workflows);
    let guids = 0;
    // Durable sets a new Date at each replayed episode's start: format each one once, not per event.
    let clock: { date: Date; iso: string } | undefined;
    const env: RunEnvironment = {
      now: () => {
        const date = context.df.currentUtcDateTime;
        if (clock?.date !== date) clock = { date, iso: date.toISOString() };
        return clock.iso;
      },
      newId: () => context.df.newGuid(`request-${(guids += 1)}`),
    };
    const run = input.carried
      ? RunMachine.resume({ ...input, carried: input.carried }, env)
      : RunMachine.start(input, env);
    // A fresh waiter per race: a cancel raised while none waits is buffered and handed to the next one.
    const waitForCancel = (): Task => context.df.waitForExternalEvent(cancelRunEvent.name);

    if (run.isContinuation) {
      // JS continueAsNew drops events that arrived but were not consumed: replies are re-read from the store.
      const synced = yield context.df.callActivityWithRetry(
        syncRunActivity.name,
        activityRetryOptions(),
        run.takeSync(true),
      );
      run.applySync(syncRunActivity.output.parse(synced));
    }

    for (;;) {
      const step = run.next();
      context.df.setCustomStatus(run.status());

      if (step.kind === 'continue_as_new') {
        context.df.continueAsNew(step.input);
        return undefined;
      }

      if (step.kind === 'finished') return run.output();

      if (step.kind === 'finish') {
        const finished = yield context.df.callActivityWithRetry(
          finishRunActivity.name,
          activityRetryOptions(),
          step.finish,
        );
        run.applyFinish(finishRunActivity.output.parse(finished));
        return run.output();
      }

      if (step.kind === 'wait_to_retry') {
        const timer: TimerTask = context.df.createTimer(new Date(step.until));
        const cancel = waitForCancel();
        const winner = (yield context.df.Task.any([timer, cancel])) as Task;
        if (winner === cancel) {
          timer.cancel();
          run.applyCancel(cancelRunEvent.payload.parse(cancel.result ?? {}).reason);
        } else {
          run.retryNow();
        }
        continue;
      }

      if (step.kind === 'agent_turn') {
        const turn = context.df.callActivityWithRetry(
          agentTurnActivity.name,
          activityRetryOptions(),
          step.input,
        );
        const cancel = waitForCancel();
        let winner: Task;
        try {
          winner = (yield context.df.Task.any([turn, cancel])) as Task;
        } catch (error) {
          const failure = failureOfTask(error);
          run.applyTurnFailure(failure.code, failure.message);
          continue;
        }
        if (winner === cancel) {
          run.applyCancel(cancelRunEvent.payload.parse(cancel.result ?? {}).reason);
          continue;
        }
        if (turn.isFaulted) {
          const failure = failureOfTask(turn.result);
          run.applyTurnFailure(failure.code, failure.message);
          continue;
        }
        const output: AgentTurnOutput = turnOutputOf(turn.result);
        run.applyTurn(output);
        continue;
      }

      // await_reply: make the request visible, then wait for a reply, the deadline or a cancel.
      const synced = yield context.df.callActivityWithRetry(
        syncRunActivity.name,
        activityRetryOptions(),
        step.sync,
      );
      run.applySync(syncRunActivity.output.parse(synced));
      context.df.setCustomStatus(run.status());
      for (;;) {
        const queued = run.takeQueuedReply();
        if (queued) {
          if (run.applyReply(queued) === 'accepted') break;
          continue;
        }
        const deadline: TimerTask = context.df.createTimer(new Date(step.request.deadline));
        const reply = context.df.waitForExternalEvent(userReplyEvent.name);
        const cancel = waitForCancel();
        const winner = (yield context.df.Task.any([reply, deadline, cancel])) as Task;
        if (winner === deadline) {
          run.applyReplyTimeout();
          break;
        }
        deadline.cancel();
        if (winner === cancel) {
          run.applyCancel(cancelRunEvent.payload.parse(cancel.result ?? {}).reason);
          break;
        }
        const parsed = userReplyEvent.payload.safeParse(reply.result);
        if (!parsed.success) {
          run.ignoreMalformedReply(formatIssues('Ignored a malformed reply', parsed.error));
          continue;
        }
        if (run.applyReply(parsed.data) === 'accepted') break;
      }
    }
  };
}
