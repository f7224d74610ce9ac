/**
 * Which HTTPS proxy, if any, requests to Box go through. Pure.
 *
 * Many CI runners reach the internet only through a proxy. Requests are tunnelled (HTTP CONNECT), so
 * TLS runs end to end from this provider to Box: the proxy sees the host and port asked for, how much
 * is sent, and when, never the token or the list of people. axios' own proxy mode is never used: it
 * would send the request, bearer token included, to the proxy in clear.
 *
 * `box:proxyUrl` (or `BOX_PROXY_URL`, from the same source as the credentials, like `box:baseUrl`)
 * wins; otherwise `HTTPS_PROXY` (or `https_proxy`) applies unless `NO_PROXY` (or `no_proxy`) names the
 * origin's host. Plain `http:` origins (loopback only) are never proxied: the proxy would see them in clear.
 */
import { BoxSettingsError } from "./errors";
import type { RawSettings } from "./settings";
import { credentialSourced } from "./settings-origin";

/** The proxy for one origin. */
export interface ProxySettings {
    /** The proxy's URL (it may hold the proxy's own credentials: never printed). */
    url: string;
    /** The setting it came from, for messages: `HTTPS_PROXY (environment)`. */
    source: string;
}

const env1 = (env: Record<string, string | undefined>, upper: string): string | undefined => {
    const value = env[upper] ?? env[upper.toLowerCase()];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
};

/**
 * Whether `NO_PROXY` names this host (and port): `*` for every host; otherwise a comma- or
 * space-separated list of names, each matching itself and its subdomains (`example.com`,
 * `.example.com` and `*.example.com` alike), optionally with `:port`. Addresses are compared as
 * written (`::1` is not `0:0:0:0:0:0:0:1`) and IP ranges are not understood.
 */
export function bypassesProxy(noProxy: string, hostname: string, port: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    for (const raw of noProxy.toLowerCase().split(/[\s,]+/)) {
        if (raw === "") continue;
        if (raw === "*") return true;
        // `[::1]:8443`, `[::1]`, bare `::1` (no port: more than one colon), `host:port`, `host`.
        const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(raw);
        const hostPort = /^([^:]+):(\d+)$/.exec(raw);
        const [name, wantPort] = bracketed
            ? [bracketed[1], bracketed[2]]
            : hostPort
              ? [hostPort[1], hostPort[2]]
              : [raw, undefined];
        if (wantPort !== undefined && wantPort !== port) continue;
        const bare = name.replace(/^\*?\./, "");
        if (host === bare || (!bare.includes(":") && host.endsWith(`.${bare}`))) return true;
    }
    return false;
}

/** A proxy URL checked, naming only the setting when it is wrong: it may hold a password. */
function checked(url: string, source: string): ProxySettings {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        throw new BoxSettingsError(`${source} is not a URL: give the proxy as http://host:port`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
        throw new BoxSettingsError(`${source} must be an http:// or https:// proxy URL (a CONNECT proxy)`);
    try {
        decodeURIComponent(parsed.username);
        decodeURIComponent(parsed.password);
    } catch {
        throw new BoxSettingsError(`${source} has a user or password that is not valid percent-encoding`);
    }
    if (
        !parsed.hostname ||
        (parsed.pathname !== "/" && parsed.pathname !== "") ||
        parsed.search ||
        parsed.hash
    )
        throw new BoxSettingsError(
            `${source} must be a proxy's origin only (http://host:port), without a path or query`,
        );
    return { url, source };
}

/**
 * The proxy for requests to `origin` (the resolved `box:baseUrl`), or undefined to connect directly.
 * Fails with a {@link BoxSettingsError} naming the setting when a proxy setting is malformed or comes
 * from another source than the credentials.
 */
export function resolveProxy(
    config: RawSettings,
    env: Record<string, string | undefined>,
    origin: string,
): ProxySettings | undefined {
    const target = new URL(origin);
    const { fromConfig, own, other, mixed } = credentialSourced("proxyUrl", config, env);
    if (mixed) {
        throw new BoxSettingsError(
            `${fromConfig ? "BOX_PROXY_URL (environment)" : "box:proxyUrl (stack config)"} is set, but the credentials come from ` +
                `${fromConfig ? "stack config" : "the environment"}: the proxy must come from the same source as the credentials.`,
        );
    }
    if (target.protocol === "http:") return undefined;
    const explicit = own ?? other;
    if (explicit !== undefined)
        return checked(
            explicit,
            (own !== undefined ? fromConfig : !fromConfig)
                ? "box:proxyUrl (stack config)"
                : "BOX_PROXY_URL (environment)",
        );
    const standard = env1(env, "HTTPS_PROXY");
    if (standard === undefined) return undefined;
    const port = target.port || "443";
    const noProxy = env1(env, "NO_PROXY");
    if (noProxy !== undefined && bypassesProxy(noProxy, target.hostname, port)) return undefined;
    const name =
        env.HTTPS_PROXY !== undefined && env.HTTPS_PROXY.trim() !== "" ? "HTTPS_PROXY" : "https_proxy";
    return checked(standard, `${name} (environment)`);
}
