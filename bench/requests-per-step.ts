/**
 * Benchmark 1: Box requests per lifecycle step, this provider against the naive command-style design
 * (bench/naive.ts), through the provider host and the emulator.
 */
import { SessionTermination, type SessionTerminationArgs } from "../provider";
import { startBoxEmulator } from "../provider/testing";
import { MiniEngine } from "../harness/engine";
import { ProviderHost } from "../harness/host";
import { captureRegistrations } from "../harness/registrations";
import { NaiveTermination } from "./naive";
import { round, table } from "./report";

/** Runs the benchmark, prints its table and returns its section of bench/results.json. */
export async function run(): Promise<Record<string, unknown>> {
    type Args = SessionTerminationArgs & {
        userIds: string[];
        userLogins: string[];
        groupIds: string[];
        reason: string;
    };
    const base: Args = {
        userIds: ["1001", "1002"],
        userLogins: ["c.user@example.com"],
        groupIds: ["9001"],
        reason: "HR-1",
    };
    const story: Array<{
        step: string;
        args?: Args;
        op: "up" | "preview" | "refresh" | "destroy";
        floor: number;
    }> = [
        { step: "create (3 users, 1 group)", args: base, op: "up", floor: 2 },
        { step: "preview", args: base, op: "preview", floor: 0 },
        { step: "no-op update", args: base, op: "up", floor: 0 },
        { step: "reordered list", args: { ...base, userIds: ["1002", "1001"] }, op: "up", floor: 0 },
        { step: "one user added", args: { ...base, userIds: ["1002", "1001", "1003"] }, op: "up", floor: 1 },
        {
            step: "reason changed",
            args: { ...base, userIds: ["1002", "1001", "1003"], reason: "HR-2" },
            op: "up",
            floor: 0,
        },
        { step: "refresh", op: "refresh", floor: 0 },
        { step: "destroy", op: "destroy", floor: 0 },
    ];
    const run = async (make: (a: Args) => void): Promise<number[]> => {
        const box = await startBoxEmulator();
        const host = await ProviderHost.start({
            env: { BOX_BASE_URL: box.baseUrl, BOX_ACCESS_TOKEN: box.accessToken },
        });
        await host.configure({});
        const engine = new MiniEngine(host);
        const counts: number[] = [];
        try {
            for (const s of story) {
                const before = box.requests.length;
                const regs = s.args ? await captureRegistrations(() => make(s.args!)) : [];
                if (s.op === "preview") await engine.preview(regs);
                else if (s.op === "refresh") await engine.refresh();
                else if (s.op === "destroy") await engine.destroy();
                else {
                    const steps = await engine.up(regs);
                    const failed = steps.find((x) => x.error);
                    if (failed) throw failed.error;
                }
                counts.push(box.requests.length - before);
            }
        } finally {
            await host.stop();
            await box.close();
        }
        return counts;
    };
    const ours = await run((a) => new SessionTermination("story", a));
    const naive = await run((a) => new NaiveTermination("story", a));
    const rows = story.map((s, i) => [s.step, s.floor, ours[i], naive[i]]);
    const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    rows.push(["total", total(story.map((s) => s.floor)), total(ours), total(naive)]);
    table(
        "1. Box requests per lifecycle step (provider host + emulator)",
        ["step", "floor", "this provider", "naive (command + triggers)"],
        rows,
    );
    return {
        steps: story.map((s, i) => ({ step: s.step, floor: s.floor, ours: ours[i], naive: naive[i] })),
        atFloor: story.every((s, i) => ours[i] === s.floor),
        naiveOverOurs: round(total(naive) / total(ours)),
    };
}
