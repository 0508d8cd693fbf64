/**
 * The run timeline panel: a Gantt-style chart of a finished run (see `run-timeline.ts`), placed
 * after the conversation. Bars are positioned through the CSSOM (the page's policy allows no inline
 * style markup); text goes in through `textContent`.
 */
import type { WorkflowEvent } from 'durable-handoff/client';
import { element } from './dom.js';
import { formatDuration, runTimeline } from './run-timeline.js';

const PANEL_ID = 'timeline';

/** Shows the timeline of `events` after `#conversation` (replacing an earlier one). */
export function showTimeline(events: readonly WorkflowEvent[]): void {
  hideTimeline();
  const { entries, totalMs } = runTimeline(events);
  if (entries.length === 0) return;
  const panel = element('section', 'panel timeline');
  panel.id = PANEL_ID;
  panel.setAttribute('aria-labelledby', 'timeline-title');
  const title = element('h2', '', `Run timeline · ${formatDuration(totalMs)}`);
  title.id = 'timeline-title';
  panel.append(title);
  const list = element('ol', 'timeline-rows');
  const scale = totalMs > 0 ? totalMs : 1;
  for (const entry of entries) {
    const row = element('li', `timeline-row timeline-${entry.kind}`);
    const duration = entry.endMs - entry.startMs;
    const label = element(
      'span',
      'timeline-label',
      `${entry.label}${entry.detail ? ` (${entry.detail})` : ''}`,
    );
    const track = element('span', 'timeline-track');
    const bar = element('span', 'timeline-bar');
    bar.style.left = `${(entry.startMs / scale) * 100}%`;
    bar.style.width = `${Math.max((duration / scale) * 100, 0.6)}%`;
    bar.title = `${entry.label}: ${formatDuration(duration)}`;
    track.append(bar);
    const time = element(
      'span',
      'timeline-duration',
      entry.kind === 'handoff' ? '' : formatDuration(duration),
    );
    row.append(label, track, time);
    list.append(row);
  }
  panel.append(list);
  document.getElementById('conversation')?.after(panel);
}

/** Removes the timeline panel, if shown. */
export function hideTimeline(): void {
  document.getElementById(PANEL_ID)?.remove();
}
