/**
 * Wiring for one create or update: resolve settings from the configured stack config and the current
 * environment, build a token source and a Box client. Everything is built per operation, inside the
 * provider process; only tokens and 429 gates persist, in the process state.
 */
import * as fs from "fs";
import { createTokenSource } from "./auth";
import { BoxClient } from "./client";
import { RateGate } from "./retry-loop";
import { processState } from "./process-state";
import { resolveProxy } from "./proxy";
import type { Deadline, RetryPolicy } from "./retry";
import { resolveCredentials } from "./settings-credentials";
import { BOX_ORIGIN, resolveTransport, type TransportSettings } from "./settings-origin";

/** A ready client and the transport settings that shaped it. */
export interface BoxOperation {
    /** The client to send termination requests with. */
    client: BoxClient;
    /** Batch size, concurrency and the rest. */
    settings: TransportSettings;
}

/** Backoff pacing for 5xx and network failures: 1 s, 2 s, 4 s … (jittered), never above 30 s per wait. */
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/** The retry policy every operation uses, for `maxRetries` retries. */
export function retryPolicy(maxRetries: number): RetryPolicy {
    return { maxRetries, baseDelayMs: BASE_DELAY_MS, maxDelayMs: MAX_DELAY_MS };
}

/**
 * Prepares a client for one operation; `log` shows a line in `pulumi up` (retries explain a slow step
 * and hint at rate limits). Fails with a {@link BoxSettingsError} naming the config keys and
 * environment variables when credentials are missing or incomplete.
 */
export function openBoxOperation(
    log: (line: string) => void,
    env: Record<string, string | undefined> = process.env,
): BoxOperation {
    const state = processState();
    // Credentials first: with none at all, saying how to provide them helps more than any origin rule.
    const credentials = resolveCredentials(state.config, env, (path) => fs.readFileSync(path, "utf8"));
    const settings = resolveTransport(state.config, env);
    const proxy = resolveProxy(state.config, env, settings.baseUrl);
    const retry = retryPolicy(settings.maxRetries);
    // One deadline for the whole create or update, its token fetch and every batch included.
    const deadline: Deadline = {
        atMs: Date.now() + settings.deadlineMs,
        setting: `box:deadlineSeconds=${settings.deadlineMs / 1000}`,
    };
    // A credential about to go anywhere but Box is worth one line in `pulumi up`'s output.
    if (settings.baseUrl !== BOX_ORIGIN) {
        const notice = `Box API origin is ${settings.baseUrl} (from ${settings.baseUrlSource}), not ${BOX_ORIGIN}: credentials and terminations go there.`;
        if (!state.notices.has(notice)) {
            state.notices.add(notice);
            log(notice);
        }
    }
    let gate = state.gates.get(settings.baseUrl);
    if (!gate) {
        gate = new RateGate();
        state.gates.set(settings.baseUrl, gate);
    }
    const tokens = createTokenSource(credentials, {
        baseUrl: settings.baseUrl,
        timeoutMs: settings.timeoutMs,
        retry,
        deadline,
        cache: state.tokens,
        log,
        proxy,
    });
    const client = new BoxClient({
        baseUrl: settings.baseUrl,
        tokens,
        timeoutMs: settings.timeoutMs,
        retry,
        deadline,
        log,
        gate,
        proxy,
    });
    return { client, settings };
}
