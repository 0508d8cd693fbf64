/**
 * The run timeline panel: a Gantt-style chart of a finished run (the client's `runTimeline`), placed
 * after the conversation. Bars are positioned through the CSSOM (the page's policy allows no inline
 * style markup); text goes in through `textContent`.
 */
import { runTimeline, type TimelineEntry, type WorkflowEvent } from 'durable-handoff/client';
import { element } from './dom.js';

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
    const tokens = element('span', 'timeline-tokens', entry.usage ? usageText(entry.usage) : '');
    if (entry.usage) {
      tokens.title = `${entry.usage.inputTokens} in, ${entry.usage.outputTokens} out`;
    }
    row.append(label, track, time, tokens);
    list.append(row);
  }
  panel.append(list);
  document.getElementById('conversation')?.after(panel);
}

/** A turn's tokens for people: `1,234 tokens · 2 calls` (in and out in the tooltip). */
function usageText(usage: NonNullable<TimelineEntry['usage']>): string {
  const tokens = (usage.inputTokens + usage.outputTokens).toLocaleString('en-US');
  return `${tokens} tokens · ${usage.modelCalls} ${usage.modelCalls === 1 ? 'call' : 'calls'}`;
}

/** A duration for people: `850 ms`, `4.2 s`, `3 min 5 s`, `2 h 10 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Removes the timeline panel, if shown. */
export function hideTimeline(): void {
  document.getElementById(PANEL_ID)?.remove();
}
