/**
 * The review guardrails as settings give them (guardrails.ts applies them in `check`): protected
 * principals, the blast-radius cap, the reason pattern, the group-member check. Needs no credential.
 */
import { BoxSettingsError } from "./errors";
import {
    SETTINGS,
    flag,
    integer,
    list,
    lookup,
    sourceOf,
    where,
    type RawSettings,
    type SettingName,
} from "./settings";

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
