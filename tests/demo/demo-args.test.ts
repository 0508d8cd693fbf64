import { DEFAULT_DEMO_MESSAGE, DemoUsageError, parseDemoArgs } from '../../scripts/demo/demo-args';

describe('the demo command line', () => {
  it("runs the article's customer issue on customer_support, autonomously, when given nothing", () => {
    expect(parseDemoArgs([])).toEqual({
      help: false,
      interactive: false,
      verbose: false,
      workflow: 'customer_support',
      message: DEFAULT_DEMO_MESSAGE,
    });
  });

  it('joins the words of an unquoted message and reads the short options', () => {
    expect(parseDemoArgs(['-i', '-w', 'support_desk', 'I', 'want', 'a', 'refund'])).toMatchObject({
      interactive: true,
      workflow: 'support_desk',
      message: 'I want a refund',
    });
  });

  it('rejects an unknown option, an empty message and a malformed workflow name, saying which', () => {
    expect(() => parseDemoArgs(['--fast'])).toThrow(DemoUsageError);
    expect(() => parseDemoArgs(['   '])).toThrow('the message must not be empty');
    expect(() => parseDemoArgs(['--workflow', 'a b'])).toThrow('the workflow name must be');
  });
});
