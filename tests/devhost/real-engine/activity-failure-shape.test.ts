/**
 * What a failed activity looks like to the orchestrator that catches it, on each engine (issue 10,
 * divergence 10): the activity-failure fixture's `catchActivityFailure` calls an activity that throws a
 * `RefundDeclinedError` and returns what it caught. durable-functions builds that error from the
 * TaskFailed history event it is given: a `TaskFailedError` when the event carries FailureDetails,
 * else a plain `Error` from its Reason and Details.
 */
import path from 'node:path';
import { enginesHere, useEngineHost } from './engine-host';

const APP = path.join(__dirname, '../../fixtures/apps/activity-failure');

jest.setTimeout(180_000);

describe.each(enginesHere())('a failed activity caught by the orchestrator (%s engine)', (engine) => {
  const h = useEngineHost(engine, APP);

  it("reaches it as a plain Error (not TaskFailedError) with the activity's failure and details in its message", async () => {
    const id = await h().start('catchActivityFailure', '12345');
    const done = await h().finished(id);
    expect(done.runtimeStatus).toBe('Completed');
    const caught = done.output as {
      caught: boolean;
      isError: boolean;
      isTaskFailedError: boolean;
      name: string;
      message: string;
      taskName: string | null;
      failureDetails: unknown;
    };
    // The history the extension hands a Node orchestrator has no FailureDetails (those come with
    // the gRPC protocol of the isolated worker), so durable-functions falls back to Reason + Details.
    expect(caught).toMatchObject({
      caught: true,
      isError: true,
      isTaskFailedError: false,
      name: 'Error',
      taskName: null,
      failureDetails: null,
    });
    const [reason, details] = caught.message.split(' \n ') as [string, string];
    expect(reason).toBe("Activity function 'declineRefund' failed:  order 12345 cannot be refunded");
    // Details: the serialized .NET exception; the app's error class survives only in the stack text
    // of its inner exception (whose type differs, as devhost/README.md's list of differences says).
    const exception = JSON.parse(details) as { Message: string; InnerException: { Message: string } };
    expect(exception.Message).toBe(' order 12345 cannot be refunded');
    expect(exception.InnerException.Message).toMatch(
      /^Result: Failure\nException: order 12345 cannot be refunded\nStack: RefundDeclinedError: order 12345 cannot be refunded\n/,
    );
  });
});
