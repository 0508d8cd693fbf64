/**
 * An ours-only child process: does the task named by its first argument with the options in its
 * second (JSON), sends one message with the samples (or the failure) and exits.
 */
import { costSplitTask } from '../cost-split/cost-split-task';
import { longConversationTask } from '../long-conversation/long-conversation-task';
import { type ChildReply, ChildOptionsSchema, CHILD_TASKS } from './child-protocol';

async function main(): Promise<ChildReply> {
  const task = process.argv[2];
  if (!CHILD_TASKS.some((known) => known === task)) {
    return { type: 'failed', message: `Unknown task '${String(task)}'. Tasks: ${CHILD_TASKS.join(', ')}.` };
  }
  const options = ChildOptionsSchema.parse(JSON.parse(process.argv[3] ?? '{}'));
  if (task === 'cost-split') {
    if (options.model === undefined) return { type: 'failed', message: 'The cost-split task needs a model.' };
    return { type: 'done', samples: await costSplitTask(options.model, options.rounds) };
  }
  return { type: 'done', samples: await longConversationTask(options.rounds) };
}

main()
  .catch((error: unknown): ChildReply => ({
    type: 'failed',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  }))
  .then((reply) => process.send?.(reply, () => process.exit(0)));
