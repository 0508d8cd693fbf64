/**
 * The figures only durable-handoff has (the peers have no durable history to measure), by id, with
 * the unit the table prints. Measurements report samples under these ids; the harness summarizes
 * them, prints them and checks the targets in `report/targets.ts`.
 */

/** Ids of the ours-only figures. */
export const OURS_ONLY_FIGURE_IDS = [
  'history_bytes_per_turn',
  'new_content_bytes_per_turn',
  'history_bytes_vs_new_content',
  'history_bytes_vs_new_content_amortized',
  'history_bytes_vs_new_content_short_answers',
  'history_fixed_bytes_per_turn',
  'history_bytes_per_content_byte',
  'continue_as_new_input_bytes',
  'replay_ms_per_turn_at_turn_5',
  'replay_ms_per_turn_at_turn_20',
  'replay_ms_per_turn_at_turn_45',
  'replay_ms_per_turn_at_turn_60',
  'replay_ms_per_turn_at_turn_65',
  'replay_growth_turn_60_vs_5',
  'replay_growth_turn_65_vs_5',
  'replay_growth_turn_60_vs_20',
  'cold_start_ms',
  'first_token_ms_same_instance',
  'first_token_ms_other_instance',
  'worker_cpu_ms_per_turn',
  'app_cpu_ms_per_turn',
  'app_cpu_ms_per_turn_orchestrator',
  'app_cpu_ms_per_turn_activities',
  'app_cpu_ms_per_turn_http',
  'host_cpu_ms_per_turn',
  'bench_client_cpu_ms_per_turn',
  'app_storage_requests_per_turn',
  'engine_storage_requests_per_turn',
  'app_host_requests_per_turn',
] as const;

/** An ours-only figure id. */
export type OursOnlyFigureId = (typeof OURS_ONLY_FIGURE_IDS)[number];

/** Label and unit of each figure, as the table prints them. */
export const OURS_ONLY_FIGURES: Readonly<Record<OursOnlyFigureId, { label: string; unit: string }>> = {
  history_bytes_per_turn: { label: 'durable history bytes written per agent turn', unit: 'bytes' },
  new_content_bytes_per_turn: { label: "the turn's new content (messages added), JSON", unit: 'bytes' },
  history_bytes_vs_new_content: { label: 'history bytes per turn / new content bytes per turn', unit: 'x' },
  history_bytes_vs_new_content_amortized: {
    label: 'all history bytes / all new content, continue-as-new copies included',
    unit: 'x',
  },
  history_bytes_vs_new_content_short_answers: {
    label: 'history bytes per turn / new content, with 120-character answers',
    unit: 'x',
  },
  history_fixed_bytes_per_turn: {
    label: 'history bytes per turn at zero new content (fit over two answer lengths)',
    unit: 'bytes',
  },
  history_bytes_per_content_byte: {
    label: 'history bytes per byte of new content (slope over two answer lengths)',
    unit: 'x',
  },
  continue_as_new_input_bytes: {
    label: 'input of each continue-as-new generation (carries the run state)',
    unit: 'bytes',
  },
  replay_ms_per_turn_at_turn_5: { label: 'orchestrator replay time per turn, at turn 5', unit: 'ms' },
  replay_ms_per_turn_at_turn_20: {
    label: 'orchestrator replay time per turn, at turn 20 (end of generation 1)',
    unit: 'ms',
  },
  replay_ms_per_turn_at_turn_45: {
    label: 'orchestrator replay time per turn, at turn 45 (5th of generation 3)',
    unit: 'ms',
  },
  replay_ms_per_turn_at_turn_60: {
    label: 'orchestrator replay time per turn, at turn 60 (end of generation 3)',
    unit: 'ms',
  },
  replay_ms_per_turn_at_turn_65: {
    label: 'orchestrator replay time per turn, at turn 65 (5th of generation 4)',
    unit: 'ms',
  },
  replay_growth_turn_60_vs_5: { label: 'replay per turn, turn 60 / turn 5 (paired samples)', unit: 'x' },
  replay_growth_turn_65_vs_5: {
    label: 'replay per turn, turn 65 / turn 5: same place in a generation (paired)',
    unit: 'x',
  },
  replay_growth_turn_60_vs_20: {
    label: 'replay per turn, turn 60 / turn 20: same place in a generation (paired)',
    unit: 'x',
  },
  cold_start_ms: { label: 'app cold start: load every function module', unit: 'ms' },
  first_token_ms_same_instance: {
    label: "time to first visible token, reader on the turn's instance (model's first chunk -> SSE client)",
    unit: 'ms',
  },
  first_token_ms_other_instance: {
    label: 'time to first visible token, reader on another instance (model -> run store -> SSE client)',
    unit: 'ms',
  },
  worker_cpu_ms_per_turn: {
    label: 'CPU per agent turn of the process hosting the app (handoff, one run at a time)',
    unit: 'ms',
  },
  app_cpu_ms_per_turn: {
    label: "the app's CPU per agent turn: orchestrator episodes, activities, HTTP functions",
    unit: 'ms',
  },
  app_cpu_ms_per_turn_orchestrator: { label: '  of it in orchestrator episodes', unit: 'ms' },
  app_cpu_ms_per_turn_activities: { label: '  of it in activities (agent turn, finish)', unit: 'ms' },
  app_cpu_ms_per_turn_http: { label: '  of it in HTTP functions (start, status)', unit: 'ms' },
  host_cpu_ms_per_turn: {
    label: "the local host's CPU per agent turn: HTTP front door, emulated durable engine",
    unit: 'ms',
  },
  bench_client_cpu_ms_per_turn: {
    label: "the bench client's CPU per agent turn (HTTP, waitFor)",
    unit: 'ms',
  },
  app_storage_requests_per_turn: { label: "the app's storage requests per agent turn", unit: 'requests' },
  engine_storage_requests_per_turn: {
    label: "the local host's durable storage requests per agent turn",
    unit: 'requests',
  },
  app_host_requests_per_turn: {
    label: "the app's requests to the host's management API per agent turn",
    unit: 'requests',
  },
};
