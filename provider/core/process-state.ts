/**
 * State that belongs to one provider process: the stack config `configure` received, cached tokens,
 * and the 429 gates. It hangs off `globalThis` rather than a module variable on purpose: Pulumi
 * serializes this package's local modules by value into `__provider`, so a module-level cache that
 * once held a token would be written into state by the next resource registered in the same process.
 * Globals are never captured.
 */
import type { RateGate } from "./retry-loop";
import type { RawSettings } from "./settings";

/** A token with its expiry, or the request fetching it (shared by concurrent callers). */
export interface CachedToken {
    /** The bearer token, once fetched. */
    token?: string;
    /** When to stop using it, in epoch milliseconds (already minus a safety margin). */
    refreshAtMs: number;
    /** The fetch under way, so concurrent resources ask the token endpoint once. */
    pending?: Promise<string>;
}

/** Everything one provider process remembers between calls. */
export interface ProcessState {
    /** `box:*` values from stack config, as `configure` received them. */
    config: RawSettings;
    /** Tokens by a hash of the credentials that obtained them. */
    tokens: Map<string, CachedToken>;
    /** One 429 gate per API origin. */
    gates: Map<string, RateGate>;
    /** Notices already logged (one line per process is enough to be seen, not to flood `pulumi up`). */
    notices: Set<string>;
}

/** This process's state, created on first use. */
export function processState(): ProcessState {
    const holder = globalThis as unknown as { __pulumiBoxSessionTermination?: ProcessState };
    if (!holder.__pulumiBoxSessionTermination) {
        holder.__pulumiBoxSessionTermination = {
            config: {},
            tokens: new Map(),
            gates: new Map(),
            notices: new Set(),
        };
    }
    return holder.__pulumiBoxSessionTermination;
}

/** Forgets config, tokens and gates: for tests that simulate a fresh provider process. */
export function resetProcessState(): void {
    const holder = globalThis as unknown as { __pulumiBoxSessionTermination?: ProcessState };
    delete holder.__pulumiBoxSessionTermination;
}
