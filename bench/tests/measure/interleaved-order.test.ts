import { roundOrder } from '../../src/measure/interleaved-order';

describe('roundOrder', () => {
  it('starts each round with the next framework, so none always follows the same neighbour', () => {
    const frameworks = ['a', 'b', 'c'];

    expect([0, 1, 2, 3].map((round) => roundOrder(frameworks, round).join(''))).toEqual([
      'abc',
      'bca',
      'cab',
      'abc',
    ]);
  });

  it('returns no order for no frameworks', () => {
    expect(roundOrder([], 4)).toEqual([]);
  });
});
