/**
 * Turns a set of principals into Box requests: split into batches, sent with bounded concurrency,
 * and accounted for exactly, so that a failure part-way through says which principals Box accepted
 * and which it did not. Planning and summarizing are pure; only {@link terminatePrincipals} does I/O,
 * and only through the client it is given.
 */
import type { BoxAccepted } from "./client";
import { initError } from "./errors";
import { PRINCIPAL_KINDS, type Principals } from "./types";
import { countPrincipals, subtractPrincipals, unionPrincipals } from "./validation";

/** One request's worth of principals for one endpoint. */
export interface Batch {
    /** `users` posts `user_ids` and `user_logins`; `groups` posts `group_ids`. */
    endpoint: "users" | "groups";
    /** The principals in this request (only the lists that endpoint takes are non-empty). */
    principals: Principals;
}

/** The two calls the executor needs; {@link BoxClient} provides them. */
export interface TerminationApi {
    /** `POST /2.0/users/terminate_sessions`. */
    terminateUserSessions(userIds: string[], userLogins: string[]): Promise<BoxAccepted>;
    /** `POST /2.0/groups/terminate_sessions`. */
    terminateGroupSessions(groupIds: string[]): Promise<BoxAccepted>;
}

/** What happened to a termination: who Box accepted, who it did not, and why. */
export interface TerminationOutcome {
    /** Principals in requests Box answered 2xx. */
    accepted: Principals;
    /** Principals whose request failed, or was never sent because an earlier one failed for good. */
    notDone: Principals;
    /** Box's message for each accepted request, in completion order. */
    messages: string[];
    /** Box request IDs of the accepted requests. */
    requestIds: string[];
    /** The first permanent failure, if any. */
    error?: Error;
}

const none = (): Principals => ({ userIds: [], userLogins: [], groupIds: [] });

/**
 * Splits principals into requests of at most `batchSize` principals each. User IDs and logins share
 * the users endpoint, so a batch may carry both; groups go to their own endpoint.
 */
export function planBatches(principals: Principals, batchSize: number): Batch[] {
    const size = Math.max(1, Math.floor(batchSize));
    const batches: Batch[] = [];
    const users: Array<["userIds" | "userLogins", string]> = [
        ...principals.userIds.map((v) => ["userIds", v] as ["userIds", string]),
        ...principals.userLogins.map((v) => ["userLogins", v] as ["userLogins", string]),
    ];
    for (let i = 0; i < users.length; i += size) {
        const batch = none();
        for (const [kind, value] of users.slice(i, i + size)) batch[kind].push(value);
        batches.push({ endpoint: "users", principals: batch });
    }
    for (let i = 0; i < principals.groupIds.length; i += size) {
        batches.push({
            endpoint: "groups",
            principals: { ...none(), groupIds: principals.groupIds.slice(i, i + size) },
        });
    }
    return batches;
}

/**
 * One `message` for state from several requests: Box's text as is for one request; with the count
 * when several requests got the same text; every distinct text otherwise.
 */
export function summarizeMessages(messages: string[]): string {
    if (messages.length === 0) return "";
    const distinct = [...new Set(messages)];
    if (messages.length === 1) return messages[0];
    return `${distinct.join(" | ")} (${messages.length} requests accepted)`;
}

/** "userIds 1, 2; userLogins a@b.c", shortened for very long lists. */
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

/**
 * Sends every batch, at most `concurrency` at once. After the first failure (which the client has
 * already retried as far as policy allows) no new batch starts, since the next would most likely fail
 * the same way; requests already in flight finish and are counted.
 */
export async function terminatePrincipals(
    api: TerminationApi,
    principals: Principals,
    options: { batchSize: number; concurrency: number },
): Promise<TerminationOutcome> {
    const batches = planBatches(principals, options.batchSize);
    let accepted = none();
    const messages: string[] = [];
    const requestIds: string[] = [];
    let error: Error | undefined;
    let next = 0;

    const worker = async (): Promise<void> => {
        while (error === undefined && next < batches.length) {
            const batch = batches[next++];
            try {
                const result =
                    batch.endpoint === "users"
                        ? await api.terminateUserSessions(
                              batch.principals.userIds,
                              batch.principals.userLogins,
                          )
                        : await api.terminateGroupSessions(batch.principals.groupIds);
                accepted = unionPrincipals(accepted, batch.principals);
                messages.push(result.message);
                if (result.requestId) requestIds.push(result.requestId);
            } catch (err) {
                error ??= err instanceof Error ? err : new Error(String(err));
            }
        }
    };
    const workers = Math.max(1, Math.min(options.concurrency, batches.length));
    await Promise.all(Array.from({ length: workers }, worker));

    return { accepted, notDone: subtractPrincipals(principals, accepted), messages, requestIds, error };
}

/**
 * The most partial state, as JSON characters, that an error can carry out of Pulumi's provider host.
 * The host sends it in a gRPC trailer, and Node's HTTP/2 server drops a header block over about 64 KB
 * without a word, leaving the engine waiting for an answer. Measured: 56 KB gets through, 64 KB does not.
 */
export const MAX_PARTIAL_STATE_CHARS = 48_000;

/** How a partial result can be handed to Pulumi. */
export type PartialState =
    | { fits: "whole"; properties: Record<string, unknown> }
    | { fits: "without-provider"; properties: Record<string, unknown> }
    | { fits: "no" };

/**
 * Decides how much of a partial result can travel with the error: all of it; all but `__provider` (an
 * installed package's is a short `require`, a provider copied from source is ~75 KB); or nothing, when
 * the lists of accepted principals alone are too long (a bulk revocation failing half-way).
 */
export function fitPartialState(
    properties: Record<string, unknown>,
    providerText: unknown,
    limit = MAX_PARTIAL_STATE_CHARS,
): PartialState {
    const withProvider = { ...properties, __provider: providerText };
    if (JSON.stringify(withProvider).length <= limit) return { fits: "whole", properties: withProvider };
    if (JSON.stringify(properties).length <= limit) return { fits: "without-provider", properties };
    return { fits: "no" };
}

/**
 * A termination that Box accepted for some principals but not all. When `id` is set, Pulumi records
 * the resource with `properties` (what was really done), so the next `pulumi up` sends only the rest.
 */
export class TerminationIncompleteError extends Error {
    /** The resource ID, telling Pulumi the resource exists in the state described by `properties`. */
    readonly id?: string;
    /** The state to record: the principals Box accepted. */
    readonly properties?: Record<string, unknown>;
    /** Why the resource is not fully as declared, for Pulumi's "failed to initialize" display. */
    readonly reasons: string[];
    /** Principals Box accepted. */
    readonly accepted: Principals;
    /** Principals Box did not accept (failed or never sent). */
    readonly notDone: Principals;

    /**
     * Builds the message from the outcome; `cause` is the first permanent failure. Pass `id` and
     * `state` to have Pulumi record the partial result; `state.fits` says what the message must add.
     */
    constructor(fields: {
        accepted: Principals;
        notDone: Principals;
        cause: Error;
        id?: string;
        state?: PartialState;
    }) {
        const done = countPrincipals(fields.accepted);
        const missing = countPrincipals(fields.notDone);
        const fits = fields.state?.fits ?? "no";
        const next =
            fits === "whole"
                ? "Pulumi state records only the terminated ones; run `pulumi up` again to send the rest."
                : fits === "without-provider"
                  ? "Pulumi state records only the terminated ones; run `pulumi up` again to send the rest (and before any `pulumi destroy`: this partial state had to leave out the provider code to fit through Pulumi's provider host)."
                  : "This partial result is too large to record in Pulumi state; the next `pulumi up` sends every principal again, which terminates the accepted ones once more and is harmless.";
        const message =
            `Box accepted the termination for ${done} principal(s) but not for ${missing}: ${fields.cause.message}\n` +
            `  terminated: ${describePrincipals(fields.accepted)}\n` +
            `  not terminated: ${describePrincipals(fields.notDone)}\n` +
            `  ${next}`;
        super(message);
        initError(this, "TerminationIncompleteError", message);
        // Without `id`, Pulumi records nothing, which is the true state when the partial result cannot travel.
        if (fields.state && fields.state.fits !== "no") {
            this.id = fields.id;
            this.properties = fields.state.properties;
        }
        this.accepted = fields.accepted;
        this.notDone = fields.notDone;
        this.reasons = [`not terminated: ${describePrincipals(fields.notDone)}`];
    }

    /** Diagnostic fields only; `properties` holds no secret but is left out to keep logs short. */
    toJSON(): Record<string, unknown> {
        return { name: this.name, message: this.message, id: this.id };
    }
}
