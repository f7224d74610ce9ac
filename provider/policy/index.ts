/**
 * The review guardrails as Pulumi policies, for organizations that enforce rules centrally: a policy
 * pack (`@pulumi/policy`) that every stack runs, whatever its own config says. Import from
 * `pulumi-box-session-termination/policy`; see examples/policy-pack.
 *
 * Each policy is a `ResourceValidationPolicy` that looks only at `SessionTermination` resources. Its
 * options can be set in code, or in the pack's policy config (`pulumi policy enable --config`), which
 * wins, except that protected principals from the config are added to the code's, never replace them.
 * The rules are the same functions `check` uses (guardrails.ts), so a principal protected here is
 * protected in any case or Unicode form.
 *
 * This module imports only types from `@pulumi/policy`: it is an optional peer dependency, needed only
 * by policy packs.
 */
import type {
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
} from "@pulumi/policy";
import { protectedHits, reasonProblem } from "../core/guardrails";
import { PRINCIPAL_KINDS } from "../core/types";
import { canonicalEntry, isUnknown } from "../core/validation";
import { DYNAMIC_TYPE, NATIVE_TYPE } from "../tokens";

/** The type token Pulumi gives a `SessionTermination`. */
export const SESSION_TERMINATION_TYPE = DYNAMIC_TYPE;

/** The native provider's type for the same resource (docs/languages.md): the policies apply to it too. */
export const NATIVE_SESSION_TERMINATION_TYPE = NATIVE_TYPE;

/** Options every policy here takes. */
export interface PolicyOptions {
    /** How a violation is treated (default `mandatory`: the preview or update fails). */
    enforcementLevel?: EnforcementLevel;
}

/** Options of {@link reasonPolicy}. */
export interface ReasonPolicyOptions extends PolicyOptions {
    /** A regular expression every `reason` must match (e.g. `^(HR|SEC)-[0-9]+`); unset: any non-empty reason. */
    pattern?: string;
}

/** Options of {@link maxPrincipalsPolicy}. */
export interface MaxPrincipalsPolicyOptions extends PolicyOptions {
    /** The most principals (user IDs, logins and groups together) one resource may name (default 1,000). */
    max?: number;
}

/** Options of {@link protectedPrincipalsPolicy}. */
export interface ProtectedPrincipalsPolicyOptions extends PolicyOptions {
    /** User IDs no resource may name. */
    userIds?: string[];
    /** Logins no resource may name, in any case or Unicode form. */
    userLogins?: string[];
    /** Group IDs no resource may name (All Users, admins). */
    groupIds?: string[];
}

/**
 * Whether a resource terminates Box sessions: a `SessionTermination`, or any dynamic resource that
 * names principals. The provider module is public, so a stack could register it under another type
 * name (`new pulumi.dynamic.Resource(provider, ...)`); a central rule must not be that easy to step around.
 */
export function isSessionTermination(args: Pick<ResourceValidationArgs, "type" | "props">): boolean {
    if (args.type === SESSION_TERMINATION_TYPE || args.type === NATIVE_SESSION_TERMINATION_TYPE) return true;
    if (!args.type.startsWith("pulumi-nodejs:dynamic")) return false;
    const props = args.props ?? {};
    // Every form `__provider` takes names the package (a require of it; in state from before 0.1.0's
    // release, a stub requiring it by name or packed modules' `about`) or, as Pulumi's own copy, holds
    // the code that calls Box.
    const providerText = String(props.__provider ?? "");
    return (
        PRINCIPAL_KINDS.some((kind) => kind in props) ||
        providerText.includes("pulumi-box-session-termination") ||
        providerText.includes("terminate_sessions")
    );
}

/**
 * Runs `validate` only for resources that terminate sessions, with the code's options combined with
 * the policy config by `combine` (by default the config wins, key by key).
 */
function forSessionTerminations<T extends object>(
    options: T,
    validate: (props: Record<string, unknown>, options: T, report: ReportViolation) => void,
    combine: (code: T, config: Partial<T>) => T = (code, config) => ({ ...code, ...config }),
): (args: ResourceValidationArgs, report: ReportViolation) => void {
    return (args, report) => {
        if (!isSessionTermination(args)) return;
        let config: Partial<T> = {};
        try {
            config = args.getConfig<Partial<T>>() ?? {};
        } catch {
            // No config for this policy in this pack: the code's options stand.
        }
        validate(args.props, combine(options, config), report);
    };
}

/** Every `reason` is present and, when a pattern is given, matches it. */
export function reasonPolicy(options: ReasonPolicyOptions = {}): ResourceValidationPolicy {
    return {
        name: "box-session-termination-reason",
        description:
            "Every Box session termination gives a reason (a ticket), matching the required pattern.",
        enforcementLevel: options.enforcementLevel ?? "mandatory",
        configSchema: { properties: { pattern: { type: "string" } } },
        validateResource: forSessionTerminations(options, (props, o, report) => {
            const pattern = o.pattern ? new RegExp(o.pattern, "u") : /\S/u;
            const problem = reasonProblem(props.reason, pattern);
            if (problem === "missing")
                report(`reason is required${o.pattern ? `, matching /${o.pattern}/` : ""}`);
            if (problem === "mismatch")
                // Never the value: a reason may be a secret, and preview prints every violation.
                report(`reason does not match /${o.pattern}/`);
        }),
    };
}

/** No resource names more than `max` principals. */
export function maxPrincipalsPolicy(options: MaxPrincipalsPolicyOptions = {}): ResourceValidationPolicy {
    return {
        name: "box-session-termination-max-principals",
        description: "One Box session termination names at most a reviewed number of principals.",
        enforcementLevel: options.enforcementLevel ?? "mandatory",
        configSchema: { properties: { max: { type: "integer", minimum: 1 } } },
        validateResource: forSessionTerminations(options, (props, o, report) => {
            const max = o.max ?? 1000;
            let total = 0;
            for (const kind of PRINCIPAL_KINDS) {
                const list = props[kind];
                if (!Array.isArray(list)) continue;
                const known = list.filter((v): v is string => typeof v === "string" && !isUnknown(v));
                total += new Set(known.map((v) => canonicalEntry(kind, v))).size;
            }
            if (total > max) report(`names ${total} principals; at most ${max} are allowed in one resource`);
        }),
    };
}

/** No resource names a protected principal. */
export function protectedPrincipalsPolicy(
    options: ProtectedPrincipalsPolicyOptions = {},
): ResourceValidationPolicy {
    return {
        name: "box-session-termination-protected-principals",
        description:
            "Protected Box users and groups (break-glass admins, service accounts, All Users) are never cut off.",
        enforcementLevel: options.enforcementLevel ?? "mandatory",
        configSchema: {
            properties: {
                userIds: { type: "array", items: { type: "string" } },
                userLogins: { type: "array", items: { type: "string" } },
                groupIds: { type: "array", items: { type: "string" } },
            },
        },
        validateResource: forSessionTerminations(
            options,
            (props, o, report) => {
                for (const hit of protectedHits(props, o)) {
                    report(
                        `${hit.kind}[${hit.index}] ${JSON.stringify(hit.value)} is protected and may not be cut off`,
                    );
                }
            },
            // A pack's config adds protected principals and never removes one the code protects:
            // replacing the lists would let one more name in the config unprotect everyone else.
            (code, config) => ({
                ...code,
                userIds: [...(code.userIds ?? []), ...(config.userIds ?? [])],
                userLogins: [...(code.userLogins ?? []), ...(config.userLogins ?? [])],
                groupIds: [...(code.groupIds ?? []), ...(config.groupIds ?? [])],
            }),
        ),
    };
}

/** All three, for a pack that wants the lot. */
export function sessionTerminationPolicies(
    options: {
        reason?: ReasonPolicyOptions;
        maxPrincipals?: MaxPrincipalsPolicyOptions;
        protectedPrincipals?: ProtectedPrincipalsPolicyOptions;
    } = {},
): ResourceValidationPolicy[] {
    return [
        reasonPolicy(options.reason),
        maxPrincipalsPolicy(options.maxPrincipals),
        protectedPrincipalsPolicy(options.protectedPrincipals),
    ];
}
