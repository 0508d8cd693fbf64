import { pairedReplayRatios } from '../../src/ours-only/long-conversation/replay-timing';

describe('replay ratios', () => {
  it('divides the times of the same round', () => {
    const late = { turn: 60, historyLength: 86, payloadBytes: 1, samples: [3, 4, 10] };
    const early = { turn: 5, historyLength: 22, payloadBytes: 1, samples: [1, 2, 2] };

    expect(pairedReplayRatios(late, early)).toEqual([3, 2, 5]);
  });
});
