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
 * Everything here must fit through the provider host's gRPC trailers (host-limits.ts); the report
 * steps down until it does, and never claims a recorded state it could not send.
 */
import { boundText, fitsThroughHost, MAX_TRAILER_BYTES } from "./host-limits";
import { initError } from "./errors";
import { PRINCIPAL_KINDS, type Principals } from "./types";
import { countPrincipals } from "./validation";

type Props = Record<string, unknown>;

/**
 * A provider module with only `read` and `delete`, recorded as `__provider` when the real one is too
 * large to travel with a partial result (a provider copied by value is tens of kilobytes). After a
 * partial failure the engine calls the recorded `__provider` only for Read (refresh) and Delete
 * (destroy, removal), and this provider's own read and delete send nothing to Box and return state as
 * it is, exactly as these do. Check, Diff, Create and Update always load the program's `__provider`,
 * so the next successful update writes the real one back.
 */
export const READ_DELETE_PROVIDER =
    "exports.handler = function () { return { " +
    "read: async function (id, props) { return { id: id, props: props }; }, " +
    "delete: async function () {} }; };\n";

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

/** What a partial failure reports and, when it fits, records. */
export interface PartialReport {
    /** The lines the user sees (the engine's init-error reasons, or the message without `id`). */
    reasons: string[];
    /** The state to record, `__provider` included, when it can travel; undefined means record nothing. */
    properties?: Props;
}

/** What is known about a partial failure when it is reported. */
export interface PartialFailureFields {
    /** Principals Box accepted. */
    accepted: Principals;
    /** Principals Box did not accept (failed, or never sent after the run stopped). */
    notDone: Principals;
    /** The failure that stopped the run. */
    cause: Error;
    /** The resource's ID, which tells Pulumi the resource exists. */
    id: string;
    /** The true state to record, without `__provider`. */
    properties: Props;
    /** The resource's `__provider`, recorded when it fits. */
    providerText: unknown;
    /** Trailer bytes allowed; {@link MAX_TRAILER_BYTES} unless a test says otherwise. */
    budget?: number;
}

/** Ways to shrink a report, most faithful first: the real provider text, then the stand-in; then shorter lists. */
const LADDER: ReadonlyArray<{ provider: "real" | "stand-in"; listed: number }> = [
    { provider: "real", listed: 20 },
    { provider: "stand-in", listed: 20 },
    { provider: "stand-in", listed: 3 },
];

/** The most bytes Box's or the network's explanation may take in a report. */
const MAX_CAUSE_BYTES = 4_000;

function reasonLines(
    accepted: Principals,
    notDone: Principals,
    cause: string,
    listed: number,
    recorded: boolean,
): string[] {
    const next = recorded
        ? "Pulumi state records only the terminated principals. Fix the cause above, then run `pulumi up` again: it sends only the principals not terminated."
        : "This partial result is too large to record in Pulumi state, so nothing was recorded: the next `pulumi up` sends every principal again, which is harmless for those already terminated.";
    return [
        `Box accepted the termination for ${countPrincipals(accepted)} principal(s) but not for ${countPrincipals(notDone)}.`,
        `Cause: ${cause}`,
        `Terminated: ${describePrincipals(accepted, listed)}`,
        `Not terminated: ${describePrincipals(notDone, listed)}`,
        next,
    ];
}

/**
 * Plans the report for a partial result: the richest one that fits through the host, recording
 * `properties` (with the real `__provider`, else the read/delete stand-in) whenever anything fits.
 */
export function planPartialReport(fields: PartialFailureFields): PartialReport {
    const budget = fields.budget ?? MAX_TRAILER_BYTES;
    const cause = boundText(fields.cause.message, MAX_CAUSE_BYTES);
    for (const step of LADDER) {
        const provider = step.provider === "real" ? fields.providerText : READ_DELETE_PROVIDER;
        if (typeof provider !== "string") continue;
        const properties = { ...fields.properties, __provider: provider };
        const reasons = reasonLines(fields.accepted, fields.notDone, cause, step.listed, true);
        const shape = { message: reasons.join("\n"), id: fields.id, properties, reasons };
        if (fitsThroughHost(shape, budget)) return { reasons, properties };
    }
    return { reasons: reasonLines(fields.accepted, fields.notDone, cause, 3, false) };
}

/**
 * A termination that Box accepted for some principals but not all. When `id` is set, Pulumi records
 * the resource with `properties` (what was really done), so the next `pulumi up` sends only the rest.
 */
export class TerminationIncompleteError extends Error {
    /** The resource ID, telling Pulumi the resource exists in the state described by `properties`. */
    readonly id?: string;
    /** The state to record: the principals Box accepted, and a `__provider` that can read and delete it. */
    readonly properties?: Props;
    /** The whole diagnosis, one line each: what the engine shows for a partially created resource. */
    readonly reasons: string[];
    /** Principals Box accepted. */
    readonly accepted: Principals;
    /** Principals Box did not accept (failed or never sent). */
    readonly notDone: Principals;

    /**
     * Plans the report (see {@link planPartialReport}); `cause` is the first failure that stopped the
     * run, `properties` the true state without `__provider`, `providerText` the resource's `__provider`.
     */
    constructor(fields: PartialFailureFields) {
        const report = planPartialReport(fields);
        const message = report.reasons.join("\n");
        super(message);
        initError(this, "TerminationIncompleteError", message);
        // Without `id`, Pulumi records nothing: the true state when the partial result cannot travel.
        if (report.properties) {
            this.id = fields.id;
            this.properties = report.properties;
        }
        this.reasons = report.reasons;
        this.accepted = fields.accepted;
        this.notDone = fields.notDone;
    }

    /** Diagnostic fields only; `properties` holds no secret but is left out to keep logs short. */
    toJSON(): Record<string, unknown> {
        return { name: this.name, message: this.message, id: this.id, reasons: this.reasons };
    }
}
