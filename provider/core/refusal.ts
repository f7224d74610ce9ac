/**
 * A step in which Box accepted no one and refused someone named alone: nothing is recorded, so the
 * error's message is everything the user sees, naming whom Box refused and what that suggests.
 */
import { BoxError, boxFields } from "./errors";
import { boundText, fitsThroughHost } from "./trailer-limits";
import type { RefusedPrincipal } from "./isolation-types";
import {
    describePrincipals,
    describeRefused,
    MAX_CAUSE_BYTES,
    refusalKinds,
    UNRECORDED,
} from "./partial-failure";
import { countPrincipals } from "./principals";
import type { Principals } from "./types";

/** What is known about a termination Box accepted for no one, with at least one principal it refused alone. */
export interface RefusedFields {
    /** Every principal the step meant to terminate (none was). */
    notDone: Principals;
    /** Principals Box refused named alone. */
    refused: readonly RefusedPrincipal[];
    /** Whether the run stopped early, after refusals alone with nothing accepted (see isolation.ts). */
    refusedEverything: boolean;
    /** Principals named in at least one request. */
    tried: number;
    /** A failure that stopped the run besides, if any. */
    cause?: Error;
    /** Box's first refusal, quoted first: Box's own status, code, message and request ID. */
    firstRefusal?: Error;
}

/**
 * The lines for a step in which Box accepted no one and refused someone alone. Nothing is recorded
 * (Pulumi keeps the previous state), so the message is what the user sees: it names whom Box refused.
 */
export function refusedLines(f: RefusedFields, listed = 20, refusedListed = 100): string[] {
    const total = countPrincipals(f.notDone);
    const untried = total - f.tried;
    const neverSent = untried > 0 ? ` ${untried} more were never sent.` : "";
    const lines: string[] = [];
    // Box's own words first, as for any other failed request (docs/troubleshooting.md goes by them).
    const first = f.cause ?? f.firstRefusal;
    if (first) lines.push(boundText(first.message, MAX_CAUSE_BYTES));
    if (f.cause) {
        lines.push(`Box also refused, named alone: ${describeRefused(f.refused, refusedListed)}`);
    } else if (f.refusedEverything) {
        lines.push(
            `Box knew none of the ${f.tried} principal(s) tried: it refused every request (${refusalKinds(f.refused)}), ` +
                `including ${f.refused.length} principals named alone from across the list, so it was asked no more.${neverSent}`,
        );
        lines.push(
            "Check that box:baseUrl and the credentials are those of the enterprise these users and groups belong to; if they are, these principals no longer exist in Box.",
        );
        lines.push(`Refused alone: ${describeRefused(f.refused, refusedListed)}`);
    } else {
        lines.push(
            `Box knew none of the ${f.tried} principal(s) tried: it refused each of them named alone (${refusalKinds(f.refused)}), so Box does not know them.${neverSent}`,
        );
        lines.push(`Unknown to Box (refused alone): ${describeRefused(f.refused, refusedListed)}`);
        lines.push(
            "Remove or correct them (a deleted user, a mistyped login, a merged group), or check that box:baseUrl and the credentials are those of their enterprise.",
        );
    }
    lines.push(`Not terminated: ${describePrincipals(f.notDone, listed)}`);
    lines.push("Nothing was recorded: the next `pulumi up` sends these principals again.");
    return lines;
}

/**
 * A termination Box accepted for no one, having refused at least one principal named alone (404 or
 * 400): Box does not know it, or, when it refused everyone tried, these credentials or this base URL
 * belong to another enterprise. Carries no `id`, so Pulumi records nothing and shows the message.
 */
export class TerminationRefusedError extends BoxError {
    /** Principals Box refused named alone, with its code and request ID. */
    readonly refused: readonly RefusedPrincipal[];
    /** Principals not terminated: everyone the step meant to terminate. */
    readonly notDone: Principals;
    /** True when the run stopped early because Box refused everything tried. */
    readonly refusedEverything: boolean;

    /** Builds the message from what the run learned (see {@link refusedLines}). */
    constructor(fields: RefusedFields) {
        // Only the message travels (no `id`): the most refused principals named that fit through the host.
        const fitting = UNRECORDED.map((n) => refusedLines(fields, 20, n).join("\n")).find((m) =>
            fitsThroughHost({ message: m }),
        );
        const message = fitting ?? refusedLines(fields, 3, 3).join("\n");
        super("TerminationRefusedError", message, boxFields(fields.firstRefusal));
        this.refused = fields.refused;
        this.notDone = fields.notDone;
        this.refusedEverything = fields.refusedEverything;
    }

    /** Diagnostic fields only. */
    toJSON(): Record<string, unknown> {
        return { name: this.name, message: this.message, refused: this.refused };
    }
}
