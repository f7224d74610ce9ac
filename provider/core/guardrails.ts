/**
 * Guardrails for reviewed revocations, applied in `check`: so a pull request's `pulumi preview`
 * refuses, with no Box credentials and without calling Box, what must not be cut off. Pure.
 *
 * - Protected principals (`box:protectedUserIds`, `box:protectedUserLogins`, `box:protectedGroupIds`):
 *   the break-glass admin, the service account that runs payroll, the "All Users" group.
 * - A blast-radius cap (`box:maxNewPrincipals`): the most principals one create or update may newly
 *   cut off, compared with the previous inputs, so a list may grow in reviewed steps.
 * - A reason policy (`box:reasonPattern`): every `reason` must match, e.g. a ticket reference.
 *
 * Principals are compared in their canonical form (validation.ts), so a protected login written in
 * another case or Unicode form is still protected.
 */
import type { GuardrailSettings } from "./settings-guardrails";
import { PRINCIPAL_KINDS, type PrincipalKind } from "./types";
import { canonicalEntry, isUnknown, type CheckFailure } from "./validation";

type Props = Record<string, unknown>;

/** The known, string entries of one principal list as given, with their index in the input. */
function entriesOf(props: Props, kind: PrincipalKind): Array<{ index: number; value: string }> {
    const raw = props[kind];
    if (!Array.isArray(raw)) return [];
    const out: Array<{ index: number; value: string }> = [];
    raw.forEach((value: unknown, index: number) => {
        if (typeof value === "string" && !isUnknown(value) && value.trim() !== "") out.push({ index, value });
    });
    return out;
}

/** One entry of an input list that names a protected principal. */
export interface ProtectedHit {
    /** The list it is in. */
    kind: PrincipalKind;
    /** Its index in that list, as the user wrote it. */
    index: number;
    /** The entry as written. */
    value: string;
}

/**
 * The form protection compares in: canonical, then compatibility-folded (NFKC: fullwidth letters, ſ)
 * and case-folded through upper case (ı, ß). Looser than how principals are stored on purpose: a
 * look-alike of a protected login is refused rather than sent.
 */
export function protectionKey(kind: PrincipalKind, value: string): string {
    return canonicalEntry(kind, value).normalize("NFKC").toUpperCase().toLowerCase();
}

/** Entries of `props` that name a protected principal, compared canonically. Shared with the policy pack. */
export function protectedHits(
    props: Props,
    guarded: Partial<Record<PrincipalKind, readonly string[]>>,
): ProtectedHit[] {
    const hits: ProtectedHit[] = [];
    for (const kind of PRINCIPAL_KINDS) {
        const keys = (guarded[kind] ?? []).map((v) => protectionKey(kind, v));
        if (!keys.length) continue;
        for (const { index, value } of entriesOf(props, kind)) {
            if (keys.includes(protectionKey(kind, value))) hits.push({ kind, index, value });
        }
    }
    return hits;
}

/** Protected principals named in `news`, each at its property and index, naming the setting. */
function protectedFailures(news: Props, g: GuardrailSettings): CheckFailure[] {
    return protectedHits(news, g.protected).map(({ kind, index, value }) => ({
        property: `${kind}[${index}]`,
        reason: `${JSON.stringify(value)} is protected by ${g.protectedSource[kind]}: no resource of this stack may cut it off`,
    }));
}

/** How many principals `news` names that `olds` did not, by kind (canonical forms, known values only). */
export function newPrincipalCounts(olds: Props, news: Props): Record<PrincipalKind, number> {
    const counts = { userIds: 0, userLogins: 0, groupIds: 0 };
    for (const kind of PRINCIPAL_KINDS) {
        const before = new Set(entriesOf(olds, kind).map((e) => canonicalEntry(kind, e.value)));
        const after = new Set(entriesOf(news, kind).map((e) => canonicalEntry(kind, e.value)));
        for (const value of after) if (!before.has(value)) counts[kind]++;
    }
    return counts;
}

/** The cap on principals newly cut off by one create or update. */
function blastRadiusFailures(olds: Props, news: Props, g: GuardrailSettings): CheckFailure[] {
    const counts = newPrincipalCounts(olds, news);
    const total = PRINCIPAL_KINDS.reduce((sum, kind) => sum + counts[kind], 0);
    if (total <= g.maxNewPrincipals) return [];
    const largest = [...PRINCIPAL_KINDS].sort((a, b) => counts[b] - counts[a])[0];
    const detail = PRINCIPAL_KINDS.filter((k) => counts[k] > 0)
        .map((k) => `${k} ${counts[k]}`)
        .join(", ");
    return [
        {
            property: largest,
            reason:
                `would newly cut off ${total} principals (${detail}), more than ${g.maxNewPrincipalsSource} allows: ${g.maxNewPrincipals}. ` +
                `Add them in smaller reviewed steps, or, for an incident, raise box:maxNewPrincipals in the same pull request.`,
        },
    ];
}

/** What is wrong with `reason` under `pattern`: nothing, missing, or not matching. Shared with the policy pack. */
export function reasonProblem(reason: unknown, pattern: RegExp): "missing" | "mismatch" | undefined {
    if (isUnknown(reason)) return undefined; // not known in preview: checked again at `up`
    if (typeof reason !== "string" || reason.trim() === "") return "missing";
    return pattern.test(reason) ? undefined : "mismatch";
}

/** The reason policy. */
function reasonFailures(news: Props, g: GuardrailSettings): CheckFailure[] {
    if (!g.reasonPattern) return [];
    const problem = reasonProblem(news.reason, g.reasonPattern);
    const rule = `${g.reasonPatternSource} asks for a reason matching /${g.reasonPattern.source}/`;
    if (problem === "missing") return [{ property: "reason", reason: `is required: ${rule}` }];
    if (problem === "mismatch")
        return [
            {
                property: "reason",
                // Never the value: a reason may be a secret, and preview prints every failure.
                reason: `does not match: ${rule}`,
            },
        ];
    return [];
}

/** Every guardrail failure for a resource going from `olds` (its previous inputs, `{}` when new) to `news`. */
export function applyGuardrails(olds: Props, news: Props, g: GuardrailSettings): CheckFailure[] {
    return [...protectedFailures(news, g), ...blastRadiusFailures(olds, news, g), ...reasonFailures(news, g)];
}
