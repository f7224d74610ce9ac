/**
 * Credentials: one set, from one source (stack config when it names any, else the environment),
 * an access token, Client Credentials Grant or JWT. Held in memory for one operation only.
 */
import { BoxSettingsError } from "./errors";
import {
    CREDENTIAL_SETTINGS,
    SETTINGS,
    credentialsFromConfig,
    lookup,
    where,
    type RawSettings,
    type SettingName,
} from "./settings";

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
