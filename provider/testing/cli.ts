/**
 * `npm run emulator`: starts the Box emulator and prints how to point the provider at it.
 * Usage: `npm run emulator -- [--port N] [--rate-limit N]`. Stops on Ctrl-C.
 */
import { startBoxEmulator } from "./emulator";

function flag(name: string): number | undefined {
    const index = process.argv.indexOf(`--${name}`);
    if (index < 0) return undefined;
    const value = Number(process.argv[index + 1]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number`);
    return value;
}

async function main(): Promise<void> {
    const emulator = await startBoxEmulator({
        port: flag("port") ?? 0,
        rateLimitPerSecond: flag("rate-limit"),
    });
    // This token is the emulator's own throwaway credential, printed so a person can use it.
    process.stdout.write(
        [
            `Box emulator listening on ${emulator.baseUrl}`,
            `  export BOX_BASE_URL=${emulator.baseUrl}`,
            `  export BOX_ACCESS_TOKEN=${emulator.accessToken}`,
            "Requests are printed below as they arrive; Ctrl-C stops.",
            "",
        ].join("\n"),
    );
    let shown = 0;
    const timer = setInterval(() => {
        for (const r of emulator.requests.slice(shown)) {
            process.stdout.write(
                `${new Date(r.time).toISOString()} ${r.status} ${r.method} ${r.path} ${JSON.stringify(r.body)}\n`,
            );
        }
        shown = emulator.requests.length;
    }, 200);
    const stop = (): void => {
        clearInterval(timer);
        void emulator.close().then(() => process.exit(0));
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

main().catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
});
