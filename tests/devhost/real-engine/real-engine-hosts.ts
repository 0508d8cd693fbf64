/**
 * The setup the suites share that kill and restart hosts on the real engine (node-restart,
 * real-engine-crash, reliability/scale-out): this project's app on the local host's CLI, each host a
 * child process with its own .NET engine (`--engine dtfx`), all on one data folder whose Azurite,
 * started first, plays the storage account that outlives every host; and a scripted model server.
 * Without .NET (or the dtfx build) such a suite skips, saying why; CI has .NET and runs it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts } from '../../../devhost/azurite/ports';
import { startAzurite, type AzuriteHandle } from '../../../devhost/durable';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
  type ScriptedModelServerOptions,
} from '../../../src/testing';
import { appSettings } from '../../support/app-host';
import { startCliHost, type CliHost } from '../../support/cli-host';
import { dtfxSkipReason } from './engine-host';

/** `describe` where the real engine can run; elsewhere `describe.skip`, after printing why. */
export function describeOnRealEngine(title: string, body: () => void): void {
  const reason = dtfxSkipReason();
  if (reason) {
    // Straight to stderr: jest shows no console output of a file whose tests all skip.
    process.stderr.write(`Real-engine suite '${title}' skipped: ${reason}\n`);
    describe.skip(title, body);
  } else {
    describe(title, body);
  }
}

/** What {@link useRealEngineHosts} is asked for. */
export interface RealEngineHostsOptions {
  /** The data folder's name prefix (in the system's temporary folder). */
  dataDirPrefix: string;
  /** How many free ports to find (the suite's hosts keep theirs across restarts); 1 by default. */
  ports?: number;
  /** The scripted model server's options; none by default (the suite adds its steps). */
  model?: ScriptedModelServerOptions;
  /** App settings every host gets on top of `appSettings(model)`. */
  env?: Record<string, string>;
  /** How long a host may take to print its banner (the .NET engine starts first); 120 s by default. */
  readyTimeoutMs?: number;
}

/** What {@link useRealEngineHosts} gives a describe block (from `beforeAll` on). */
export interface RealEngineHosts {
  azurite(): AzuriteHandle;
  model(): ScriptedModelServer;
  /** The free ports found for the block. */
  ports(): number[];
  /** Every host started so far, in order (those killed included). */
  readonly hosts: readonly CliHost[];
  /**
   * Starts a host on the real engine on the shared data folder and Azurite, on `port` (the first
   * of {@link ports} by default), with `env` on top of the block's settings.
   */
  start(options?: { port?: number; env?: Record<string, string> }): Promise<CliHost>;
}

/**
 * Registers the hooks: the data folder, its Azurite, the model server and the ports before the
 * block's tests; after them (before the block's own `afterAll`, which runs next), every host still
 * running is stopped (SIGTERM), then the model server and Azurite, and the folder is removed.
 */
export function useRealEngineHosts(options: RealEngineHostsOptions): RealEngineHosts {
  let dataDir: string | undefined;
  let azurite: AzuriteHandle | undefined;
  let model: ScriptedModelServer | undefined;
  let ports: number[] = [];
  const hosts: CliHost[] = [];
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the real-engine ${what} is used before beforeAll made it`);
    return value;
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), options.dataDirPrefix));
    azurite = await startAzurite({ location: dataDir });
    model = await startScriptedModelServer(options.model ?? {});
    ports = await freePorts(options.ports ?? 1);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(hosts.map((host) => host.kill('SIGTERM')));
    await model?.close();
    await azurite?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  return {
    azurite: () => ready(azurite, 'Azurite'),
    model: () => ready(model, 'model server'),
    ports: () => ports,
    hosts,
    async start({ port, env } = {}) {
      const host = await startCliHost({
        port: port ?? ready(ports[0], 'port'),
        dataDir: ready(dataDir, 'data folder'),
        storage: 'azurite',
        engine: 'dtfx',
        env: { ...appSettings(ready(model, 'model server')), ...options.env, ...env },
        readyTimeoutMs: options.readyTimeoutMs ?? 120_000,
      });
      hosts.push(host);
      return host;
    },
  };
}
