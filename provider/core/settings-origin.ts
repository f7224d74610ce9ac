/**
 * Where credentials and terminations go: the API origin (from the credentials' own source, plain
 * http only to loopback) and the transport settings. Pure: config and environment in, values out.
 */
import { BoxSettingsError } from "./errors";
import {
    SETTINGS,
    credentialsFromConfig,
    envHasCredentials,
    integer,
    where,
    type RawSettings,
    type SettingName,
} from "./settings";

/** How to talk to Box, credentials aside. */
export interface TransportSettings {
    /** API origin without a trailing slash. */
    baseUrl: string;
    /** Where `baseUrl` came from: the credentials' source, or Box's default. */
    baseUrlSource: ResolvedOrigin["source"];
    /** Retries per request. */
    maxRetries: number;
    /** Bound on each HTTP attempt as a whole (connect, headers and body), in milliseconds. */
    timeoutMs: number;
    /**
     * Bound on each create or update as a whole, in milliseconds: no retry, `retry-after` wait or
     * token fetch goes past it. Pulumi enforces no timeout on dynamic providers.
     */
    deadlineMs: number;
    /** Most principals per request. */
    batchSize: number;
    /** Most requests in flight. */
    concurrency: number;
}

/** Box's API origin, and the only one a credential goes to unless the stack says otherwise. */
export const BOX_ORIGIN = "https://api.box.com";

/** The API origin a credential may be sent to, and where that choice came from. */
export interface ResolvedOrigin {
    /** Origin and path prefix, without a trailing slash, e.g. `https://api.box.com`. */
    baseUrl: string;
    /** Which source named it: the same as the credentials', or Box's default. */
    source: "stack config" | "environment" | "default";
}

/** Whether a host name is this machine: the only place plain http may carry a credential. */
function isLoopback(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * An origin as an error may show it: scheme, host, port and path, never a `user:password@`, query or
 * fragment (which can carry credentials); "a value that is not a URL" when it does not parse.
 */
function quoteOrigin(raw: string): string {
    try {
        const url = new URL(raw);
        const hidden =
            url.username || url.password || url.search || url.hash
                ? " (credentials and query not shown)"
                : "";
        const path = url.pathname === "/" ? "" : url.pathname;
        return `"${url.protocol}//${url.host}${path}"${hidden}`;
    } catch {
        return "a value that is not a URL";
    }
}

/** Where a setting that must come from the credentials' source is given. */
export interface CredentialSourced {
    /** Whether the credentials come from stack config (else from the environment, or nowhere yet). */
    fromConfig: boolean;
    /** The value in the credentials' source. */
    own?: string;
    /** The value in the other source. */
    other?: string;
    /** Given only in the other source while credentials exist somewhere: an error to report. */
    mixed: boolean;
}

/** Reads a setting (`box:baseUrl`, `box:proxyUrl`) that must come from the same source as the credentials. */
export function credentialSourced(
    name: SettingName,
    config: RawSettings,
    env: Record<string, string | undefined>,
): CredentialSourced {
    const envVar = SETTINGS.find((x) => x.name === name)!.envVar;
    const fromConfig = credentialsFromConfig(config);
    const inConfig = config[name] !== undefined && config[name] !== "" ? config[name] : undefined;
    const inEnv = env[envVar] !== undefined && env[envVar] !== "" ? env[envVar] : undefined;
    const own = fromConfig ? inConfig : inEnv;
    const other = fromConfig ? inEnv : inConfig;
    // With no credentials anywhere nothing will be sent (preview): either source may be read.
    return {
        fromConfig,
        own,
        other,
        mixed: other !== undefined && own === undefined && (fromConfig || envHasCredentials(env)),
    };
}

/**
 * The API origin, as part of the credential set: read from the same source as the credentials (stack
 * config when it names any credential, else the environment), never mixed. If only the other source
 * names an origin, that is a mistake worth stopping for: a shell's leftover `BOX_BASE_URL` beside a
 * stack's production credentials, or a stack's `box:baseUrl` beside a shell's token, and guessing
 * either way sends a credential, or a real termination, somewhere the user did not mean. Plain http
 * is refused for any host but loopback, before anything is sent.
 */
export function resolveOrigin(config: RawSettings, env: Record<string, string | undefined>): ResolvedOrigin {
    const { fromConfig, own, other, mixed } = credentialSourced("baseUrl", config, env);
    if (mixed) {
        const [credSource, otherKey] = fromConfig
            ? ["stack config", "BOX_BASE_URL (environment)"]
            : ["the environment", "box:baseUrl (stack config)"];
        throw new BoxSettingsError(
            `${otherKey} is set to ${quoteOrigin(other ?? "")}, but the credentials come from ${credSource}: the API origin must come from the same source as the credentials. ` +
                (fromConfig
                    ? `Set box:baseUrl in stack config, or unset BOX_BASE_URL to use ${BOX_ORIGIN}.`
                    : `Set BOX_BASE_URL in the environment, or remove box:baseUrl from stack config, or move the credentials into stack config.`),
        );
    }
    const rawUrl = own ?? other ?? BOX_ORIGIN;
    let parsed: URL;
    try {
        parsed = new URL(rawUrl);
    } catch {
        throw new BoxSettingsError(
            `${where("baseUrl")} must be an http(s) URL such as ${BOX_ORIGIN}, and is not a URL`,
        );
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
        throw new BoxSettingsError(`${where("baseUrl")} must be an http(s) URL, got ${quoteOrigin(rawUrl)}`);
    }
    if (parsed.username || parsed.password || parsed.search || parsed.hash) {
        throw new BoxSettingsError(
            `${where("baseUrl")} must not carry credentials, a query string or a fragment`,
        );
    }
    if (parsed.protocol === "http:" && !isLoopback(parsed.hostname)) {
        throw new BoxSettingsError(
            `${where("baseUrl")} is ${quoteOrigin(rawUrl)}: plain http is allowed only for loopback (127.0.0.1, ::1, localhost). ` +
                `Use https:// so that credentials and the list of people travel encrypted.`,
        );
    }
    return {
        baseUrl: `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, ""),
        source:
            own !== undefined
                ? fromConfig
                    ? "stack config"
                    : "environment"
                : other !== undefined
                  ? fromConfig
                      ? "environment"
                      : "stack config"
                  : "default",
    };
}

/** Resolves everything but credentials. Needs no secret, so failures here never mention one. */
export function resolveTransport(
    config: RawSettings,
    env: Record<string, string | undefined>,
): TransportSettings {
    const origin = resolveOrigin(config, env);
    return {
        baseUrl: origin.baseUrl,
        baseUrlSource: origin.source,
        maxRetries: integer("maxRetries", config, env, 0, 20),
        timeoutMs: integer("timeoutSeconds", config, env, 1, 600) * 1000,
        // A day at most: longer waits belong to a later `pulumi up`, and every timer stays in range.
        deadlineMs: integer("deadlineSeconds", config, env, 1, 86_400) * 1000,
        batchSize: integer("batchSize", config, env, 1, 100_000),
        concurrency: integer("concurrency", config, env, 1, 64),
    };
}
