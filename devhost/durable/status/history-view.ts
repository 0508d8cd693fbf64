/**
 * The history the management API shows (`DurableClient.GetDurableOrchestrationStatusAsync`):
 * event types by name, OrchestratorStarted/Completed and matched TaskScheduled rows removed,
 * completions annotated with the function name and scheduled time, ids and replay flags dropped,
 * results shown only with `showHistoryOutput`, inputs only with `showInput`.
 */
import { EventType, eventTypeName, OrchestrationStatusCode } from '../history/event-type';
import type { HistoryEvent } from '../history/history-event';
import { parseToJToken } from './instance-status';

const statusNames = new Map<number, string>(
  Object.entries(OrchestrationStatusCode).map(([name, value]) => [value, name]),
);

/** Options of {@link historyView}. */
export interface HistoryViewOptions {
  showHistoryOutput: boolean;
  showInput: boolean;
}

/** Transforms an execution's history for the status payload. */
export function historyView(
  history: readonly HistoryEvent[],
  options: HistoryViewOptions,
): Record<string, unknown>[] {
  const scheduled = new Map<
    number,
    { index: number; name: string; timestamp: string; input: string | null }
  >();
  const removed = new Set<number>();
  const items: Record<string, unknown>[] = history.map((event) => ({ ...event }));

  history.forEach((event, index) => {
    const item = items[index]!;
    item.EventType = eventTypeName(event.EventType);
    switch (event.EventType) {
      case EventType.TaskScheduled:
        scheduled.set(event.EventId, {
          index,
          name: event.Name,
          timestamp: event.Timestamp,
          input: event.Input,
        });
        delete item.Version;
        break;
      case EventType.TaskCompleted:
      case EventType.TaskFailed: {
        const origin = scheduled.get(event.TaskScheduledId);
        if (origin) {
          item.ScheduledTime = origin.timestamp;
          item.FunctionName = origin.name;
          if (options.showInput) item.Input = origin.input;
          removed.add(origin.index);
        }
        delete item.TaskScheduledId;
        if (event.EventType === EventType.TaskCompleted) {
          if (options.showHistoryOutput) item.Result = parseToJToken(event.Result);
          else delete item.Result;
        }
        break;
      }
      case EventType.ExecutionStarted:
        item.FunctionName = event.Name;
        delete item.Name;
        delete item.OrchestrationInstance;
        delete item.ParentInstance;
        delete item.Version;
        delete item.Tags;
        break;
      case EventType.ExecutionCompleted:
        item.OrchestrationStatus = statusNames.get(event.OrchestrationStatus) ?? event.OrchestrationStatus;
        if (options.showHistoryOutput) item.Result = parseToJToken(event.Result);
        else delete item.Result;
        break;
      case EventType.TimerFired:
        delete item.TimerId;
        break;
      case EventType.OrchestratorStarted:
      case EventType.OrchestratorCompleted:
        removed.add(index);
        break;
      default:
        break;
    }
    if (!options.showInput) delete item.Input;
    delete item.EventId;
    delete item.IsPlayed;
  });
  return items.filter((_, index) => !removed.has(index));
}
