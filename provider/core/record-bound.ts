/**
 * How large a resource may be for a partial failure of it to be recorded. Pure.
 *
 * A partial result travels out of Pulumi's Node provider host in one gRPC trailer (trailer-limits.ts), and
 * it holds every principal the resource has terminated. Past a size, no report fits: the engine records
 * nothing and every `pulumi up` sends the whole list again. So `check` refuses, in preview, a resource
 * whose partial result could not be recorded in the worst case (every principal accepted but one, Box's
 * longest explanation, the longest message), and says how to split it; the revocations loader splits
 * entries itself. The bound is in bytes, not principals: 1,000 IDs fit, 1,000 long logins do not.
 */
import { MAX_MESSAGE_CHARS } from "./limits";
import { MAX_TRAILER_BYTES, trailerBytes } from "./trailer-limits";
import { leastRecordedShape, type RecordCarry } from "./partial-failure";
import { outputsOf } from "./state";
import { PRINCIPAL_KINDS, type PrincipalKind, type Principals } from "./types";
import { countPrincipals } from "./principals";
import type { CheckFailure } from "./validation";

/** What of a resource's inputs a partial result records besides its principals. */
export interface RecordedExtras {
    /** The resource's `reason`. */
    reason?: unknown;
    /** The resource's `triggers`. */
    triggers?: unknown;
    /** What the front door records in every partial result (its {@link RecordCarry} `least`). */
    least?: RecordCarry["least"];
}

/** The longest values first, so a report's "first three" are the largest it could list. */
function longestFirst(p: Principals): Principals {
    const sort = (list: string[]) => [...list].sort((a, b) => b.length - a.length);
    return { userIds: sort(p.userIds), userLogins: sort(p.userLogins), groupIds: sort(p.groupIds) };
}

/**
 * Trailer bytes of the smallest recording report for these principals in the worst case: each list
 * accepted whole and also listed as not terminated (more than can happen), three refused per kind with
 * the longest code and request ID Box's answers are cut to, an explanation and a `message` at their
 * bounds (ASCII for the explanation, which travels twice; three-byte characters for the message).
 */
function worstPartialBytes(principals: Principals, extras: RecordedExtras = {}): number {
    const longest = longestFirst(principals);
    const refused = PRINCIPAL_KINDS.flatMap((kind) =>
        longest[kind].slice(0, 3).map((value, i) => ({
            kind,
            value,
            status: 404,
            // Distinct, so the report lists as many answers as it ever does.
            code: `${kind}${i}`.padEnd(100, "x"),
            requestId: "r".repeat(100),
        })),
    );
    const record = {
        message: "€".repeat(MAX_MESSAGE_CHARS),
        terminatedAt: new Date(0).toISOString(),
        requestIds: [],
        requestCount: Number.MAX_SAFE_INTEGER,
    };
    const shape = leastRecordedShape({
        accepted: principals,
        notDone: longest,
        refused,
        cause: new Error("x".repeat(MAX_TRAILER_BYTES)),
        id: "00000000-0000-4000-8000-000000000000",
        properties: {
            ...outputsOf({ reason: extras.reason, triggers: extras.triggers }, principals, record),
        },
        carry: { least: extras.least },
    });
    return trailerBytes(shape);
}

/** Whether a partial result of these principals can always be recorded. */
export function partialResultFits(
    principals: Principals,
    extras: RecordedExtras = {},
    budget = MAX_TRAILER_BYTES,
): boolean {
    return worstPartialBytes(principals, extras) <= budget;
}

/**
 * `items` cut, in order, into the fewest runs each accepted by `fits` (the largest prefix each time:
 * sizes only grow as items are added); undefined when even one item alone does not fit.
 */
export function splitToFit<T>(items: readonly T[], fits: (run: readonly T[]) => boolean): T[][] | undefined {
    const runs: T[][] = [];
    let rest = items;
    while (rest.length) {
        let lo = 0;
        let hi = rest.length;
        while (lo < hi) {
            const mid = Math.ceil((lo + hi) / 2);
            if (fits(rest.slice(0, mid))) lo = mid;
            else hi = mid - 1;
        }
        if (lo === 0) return undefined;
        runs.push(rest.slice(0, lo));
        rest = rest.slice(lo);
    }
    return runs;
}

/** The principals of `entries`, in their lists. */
function principalsIn(entries: ReadonlyArray<{ kind: PrincipalKind; value: string }>): Principals {
    const p: Principals = { userIds: [], userLogins: [], groupIds: [] };
    for (const e of entries) p[e.kind].push(e.value);
    return p;
}

/**
 * A `check` failure when a partial result of this resource could not be recorded, saying how many
 * resources it takes; undefined when it fits. Named on the largest list, or on `reason` or `triggers`
 * when they alone leave no room.
 */
export function recordBoundFailure(
    principals: Principals,
    extras: RecordedExtras = {},
    budget = MAX_TRAILER_BYTES,
): CheckFailure | undefined {
    const bytes = worstPartialBytes(principals, extras);
    if (bytes <= budget) return undefined;
    // Both front doors answer the engine through Node's HTTP/2 (grpc-js), whose header block bounds a
    // partial result: the bound is the same for the dynamic host and the native plugin.
    const limit = `${budget.toLocaleString("en")} one provider answer can carry to the engine`;
    const entries = PRINCIPAL_KINDS.flatMap((kind) => principals[kind].map((value) => ({ kind, value })));
    const parts = splitToFit(entries, (run) => worstPartialBytes(principalsIn(run), extras) <= budget);
    if (!parts) {
        const sizes = {
            reason: JSON.stringify(extras.reason ?? "").length,
            triggers: JSON.stringify(extras.triggers ?? []).length,
        };
        const property = sizes.triggers > sizes.reason ? "triggers" : "reason";
        return {
            property,
            reason:
                `too long for a partial failure to be recorded in Pulumi state (with the ${property === "reason" ? "triggers" : "reason"}, ` +
                `about ${worstPartialBytes(principalsIn(entries.slice(0, 1)), extras).toLocaleString("en")} bytes of the ${limit}): shorten it`,
        };
    }
    const largest = [...PRINCIPAL_KINDS].sort(
        (a, b) => principals[b].join("").length - principals[a].join("").length,
    )[0];
    return {
        property: largest,
        reason:
            `${countPrincipals(principals).toLocaleString("en")} principals take too many bytes for a partial failure to be recorded in Pulumi state ` +
            `(about ${bytes.toLocaleString("en")} of the ${limit}), ` +
            `so one failed request would leave nothing recorded and every \`pulumi up\` would send them all again. ` +
            `Split them across at least ${parts.length} SessionTermination resources, filling each in order as far as check accepts (in TypeScript, loadRevocations splits a revocations file's entries that way itself).`,
    };
}
