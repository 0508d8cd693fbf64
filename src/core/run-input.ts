/**
 * What starting a run takes, defined once for the library (`startHandoffRun`), the HTTP API and the
 * client (`HandoffClient.startRun`).
 */
import { z } from 'zod';
import type { InteractionMode } from './events';

/** Longest message accepted (the first one and each reply), in characters: 32 KiB of text. */
export const MAX_MESSAGE_LENGTH = 32 * 1024;

/** Run ids: usable as Durable instance ids and storage keys, and safe in URLs. */
export const RunIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/,
    'use 1 to 100 letters, digits, "-" or "_", starting with a letter or digit',
  );

/** How to start a run. */
export interface StartRunOptions {
  /** The customer's first message (1 to 32 KiB characters). */
  message: string;
  /** `human_in_loop` (wait for replies) or `autonomous`; the workflow's own mode by default. */
  mode?: InteractionMode;
  /**
   * A run id of your choosing (1-100 letters, digits, `-`, `_`), e.g. an idempotency key; a random
   * one otherwise. A second start with it is refused (409 `run_exists` over HTTP). Over HTTP,
   * choosing one needs a function key: an anonymous caller could otherwise learn which ids exist.
   */
  runId?: string;
}
