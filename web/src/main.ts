/**
 * The chat page's entry module, loaded by `index.html` as `<script type="module">` from
 * `/api/chat/assets/main.js`.
 *
 * @example
 * ```html
 * <script type="module" src="chat/assets/main.js"></script>
 * ```
 */
import { createChatApi } from './api-client.js';
import { ChatController } from './chat-controller.js';

// This module lives at <api>/chat/assets/main.js, so the API root is two folders up, whatever the
// host's route prefix and whatever URL the page itself was opened with.
const apiBase = new URL('../../', import.meta.url);

void new ChatController({ api: createChatApi(apiBase), storage: window.sessionStorage }).init();
