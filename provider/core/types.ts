/**
 * Shapes shared by the resource, the provider and the pure planning code.
 *
 * The resource's Args (`pulumi.Input`s) live in resource.ts; these are the plain values the provider
 * sees after Pulumi has resolved them, and what it writes to state.
 */

/** The principals a termination names, in Box's vocabulary. Every list is normalized (see validation.ts). */
export interface Principals {
    /** Box user IDs (strings of digits). */
    userIds: string[];
    /** Box user logins, lower-cased: Box compares logins case-insensitively. */
    userLogins: string[];
    /** Box group IDs (strings of digits); Box ends the sessions of every member. */
    groupIds: string[];
}

/** The resolved, normalized inputs of a `SessionTermination`, as `check` returns them. */
export interface SessionTerminationInputs extends Principals {
    /** Free-text audit note kept in state and never sent to Box. */
    reason?: string;
    /** Opaque values whose change re-terminates every listed principal (a replacement). */
    triggers?: unknown[];
}

/**
 * What a `SessionTermination` records in state. It extends the inputs because the lists in state are
 * the principals Box has accepted a termination for, which is what the next `diff` compares against.
 */
export interface SessionTerminationOutputs extends SessionTerminationInputs {
    /**
     * The message Box returned for the most recent termination request(s), at most 1,000 characters.
     * Absent only where state was written by a version that did not record it and no principal has
     * been added since: the provider never invents one.
     */
    message?: string;
    /** ISO-8601 time at which the most recent termination was sent; absent exactly when `message` is. */
    terminatedAt?: string;
    /**
     * Box's request IDs (the `box-request-id` header) of the requests Box accepted in the most recent
     * create or update that sent anything, in the order Box answered: what ties this record to Box's
     * logs and to a Box support case. At most 100 (`requestCount` counts them all); carried over
     * unchanged by updates that send nothing. Absent in state written before they were recorded, and
     * until the next update that sends something.
     */
    requestIds?: string[];
    /** How many requests Box accepted in that create or update; absent exactly when `requestIds` is. */
    requestCount?: number;
}

/** Which of the three principal lists (users by ID, users by login, groups) an entry is in. */
export type PrincipalKind = keyof Principals;

/** The three principal lists, in the order they are reported and sent. */
export const PRINCIPAL_KINDS: readonly PrincipalKind[] = ["userIds", "userLogins", "groupIds"];
