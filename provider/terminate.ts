/**
 * Turns a set of principals into Box requests: split into batches, sent with bounded concurrency,
 * and accounted for exactly, so that a failure part-way through says which principals Box accepted
 * and which it did not. Planning and summarizing are pure; only {@link terminatePrincipals} does I/O,
 * and only through the client it is given.
 */
import type { BoxAccepted } from "./client";
import { cutChars, MAX_MESSAGE_CHARS } from "./limits";
import type { Principals } from "./types";
import { subtractPrincipals, unionPrincipals } from "./validation";

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
 * when several requests got the same text; every distinct text otherwise. Never more than
 * {@link MAX_MESSAGE_CHARS} characters, whatever Box sent: state is read by people and shipped in
 * every later deployment.
 */
export function summarizeMessages(messages: string[]): string {
    if (messages.length === 0) return "";
    if (messages.length === 1) return cutChars(messages[0], MAX_MESSAGE_CHARS);
    const distinct = [...new Set(messages)];
    const count = ` (${messages.length} requests accepted)`;
    return `${cutChars(distinct.join(" | "), MAX_MESSAGE_CHARS - count.length)}${count}`;
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
