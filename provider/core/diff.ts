/**
 * What `diff` answers Pulumi: whether anything changed, whether `triggers` forces a replacement, and
 * who an update would send. Pure; runs in preview, so it needs no credentials.
 */
import { PRINCIPAL_KINDS, type Principals } from "./types";
import { addedPrincipals } from "./principals";
import { isUnknown, principalsOf, UNKNOWN } from "./validation";

/** The answer `diff` gives Pulumi, always with `changes` set (left undefined, a front door's engine compares every input). */
export interface DiffPlan {
    /** Whether anything differs that Pulumi should record. */
    changes: boolean;
    /** Properties whose change forces a replacement: only `triggers`. */
    replaces: string[];
    /** Principals that an update would send to Box (empty for reason-only or removal-only changes). */
    added: Principals;
}

function sameList(a: string[], b: string[]): boolean {
    return a.length === b.length && a.every((v, i) => v === b[i]);
}

function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}

/** Structural equality over JSON-like values, the way Pulumi compares property values. */
function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (Array.isArray(a) || Array.isArray(b)) {
        return (
            Array.isArray(a) &&
            Array.isArray(b) &&
            a.length === b.length &&
            a.every((v, i) => deepEqual(v, b[i]))
        );
    }
    if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
    const ak = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const bk = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return (
        ak.length === bk.length &&
        ak.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
}

/** Treats an absent or empty trigger list alike, so adding `triggers: []` later replaces nothing. */
function triggersOf(value: unknown): unknown {
    return value === undefined || value === null || (Array.isArray(value) && value.length === 0) ? [] : value;
}

/**
 * Compares the state (`olds`, the outputs of the last create/update) with checked new inputs.
 *
 * Reordering or repeating entries is no change. Added principals are an update that sends them;
 * removed principals and a new `reason` are updates that send nothing (Box cannot un-terminate a
 * session); a changed `triggers` is a replacement, which terminates everyone listed again.
 */
export function planDiff(olds: Record<string, unknown>, news: Record<string, unknown>): DiffPlan {
    const before = principalsOf(olds);
    const after = principalsOf(news);
    const added = addedPrincipals(before, after);
    const oldTriggers = triggersOf(olds.triggers);
    const newTriggers = triggersOf(news.triggers);

    const replaces = containsUnknown(newTriggers) || !deepEqual(oldTriggers, newTriggers) ? ["triggers"] : [];
    const listsChanged = PRINCIPAL_KINDS.some(
        (k) => !sameList(before[k], after[k]) || after[k].includes(UNKNOWN),
    );
    const reasonChanged = (olds.reason ?? undefined) !== (news.reason ?? undefined);
    return { changes: replaces.length > 0 || listsChanged || reasonChanged, replaces, added };
}

/** How one property path differs, as a native provider reports it to the engine. */
export type PathChange = "add" | "delete" | "update";

/** One entry of a detailed diff: the path (`userLogins[2]`) and how it differs. */
export interface DetailedChange {
    /** A property path: `userLogins[2]` (index in the new list for additions, the old for removals). */
    path: string;
    /** Added, deleted or changed. */
    kind: PathChange;
    /** Whether this change replaces the resource (only `triggers`). */
    replaces: boolean;
}

/**
 * The detailed diff of a plan, principal by principal, so that a preview shows who is added and who
 * removed rather than every index after an insertion into a sorted list. Lists still unknown in
 * preview, and `reason` and `triggers`, are reported whole.
 */
export function detailedChanges(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
): DetailedChange[] {
    const before = principalsOf(olds);
    const after = principalsOf(news);
    const changes: DetailedChange[] = [];
    for (const kind of PRINCIPAL_KINDS) {
        if (after[kind].includes(UNKNOWN)) {
            changes.push({ path: kind, kind: "update", replaces: false });
            continue;
        }
        const had = new Set(before[kind]);
        const has = new Set(after[kind]);
        const added = after[kind].flatMap((v, i) => (had.has(v) ? [] : [`${kind}[${i}]`]));
        const removed = before[kind].flatMap((v, i) => (has.has(v) ? [] : [`${kind}[${i}]`]));
        // A path is one key of the engine's map: an addition and a removal at one index are a change there.
        for (const path of added)
            changes.push({ path, kind: removed.includes(path) ? "update" : "add", replaces: false });
        for (const path of removed)
            if (!added.includes(path)) changes.push({ path, kind: "delete", replaces: false });
    }
    const oldReason = olds.reason ?? undefined;
    const newReason = news.reason ?? undefined;
    if (oldReason !== newReason) {
        const kind = oldReason === undefined ? "add" : newReason === undefined ? "delete" : "update";
        changes.push({ path: "reason", kind, replaces: false });
    }
    if (planDiff(olds, news).replaces.length)
        changes.push({ path: "triggers", kind: "update", replaces: true });
    return changes;
}
