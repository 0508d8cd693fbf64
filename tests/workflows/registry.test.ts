import { agent } from '../../src/core/agent';
import { WorkflowDefinitionError, WorkflowInputError } from '../../src/core/errors';
import { HandoffBuilder } from '../../src/workflows/handoff-builder';
import { WorkflowRegistry } from '../../src/workflows/registry';

const solo = agent({ name: 'helper', instructions: 'Help.' });
const make = (name: string) => new HandoffBuilder({ name }).participants([solo]).withStartAgent(solo).build();

describe('WorkflowRegistry', () => {
  it('finds registered workflows by name and lists them in registration order', () => {
    const registry = new WorkflowRegistry().register(make('billing')).register(make('support'));
    expect(registry.has('support')).toBe(true);
    expect(registry.has('sales')).toBe(false);
    expect(registry.get('billing').name).toBe('billing');
    expect(registry.list().map((w) => w.name)).toEqual(['billing', 'support']);
  });

  it('rejects a second workflow with a name already registered', () => {
    const registry = new WorkflowRegistry().register(make('support'));
    expect(() => registry.register(make('support'))).toThrow(WorkflowDefinitionError);
    expect(() => registry.register(make('support'))).toThrow(
      "A workflow named 'support' is already registered",
    );
  });

  it('names the registered workflows when asked for an unknown one', () => {
    const registry = new WorkflowRegistry().register(make('billing')).register(make('support'));
    expect(() => registry.get('sales')).toThrow(WorkflowInputError);
    expect(() => registry.get('sales')).toThrow(
      'Unknown workflow "sales". Registered workflows: billing, support.',
    );
    expect(() => new WorkflowRegistry().get('sales')).toThrow('Registered workflows: none.');
  });
});
