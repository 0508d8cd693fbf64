import { BenchError } from '../../src/bench-error';
import { type BenchModelServer, startBenchModelServer } from '../../src/model-server/bench-model-server';
import { CHAIN_SCENARIO, HANDOFF_SCENARIO } from '../../src/scenario/scenarios';
import { supportAgent } from '../../src/scenario/support-agents';
import { functionTool, postChat } from '../chat-request';

describe('bench model server', () => {
  let server: BenchModelServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const system = (name: Parameters<typeof supportAgent>[0]) => ({
    role: 'system',
    content: supportAgent(name).instructions,
  });

  it('hands the coordinator off to shipping_agent under the transfer_to_ name the peers use', async () => {
    server = await startBenchModelServer();

    const answer = await postChat(server.baseUrl, {
      messages: [system('coordinator_agent'), { role: 'user', content: HANDOFF_SCENARIO.userMessage }],
      tools: [functionTool('transfer_to_refund_agent'), functionTool('transfer_to_shipping_agent')],
    });

    expect(answer.toolCalls).toEqual(['transfer_to_shipping_agent']);
  });

  it('hands off under the handoff_to_ name when the agent header says who is calling', async () => {
    server = await startBenchModelServer();

    const answer = await postChat(
      server.baseUrl,
      {
        messages: [
          { role: 'system', content: 'instructions the bench does not know' },
          { role: 'user', content: CHAIN_SCENARIO.userMessage },
        ],
        tools: [functionTool('handoff_to_technical_agent')],
      },
      { 'x-durable-handoff-agent': 'refund_agent' },
    );

    expect(answer.toolCalls).toEqual(['handoff_to_technical_agent']);
  });

  it("answers the last agent of the route with the scenario's final answer", async () => {
    server = await startBenchModelServer();

    const answer = await postChat(server.baseUrl, {
      messages: [
        system('senior_technical_agent'),
        { role: 'user', content: CHAIN_SCENARIO.userMessage },
        { role: 'assistant', content: 'Let me look into it.' },
      ],
    });

    expect(answer.text).toBe(CHAIN_SCENARIO.finalAnswer);
  });

  it('counts the model requests of each run and the time the server spent on them', async () => {
    server = await startBenchModelServer();
    const ask = () =>
      postChat(server!.baseUrl, {
        messages: [system('shipping_agent'), { role: 'user', content: HANDOFF_SCENARIO.userMessage }],
      });

    await ask();
    await ask();
    const first = server.takeUsage();
    await ask();
    const second = server.takeUsage();

    expect(first.modelRequests).toBe(2);
    expect(first.serverMs).toBeGreaterThan(0);
    expect(second.modelRequests).toBe(1);
  });

  it('fails the run loudly when an agent off the route is called, naming the agent and the route', async () => {
    server = await startBenchModelServer();

    const answer = await postChat(server.baseUrl, {
      messages: [system('technical_agent'), { role: 'user', content: HANDOFF_SCENARIO.userMessage }],
    });

    expect(answer.status).toBe(500);
    expect(answer.errorMessage).toContain(
      "technical_agent was called in scenario 'handoff', whose route is coordinator_agent -> shipping_agent",
    );
    expect(() => server!.takeUsage()).toThrow(BenchError);
  });

  it('fails the request when the agent is offered no handoff tool to the next agent, listing the tools offered', async () => {
    server = await startBenchModelServer();

    const answer = await postChat(server.baseUrl, {
      messages: [system('coordinator_agent'), { role: 'user', content: HANDOFF_SCENARIO.userMessage }],
      tools: [functionTool('transfer_to_refund_agent')],
    });

    expect(answer.status).toBe(500);
    expect(answer.errorMessage).toContain(
      "must hand off to shipping_agent in scenario 'handoff', but no handoff tool to it was offered. Tools offered: transfer_to_refund_agent",
    );
  });

  it('fails a conversation that starts with a message of no scenario', async () => {
    server = await startBenchModelServer();

    const answer = await postChat(server.baseUrl, {
      messages: [system('coordinator_agent'), { role: 'user', content: 'hello' }],
    });

    expect(answer.status).toBe(500);
    expect(answer.errorMessage).toContain('starts with "hello", which is no scenario\'s message');
  });
});
