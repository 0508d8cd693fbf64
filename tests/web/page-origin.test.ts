import { onPageOrigin } from '../../web/src/page-origin';

describe('onPageOrigin', () => {
  it("moves a run link to the page's origin, keeping its path and query", () => {
    expect(
      onPageOrigin(
        'http://internal:7071/api/workflows/customer_support/events/run-1?x=1',
        'https://chat.example.com',
      ),
    ).toBe('https://chat.example.com/api/workflows/customer_support/events/run-1?x=1');
  });
});
