import {
  activityFailure,
  activityResultJson,
  activityTriggerData,
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
});
