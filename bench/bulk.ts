/**
 * Benchmark 2: bulk offboarding of 20,000 logins under a 10 requests/second limit, against the floor
 * the limit allows and against one request per user. The logins are declared as a revocations file
 * declares them: split into parts that `check` accepts (record-bound.ts), created side by side.
 */
import { SessionTermination } from "../provider";
import { splitForRecording } from "../provider/revocations";
import { startBoxEmulator } from "../provider/testing";
import { ProviderHost } from "../harness/host";
import { captureRegistrations } from "../harness/registrations";
import { now, round, table } from "./report";

/** Runs the benchmark, prints its table and returns its section of bench/results.json. */
export async function run(): Promise<Record<string, unknown>> {
    const RATE = 10;
    const LOGINS = 20_000;
    const SAMPLE = 100;
    const logins = (n: number) => Array.from({ length: n }, (_, i) => `leaver${i}@bulk.example`);
    const measure = async (n: number, config: Record<string, string>) => {
        const box = await startBoxEmulator({ rateLimitPerSecond: RATE });
        const host = await ProviderHost.start();
        try {
            await host.configure(
                {
                    "box:accessToken": box.accessToken,
                    "box:baseUrl": box.baseUrl,
                    // A reviewed bulk offboarding raises the blast-radius cap (default 1,000) explicitly.
                    "box:maxNewPrincipals": String(n),
                    ...config,
                },
                ["box:accessToken"],
            );
            // As a revocations file declares them: split into parts whose partial failures can be recorded.
            const parts = splitForRecording({ name: "bulk", reason: "HR-1", userLogins: logins(n) });
            const regs = await captureRegistrations(() => {
                for (const { name, ...args } of parts) new SessionTermination(name, args);
            });
            const urn = (i: number) => `urn:pulumi:dev::box-demo::${parts[i].name}`;
            // The engine's two calls, timed apart: Check (Pulumi validating each part) and Create, the
            // parts side by side as the engine runs independent resources.
            const start = now();
            const checked = await Promise.all(regs.map((r, i) => host.check(urn(i), {}, r.inputs)));
            const checkFailures = checked.reduce((sum, c) => sum + c.failures.length, 0);
            const checkedAt = now();
            let failures = 0;
            await Promise.all(checked.map((c, i) => host.create(urn(i), c.inputs).catch(() => failures++)));
            const end = now();
            const sent = box.accepted().flatMap((r) => (r.body as { user_logins: string[] }).user_logins);
            const answered = box.requests.filter((r) => r.status === 202);
            return {
                upSeconds: (end - start) / 1000,
                createSeconds: (end - checkedAt) / 1000,
                boxPhaseSeconds: (answered[answered.length - 1].time - box.requests[0].time) / 1000,
                failures,
                accepted: box.accepted().length,
                rateLimited: box.requests.filter((r) => r.status === 429).length,
                everyLoginOnce: sent.length === n && new Set(sent).size === n,
                parts: parts.length,
                checkFailures,
            };
        } finally {
            await host.stop();
            await box.close();
        }
    };
    const ours = await measure(LOGINS, {});
    // The floor with fixed one-second windows of RATE requests: the last window opens at ceil(N/RATE)-1 s.
    const floor = Math.ceil(ours.accepted / RATE) - 1;
    const single = await measure(SAMPLE, { "box:batchSize": "1", "box:concurrency": "1" });
    const singleProjected = (single.createSeconds * LOGINS) / SAMPLE;
    const ratio = (x: number) => (x / floor).toFixed(2);
    table(
        `2. Bulk offboarding: ${LOGINS.toLocaleString("en")} logins, emulator limited to ${RATE} requests/s (429 + retry-after)`,
        ["design", "requests", "429s", "failures", "time", "vs floor"],
        [
            [
                `floor: ceil(requests / rate) - 1 s (batch 500, ${ours.parts} parts)`,
                ours.accepted,
                "-",
                "-",
                `${floor.toFixed(2)} s`,
                "1.00",
            ],
            [
                "this provider: Box phase (first request to last answer)",
                ours.accepted,
                ours.rateLimited,
                ours.failures,
                `${ours.boxPhaseSeconds.toFixed(2)} s`,
                ratio(ours.boxPhaseSeconds),
            ],
            [
                "this provider: create step through the provider host",
                ours.accepted,
                ours.rateLimited,
                ours.failures,
                `${ours.createSeconds.toFixed(2)} s`,
                ratio(ours.createSeconds),
            ],
            [
                `this provider: whole up (Pulumi's Check of each of the ${ours.parts} parts a revocations file splits it into, + their creates)`,
                ours.accepted,
                ours.rateLimited,
                ours.failures,
                `${ours.upSeconds.toFixed(2)} s`,
                ratio(ours.upSeconds),
            ],
            [
                `one request per user, one at a time (create measured on ${SAMPLE}, projected)`,
                LOGINS,
                "-",
                single.failures,
                `${singleProjected.toFixed(0)} s`,
                (singleProjected / floor).toFixed(0),
            ],
        ],
    );
    return {
        logins: LOGINS,
        rateLimitPerSecond: RATE,
        requests: ours.accepted,
        parts: ours.parts,
        checkFailures: ours.checkFailures,
        rateLimited: ours.rateLimited,
        failures: ours.failures,
        everyLoginOnce: ours.everyLoginOnce,
        floorSeconds: floor,
        boxPhase: { seconds: round(ours.boxPhaseSeconds), ratioToFloor: round(ours.boxPhaseSeconds / floor) },
        createStep: { seconds: round(ours.createSeconds), ratioToFloor: round(ours.createSeconds / floor) },
        wholeUp: { seconds: round(ours.upSeconds), ratioToFloor: round(ours.upSeconds / floor) },
        onePerUser: {
            sample: SAMPLE,
            sampleSeconds: round(single.createSeconds),
            projectedSeconds: round(singleProjected, 0),
            ratioToOurs: round(singleProjected / ours.createSeconds, 0),
        },
    };
}
