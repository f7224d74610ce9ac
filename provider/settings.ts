/**
 * Provider settings: which Box to call, how to authenticate, and how hard to push. Resolution is a
 * pure function of stack config, the environment and a file reader, evaluated inside each create or
 * update. Nothing here is read at construction or at module load, because the provider object is
 * serialized into state and anything it captured would be stored there in plain text.
 */
import { BoxSettingsError } from "./errors";

/** One setting: its stack config key, environment variable, default and whether it is a secret. */
export interface SettingSpec {
    /** Name under the `box:` config namespace. */
    name: SettingName;
    /** Full config key, e.g. `box:accessToken`. */
    configKey: string;
    /** Environment variable consulted when the config key is unset. */
    envVar: string;
    /** Value used when neither is set, if any. */
    defaultValue?: string;
    /** Whether the value is a credential (set it with `pulumi config set --secret`). */
    secret: boolean;
    /** One line for the README. */
    description: string;
}

/** Every setting's short name. */
export type SettingName =
    | "accessToken"
    | "clientId"
    | "clientSecret"
    | "enterpriseId"
    | "userId"
    | "jwtConfig"
    | "jwtConfigPath"
    | "baseUrl"
    | "maxRetries"
    | "timeoutSeconds"
    | "deadlineSeconds"
    | "batchSize"
    | "concurrency"
    | "protectedUserIds"
    | "protectedUserLogins"
    | "protectedGroupIds"
    | "maxNewPrincipals"
    | "reasonPattern"
    | "checkGroupMembers"
    | "proxyUrl";

const spec = (
    name: SettingName,
    envVar: string,
    secret: boolean,
    description: string,
    defaultValue?: string,
): SettingSpec => ({ name, configKey: `box:${name}`, envVar, secret, description, defaultValue });

/** The settings table the README documents; `configure` reads exactly these keys. */
export const SETTINGS: readonly SettingSpec[] = [
    spec(
        "accessToken",
        "BOX_ACCESS_TOKEN",
        true,
        "A Box access or developer token. Wins over every other method.",
    ),
    spec("clientId", "BOX_CLIENT_ID", false, "Client ID of a Box app using Client Credentials Grant."),
    spec("clientSecret", "BOX_CLIENT_SECRET", true, "Client secret of that app."),
    spec("enterpriseId", "BOX_ENTERPRISE_ID", false, "Token subject: the enterprise (service account)."),
    spec("userId", "BOX_USER_ID", false, "Token subject: a user, instead of the enterprise."),
    spec("jwtConfig", "BOX_JWT_CONFIG", true, "The JWT app's JSON config file, as text."),
    spec("jwtConfigPath", "BOX_JWT_CONFIG_PATH", false, "Path to that JSON config file."),
    spec(
        "baseUrl",
        "BOX_BASE_URL",
        false,
        "API origin (the token endpoint is `{baseUrl}/oauth2/token`).",
        "https://api.box.com",
    ),
    spec(
        "proxyUrl",
        "BOX_PROXY_URL",
        true,
        "HTTPS proxy for requests to Box (`http://[user:password@]host:port`), from the same source as the credentials; a CONNECT tunnel keeps TLS end to end. Unset: `HTTPS_PROXY` and `NO_PROXY` apply.",
    ),
    spec(
        "maxRetries",
        "BOX_MAX_RETRIES",
        false,
        "Retries per request after 429, 5xx, timeouts and dropped connections.",
        "5",
    ),
    spec("timeoutSeconds", "BOX_TIMEOUT_SECONDS", false, "Timeout of each HTTP attempt, in seconds.", "30"),
    spec(
        "deadlineSeconds",
        "BOX_DEADLINE_SECONDS",
        false,
        "Bound on each create or update as a whole (token, retries, waits), in seconds; see docs/limits.md.",
        "300",
    ),
    spec(
        "batchSize",
        "BOX_BATCH_SIZE",
        false,
        "Most principals sent in one request; longer lists are split.",
        "500",
    ),
    spec("concurrency", "BOX_CONCURRENCY", false, "Most requests in flight at once for one resource.", "4"),
    spec(
        "protectedUserIds",
        "BOX_PROTECTED_USER_IDS",
        false,
        "User IDs no resource of this stack may cut off (a JSON list or comma-separated); checked in preview.",
    ),
    spec(
        "protectedUserLogins",
        "BOX_PROTECTED_USER_LOGINS",
        false,
        "Logins no resource may cut off, compared case-insensitively; checked in preview.",
    ),
    spec(
        "protectedGroupIds",
        "BOX_PROTECTED_GROUP_IDS",
        false,
        "Group IDs no resource may cut off (All Users, admins); checked in preview.",
    ),
    spec(
        "maxNewPrincipals",
        "BOX_MAX_NEW_PRINCIPALS",
        false,
        "Most principals one create or update may newly cut off; checked in preview.",
        "1000",
    ),
    spec(
        "reasonPattern",
        "BOX_REASON_PATTERN",
        false,
        "A regular expression every `reason` must match (e.g. `^SEC-[0-9]+`); a missing reason fails too.",
    ),
    spec(
        "checkGroupMembers",
        "BOX_CHECK_GROUP_MEMBERS",
        false,
        "With protected users set, list each group's members before sending it and refuse a group holding one; checked at `up` (it needs credentials). `false` turns this off.",
        "true",
    ),
];

/** Raw values by setting name, as read from stack config. */
export type RawSettings = Partial<Record<SettingName, string>>;

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

/** A JWT app's settings, from Box's app config JSON. */
export interface JwtAppSettings {
    /** `boxAppSettings.clientID`. */
    clientId: string;
    /** `boxAppSettings.clientSecret`. */
    clientSecret: string;
    /** `boxAppSettings.appAuth.publicKeyID`: the assertion's `kid`. */
    publicKeyId: string;
    /** `boxAppSettings.appAuth.privateKey`: a PEM, usually encrypted PKCS#8. */
    privateKey: string;
    /** `boxAppSettings.appAuth.passphrase`, for an encrypted key. */
    passphrase?: string;
    /** `enterpriseID`, the default subject. */
    enterpriseId?: string;
}

/** The token subject: Box issues the token as this enterprise's service account or as this user. */
export interface Subject {
    /** `box_subject_type` / `box_sub_type`. */
    type: "enterprise" | "user";
    /** The enterprise or user ID. */
    id: string;
}

/** Which authentication method to use, with its credentials. Held in memory for one operation only. */
export type Credentials =
    | { method: "accessToken"; accessToken: string }
    | { method: "clientCredentials"; clientId: string; clientSecret: string; subject: Subject }
    | { method: "jwt"; app: JwtAppSettings; subject: Subject };

/** Reads setting `name`: stack config first, then the environment; empty strings count as unset. */
export function lookup(
    name: SettingName,
    config: RawSettings,
    env: Record<string, string | undefined>,
): string | undefined {
    const s = SETTINGS.find((x) => x.name === name);
    const fromConfig = config[name];
    if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
    const fromEnv = s ? env[s.envVar] : undefined;
    if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
    return s?.defaultValue;
}

export function where(name: SettingName): string {
    const s = SETTINGS.find((x) => x.name === name);
    return s ? `${s.configKey} / ${s.envVar}` : name;
}

/** A yes/no setting: `true` or `false`, in any case. */
function flag(name: SettingName, config: RawSettings, env: Record<string, string | undefined>): boolean {
    const text = (lookup(name, config, env) ?? "").trim().toLowerCase();
    if (text !== "true" && text !== "false")
        throw new BoxSettingsError(`${where(name)} must be true or false`);
    return text === "true";
}

function integer(
    name: SettingName,
    config: RawSettings,
    env: Record<string, string | undefined>,
    min: number,
    max: number,
): number {
    const text = lookup(name, config, env) ?? "";
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
        throw new BoxSettingsError(
            `${where(name)} must be a whole number from ${min} to ${max}, got "${text}"`,
        );
    }
    return value;
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
export function isLoopback(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Whether the environment names any credential. */
export function envHasCredentials(env: Record<string, string | undefined>): boolean {
    return SETTINGS.some((x) => CREDENTIAL_SETTINGS.includes(x.name) && env[x.envVar]);
}

/** Whether stack config names any credential (then credentials and the origin come only from there). */
export function credentialsFromConfig(config: RawSettings): boolean {
    return CREDENTIAL_SETTINGS.some((name) => config[name] !== undefined && config[name] !== "");
}

/**
 * The API origin, as part of the credential set: read from the same source as the credentials (stack
 * config when it names any credential, else the environment), never mixed. If only the other source
 * names an origin, that is a mistake worth stopping for: a shell's leftover `BOX_BASE_URL` beside a
 * stack's production credentials, or a stack's `box:baseUrl` beside a shell's token, and guessing
 * either way sends a credential, or a real termination, somewhere the user did not mean. Plain http
 * is refused for any host but loopback, before anything is sent.
 */
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

/** The review guardrails, as settings give them (guardrails.ts applies them in `check`). */
export interface GuardrailSettings {
    /** Principals no resource may cut off, as given (compared canonically), with the setting naming each list. */
    protected: { userIds: string[]; userLogins: string[]; groupIds: string[] };
    /** Where each protected list came from, for failure messages: `box:protectedUserIds (stack config)`. */
    protectedSource: { userIds: string; userLogins: string; groupIds: string };
    /** The most principals one create or update may newly cut off. */
    maxNewPrincipals: number;
    /** Where the cap came from, for failure messages. */
    maxNewPrincipalsSource: string;
    /** The pattern `reason` must match, when one is set. */
    reasonPattern?: RegExp;
    /** The pattern's text and source, for failure messages. */
    reasonPatternSource?: string;
    /** Whether groups are checked for protected members before they are sent (at `up`). */
    checkGroupMembers: boolean;
    /** Where that came from, for failure messages. */
    checkGroupMembersSource: string;
}

/** Which source gave a setting's value, for messages a reviewer reads: `box:x (stack config)`. */
function sourceOf(name: SettingName, config: RawSettings, env: Record<string, string | undefined>): string {
    const s = SETTINGS.find((x) => x.name === name)!;
    if (config[name] !== undefined && config[name] !== "") return `${s.configKey} (stack config)`;
    if (env[s.envVar] !== undefined && env[s.envVar] !== "") return `${s.envVar} (environment)`;
    return `${s.configKey} (default)`;
}

/** A list setting: a JSON list of strings (or numbers, for IDs), or comma-separated text. */
function list(name: SettingName, config: RawSettings, env: Record<string, string | undefined>): string[] {
    const text = (lookup(name, config, env) ?? "").trim();
    if (text === "") return [];
    if (text.startsWith("[")) {
        let parsed: unknown;
        try {
            parsed = JSON.parse(text);
        } catch {
            throw new BoxSettingsError(`${where(name)} is not a valid JSON list; use ["a", "b"] or a,b`);
        }
        if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== "string" && typeof v !== "number"))
            throw new BoxSettingsError(`${where(name)} must be a list of strings`);
        return parsed.map((v) => String(v).trim()).filter(Boolean);
    }
    return text
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean);
}

/**
 * A protected list: stack config and the environment together (a safety list must not shrink because
 * a second source names it too), every entry checked, since a mistyped entry would protect nobody
 * without a word: IDs are digits, logins hold an `@`.
 */
function protectedList(
    name: SettingName,
    config: RawSettings,
    env: Record<string, string | undefined>,
): string[] {
    const s = SETTINGS.find((x) => x.name === name)!;
    const entries = [...list(name, config, {}), ...list(name, {}, { [s.envVar]: env[s.envVar] })];
    for (const entry of entries) {
        const ok = name === "protectedUserLogins" ? /^[^@\s]+@[^@\s]+$/.test(entry) : /^[0-9]+$/.test(entry);
        if (!ok) {
            throw new BoxSettingsError(
                `${where(name)} holds ${JSON.stringify(entry)}, which is not a Box ${name === "protectedUserLogins" ? "login" : "ID"}; ` +
                    `list entries as ["a", "b"] or a,b`,
            );
        }
    }
    return [...new Set(entries)];
}

/** Where a protected list came from: one source, or both. */
function protectedSourceOf(
    name: SettingName,
    config: RawSettings,
    env: Record<string, string | undefined>,
): string {
    const s = SETTINGS.find((x) => x.name === name)!;
    const inConfig = config[name] !== undefined && config[name] !== "";
    const inEnv = env[s.envVar] !== undefined && env[s.envVar] !== "";
    if (inConfig && inEnv) return `${s.configKey} (stack config) / ${s.envVar} (environment)`;
    return sourceOf(name, config, env);
}

/**
 * Resolves the guardrails `check` applies. Needs no credential, so it works in a pull request's
 * preview. Stack config wins over the environment, setting by setting (none of these is a credential),
 * except the protected lists, which take both.
 */
export function resolveGuardrails(
    config: RawSettings,
    env: Record<string, string | undefined>,
): GuardrailSettings {
    const out: GuardrailSettings = {
        protected: {
            userIds: protectedList("protectedUserIds", config, env),
            userLogins: protectedList("protectedUserLogins", config, env),
            groupIds: protectedList("protectedGroupIds", config, env),
        },
        protectedSource: {
            userIds: protectedSourceOf("protectedUserIds", config, env),
            userLogins: protectedSourceOf("protectedUserLogins", config, env),
            groupIds: protectedSourceOf("protectedGroupIds", config, env),
        },
        maxNewPrincipals: integer("maxNewPrincipals", config, env, 1, 10_000_000),
        maxNewPrincipalsSource: sourceOf("maxNewPrincipals", config, env),
        checkGroupMembers: flag("checkGroupMembers", config, env),
        checkGroupMembersSource: sourceOf("checkGroupMembers", config, env),
    };
    const pattern = lookup("reasonPattern", config, env);
    if (pattern) {
        try {
            out.reasonPattern = new RegExp(pattern, "u");
        } catch (err) {
            throw new BoxSettingsError(
                `${where("reasonPattern")} is not a valid regular expression (${(err as Error).message}): ${JSON.stringify(pattern)}`,
            );
        }
        out.reasonPatternSource = sourceOf("reasonPattern", config, env);
    }
    return out;
}

/** Parses Box's JWT app config JSON. Errors name missing fields, never echo values. */
export function parseJwtAppConfig(text: string, source: string): JwtAppSettings {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        throw new BoxSettingsError(`${source} is not valid JSON (expected Box's app config file)`);
    }
    const root = (json ?? {}) as Record<string, unknown>;
    const app = (root.boxAppSettings ?? {}) as Record<string, unknown>;
    const appAuth = (app.appAuth ?? {}) as Record<string, unknown>;
    const missing: string[] = [];
    const str = (value: unknown, field: string): string => {
        if (typeof value === "string" && value !== "") return value;
        missing.push(field);
        return "";
    };
    const settings: JwtAppSettings = {
        clientId: str(app.clientID, "boxAppSettings.clientID"),
        clientSecret: str(app.clientSecret, "boxAppSettings.clientSecret"),
        publicKeyId: str(appAuth.publicKeyID, "boxAppSettings.appAuth.publicKeyID"),
        privateKey: str(appAuth.privateKey, "boxAppSettings.appAuth.privateKey"),
    };
    if (typeof appAuth.passphrase === "string" && appAuth.passphrase !== "")
        settings.passphrase = appAuth.passphrase;
    if (typeof root.enterpriseID === "string" || typeof root.enterpriseID === "number") {
        settings.enterpriseId = String(root.enterpriseID);
    }
    if (missing.length) throw new BoxSettingsError(`${source} is missing ${missing.join(", ")}`);
    return settings;
}

/** The settings that make up credentials: they are taken as one set, from one source. */
const CREDENTIAL_SETTINGS: readonly SettingName[] = [
    "accessToken",
    "clientId",
    "clientSecret",
    "enterpriseId",
    "userId",
    "jwtConfig",
    "jwtConfigPath",
];

/**
 * Chooses the authentication method: an access token if given; else JWT if a JWT config is given;
 * else Client Credentials Grant when client ID, secret and a subject are. An incomplete set names
 * what is missing; no credentials at all names every way to provide them.
 *
 * Credentials come from stack config when it names any of them, and only then from the environment:
 * mixing the two would let a stale `BOX_ACCESS_TOKEN` in a shell silently override the client
 * credentials a stack declares.
 */
export function resolveCredentials(
    config: RawSettings,
    env: Record<string, string | undefined>,
    readFile: (path: string) => string,
): Credentials {
    const fromConfig = credentialsFromConfig(config);
    const get = (name: SettingName) => (fromConfig ? lookup(name, config, {}) : lookup(name, {}, env));
    const ignoredEnv = fromConfig
        ? SETTINGS.filter((s) => CREDENTIAL_SETTINGS.includes(s.name) && env[s.envVar]).map((s) => s.envVar)
        : [];
    const fail = (message: string): never => {
        const note = ignoredEnv.length
            ? ` (${ignoredEnv.join(", ")} ${ignoredEnv.length > 1 ? "are" : "is"} ignored because stack config sets credentials)`
            : "";
        throw new BoxSettingsError(`${message}${note}`);
    };
    const accessToken = get("accessToken");
    if (accessToken) return { method: "accessToken", accessToken };

    const enterpriseId = get("enterpriseId");
    const userId = get("userId");
    if (enterpriseId && userId) {
        fail(`Set only one token subject: ${where("enterpriseId")} or ${where("userId")}, not both`);
    }
    const explicitSubject: Subject | undefined = userId
        ? { type: "user", id: userId }
        : enterpriseId
          ? { type: "enterprise", id: enterpriseId }
          : undefined;

    const jwtText = get("jwtConfig");
    const jwtPath = get("jwtConfigPath");
    if (jwtText || jwtPath) {
        let text = jwtText;
        let source = where("jwtConfig");
        if (!text && jwtPath) {
            source = `the JWT config file named by ${where("jwtConfigPath")}`;
            // A path is quoted, since the reader needs it; anything else may be the config (and its key) itself.
            if (!/^[^{}"\n\r]{1,512}$/.test(jwtPath)) {
                throw new BoxSettingsError(
                    `${where("jwtConfigPath")} looks like the JSON config itself, not a path to it: ` +
                        `put the JSON in ${where("jwtConfig")} (a secret), or a file's path here`,
                );
            }
            try {
                text = readFile(jwtPath);
            } catch (err) {
                const code = (err as { code?: string }).code ?? "read error";
                throw new BoxSettingsError(`Cannot read ${source} (${code}): ${jwtPath}`);
            }
        }
        const app = parseJwtAppConfig(text ?? "", source);
        const subject =
            explicitSubject ??
            (app.enterpriseId ? { type: "enterprise" as const, id: app.enterpriseId } : undefined);
        if (!subject) {
            return fail(
                `JWT needs a subject: the config file has no enterpriseID; set ${where("enterpriseId")} or ${where("userId")}`,
            );
        }
        return { method: "jwt", app, subject };
    }

    const clientId = get("clientId");
    const clientSecret = get("clientSecret");
    if (clientId || clientSecret || explicitSubject) {
        const missing: string[] = [];
        if (!clientId) missing.push(where("clientId"));
        if (!clientSecret) missing.push(where("clientSecret"));
        if (!explicitSubject) missing.push(`${where("enterpriseId")} or ${where("userId")}`);
        if (missing.length || !clientId || !clientSecret || !explicitSubject) {
            return fail(`Client Credentials Grant is incomplete: missing ${missing.join(", ")}`);
        }
        return { method: "clientCredentials", clientId, clientSecret, subject: explicitSubject };
    }

    throw new BoxSettingsError(
        `No Box credentials: set box:accessToken (pulumi config set --secret box:accessToken ...) or BOX_ACCESS_TOKEN; ` +
            `or a JWT app with box:jwtConfig / BOX_JWT_CONFIG or box:jwtConfigPath / BOX_JWT_CONFIG_PATH; ` +
            `or Client Credentials with box:clientId, box:clientSecret and box:enterpriseId (or the BOX_* variables).`,
    );
}

/** Every secret value among the credentials, for redaction. */
export function secretsOf(credentials: Credentials): string[] {
    switch (credentials.method) {
        case "accessToken":
            return [credentials.accessToken];
        case "clientCredentials":
            return [credentials.clientSecret];
        case "jwt":
            return [
                credentials.app.clientSecret,
                credentials.app.privateKey,
                credentials.app.passphrase ?? "",
            ].filter(Boolean);
    }
}
