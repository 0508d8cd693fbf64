import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { AzureNamedKeyCredential, TableClient } from '@azure/data-tables';
import { canonicalizedResource, namedKeyOf, sharedKeyLitePolicy } from '../../azure-tables/shared-key-lite';

const ACCOUNT = 'signtest';
const KEY_A = Buffer.from('the first account key, 64 bytes long, for signing the requests!!').toString(
  'base64',
);
const KEY_B = Buffer.from('a second account key, after a rotation of the key of the account').toString(
  'base64',
);

/** The headers `policy` leaves on a request of `url` (dated `date` when given). */
async function signedBy(
  policy: PipelinePolicy,
  url: string,
  date?: string,
  body?: string,
): Promise<{ authorization?: string; date?: string; length?: string }> {
  const request = createPipelineRequest({
    url,
    method: body === undefined ? 'GET' : 'POST',
    headers: createHttpHeaders(date === undefined ? {} : { 'x-ms-date': date }),
    ...(body === undefined ? {} : { body }),
  });
  let seen: PipelineRequest | undefined;
  await policy.sendRequest(request, (sent) => {
    seen = sent;
    return Promise.resolve({ request: sent, status: 200, headers: createHttpHeaders() } as PipelineResponse);
  });
  const headers = seen!.headers;
  return {
    authorization: headers.get('authorization'),
    date: headers.get('x-ms-date'),
    length: headers.get('content-length'),
  };
}

function sdkPolicyOf(client: TableClient): PipelinePolicy {
  const policy = client.pipeline
    .getOrderedPolicies()
    .find((candidate) => candidate.name === 'tablesNamedKeyCredentialPolicy');
  if (!policy) throw new Error('the client has no shared key policy');
  return policy;
}

describe('Shared Key Lite signing of table requests', () => {
  const credential = new AzureNamedKeyCredential(ACCOUNT, KEY_A);
  const client = new TableClient(`https://${ACCOUNT}.table.core.windows.net`, 'Signed', credential);
  const sdk = sdkPolicyOf(client);
  const ours = sharedKeyLitePolicy(namedKeyOf(client)!);
  const urls = [
    `https://${ACCOUNT}.table.core.windows.net/$batch`,
    `https://${ACCOUNT}.table.core.windows.net/Signed()?$filter=PartitionKey%20eq%20'a'&NextRowKey=x`,
    `https://${ACCOUNT}.table.core.windows.net/?restype=service&comp=properties`,
    `http://127.0.0.1:10002/${ACCOUNT}/$batch`,
  ];

  afterEach(() => credential.update(ACCOUNT, KEY_A));

  it('finds the account name and key of a shared key client, and none for a SAS client', () => {
    expect(namedKeyOf(client)).toMatchObject({ name: ACCOUNT, key: KEY_A });
    const sas = new TableClient(`https://${ACCOUNT}.table.core.windows.net?sv=2019-02-02&sig=x`, 'Signed');
    expect(namedKeyOf(sas)).toBeUndefined();
  });

  it('names the resource as the service documents it: account, path and only the comp parameter', () => {
    expect(canonicalizedResource(ACCOUNT, urls[0]!)).toBe(`/${ACCOUNT}/$batch`);
    expect(canonicalizedResource(ACCOUNT, urls[1]!)).toBe(`/${ACCOUNT}/Signed()`);
    expect(canonicalizedResource(ACCOUNT, urls[2]!)).toBe(`/${ACCOUNT}/?comp=properties`);
    expect(canonicalizedResource(ACCOUNT, urls[3]!)).toBe(`/${ACCOUNT}/${ACCOUNT}/$batch`);
  });

  it('sends the headers the SDK policy sends for the same request and date, again and again', async () => {
    const dates = ['Sat, 05 Dec 2026 15:00:00 GMT', 'Sat, 05 Dec 2026 15:00:01 GMT'];
    for (let round = 0; round < 3; round += 1) {
      for (const date of dates) {
        for (const url of urls) {
          const body = url.endsWith('$batch') ? `--batch_é${round}\r\n` : undefined;
          const expected = await signedBy(sdk, url, date, body);
          expect(expected.authorization).toMatch(/^SharedKeyLite signtest:/);
          expect(await signedBy(ours, url, date, body)).toEqual(expected);
        }
      }
    }
  });

  it('dates an undated request with the current second, as the SDK does', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const signed = await signedBy(ours, urls[0]!);
    const after = Date.now();
    const date = Date.parse(signed.date!);
    expect(date).toBeGreaterThanOrEqual(before);
    expect(date).toBeLessThanOrEqual(after);
    expect(signed.authorization).toBe((await signedBy(sdk, urls[0]!, signed.date)).authorization);
  });

  it('signs with a rotated key from the next request on', async () => {
    const date = 'Sat, 05 Dec 2026 15:00:00 GMT';
    const first = await signedBy(ours, urls[0]!, date);
    credential.update(ACCOUNT, KEY_B);
    const rotated = await signedBy(ours, urls[0]!, date);
    expect(rotated.authorization).not.toBe(first.authorization);
    expect(rotated).toEqual(await signedBy(sdk, urls[0]!, date));
  });
});
