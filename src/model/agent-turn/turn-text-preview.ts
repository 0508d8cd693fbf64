/**
 * The text a turn shows while the model writes it. A turn may call the model more than once (a
 * message with text and a tool call, then the answer after the tool's result); the turn's events
 * show each non-blank text as its own `agent_response`, and the preview shows them as one text,
 * separated by a blank line.
 */

/** The separator between two answers of one turn in its preview. */
export const PREVIEW_SEPARATOR = '\n\n';

/** Hands out, per model call, the `onTextDelta` that feeds the turn's preview. */
export function turnTextPreview(onText: (delta: string) => void): { forNextCall(): (delta: string) => void } {
  let shown = false;
  return {
    forNextCall() {
      let started = false;
      // Whitespace before a call's first word waits for it: a blank answer shows nothing.
      let held = '';
      return (delta: string) => {
        if (started) {
          onText(delta);
          return;
        }
        held += delta;
        if (held.trim() === '') return;
        started = true;
        const lead = shown ? PREVIEW_SEPARATOR : '';
        shown = true;
        onText(lead + held);
      };
    },
  };
}
