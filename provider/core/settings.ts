/**
 * Provider settings: the table of every `box:*` key and `BOX_*` variable, and how one is read.
 * What they resolve to lives beside it: settings-origin.ts (where credentials and terminations go),
 * settings-credentials.ts (one credential set, from one source), settings-guardrails.ts (the review
 * guardrails). Resolution is a pure function of stack config, the environment and a file reader,
 * evaluated inside each create or update. Nothing here is read at construction or at module load,
 * because the provider object is serialized into state and anything it captured would be stored
 * there in plain text.
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

/**
 * The settings a front door's configuration holds, given how it looks one up (the dynamic provider:
 * stack config by key; the native one: Configure's arguments, else its variables). A value that is
 * not text (a list given as a provider argument) is kept as its JSON, which the readers accept.
 */
export function collectSettings(lookup: (setting: SettingSpec) => unknown): RawSettings {
    const config: RawSettings = {};
    for (const s of SETTINGS) {
        const value = lookup(s);
        if (value !== undefined && value !== null)
            config[s.name] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}

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

/** How messages name a setting: its config key and environment variable. */
export function where(name: SettingName): string {
    const s = SETTINGS.find((x) => x.name === name);
    return s ? `${s.configKey} / ${s.envVar}` : name;
}

/** A yes/no setting: `true` or `false`, in any case. */
export function flag(
    name: SettingName,
    config: RawSettings,
    env: Record<string, string | undefined>,
): boolean {
    const text = (lookup(name, config, env) ?? "").trim().toLowerCase();
    if (text !== "true" && text !== "false")
        throw new BoxSettingsError(`${where(name)} must be true or false`);
    return text === "true";
}

/** A whole-number setting within [min, max]. */
export function integer(
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

/** The settings that make up credentials: they are taken as one set, from one source. */
export const CREDENTIAL_SETTINGS: readonly SettingName[] = [
    "accessToken",
    "clientId",
    "clientSecret",
    "enterpriseId",
    "userId",
    "jwtConfig",
    "jwtConfigPath",
];

/** Whether the environment names any credential. */
export function envHasCredentials(env: Record<string, string | undefined>): boolean {
    return SETTINGS.some((x) => CREDENTIAL_SETTINGS.includes(x.name) && env[x.envVar]);
}

/** Whether stack config names any credential (then credentials and the origin come only from there). */
export function credentialsFromConfig(config: RawSettings): boolean {
    return CREDENTIAL_SETTINGS.some((name) => config[name] !== undefined && config[name] !== "");
}

/** Which source gave a setting's value, for messages a reviewer reads: `box:x (stack config)`. */
export function sourceOf(
    name: SettingName,
    config: RawSettings,
    env: Record<string, string | undefined>,
): string {
    const s = SETTINGS.find((x) => x.name === name)!;
    if (config[name] !== undefined && config[name] !== "") return `${s.configKey} (stack config)`;
    if (env[s.envVar] !== undefined && env[s.envVar] !== "") return `${s.envVar} (environment)`;
    return `${s.configKey} (default)`;
}

/** A list setting: a JSON list of strings (or numbers, for IDs), or comma-separated text. */
export function list(
    name: SettingName,
    config: RawSettings,
    env: Record<string, string | undefined>,
): string[] {
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
