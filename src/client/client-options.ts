import { z } from 'zod';
import { WorkflowInputError } from '../core/errors';
import { formatIssues } from '../core/zod-issues';
import type { ApiTransport, FetchFunction } from './api-transport';

/** Options of {@link HandoffClient}. */
export interface HandoffClientOptions {
  /** The Functions app's URL, e.g. `http://localhost:7071` or `https://my-app.azurewebsites.net`. */
  baseUrl: string;
  /**
   * The route prefix of the app's HTTP functions (host.json `extensions.http.routePrefix`), default
   * `api`; `''` when the app has none.
   */
  routePrefix?: string;
  /**
   * A function key, sent as `x-functions-key` on every request: needed to start runs when the app
   * sets `DURABLE_HANDOFF_START_AUTH_LEVEL=function`, and it opens every run without its token.
   * Keep it server-side: in a browser, use run tokens only.
   */
  functionKey?: string;
  /** The `fetch` to call; the global one by default. */
  fetch?: FetchFunction;
}

const OptionsSchema = z.object({
  baseUrl: z
    .string({ error: 'baseUrl must be a string such as http://localhost:7071' })
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
      error: 'baseUrl must be an http(s) URL such as http://localhost:7071',
    })
    .refine((value) => new URL(value).search === '' && new URL(value).hash === '', {
      error: 'baseUrl must not have a query string or fragment; pass the key as functionKey',
    }),
  routePrefix: z
    .string()
    .regex(/^[A-Za-z0-9._~/-]*$/, 'routePrefix must be a URL path such as api')
    .default('api'),
  functionKey: z.string().min(1, 'functionKey must not be empty; leave it out instead').optional(),
  fetch: z
    .custom<FetchFunction>((value) => typeof value === 'function', 'fetch must be a function')
    .optional(),
});

/** Checks the options and turns them into a transport. */
export function transportFromOptions(options: HandoffClientOptions): ApiTransport {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new WorkflowInputError(`${formatIssues('HandoffClient options are invalid', parsed.error)}.`);
  }
  const { baseUrl, routePrefix, functionKey } = parsed.data;
  const prefix = routePrefix.replace(/^\/+|\/+$/g, '');
  const root = baseUrl.replace(/\/+$/, '');
  const given = parsed.data.fetch;
  // Called as a plain function, never as a method of the transport: browsers reject `fetch` called
  // on another object ("Illegal invocation"). The global one is looked up at call time.
  const fetchFunction: FetchFunction = (input, init) => {
    const target = given ?? globalThis.fetch;
    return target(input, init);
  };
  return {
    apiUrl: prefix === '' ? root : `${root}/${prefix}`,
    functionKey,
    fetch: fetchFunction,
  };
}
