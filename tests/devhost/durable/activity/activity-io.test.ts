import {
  activityFailure,
  activityResultJson,
  activityTriggerData,
  structuredFailureDetails,
} from '../../../../devhost/durable/activity/activity-io';

describe('activity input and output encoding', () => {
  it('hands the worker the JSON text of an object input and the quoted text of a string input', () => {
    expect(activityTriggerData('[{"city":"x"}]')).toEqual({ string: '{"city":"x"}' });
    expect(activityTriggerData('["\\"tokyo\\""]')).toEqual({ string: '"tokyo"' });
    expect(activityTriggerData('[null]')).toEqual({});
    expect(activityTriggerData(null)).toEqual({});
  });

  it('stores results as the host serializes them', () => {
    expect(activityResultJson({ string: '{"looks":"like json"}' })).toBe('"{\\"looks\\":\\"like json\\"}"');
    expect(activityResultJson({ json: '{"a":1}' })).toBe('{"a":1}');
    expect(activityResultJson({ int: 42 })).toBe('42');
    expect(activityResultJson({ bytes: new Uint8Array([104, 105]) })).toBe('"aGk="');
    expect(activityResultJson(undefined)).toBe('null');
  });

  it("words a failure like the extension, with the two spaces after 'failed:'", () => {
    const failure = activityFailure('charge', {
      message: 'card declined',
      stack: 'Error: card declined\n at x',
    });
    expect(failure.reason).toBe("Activity function 'charge' failed:  card declined");
    expect(JSON.parse(failure.details)).toMatchObject({
      Message: ' card declined',
      ClassName: 'System.Exception',
    });
  });

  it('reads structured failure details from a worker message as the extension 3.19 does, and only those', () => {
    const json = JSON.stringify({
      errorType: 'OrderRefusedError',
      errorMessage: 'refused',
      stackTrace: 'OrderRefusedError: refused\n at x',
      isNonRetriable: false,
      properties: { orderId: 'o-1' },
    });
    const expected = {
      ErrorType: 'OrderRefusedError',
      ErrorMessage: 'refused',
      StackTrace: 'OrderRefusedError: refused\n at x',
      InnerFailure: null,
      IsNonRetriable: false,
      Properties: { orderId: 'o-1' },
    };
    expect(structuredFailureDetails(json)).toEqual(expected);
    expect(structuredFailureDetails(`ActivityMiddleware.StructuredActivityFailure: ${json}\nmore`)).toEqual(
      expected,
    );
    expect(structuredFailureDetails('card declined')).toBeUndefined();
    expect(structuredFailureDetails('{not json')).toBeUndefined();
    expect(structuredFailureDetails(JSON.stringify({ errorType: 'E', surprise: 1 }))).toBeUndefined();
    expect(structuredFailureDetails(' {"errorType":"E"}')).toBeUndefined();
  });
});
