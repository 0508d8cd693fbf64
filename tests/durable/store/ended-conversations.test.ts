import { EndedConversations } from '../../../src/durable/store/ended-conversations';

const said = (text: string) => [{ role: 'user' as const, authorName: 'user', text }];

describe('the conversations of ended runs a process keeps', () => {
  it('keeps the most recent runs, up to their number and their text', () => {
    const kept = new EndedConversations(2, 100);
    kept.remember('a', said('a'));
    kept.remember('b', said('b'));
    kept.remember('c', said('c'));
    expect([kept.get('a'), kept.get('b'), kept.get('c')]).toEqual([undefined, said('b'), said('c')]);
    // Ten characters each at most (a tenth of the budget): the run that ended longest ago goes first.
    const byText = new EndedConversations(100, 100);
    for (let i = 0; i < 11; i += 1) byText.remember(`run-${i}`, said('x'.repeat(10)));
    expect(byText.get('run-0')).toBeUndefined();
    expect(byText.get('run-1')).toEqual(said('x'.repeat(10)));
    expect(byText.get('run-10')).toEqual(said('x'.repeat(10)));
  });

  it('does not keep a conversation longer than a tenth of its budget', () => {
    const kept = new EndedConversations(10, 100);
    kept.remember('long', said('x'.repeat(11)));
    expect(kept.get('long')).toBeUndefined();
  });

  it('keeps a run once, whoever stored its end again', () => {
    const kept = new EndedConversations(2, 100);
    kept.remember('a', said('a'));
    kept.remember('a', said('a'));
    kept.remember('b', said('b'));
    expect([kept.get('a'), kept.get('b')]).toEqual([said('a'), said('b')]);
  });
});
