/**
 * What a `SessionTermination` writes to state, built from whatever the engine hands the provider:
 * inputs that skipped `check`, state written by an older version (no `message`, `terminatedAt`,
 * `requestIds` or `requestCount`),
 * extra or missing fields, `undefined` values. Pure.
 *
 * The one hard rule: no output may hold `undefined`, anywhere. Pulumi's provider host turns outputs
 * into a protobuf Struct, which has no such value, and fails the whole step with "Unexpected struct
 * type." So every output here is built from known fields, and anything carried over as given
 * (`triggers`) is made plain first.
 */
import { MAX_REQUEST_IDS } from "./limits";
import { isEmpty } from "./principals";
import { principalsOf, checkInputs } from "./validation";
import { PRINCIPAL_KINDS, type Principals, type SessionTerminationOutputs } from "./types";

type Props = Record<string, unknown>;

/** The result of the most recent termination, as far as state knows it. */
export interface TerminationRecord {
    /** Box's message; absent in state written before it was recorded. */
    message?: string;
    /** ISO-8601 time of the termination; absent in state written before it was recorded. */
    terminatedAt?: string;
    /**
     * Box's request IDs of the accepted requests, at most {@link MAX_REQUEST_IDS} of them; absent in
     * state written before they were recorded.
     */
    requestIds?: string[];
    /** How many requests Box accepted; absent exactly when `requestIds` is. */
    requestCount?: number;
}

/** An object to read fields from, whatever was handed over (`undefined`, `null`, a list…). */
export function asProps(value: unknown): Props {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : {};
}

/**
 * `value` as a Struct can carry it: `undefined` object fields dropped, `undefined` list entries
 * (which Pulumi itself would send as null) made null, non-finite numbers and functions made null.
 */
export function plainValue(value: unknown): unknown {
    if (value === undefined || value === null) return null;
    if (typeof value === "number") return Number.isFinite(value) ? value : null;
    if (typeof value === "string" || typeof value === "boolean") return value;
    if (Array.isArray(value)) return value.map(plainValue);
    if (typeof value === "object") {
        const out: Props = {};
        for (const [key, field] of Object.entries(value as Props)) {
            if (field !== undefined) out[key] = plainValue(field);
        }
        return out;
    }
    return null;
}

/** The last termination's record from state, keeping only fields of the right type. */
export function recordOf(state: unknown): TerminationRecord {
    const props = asProps(state);
    const record: TerminationRecord = {};
    if (typeof props.message === "string") record.message = props.message;
    if (typeof props.terminatedAt === "string") record.terminatedAt = props.terminatedAt;
    if (Array.isArray(props.requestIds)) {
        record.requestIds = props.requestIds.filter((v): v is string => typeof v === "string");
        const count = props.requestCount;
        // A count that cannot be right is replaced by the one thing known: how many IDs there are.
        record.requestCount =
            typeof count === "number" && Number.isInteger(count) && count >= record.requestIds.length
                ? count
                : record.requestIds.length;
    }
    return record;
}

/**
 * The outputs to record: the principals, the record of the last termination, and `reason` and
 * `triggers` as the inputs give them. `__provider` is not among them: the host adds it.
 */
export function outputsOf(
    inputs: unknown,
    principals: Principals,
    record: TerminationRecord,
): SessionTerminationOutputs {
    const given = asProps(inputs);
    const outs: Omit<SessionTerminationOutputs, keyof Principals> = {};
    if (typeof given.reason === "string") outs.reason = given.reason;
    if (Array.isArray(given.triggers)) outs.triggers = plainValue(given.triggers) as unknown[];
    if (record.message !== undefined) outs.message = record.message;
    if (record.terminatedAt !== undefined) outs.terminatedAt = record.terminatedAt;
    if (record.requestIds !== undefined) {
        outs.requestIds = record.requestIds.slice(0, MAX_REQUEST_IDS);
        outs.requestCount = Math.max(record.requestCount ?? 0, record.requestIds.length);
    }
    return {
        ...outs,
        userIds: [...principals.userIds],
        userLogins: [...principals.userLogins],
        groupIds: [...principals.groupIds],
    };
}

/**
 * The principals that a create or update may send, or a reason to send nothing. The engine runs
 * `check` first, but a caller that skipped it (or state it never saw) can hand over anything; an
 * empty set must never be recorded as a termination that did not happen, and an entry `check` would
 * reject must never be dropped silently while the rest are sent.
 */
export function principalsToSend(inputs: unknown): { principals: Principals } | { refusal: string } {
    const { failures } = checkInputs(asProps(inputs));
    const listFailures = failures.filter((f) =>
        PRINCIPAL_KINDS.some((k) => f.property === k || f.property.startsWith(`${k}[`)),
    );
    const principals = principalsOf(asProps(inputs));
    if (listFailures.length === 0 && !isEmpty(principals)) return { principals };
    const shown = listFailures.slice(0, 5).map((f) => `${f.property}: ${f.reason}`);
    const more = listFailures.length > 5 ? `; and ${listFailures.length - 5} more` : "";
    return {
        refusal: `Nothing was sent to Box: ${shown.length ? shown.join("; ") : "no principals were given"}${more}.`,
    };
}
