/** Benchmark 5: provider host start to first successful create, against a trivial provider. */
import { SessionTermination } from "../provider";
import { startBoxEmulator } from "../provider/testing";
import { ProviderHost } from "../harness/host";
import { captureRegistrations, type Registration } from "../harness/registrations";
import { Trivial } from "./naive";
import { median, now, round, table } from "./report";

/** Runs the benchmark, prints its table and returns its section of bench/results.json. */
export async function run(): Promise<Record<string, unknown>> {
    const box = await startBoxEmulator();
    const [ours] = await captureRegistrations(() => new SessionTermination("start", { userIds: ["1"] }));
    const [trivial] = await captureRegistrations(() => new Trivial("start"));
    const once = async (reg: Registration, config: Record<string, string>): Promise<number> => {
        const start = now();
        const host = await ProviderHost.start();
        try {
            await host.configure(config, ["box:accessToken"]);
            const checked = await host.check("urn:start", {}, reg.inputs);
            await host.create("urn:start", checked.inputs);
            return now() - start;
        } finally {
            await host.stop();
        }
    };
    const oursMs: number[] = [];
    const trivialMs: number[] = [];
    try {
        for (let i = 0; i < 5; i++) {
            trivialMs.push(await once(trivial, {}));
            oursMs.push(await once(ours, { "box:accessToken": box.accessToken, "box:baseUrl": box.baseUrl }));
        }
    } finally {
        await box.close();
    }
    table(
        "5. Provider host start to first successful create (median of 5, alternating)",
        ["provider", "time", "ratio"],
        [
            ["trivial dynamic provider", `${median(trivialMs).toFixed(0)} ms`, "1.00"],
            [
                "SessionTermination (one Box request)",
                `${median(oursMs).toFixed(0)} ms`,
                (median(oursMs) / median(trivialMs)).toFixed(2),
            ],
        ],
    );
    return {
        trivialMs: round(median(trivialMs), 0),
        oursMs: round(median(oursMs), 0),
        ratio: round(median(oursMs) / median(trivialMs)),
    };
}
