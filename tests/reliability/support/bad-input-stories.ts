/**
 * The runs of the bad-input test: three in progress that the corpus must not harm, one the flood
 * targets, and one that has ended before the corpus starts.
 */
import type { Story } from './run-stories';

/** Stands for the one flood reply the run takes, whichever it is. */
export const FLOOD_REPLY = '(one flood reply)';

/** Runs in progress during the corpus; each must end exactly as its story says. */
export const PROTECTED: Story[] = [
  {
    tag: '[P1]',
    mode: 'human_in_loop',
    steps: [
      { kind: 'customer', text: '[P1] My parcel for order #777 has not arrived.' },
      { kind: 'answer', agent: 'coordinator_agent', text: '[P1] Which order number is it?' },
      { kind: 'human', text: '[P1] Order #777.' },
      { kind: 'handoff', agent: 'coordinator_agent', target: 'shipping_agent' },
      { kind: 'answer', agent: 'shipping_agent', text: '[P1] Order #777 will be delivered on Friday.' },
    ],
  },
  {
    tag: '[P2]',
    mode: 'human_in_loop',
    steps: [
      { kind: 'customer', text: '[P2] I would like my money back for order #888.' },
      { kind: 'handoff', agent: 'coordinator_agent', target: 'refund_agent' },
      { kind: 'answer', agent: 'refund_agent', text: '[P2] Why are you returning order #888?' },
      { kind: 'human', text: '[P2] It arrived broken.' },
      { kind: 'answer', agent: 'refund_agent', text: '[P2] Order #888 has been refunded.' },
    ],
  },
  {
    // Autonomous and slow (SLOW_MS per call): it works while the corpus runs.
    tag: '[P3]',
    mode: 'autonomous',
    steps: [
      { kind: 'customer', text: '[P3] The app crashes when I sync.' },
      { kind: 'handoff', agent: 'coordinator_agent', target: 'technical_agent' },
      { kind: 'answer', agent: 'technical_agent', text: '[P3] Let me look at the crash logs.' },
      { kind: 'synthetic' },
      {
        kind: 'answer',
        agent: 'technical_agent',
        text: '[P3] The sync crash is gone in version 2.2: fixed.',
      },
    ],
  },
];
/** How long each model call of [P3] takes, so it works while the corpus runs. */
export const SLOW_MS = 2_000;

/** The run the flood targets; its human reply is whichever flood reply wins ({@link FLOOD_REPLY}). */
export const FLOODED: Story = {
  tag: '[F]',
  mode: 'human_in_loop',
  steps: [
    { kind: 'customer', text: '[F] Refund my order #999, please.' },
    { kind: 'answer', agent: 'coordinator_agent', text: '[F] Which reason should I note for order #999?' },
    { kind: 'human', text: FLOOD_REPLY },
    { kind: 'answer', agent: 'coordinator_agent', text: '[F] Order #999 has been refunded.' },
  ],
};

/** A run that has ended before the corpus. */
export const ENDED: Story = {
  tag: '[X]',
  mode: 'autonomous',
  steps: [
    { kind: 'customer', text: '[X] Where is order #5?' },
    { kind: 'handoff', agent: 'coordinator_agent', target: 'shipping_agent' },
    { kind: 'answer', agent: 'shipping_agent', text: '[X] Order #5 will be delivered today.' },
  ],
};
