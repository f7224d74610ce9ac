/**
 * What the isolation plan (isolation.ts) hands out and learns: principals, planned requests, Box's
 * refusals and the result of a run. Types only.
 */
import type { PrincipalKind, Principals } from "./types";

/** One principal, with the list it came from. */
export interface Entry {
    /** `userIds`, `userLogins` or `groupIds`. */
    kind: PrincipalKind;
    /** The canonical value. */
    value: string;
}

/** Why a planned request is sent: for logs, tests and the bench. */
export type RequestRole =
    /** A batch as planned, before anything was refused. */
    | "batch"
    /** One principal tried alone while Box has accepted nothing yet. */
    | "probe"
    /** The first half of a part known to hold a principal Box refuses. */
    | "half"
    /** A part that shared a refused request but is not known to hold a refused principal. */
    | "rest"
    /** A single principal inferred to be the refused one, sent alone so that Box says so itself. */
    | "alone";

/** A request the plan wants sent. */
export interface PlannedRequest {
    /** `users` posts `user_ids` and `user_logins` (both, always); `groups` posts `group_ids`. */
    readonly endpoint: "users" | "groups";
    /** Its principals, in the lists Box takes. */
    readonly principals: Principals;
    /** The same principals, one entry each, in request order. */
    readonly entries: readonly Entry[];
    /** Why it is sent. */
    readonly role: RequestRole;
}

/** What Box said when it refused a request: the parts worth quoting next to a principal. */
export interface Refusal {
    /** HTTP status: 400 or 404. */
    status: number;
    /** Box's error code, e.g. `not_found`. */
    code?: string;
    /** Box's request ID for the refused request. */
    requestId?: string;
}

/** A principal Box refused when it was the only one in the request: Box does not know it. */
export interface RefusedPrincipal extends Entry, Refusal {}

/** Everything a finished (or stopped) plan learned. */
export interface IsolationResult {
    /** Principals in requests Box accepted. */
    accepted: Entry[];
    /** Principals Box refused alone, in the order it refused them. */
    refused: RefusedPrincipal[];
    /**
     * True when the run stopped because Box refused `MAX_BLIND_REFUSALS` (isolation.ts) principals alone and
     * accepted none: the rest were never tried alone.
     */
    gaveUp: boolean;
    /** Requests the plan handed out. */
    requests: number;
    /** Principals named in at least one request. */
    tried: number;
}
