/**
 * Benchmark 6: the worst case with the default settings: how long a create takes to fail against a
 * 24-hour `retry-after`, a dead API and a dead token endpoint, through the provider host.
 *
 * The 24-hour `retry-after` is measured with the defaults as they are: the deadline ends it at once.
 * A dead endpoint with the defaults takes up to minutes to fail (that wait is what is being
 * reported), so it is measured with fewer retries and a 1 s timeout, and the default worst case is
 * computed from the measured pieces: the attempts the defaults make, each as slow as measured (or as
 * `box:timeoutSeconds` allows when nothing answers), plus every backoff at the top of its jitter,
 * capped by `box:deadlineSeconds`. The backoff actually waited is read from the provider's own retry
 * lines, so the per-attempt cost is measured, not assumed. The whole benchmark takes about 15 s.
 */
import { startBlackHole, within } from "../harness/local-server";
import { SessionTermination } from "../provider";
import { retryPolicy } from "../provider/core/operation";
import { worstCaseBackoffMs } from "../provider/core/retry";
import { SETTINGS, type SettingName } from "../provider/core/settings";
import { startBoxEmulator, type BoxEmulator } from "../provider/testing";
import { ProviderHost } from "../harness/host";
import { captureRegistrations } from "../harness/registrations";
import { now, round, table } from "./report";

const CCG = { clientId: "worst-case-client", clientSecret: "worst-case-secret-8c1f", enterpriseId: "900123" };

/** A setting's documented default, as a number. */
function defaultOf(name: SettingName): number {
    return Number(SETTINGS.find((s) => s.name === name)?.defaultValue);
}

/** What one failing create cost. */
interface Measured {
    /** From Create sent to its answer. */
    ms: number;
    /** Backoff the provider waited, summed from its "retrying in N ms" lines. */
    waitedMs: number;
    /** Requests that reached the API (/2.0/…). */
    api: number;
    /** Requests that reached the token endpoint (/oauth2/token). */
    token: number;
    /** What the user sees. */
    error: string;
}

/** One create through a fresh provider host, configured with `config`, after `prepare` broke something. */
async function measure(
    config: Record<string, string>,
    prepare: (box: BoxEmulator) => void = () => undefined,
): Promise<Measured> {
    const box = await startBoxEmulator({ apps: [CCG] });
    const host = await ProviderHost.start();
    try {
        const credentials: Record<string, string> = config["box:clientId"]
            ? {}
            : { "box:accessToken": box.accessToken };
        await host.configure({ "box:baseUrl": box.baseUrl, ...credentials, ...config }, [
            "box:accessToken",
            "box:clientSecret",
        ]);
        const [reg] = await captureRegistrations(() => new SessionTermination("worst", { userIds: ["1"] }));
        const checked = await host.check("urn:worst", {}, reg.inputs);
        prepare(box);
        const start = now();
        let error = "";
        await within(
            120_000,
            host.create("urn:worst", checked.inputs).then(
                () => undefined,
                (err: Error) => (error = err.message),
            ),
        );
        const ms = now() - start;
        const waitedMs = [...host.output.matchAll(/retrying in (\d+) ms/g)].reduce(
            (a, m) => a + Number(m[1]),
            0,
        );
        return {
            ms,
            waitedMs,
            api: box.requests.filter((r) => r.path.startsWith("/2.0/")).length,
            token: box.requests.filter((r) => r.path === "/oauth2/token").length,
            error: error || "(no error: the create succeeded)",
        };
    } finally {
        await host.stop();
        await box.close();
    }
}

/** Runs the benchmark, prints its table and returns its section of bench/results.json. */
export async function run(): Promise<Record<string, unknown>> {
    const defaults = {
        maxRetries: defaultOf("maxRetries"),
        timeoutSeconds: defaultOf("timeoutSeconds"),
        deadlineSeconds: defaultOf("deadlineSeconds"),
    };
    const policy = retryPolicy(defaults.maxRetries);
    const attempts = defaults.maxRetries + 1;
    const backoffMs = worstCaseBackoffMs(policy);
    const deadlineMs = defaults.deadlineSeconds * 1000;
    const short = { "box:maxRetries": "2", "box:timeoutSeconds": "1" };
    const drop = (path: string) => (box: BoxEmulator) =>
        box.enqueue(...Array.from({ length: 10 }, () => ({ path, drop: true })));

    const dayLong = await measure({}, (box) =>
        box.enqueue({
            path: "/2.0/users/terminate_sessions",
            status: 429,
            headers: { "retry-after": "86400" },
        }),
    );
    const deadApi = await measure(short, drop("/2.0/users/terminate_sessions"));
    const deadToken = await measure(
        {
            ...short,
            "box:clientId": CCG.clientId,
            "box:clientSecret": CCG.clientSecret,
            "box:enterpriseId": CCG.enterpriseId,
        },
        drop("/oauth2/token"),
    );
    const hole = await startBlackHole();
    let silent: Measured;
    try {
        const measured = await measure({ ...short, "box:maxRetries": "1", "box:baseUrl": hole.baseUrl });
        silent = { ...measured, api: hole.requests() };
    } finally {
        await hole.close();
    }

    /** The default worst case from a measured run of `tries` attempts: per-attempt cost measured. */
    const extrapolate = (m: Measured, tries: number, attemptFloorMs = 0) => {
        const perAttemptMs = Math.max(0, (m.ms - m.waitedMs) / tries);
        const uncapped = attempts * Math.max(perAttemptMs, attemptFloorMs) + backoffMs;
        return {
            perAttemptMs,
            worstMs: Math.min(uncapped, deadlineMs),
            cappedByDeadline: uncapped > deadlineMs,
        };
    };
    const api = extrapolate(deadApi, 3);
    const token = extrapolate(deadToken, 3);
    // Nothing answers: each default attempt lasts the whole default timeout, plus what one cost beyond 1 s.
    const silentOverheadMs = Math.max(0, (silent.ms - silent.waitedMs) / 2 - 1000);
    const silentUncapped = attempts * (defaults.timeoutSeconds * 1000 + silentOverheadMs) + backoffMs;
    const silentWorst = {
        worstMs: Math.min(silentUncapped, deadlineMs),
        cappedByDeadline: silentUncapped > deadlineMs,
    };

    const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
    const rows = [
        {
            scenario: "429 with retry-after: 86400 (24 hours)",
            measuredWith: "defaults",
            m: dayLong,
            worstMs: dayLong.ms,
            how: "measured as is: the wait would cross the deadline, so it fails at once",
        },
        {
            scenario: "dead API: every connection dropped",
            measuredWith: "maxRetries=2",
            m: deadApi,
            worstMs: api.worstMs,
            how: `${attempts} attempts x ${api.perAttemptMs.toFixed(0)} ms measured + ${s(backoffMs)} backoff at max jitter`,
        },
        {
            scenario: "dead token endpoint: every connection dropped",
            measuredWith: "maxRetries=2 (CCG)",
            m: deadToken,
            worstMs: token.worstMs,
            how: `${attempts} token attempts x ${token.perAttemptMs.toFixed(0)} ms measured + ${s(backoffMs)} backoff; no API request`,
        },
        {
            scenario: "dead API: connections accepted, never answered",
            measuredWith: "maxRetries=1, timeoutSeconds=1",
            m: silent,
            worstMs: silentWorst.worstMs,
            how: `${attempts} attempts x (${defaults.timeoutSeconds} s timeout + ${silentOverheadMs.toFixed(0)} ms) + ${s(backoffMs)} backoff${silentWorst.cappedByDeadline ? `, capped by the ${defaults.deadlineSeconds} s deadline` : ""}`,
        },
    ];
    table(
        `6. Worst case with the defaults (maxRetries=${defaults.maxRetries}, timeoutSeconds=${defaults.timeoutSeconds}, deadlineSeconds=${defaults.deadlineSeconds}): time for a create to fail`,
        ["scenario", "measured with", "API / token requests", "measured", "defaults: worst case", "how"],
        rows.map((r) => [
            r.scenario,
            r.measuredWith,
            `${r.m.api} / ${r.m.token}`,
            s(r.m.ms),
            s(r.worstMs),
            r.how,
        ]),
    );
    console.log(
        `Dead endpoints are measured with fewer retries and a 1 s timeout so this benchmark takes seconds;\n` +
            `the default worst case is computed from those measurements, and no case can exceed the ${defaults.deadlineSeconds} s deadline.`,
    );
    for (const r of rows) console.log(`  ${r.scenario}: ${r.m.error.slice(0, 200)}`);
    return {
        defaults,
        worstBackoffSeconds: round(backoffMs / 1000),
        scenarios: rows.map((r) => ({
            scenario: r.scenario,
            measuredWith: r.measuredWith,
            apiRequests: r.m.api,
            tokenRequests: r.m.token,
            measuredSeconds: round(r.m.ms / 1000),
            backoffWaitedSeconds: round(r.m.waitedMs / 1000),
            defaultWorstCaseSeconds: round(r.worstMs / 1000, 1),
            how: r.how,
            error: r.m.error.slice(0, 300),
        })),
    };
}
