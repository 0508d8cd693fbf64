import { HttpRequest } from '@azure/functions';
import { loadAccessSettings } from '../../src/app/access-settings';
import { ConfigurationError } from '../../src/core/errors';
import { clientAddress } from '../../src/http/client-address';
import { publicOrigin } from '../../src/http/public-origin';

describe('the access settings', () => {
  it('default to long-lived tokens, a 30-day retention and modest anonymous start limits', () => {
    expect(loadAccessSettings({})).toEqual({
      tokenTtlMs: 30 * 86_400_000,
      tokenAfterEndMs: 86_400_000,
      retentionMs: 30 * 86_400_000,
      startsPerClientPerMinute: 10,
      startsPerWorkflowPerMinute: 120,
      clientIpHops: 0,
      maxMessageChars: 32 * 1024,
      corsOrigins: [],
    });
    // Azure's front end appends the client's address: one trusted entry.
    expect(loadAccessSettings({ WEBSITE_INSTANCE_ID: 'abc' }).clientIpHops).toBe(1);
    expect(loadAccessSettings({ DURABLE_HANDOFF_RETENTION_DAYS: '0' }).retentionMs).toBeUndefined();
  });

  it.each([
    ['DURABLE_HANDOFF_TOKEN_TTL_HOURS', '0'],
    ['DURABLE_HANDOFF_TOKEN_TTL_HOURS', '1.5'],
    ['DURABLE_HANDOFF_RETENTION_DAYS', '-1'],
    ['DURABLE_HANDOFF_START_LIMIT_PER_CLIENT', 'lots'],
    ['DURABLE_HANDOFF_MAX_MESSAGE_CHARS', '40000'],
    ['DURABLE_HANDOFF_CLIENT_IP_HOPS', '11'],
    ['DURABLE_HANDOFF_CORS_ORIGINS', 'https://shop.example.com/widget'],
    ['DURABLE_HANDOFF_CORS_ORIGINS', '*'],
  ])('refuses %s=%j with an error naming the setting', (setting, value) => {
    let error: unknown;
    try {
      loadAccessSettings({ [setting]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).setting).toBe(setting);
    expect((error as Error).message).toContain(setting);
  });

  it('reads CORS origins as origins', () => {
    expect(
      loadAccessSettings({ DURABLE_HANDOFF_CORS_ORIGINS: 'https://shop.example.com, http://localhost:3000/' })
        .corsOrigins,
    ).toEqual(['https://shop.example.com', 'http://localhost:3000']);
  });
});

describe('the public origin of run links', () => {
  it('is the configured URL, else the app host name, else none (relative links)', () => {
    expect(
      publicOrigin({ DURABLE_HANDOFF_PUBLIC_URL: 'https://help.example.com', WEBSITE_HOSTNAME: 'x' }),
    ).toBe('https://help.example.com');
    expect(publicOrigin({ WEBSITE_HOSTNAME: 'support-app.azurewebsites.net' })).toBe(
      'https://support-app.azurewebsites.net',
    );
    expect(publicOrigin({ WEBSITE_HOSTNAME: 'localhost:7071' })).toBe('http://localhost:7071');
    expect(publicOrigin({})).toBe('');
    expect(() => publicOrigin({ DURABLE_HANDOFF_PUBLIC_URL: 'https://help.example.com/api' })).toThrow(
      /DURABLE_HANDOFF_PUBLIC_URL/,
    );
  });
});

describe('the client address of a start', () => {
  const from = (xff: string | undefined) =>
    new HttpRequest({
      method: 'POST',
      url: 'https://app.example/api/workflows/w/run',
      headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
    });

  it('takes the entry the trusted proxies wrote, counted from the right, without its port', () => {
    expect(clientAddress(from('203.0.113.7:50123'), 1)).toBe('203.0.113.7');
    // What the client wrote itself comes first and is not believed.
    expect(clientAddress(from('1.1.1.1, 2.2.2.2, 203.0.113.7:50123'), 1)).toBe('203.0.113.7');
    // Behind Azure Front Door: its entry (the client) and the front end's (Front Door's address).
    expect(clientAddress(from('9.9.9.9, 198.51.100.4, 147.243.0.1:4431'), 2)).toBe('198.51.100.4');
    expect(clientAddress(from('203.0.113.7'), 2)).toBe('unknown');
    expect(clientAddress(from('not-an-address'), 1)).toBe('unknown');
    expect(clientAddress(from('203.0.113.7'), 0)).toBe('direct');
    expect(clientAddress(from(undefined), 1)).toBe('unknown');
  });

  it('counts IPv6 addresses by their /64 and maps IPv4-mapped addresses to IPv4', () => {
    expect(clientAddress(from('[2001:db8:1:2:aaaa::1]:443'), 1)).toBe('2001:db8:1:2::/64');
    expect(clientAddress(from('2001:db8:1:2:bbbb:cccc:dddd:eeee'), 1)).toBe('2001:db8:1:2::/64');
    expect(clientAddress(from('::ffff:203.0.113.7'), 1)).toBe('203.0.113.7');
  });
});
