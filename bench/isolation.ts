/**
 * Benchmark 7: the cost of isolating principals Box does not know. k unknown user IDs among n, in
 * a create with the defaults (batches of 500, concurrency 4), through Pulumi's provider host against
 * the emulator's directory (a request naming anyone unknown is refused with 404 as a whole). Requests
 * and time, against the requests the batches need anyway and the lower bound for finding k among n,
 * k·log2(n/k). Also: Box knowing no one at all (the wrong enterprise), where the run must stop early.
 */
import { SessionTermination } from "../provider";
import { startBoxEmulator } from "../provider/testing";
import { ProviderHost } from "../harness/host";
import { captureRegistrations } from "../harness/registrations";
import { now, round, table } from "./report";

/** A small deterministic generator: the same unknown positions on every run. */
function seeded(seed: number): () => number {
    let s = seed;
    return () => {
        s = (s * 48271) % 2147483647;
        return s / 2147483647;
    };
}

interface Point {
    k: number;
    n: number;
    /** Box knows no one: every request is refused. */
    knowsNoOne?: boolean;
    /** The emulator's rate limit (429 with retry-after beyond it), as bench 2 uses; none if unset. */
    ratePerSecond?: number;
}

interface Measured {
    requests: number;
    rateLimited: number;
    seconds: number;
    accepted: number;
    /** Unknown principals refused by a request naming them alone. */
    named: number;
    /** Unknown principals the error lists with their code and request ID (at most 100). */
    listed: number;
    correct: boolean;
}

const BATCH = 500;

async function measure(point: Point, seed: number): Promise<Measured> {
    const ids = Array.from({ length: point.n }, (_, i) => String(100_000 + i));
    const random = seeded(seed);
    const unknown = new Set<string>();
    while (unknown.size < point.k) unknown.add(ids[Math.floor(random() * point.n)]);
    const box = await startBoxEmulator({
        directory: { userIds: point.knowsNoOne ? [] : ids.filter((id) => !unknown.has(id)) },
        rateLimitPerSecond: point.ratePerSecond,
    });
    const host = await ProviderHost.start();
    try {
        await host.configure(
            {
                "box:accessToken": box.accessToken,
                "box:baseUrl": box.baseUrl,
                "box:maxNewPrincipals": String(point.n),
            },
            ["box:accessToken"],
        );
        const [reg] = await captureRegistrations(() => new SessionTermination("stale", { userIds: ids }));
        const urn = "urn:pulumi:dev::box-demo::stale";
        const checked = await host.check(urn, {}, reg.inputs);
        const start = now();
        let message = "";
        await host.create(urn, checked.inputs).catch((err: Error) => (message = err.message));
        const seconds = (now() - start) / 1000;
        const accepted = box.accepted().flatMap((r) => (r.body as { user_ids: string[] }).user_ids);
        // Named: refused by a request naming it alone, as the error reports it (listing at most 20).
        const alone = new Set(
            box.requests
                .filter((r) => r.status === 404)
                .map((r) => (r.body as { user_ids: string[] }).user_ids)
                .filter((list) => list.length === 1)
                .map((list) => list[0]),
        );
        const named = [...unknown].filter((id) => alone.has(id)).length;
        const listed = [...unknown].filter((id) => message.includes(`${id} (404 not_found`)).length;
        const correct = point.knowsNoOne
            ? accepted.length === 0 && /Box knew none of the/.test(message)
            : accepted.length === point.n - point.k &&
              new Set(accepted).size === accepted.length &&
              accepted.every((id) => !unknown.has(id));
        return {
            // Requests Box acted on; the 429s of a rate limit are counted apart (they are retried).
            requests: box.requests.filter((r) => r.path.startsWith("/2.0/") && r.status !== 429).length,
            rateLimited: box.requests.filter((r) => r.status === 429).length,
            seconds,
            accepted: accepted.length,
            named,
            listed,
            correct,
        };
    } finally {
        await host.stop();
        await box.close();
    }
}

/** Runs the benchmark, prints its table and returns its section of bench/results.json. */
export async function run(): Promise<Record<string, unknown>> {
    const POINTS: Point[] = [
        { k: 1, n: 250 },
        { k: 1, n: 10_000 },
        { k: 2, n: 40 },
        { k: 10, n: 1_000 },
        { k: 10, n: 10_000 },
        { k: 100, n: 10_000 },
        { k: 10, n: 10_000, ratePerSecond: 10 },
        { k: 0, n: 250, knowsNoOne: true },
        { k: 0, n: 10_000, knowsNoOne: true },
    ];
    const SEEDS = [11, 23, 47];
    const rows: Array<Record<string, unknown>> = [];
    for (const point of POINTS) {
        const runs: Measured[] = [];
        for (const seed of SEEDS) runs.push(await measure(point, seed));
        const batches = Math.ceil(point.n / BATCH);
        const bound = point.k ? point.k * Math.log2(point.n / point.k) : 0;
        const requests = runs.map((r) => r.requests);
        const mean = requests.reduce((a, b) => a + b, 0) / runs.length;
        const extra = mean - batches;
        rows.push({
            k: point.k,
            n: point.n,
            ratePerSecond: point.ratePerSecond ?? null,
            knowsNoOne: point.knowsNoOne ?? false,
            batches,
            requestsMean: round(mean, 1),
            requestsMax: Math.max(...requests),
            isolationRequestsMean: point.knowsNoOne ? null : round(extra, 1),
            lowerBound: round(bound, 1),
            ratioToLowerBound: bound ? round(extra / bound) : null,
            secondsMean: round(runs.reduce((a, r) => a + r.seconds, 0) / runs.length),
            // Under a rate limit: when its fixed one-second windows let the last request through.
            floorSeconds: point.ratePerSecond ? Math.ceil(mean / point.ratePerSecond) - 1 : null,
            rateLimitedMean: round(runs.reduce((a, r) => a + r.rateLimited, 0) / runs.length, 1),
            namedAll: runs.every((r) => r.named === point.k),
            listedInError: Math.min(...runs.map((r) => r.listed)),
            correct: runs.every((r) => r.correct),
        });
    }
    table(
        `7. Isolating unknown principals: k unknown user IDs among n, batches of ${BATCH}, concurrency 4 (mean of ${SEEDS.length} placements)`,
        [
            "k unknown",
            "n",
            "batches",
            "requests (max)",
            "isolation requests",
            "k·log2(n/k)",
            "ratio",
            "time",
            "all refused alone, rest accepted",
            "listed in the error",
        ],
        rows.map((r) => [
            r.knowsNoOne
                ? "all (Box knows no one)"
                : `${r.k}${r.ratePerSecond ? `, at ${r.ratePerSecond} requests/s` : ""}`,
            Number(r.n).toLocaleString("en"),
            String(r.batches),
            `${r.requestsMean} (${r.requestsMax})`,
            r.isolationRequestsMean === null ? "-" : String(r.isolationRequestsMean),
            r.knowsNoOne ? "-" : String(r.lowerBound),
            r.ratioToLowerBound === null ? "-" : String(r.ratioToLowerBound),
            `${Number(r.secondsMean).toFixed(2)} s${r.floorSeconds === null ? "" : ` (floor ${r.floorSeconds} s)`}`,
            r.knowsNoOne
                ? r.correct
                    ? "stopped early, nothing accepted"
                    : "NO"
                : r.namedAll && r.correct
                  ? "yes"
                  : "NO",
            r.knowsNoOne ? "-" : String(r.listedInError),
        ]),
    );
    return { batchSize: BATCH, concurrency: 4, placements: SEEDS.length, points: rows };
}
