/**
 * A termination Box accepted for some principals but not all, reported the way Pulumi's engine shows it.
 *
 * For an error carrying `id`, the engine records the resource with the error's `properties` and shows
 * the user ONLY `reasons`: the message is discarded (pulumi/pulumi `pkg/resource/plugin/
 * provider_plugin.go`, `parseError`, which turns the status details into `InitError{Reasons}`). So
 * `reasons` carry the whole diagnosis: Box's status, code, message and request ID, who was and was not
 * terminated, and what to run next. Without `id` the engine records nothing and shows the message,
 * which carries the same lines.
 *
 * Everything here must fit through the provider host's gRPC trailers (trailer-limits.ts); the report
 * steps down until it does, and never claims a recorded state it could not send.
 */
import {
    boundTextKeepingEnds,
    fitsThroughHost,
    MAX_TRAILER_BYTES,
    type HostErrorShape,
} from "./trailer-limits";
import { cutChars } from "./limits";
import { BoxError, boxFields } from "./errors";
import type { RefusedPrincipal } from "./isolation-types";
import { PRINCIPAL_KINDS, type Principals } from "./types";
import { countPrincipals } from "./principals";

type Props = Record<string, unknown>;

/**
 * What a front door adds to a recorded partial state so that the engine can later refresh and destroy
 * the resource: for the dynamic resource its `__provider` (provider/dynamic/partial-record.ts), for a
 * native provider nothing. `full` is recorded when it fits, else `least`; both default to nothing.
 */
export interface RecordCarry {
    /** Properties recorded when they fit beside the report (the program's own `__provider`). */
    full?: Props;
    /** Properties every recorded report carries, however small it must be. */
    least?: Props;
}

/** "userIds 1, 2; userLogins a@b.c", listing at most `limit` per kind. */
export function describePrincipals(p: Principals, limit = 20): string {
    const parts: string[] = [];
    for (const kind of PRINCIPAL_KINDS) {
        const list = p[kind];
        if (!list.length) continue;
        const shown = list.slice(0, limit).join(", ");
        parts.push(`${kind} ${shown}${list.length > limit ? ` and ${list.length - limit} more` : ""}`);
    }
    return parts.length ? parts.join("; ") : "none";
}

/** How Box refused a principal, as `404 not_found, request ID abc`. */
function refusalText(r: RefusedPrincipal): string {
    const id = r.requestId ? `, request ID ${r.requestId}` : "";
    return `${r.status}${r.code ? ` ${r.code}` : ""}${id}`;
}

/**
 * "userIds 99 (404 not_found, request ID r1); userLogins a@b.c (404 not_found, request ID r2)", listing
 * at most `limit` per kind: who Box refused, with what a Box support case needs.
 */
export function describeRefused(refused: readonly RefusedPrincipal[], limit = 20): string {
    const parts: string[] = [];
    for (const kind of PRINCIPAL_KINDS) {
        // In the order state and previews use: IDs by number (shorter first), logins by code unit.
        const byLength = kind === "userLogins" ? () => 0 : (a: string, b: string) => a.length - b.length;
        const list = refused
            .filter((r) => r.kind === kind)
            .sort(
                (a, b) => byLength(a.value, b.value) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
            );
        if (!list.length) continue;
        const shown = list
            .slice(0, limit)
            .map((r) => `${r.value} (${refusalText(r)})`)
            .join(", ");
        parts.push(`${kind} ${shown}${list.length > limit ? ` and ${list.length - limit} more` : ""}`);
    }
    return parts.length ? parts.join("; ") : "none";
}

/** The distinct answers Box refused with, as "404 not_found" or "404 not_found, 400 bad_request". */
export function refusalKinds(refused: readonly RefusedPrincipal[], max = 3): string {
    // Bounded: a hostile Box can give every refusal a code of its own.
    const kinds = [...new Set(refused.map((r) => `${r.status}${r.code ? ` ${r.code}` : ""}`))];
    const more = kinds.length > max ? ` and ${kinds.length - max} other answers` : "";
    return `${kinds.slice(0, max).join(", ")}${more}`;
}

/** What a partial failure reports and, when it fits, records. */
export interface PartialReport {
    /** The lines the user sees (the engine's init-error reasons, or the message without `id`). */
    reasons: string[];
    /** The state to record, what the front door carries included, when it can travel; undefined means record nothing. */
    properties?: Props;
}

/** What is known about a partial failure when it is reported. */
export interface PartialFailureFields {
    /** Principals Box accepted. */
    accepted: Principals;
    /** Principals Box did not accept (refused, or never sent after the run stopped). */
    notDone: Principals;
    /** The failure that stopped the run, if one did (anything but a 400 or 404). */
    cause?: Error;
    /** Principals Box refused named alone: it does not know them. Each is also in `notDone`. */
    refused?: readonly RefusedPrincipal[];
    /** The resource's ID, which tells Pulumi the resource exists. */
    id: string;
    /** The true state to record, without what the front door adds. */
    properties: Props;
    /** What the front door adds to the recorded state (see {@link RecordCarry}). */
    carry?: RecordCarry;
    /** Trailer bytes allowed; {@link MAX_TRAILER_BYTES} unless a test says otherwise. */
    budget?: number;
}

/** The most bytes Box's or the network's explanation may take in a report. */
export const MAX_CAUSE_BYTES = 4_000;

/**
 * Ways to shrink a report, most faithful first: the front door's full carry, then its least; then
 * shorter lists of who was and was not terminated; then state without Box's request IDs (their count
 * stays), which only link the record to Box's logs; the principals Box does not know are listed the
 * longest, since they are the one thing the user must act on.
 */
interface Rung {
    /** Which of the front door's {@link RecordCarry} properties are recorded. */
    carry: keyof RecordCarry;
    /** Terminated and not terminated principals listed per kind. */
    listed: number;
    /** Principals Box refused listed per kind. */
    refusedListed: number;
    /** Whether `requestIds` is recorded in full. */
    requestIds: boolean;
    /** The most encoded bytes of the cause quoted (its start and end are kept). */
    causeBytes: number;
    /** The most characters of Box's acknowledgement recorded in `message`. */
    messageChars: number;
}
const rung = (
    carry: Rung["carry"],
    listed: number,
    refusedListed: number,
    requestIds: boolean,
    causeBytes = MAX_CAUSE_BYTES,
    messageChars = 1_000,
): Rung => ({ carry, listed, refusedListed, requestIds, causeBytes, messageChars });
const LADDER: readonly Rung[] = [
    rung("full", 20, 100, true),
    rung("least", 20, 100, true),
    rung("least", 3, 100, true),
    rung("least", 3, 100, false),
    rung("least", 3, 20, false),
    rung("least", 3, 3, false),
    // The floor record-bound.ts sizes `check` against: one principal named per list (the rest are
    // counted, and all are in state), and a cause that keeps its status and request ID.
    rung("least", 1, 1, false, 800, 160),
];
/** What is listed when nothing can be recorded and only the message travels. */
export const UNRECORDED: readonly number[] = [100, 20, 3];

function reasonLines(
    fields: PartialFailureFields,
    cause: string | undefined,
    listed: number,
    refusedListed: number,
    recorded: boolean,
): string[] {
    const refused = fields.refused ?? [];
    const unrecorded =
        "This partial result is too large to record in Pulumi state, so nothing was recorded: the next `pulumi up` sends every principal again, which is harmless for those already terminated.";
    const next = !recorded
        ? refused.length
            ? `${unrecorded} Remove or correct the principals Box does not know first, or it fails on them again.`
            : unrecorded
        : cause === undefined
          ? "Pulumi state records only the terminated principals. Remove or correct the principals Box does not know (a deleted user, a mistyped login, a merged group): until then every `pulumi up` sends only them, and fails naming them again."
          : "Pulumi state records only the terminated principals. Fix the cause above, then run `pulumi up` again: it sends only the principals not terminated.";
    const why =
        cause ??
        `Box does not know ${refused.length} principal(s): it refused each of them named alone (${refusalKinds(refused)}). Every other principal was terminated.`;
    return [
        `Box accepted the termination for ${countPrincipals(fields.accepted)} principal(s) but not for ${countPrincipals(fields.notDone)}.`,
        `Cause: ${why}`,
        ...(refused.length
            ? [`Unknown to Box (refused alone): ${describeRefused(refused, refusedListed)}`]
            : []),
        `Terminated: ${describePrincipals(fields.accepted, listed)}`,
        `Not terminated: ${describePrincipals(fields.notDone, listed)}`,
        next,
    ];
}

/** The report a rung of {@link LADDER} makes, or undefined when that rung needs a provider text there is not. */
function reportAt(fields: PartialFailureFields, step: Rung): HostErrorShape | undefined {
    const carried = step.carry === "full" ? fields.carry?.full : (fields.carry?.least ?? {});
    if (!carried) return undefined;
    const properties: Props = { ...fields.properties, ...carried };
    if (!step.requestIds && Array.isArray(properties.requestIds)) properties.requestIds = [];
    if (typeof properties.message === "string")
        properties.message = cutChars(properties.message, step.messageChars);
    const cause = fields.cause ? boundTextKeepingEnds(fields.cause.message, step.causeBytes) : undefined;
    const reasons = reasonLines(fields, cause, step.listed, step.refusedListed, true);
    return { message: reasons.join("\n"), id: fields.id, properties, reasons };
}

/**
 * The smallest report that still records state (the last rung of {@link LADDER}): what must fit through
 * the host for a partial result to be recorded at all. record-bound.ts sizes `check` against it.
 */
export function leastRecordedShape(fields: PartialFailureFields): HostErrorShape {
    return reportAt(fields, LADDER[LADDER.length - 1])!;
}

/**
 * Plans the report for a partial result: the richest one that fits through the host, recording
 * `properties` (with the front door's `full` carry, else its `least`) whenever anything fits.
 */
export function planPartialReport(fields: PartialFailureFields): PartialReport {
    const budget = fields.budget ?? MAX_TRAILER_BYTES;
    for (const step of LADDER) {
        const shape = reportAt(fields, step);
        if (shape && fitsThroughHost(shape, budget))
            return { reasons: shape.reasons!, properties: shape.properties };
    }
    const cause = fields.cause ? boundTextKeepingEnds(fields.cause.message, MAX_CAUSE_BYTES) : undefined;
    for (const refusedListed of UNRECORDED) {
        const reasons = reasonLines(fields, cause, 3, refusedListed, false);
        if (fitsThroughHost({ message: reasons.join("\n") }, budget)) return { reasons };
    }
    return { reasons: reasonLines(fields, cause, 3, 3, false) };
}

/**
 * A termination that Box accepted for some principals but not all. When `id` is set, Pulumi records
 * the resource with `properties` (what was really done), so the next `pulumi up` sends only the rest.
 */
export class TerminationIncompleteError extends BoxError {
    /** The resource ID, telling Pulumi the resource exists in the state described by `properties`. */
    readonly id?: string;
    /** The state to record: the principals Box accepted, and what the front door needs to read and delete it. */
    readonly properties?: Props;
    /** The whole diagnosis, one line each: what the engine shows for a partially created resource. */
    readonly reasons: string[];
    /** Principals Box accepted. */
    readonly accepted: Principals;
    /** Principals Box did not accept (refused, or never sent). */
    readonly notDone: Principals;
    /** Principals Box refused named alone, with its code and request ID: it does not know them. */
    readonly refused: readonly RefusedPrincipal[];

    /**
     * Plans the report (see {@link planPartialReport}); `cause` is the first failure that stopped the
     * run (if one did), `refused` the principals Box refused alone, `properties` the true state, `carry`
     * what the front door records beside it.
     */
    constructor(fields: PartialFailureFields) {
        const report = planPartialReport(fields);
        const message = report.reasons.join("\n");
        // Status, code and request ID of what stopped the run (Box's answer, when it was one).
        super("TerminationIncompleteError", message, boxFields(fields.cause));
        // Without `id`, Pulumi records nothing: the true state when the partial result cannot travel.
        if (report.properties) {
            this.id = fields.id;
            this.properties = report.properties;
        }
        this.reasons = report.reasons;
        this.accepted = fields.accepted;
        this.notDone = fields.notDone;
        this.refused = fields.refused ?? [];
    }

    /** Diagnostic fields only; `properties` holds no secret but is left out to keep logs short. */
    toJSON(): Record<string, unknown> {
        return { name: this.name, message: this.message, id: this.id, reasons: this.reasons };
    }
}
