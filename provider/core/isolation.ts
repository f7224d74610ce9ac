/**
 * Which principals Box refuses, found without letting them block anyone else. Pure: a state machine
 * that says which request to send next and learns from each answer; batches.ts does the sending.
 *
 * Box's spec gives no per-entry result: a request naming one principal Box does not know (a deleted
 * user, a mistyped login, a merged group) is refused as a whole, with a 404 (or a 400). So a refused
 * request with several principals is split in two and each part tried, until every principal is
 * either in an accepted request or refused on its own. Only a principal refused ALONE is ever named
 * as unknown: Box may refuse a request for reasons of its own (its size, say), and naming someone on
 * inference alone would send a reviewer after the wrong person.
 *
 * Two rules keep the number of requests near the lower bound, k·log2(n/k) for k unknown among n:
 *
 * - Halving with inference. A refused part is split; the first half is sent and the second held
 *   back. If the first half is accepted, the second must hold the culprit, so it is split at once
 *   instead of being sent whole only to be refused. If the first half is refused, the second is
 *   sent whole (it is most likely clean). One unknown among b costs at most 2·ceil(log2 b) requests
 *   beyond its batch, and about 1.5 per level on average.
 * - Trust before isolation. Until Box has accepted something, a refusal may mean Box knows no one at
 *   all (the wrong enterprise or base URL): splitting every batch would then cost two requests per
 *   principal. So, until then, nothing new is started while requests are in flight (one of them may
 *   be accepted), and then single principals from across the refused requests are tried one at a
 *   time. The first one accepted proves Box knows someone and isolation starts; after
 *   {@link MAX_BLIND_REFUSALS} refused alone with nothing accepted, the run stops and says Box knew
 *   none of those tried.
 */
import type {
    Entry,
    IsolationResult,
    PlannedRequest,
    Refusal,
    RefusedPrincipal,
    RequestRole,
} from "./isolation-types";
import type { Principals } from "./types";

/** The most principals refused one by one, with nothing accepted, before a run concludes Box knows no one. */
export const MAX_BLIND_REFUSALS = 12;

/** A part of a batch: principals for one endpoint. */
interface Part {
    endpoint: "users" | "groups";
    entries: Entry[];
}

/** A refused part waiting, while Box has accepted nothing, for proof that Box knows anyone. */
interface Suspect extends Part {
    /** Known to hold a refused principal (it was refused and no probe taken from it was refused since). */
    guilty: boolean;
}

/** A request in flight, with what its answer decides. */
interface Flight extends PlannedRequest {
    /** The other half of a guilty part: guilty too if this half is accepted, untested if refused. */
    sibling?: Part;
    /** For a probe: the suspect it was taken from. */
    source?: Suspect;
}

/** The principals of `entries`, in the lists Box takes, in entry order. */
export function principalsOfEntries(entries: readonly Entry[]): Principals {
    const p: Principals = { userIds: [], userLogins: [], groupIds: [] };
    for (const e of entries) p[e.kind].push(e.value);
    return p;
}

/**
 * The i-th term (i ≥ 1) of the base-2 van der Corput sequence: 1/2, 1/4, 3/4, 1/8, 5/8… Probes at
 * these fractions of the refused principals come from across the list, not from its start, where
 * the oldest (most likely deleted) user IDs sort.
 */
export function spreadFraction(i: number): number {
    let x = 0;
    let scale = 0.5;
    for (let n = Math.max(1, Math.floor(i)); n > 0; n = Math.floor(n / 2)) {
        if (n % 2 === 1) x += scale;
        scale /= 2;
    }
    return x;
}

/**
 * Plans the requests of one termination and isolates the principals Box refuses. Call {@link next}
 * for a request to send (undefined: none now; with nothing in flight, the plan is finished), then
 * exactly one of {@link accept}, {@link refuse} or {@link stop} with that request.
 */
export class IsolationPlan {
    private readonly fresh: Part[];
    private readonly ready: Flight[];
    private readonly suspects: Suspect[];
    private readonly acceptedEntries: Entry[];
    private readonly refusedEntries: RefusedPrincipal[];
    private inFlight: number;
    private trusted: boolean;
    private refusedAny: boolean;
    private stopped: boolean;
    private gaveUp: boolean;
    private blindRefusals: number;
    private probes: number;
    private requests: number;
    private tried: number;
    private readonly maxBlindRefusals: number;

    /**
     * @param batches The planned requests, in order (batches.ts `planBatches`).
     * @param maxBlindRefusals Principals refused alone, with nothing accepted, before giving up.
     */
    constructor(
        batches: ReadonlyArray<{ endpoint: "users" | "groups"; principals: Principals }>,
        maxBlindRefusals: number = MAX_BLIND_REFUSALS,
    ) {
        // A plain parameter assigned here: everything this class holds is set in the constructor's text,
        // which is all a by-value copy keeps.
        this.maxBlindRefusals = maxBlindRefusals;
        this.fresh = batches.map((b) => ({
            endpoint: b.endpoint,
            entries: [
                ...b.principals.userIds.map((value) => ({ kind: "userIds" as const, value })),
                ...b.principals.userLogins.map((value) => ({ kind: "userLogins" as const, value })),
                ...b.principals.groupIds.map((value) => ({ kind: "groupIds" as const, value })),
            ],
        }));
        this.ready = [];
        this.suspects = [];
        this.acceptedEntries = [];
        this.refusedEntries = [];
        this.inFlight = 0;
        this.trusted = false;
        this.refusedAny = false;
        this.stopped = false;
        this.gaveUp = false;
        this.blindRefusals = 0;
        this.probes = 0;
        this.requests = 0;
        this.tried = 0;
    }

    /** The next request to send now, or undefined (wait for an answer; finished if none is in flight). */
    next(): PlannedRequest | undefined {
        if (this.stopped || this.gaveUp) return undefined;
        if (!this.trusted && this.refusedAny) return this.nextBlind();
        const ready = this.ready.shift();
        if (ready) return this.launch(ready);
        const batch = this.fresh.shift();
        if (batch) return this.launchFresh(batch);
        return undefined;
    }

    /** Box accepted `request`: everyone in it is terminated, and Box evidently knows this enterprise. */
    accept(request: PlannedRequest): void {
        const flight = request as Flight;
        this.inFlight--;
        this.acceptedEntries.push(...flight.entries);
        if (flight.sibling) this.isolate(flight.sibling);
        if (!this.trusted) {
            this.trusted = true;
            // What was held back for want of trust can now be isolated.
            for (const s of this.suspects.splice(0)) {
                if (s.guilty) this.isolate(s);
                else this.ready.push({ ...this.request(s, "rest") });
            }
        }
    }

    /** Box refused `request` with a 400 or 404, which says only that something in it is refused. */
    refuse(request: PlannedRequest, refusal: Refusal): void {
        const flight = request as Flight;
        this.inFlight--;
        this.refusedAny = true;
        if (flight.entries.length === 1) {
            this.refusedEntries.push({ ...flight.entries[0], ...refusal });
            if (!this.trusted) this.blindRefusals++;
            // The suspect this probe came from may no longer hold anyone Box refuses.
            if (flight.source) flight.source.guilty = false;
        } else if (this.trusted) {
            this.isolate({ endpoint: flight.endpoint, entries: [...flight.entries] });
        } else {
            this.suspects.push({ endpoint: flight.endpoint, entries: [...flight.entries], guilty: true });
        }
        if (flight.sibling) {
            // The refused half may hold every culprit: its sibling is untested, and most likely clean.
            const rest = { ...flight.sibling };
            if (this.trusted) this.ready.push(this.request(rest, "rest"));
            else this.suspects.push({ ...rest, guilty: false });
        }
    }

    /** A failure not about any one principal ended the run: nothing more is sent. */
    stop(_request: PlannedRequest): void {
        this.inFlight--;
        this.stopped = true;
    }

    /** Requests sent and not yet answered. */
    pending(): number {
        return this.inFlight;
    }

    /** What the plan learned so far (everything, once {@link next} is undefined with nothing in flight). */
    result(): IsolationResult {
        return {
            accepted: [...this.acceptedEntries],
            refused: [...this.refusedEntries],
            gaveUp: this.gaveUp,
            requests: this.requests,
            tried: this.tried,
        };
    }

    /** While Box has refused something and accepted nothing: one request at a time, single principals first. */
    private nextBlind(): PlannedRequest | undefined {
        if (this.inFlight > 0) return undefined;
        if (this.blindRefusals >= this.maxBlindRefusals) {
            this.gaveUp = true;
            return undefined;
        }
        const probe = this.takeProbe();
        if (probe) return this.launch(probe);
        // Nothing refused is left to probe: a fresh batch is as good a test as any, and needed anyway.
        const batch = this.fresh.shift();
        return batch ? this.launchFresh(batch) : undefined;
    }

    /** One principal from across the refused parts, removed from its part. */
    private takeProbe(): Flight | undefined {
        const total = this.suspects.reduce((sum, s) => sum + s.entries.length, 0);
        if (total === 0) return undefined;
        let at = Math.min(total - 1, Math.floor(total * spreadFraction(++this.probes)));
        for (let i = 0; i < this.suspects.length; i++) {
            const s = this.suspects[i];
            if (at >= s.entries.length) {
                at -= s.entries.length;
                continue;
            }
            const [entry] = s.entries.splice(at, 1);
            if (s.entries.length === 0) this.suspects.splice(i, 1);
            return { ...this.request({ endpoint: s.endpoint, entries: [entry] }, "probe"), source: s };
        }
        return undefined;
    }

    /**
     * `part` holds at least one principal Box refuses. One principal: send it alone, so Box says so
     * itself. Several: send the first half and hold the second until its answer.
     */
    private isolate(part: Part): void {
        if (part.entries.length === 1) {
            this.ready.push(this.request(part, "alone"));
            return;
        }
        const half = Math.floor(part.entries.length / 2);
        const first: Part = { endpoint: part.endpoint, entries: part.entries.slice(0, half) };
        const second: Part = { endpoint: part.endpoint, entries: part.entries.slice(half) };
        this.ready.push({ ...this.request(first, "half"), sibling: second });
    }

    private request(part: Part, role: RequestRole): Flight {
        return {
            endpoint: part.endpoint,
            entries: part.entries,
            principals: principalsOfEntries(part.entries),
            role,
        };
    }

    private launchFresh(batch: Part): PlannedRequest {
        this.tried += batch.entries.length;
        return this.launch(this.request(batch, "batch"));
    }

    private launch(flight: Flight): PlannedRequest {
        this.inFlight++;
        this.requests++;
        return flight;
    }
}
