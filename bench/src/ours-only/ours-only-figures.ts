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
  'replay_ms_per_turn_at_turn_5',
  'replay_ms_per_turn_at_turn_60',
  'replay_growth_turn_60_vs_5',
  'cold_start_ms',
] as const;

/** An ours-only figure id. */
export type OursOnlyFigureId = (typeof OURS_ONLY_FIGURE_IDS)[number];

/** Label and unit of each figure, as the table prints them. */
export const OURS_ONLY_FIGURES: Readonly<Record<OursOnlyFigureId, { label: string; unit: string }>> = {
  history_bytes_per_turn: { label: 'durable history bytes written per agent turn', unit: 'bytes' },
  new_content_bytes_per_turn: { label: "the turn's new content (messages added), JSON", unit: 'bytes' },
  history_bytes_vs_new_content: { label: 'history bytes per turn / new content bytes per turn', unit: 'x' },
  replay_ms_per_turn_at_turn_5: { label: 'orchestrator replay time per turn, at turn 5', unit: 'ms' },
  replay_ms_per_turn_at_turn_60: { label: 'orchestrator replay time per turn, at turn 60', unit: 'ms' },
  replay_growth_turn_60_vs_5: { label: 'replay per turn, turn 60 / turn 5 (paired samples)', unit: 'x' },
  cold_start_ms: { label: 'app cold start: load every function module', unit: 'ms' },
};
