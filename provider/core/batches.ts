/**
 * Turns a set of principals into Box requests: split into batches, sent with bounded concurrency,
 * with the principals Box refuses isolated (isolation.ts) instead of failing everyone batched with
 * them, and accounted for exactly, so that a failure part-way through says which principals Box
 * accepted, which it refused and which were never sent. Planning and summarizing are pure; only
 * {@link terminatePrincipals} does I/O, and only through the client it is given.
 */
import type { BoxAccepted } from "./client";
import type { BoxApiError } from "./errors";
import { IsolationPlan, principalsOfEntries } from "./isolation";
import type { PlannedRequest, RefusedPrincipal, Refusal } from "./isolation-types";
import { cutChars, MAX_MESSAGE_CHARS } from "./limits";
import type { Principals } from "./types";
import { countPrincipals, subtractPrincipals, unionPrincipals } from "./principals";

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

/** What happened to a termination: who Box accepted, who it refused, who was left, and why. */
export interface TerminationOutcome {
    /** Principals in requests Box answered 2xx. */
    accepted: Principals;
    /** Principals not accepted: refused, or never sent (alone) because the run stopped. */
    notDone: Principals;
    /**
     * Principals Box refused (400 or 404) when each was the only one in its request, so Box does not
     * know them, with Box's code and request ID. A subset of `notDone`.
     */
    refused: RefusedPrincipal[];
    /**
     * True when Box refused `MAX_BLIND_REFUSALS` (isolation.ts) principals alone and accepted none, and the
     * run stopped there rather than spend two requests per principal to learn the same thing.
     */
    refusedEverything: boolean;
    /** Box's message for each accepted request, in completion order. */
    messages: string[];
    /** Box request IDs of the accepted requests, in completion order. */
    requestIds: string[];
    /** Requests sent (each counted once, however many attempts the client made). */
    requests: number;
    /** Principals named in at least one request. */
    tried: number;
    /** The failure that stopped the run (anything but a 400 or 404): credentials, rate limit, network, deadline. */
    error?: Error;
    /** Box's first refusal (400 or 404) as its error, for Box's own words when no one was accepted. */
    firstRefusal?: Error;
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
 * Whether a failed request says only that Box refuses something in it: a 400 or 404 from the API.
 * Everything else (401, 403, 429 or 5xx after retries, network, deadline, token errors) is about the
 * run, not about any one principal, and stops it.
 */
function refusalOf(err: unknown): Refusal | undefined {
    const e = err as Partial<BoxApiError> | undefined;
    if (e?.name !== "BoxApiError" || (e.status !== 400 && e.status !== 404)) return undefined;
    return { status: e.status, code: e.code, requestId: e.requestId };
}

/**
 * Sends every batch, at most `concurrency` at once, and isolates the principals Box refuses (see
 * isolation.ts): a 400 or 404 never stops the run, and ends with each refused principal named. Any
 * other failure (which the client has already retried as far as policy allows) stops it: no new
 * request starts, since the next would most likely fail the same way; requests in flight finish and
 * are counted.
 */
export async function terminatePrincipals(
    api: TerminationApi,
    principals: Principals,
    options: { batchSize: number; concurrency: number; progress?: (line: string) => void },
): Promise<TerminationOutcome> {
    const plan = new IsolationPlan(planBatches(principals, options.batchSize));
    const messages: string[] = [];
    const requestIds: string[] = [];
    let error: Error | undefined;
    let firstRefusal: Error | undefined;
    // Declared before the closures that use them: Pulumi's closure serializer cannot capture a
    // variable a closure reads before its declaration (the by-value copy of this module fails).
    const total = countPrincipals(principals);
    let answered = 0;
    let acceptedCount = 0;

    const send = async (request: PlannedRequest): Promise<void> => {
        try {
            const result =
                request.endpoint === "users"
                    ? await api.terminateUserSessions(
                          request.principals.userIds,
                          request.principals.userLogins,
                      )
                    : await api.terminateGroupSessions(request.principals.groupIds);
            plan.accept(request);
            acceptedCount += countPrincipals(request.principals);
            messages.push(result.message);
            if (result.requestId) requestIds.push(result.requestId);
        } catch (err) {
            const refusal = refusalOf(err);
            if (refusal) {
                firstRefusal ??= err as Error;
                plan.refuse(request, refusal);
            } else {
                error ??= err instanceof Error ? err : new Error(String(err));
                plan.stop(request);
            }
        }
    };
    // One line per answer, so that a long create shows how far it is rather than a silent spinner.
    const report = (): void =>
        options.progress?.(
            `${acceptedCount} of ${total} principal(s) accepted; ${answered} request(s) answered, ${plan.pending()} in flight`,
        );
    const limit = Math.max(1, Math.floor(options.concurrency));
    await new Promise<void>((resolve) => {
        // Refilled after every answer: isolation creates requests as answers come in, so a fixed set
        // of workers would sit idle while one of them waits on a half.
        const pump = (): void => {
            while (plan.pending() < limit) {
                const request = plan.next();
                if (!request) break;
                void send(request)
                    .then(() => {
                        answered++;
                        report();
                    })
                    .then(pump);
            }
            if (plan.pending() === 0) resolve();
        };
        pump();
    });

    const result = plan.result();
    const accepted = unionPrincipals(none(), principalsOfEntries(result.accepted));
    return {
        accepted,
        notDone: subtractPrincipals(principals, accepted),
        refused: result.refused,
        refusedEverything: result.gaveUp,
        messages,
        requestIds,
        requests: result.requests,
        tried: result.tried,
        error,
        firstRefusal,
    };
}
