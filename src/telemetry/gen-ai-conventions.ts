/**
 * Names from the OpenTelemetry GenAI semantic conventions (spans, attributes, metrics) and
 * durable-handoff's own, in one place. The GenAI conventions are still "development" in
 * `@opentelemetry/semantic-conventions` (its incubating entry, which is not meant to be depended
 * on), so the names are written out here.
 */

export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  agentName: 'gen_ai.agent.name',
  conversationId: 'gen_ai.conversation.id',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  toolCallId: 'gen_ai.tool.call.id',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  tokenType: 'gen_ai.token.type',
  errorType: 'error.type',
} as const;

/** `gen_ai.operation.name` values (`invoke_workflow` names the run's root span). */
export const OPERATION = {
  chat: 'chat',
  invokeAgent: 'invoke_agent',
  executeTool: 'execute_tool',
  invokeWorkflow: 'invoke_workflow',
} as const;

/** durable-handoff's own attributes. */
export const HANDOFF = {
  workflow: 'durable_handoff.workflow',
  runId: 'durable_handoff.run.id',
  turn: 'durable_handoff.turn',
  mode: 'durable_handoff.mode',
  stopReason: 'durable_handoff.stop_reason',
  outcome: 'durable_handoff.turn.outcome',
  resumed: 'durable_handoff.turn.resumed',
  source: 'durable_handoff.handoff.source',
  target: 'durable_handoff.handoff.target',
  reason: 'durable_handoff.handoff.reason',
  requestId: 'durable_handoff.request.id',
  requestKind: 'durable_handoff.request.kind',
  waitSeconds: 'durable_handoff.wait.seconds',
  waitOutcome: 'durable_handoff.wait.outcome',
  step: 'durable_handoff.step',
  replayed: 'durable_handoff.replayed',
  /** On a link: what the linked span is to this one (`run`: the run's root; `start_request`). */
  linkedAs: 'durable_handoff.link',
} as const;

/** Metric names: the GenAI client metrics and the run metrics. */
export const METRIC = {
  tokenUsage: 'gen_ai.client.token.usage',
  operationDuration: 'gen_ai.client.operation.duration',
  runsStarted: 'durable_handoff.runs.started',
  runsFinished: 'durable_handoff.runs.finished',
  handoffs: 'durable_handoff.handoffs',
  humanWait: 'durable_handoff.human.wait.duration',
} as const;

/** The instrumentation scope of every span and metric. */
export const SCOPE_NAME = 'durable-handoff';
