/**
 * Benchmark 5: provider start to first successful create: Pulumi's dynamic-provider host with a
 * trivial provider and with SessionTermination, and the native plugin `pulumi-resource-box` as
 * `npm install -g` of the packed tarball installs it, measured alternately in one run.
 */
import { SessionTermination } from "../provider";
import { startBoxEmulator } from "../provider/testing";
import { ProviderHost } from "../harness/host";
import { pluginBinDir } from "../harness/native-plugin";
import * as path from "path";
import { captureRegistrations, type Registration } from "../harness/registrations";
import { Trivial } from "./naive";
import { median, now, round, table } from "./report";

/** Runs the benchmark, prints its table and returns its section of bench/results.json. */
export async function run(): Promise<Record<string, unknown>> {
    const box = await startBoxEmulator();
    const [ours] = await captureRegistrations(() => new SessionTermination("start", { userIds: ["1"] }));
    const [trivial] = await captureRegistrations(() => new Trivial("start"));
    const plugin = path.join(await pluginBinDir(), "pulumi-resource-box");
    const once = async (
        inputs: Registration["inputs"],
        config: Record<string, string>,
        secretKey: string,
        host: Parameters<typeof ProviderHost.start>[0] = {},
    ): Promise<number> => {
        const start = now();
        const running = await ProviderHost.start(host);
        try {
            await running.configure(config, [secretKey]);
            const urn = "urn:pulumi:dev::bench::box:index:SessionTermination::start";
            const checked = await running.check(urn, {}, inputs);
            if (checked.failures.length) throw new Error(JSON.stringify(checked.failures));
            await running.create(urn, checked.inputs);
            return now() - start;
        } finally {
            await running.stop();
        }
    };
    const oursMs: number[] = [];
    const trivialMs: number[] = [];
    const nativeMs: number[] = [];
    try {
        for (let i = 0; i < 5; i++) {
            trivialMs.push(await once(trivial.inputs, {}, ""));
            oursMs.push(
                await once(
                    ours.inputs,
                    { "box:accessToken": box.accessToken, "box:baseUrl": box.baseUrl },
                    "box:accessToken",
                ),
            );
            // The native provider's Configure reads its settings by name, as the engine sends them.
            nativeMs.push(
                await once(
                    { userIds: ["1"] },
                    { accessToken: box.accessToken, baseUrl: box.baseUrl },
                    "accessToken",
                    {
                        plugin,
                    },
                ),
            );
        }
    } finally {
        await box.close();
    }
    if (box.accepted().length !== 10)
        throw new Error(`expected 10 accepted creates, Box saw ${box.accepted().length}`);
    table(
        "5. Provider start to first successful create (median of 5, alternating)",
        ["provider", "time", "ratio"],
        [
            ["trivial dynamic provider", `${median(trivialMs).toFixed(0)} ms`, "1.00"],
            [
                "SessionTermination (one Box request)",
                `${median(oursMs).toFixed(0)} ms`,
                (median(oursMs) / median(trivialMs)).toFixed(2),
            ],
            [
                "native pulumi-resource-box (one Box request)",
                `${median(nativeMs).toFixed(0)} ms`,
                (median(nativeMs) / median(trivialMs)).toFixed(2),
            ],
        ],
    );
    return {
        trivialMs: round(median(trivialMs), 0),
        oursMs: round(median(oursMs), 0),
        ratio: round(median(oursMs) / median(trivialMs)),
        nativeMs: round(median(nativeMs), 0),
        nativeRatio: round(median(nativeMs) / median(trivialMs)),
        nativeVsDynamic: round(median(nativeMs) / median(oursMs)),
    };
}
