/**
 * The chat page's entry module, bundled with the client (`npm run build`, esbuild) into
 * `assets/main.js`, which `index.html` loads as `<script type="module">`.
 *
 * @example
 * ```html
 * <script type="module" src="chat/assets/main.js"></script>
 * ```
 */
import { HandoffClient } from 'durable-handoff/client';
import { z } from 'zod';
import { ChatController } from './chat-controller.js';

// The page's Content-Security-Policy allows no eval: zod must not even probe for it.
z.config({ jitless: true });

// This module lives at <origin>/<route prefix>/chat/assets/main.js, so the API root is two folders
// up, whatever the host's route prefix and whatever URL the page itself was opened with.
const apiRoot = new URL('../../', import.meta.url);
const client = new HandoffClient({ baseUrl: apiRoot.origin, routePrefix: apiRoot.pathname });

void new ChatController({ client, storage: window.sessionStorage }).init();
