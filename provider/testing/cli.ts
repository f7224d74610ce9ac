#!/usr/bin/env node
/**
 * `pulumi-box-emulator` (and `npm run emulator` in a clone): starts the Box emulator on 127.0.0.1
 * and prints how to point the provider at it. `--help` lists the options (cli-options.ts).
 */
import * as fs from "fs";
import { createTestJwtApp, startBoxEmulator, type EmulatorApp } from "./emulator";
import { parseCliOptions, parseDirectory, USAGE } from "./cli-options";

/** A recorded body as one printed line: at most 2,000 characters, so a megabyte body stays one readable line. */
function printable(body: unknown): string {
    const text = JSON.stringify(body) ?? "";
    return text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} characters)` : text;
}

function readDirectory(file: string): ReturnType<typeof parseDirectory> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        const code = (err as { code?: string }).code ?? "read error";
        throw new Error(`--directory ${file}: cannot read it (${code})`, { cause: err });
    }
    return parseDirectory(text, `--directory ${file}`);
}

async function main(): Promise<void> {
    const options = parseCliOptions(process.argv.slice(2));
    if (options.help) {
        process.stdout.write(USAGE);
        return;
    }
    const apps: EmulatorApp[] = [];
    const lines: string[] = [];
    if (options.ccg) {
        const ccg = {
            clientId: "emulator-ccg-app",
            clientSecret: "emulator-ccg-secret",
            enterpriseId: "900001",
        };
        apps.push(ccg);
        lines.push(
            "",
            "Client Credentials Grant app (stack config; unset BOX_ACCESS_TOKEN and BOX_BASE_URL first):",
            `  pulumi config set box:clientId ${ccg.clientId}`,
            `  pulumi config set --secret box:clientSecret ${ccg.clientSecret}`,
            `  pulumi config set box:enterpriseId ${ccg.enterpriseId}`,
        );
    }
    if (options.jwtConfigFile) {
        const jwt = createTestJwtApp();
        apps.push(jwt.app);
        // Never over an existing file: it could be someone's real Box app config.
        try {
            fs.writeFileSync(options.jwtConfigFile, jwt.configJson, { mode: 0o600, flag: "wx" });
        } catch (err) {
            if ((err as { code?: string }).code === "EEXIST")
                throw new Error(`--jwt-config ${options.jwtConfigFile} exists; name a new file`, {
                    cause: err,
                });
            throw err;
        }
        lines.push(
            "",
            `JWT app: its Box config file is ${options.jwtConfigFile}`,
            `  pulumi config set box:jwtConfigPath ${options.jwtConfigFile}`,
        );
    }
    const directory = options.directoryFile ? readDirectory(options.directoryFile) : undefined;
    const emulator = await startBoxEmulator({
        port: options.port,
        accessTokens: options.token ? [options.token] : undefined,
        rateLimitPerSecond: options.rateLimit,
        apps,
        directory,
    });
    if (options.faults.length) emulator.enqueue(...options.faults);
    if (apps.length) lines.push(`  pulumi config set box:baseUrl ${emulator.baseUrl}`);
    // These are the emulator's own throwaway credentials, printed so a person can use them.
    process.stdout.write(
        [
            `Box emulator listening on ${emulator.baseUrl}`,
            `  export BOX_BASE_URL=${emulator.baseUrl}`,
            `  export BOX_ACCESS_TOKEN=${emulator.accessToken}`,
            ...lines,
            "",
            "Requests are printed below as they arrive; Ctrl-C stops.",
            "",
        ].join("\n"),
    );
    let shown = 0;
    const timer = setInterval(() => {
        for (const r of emulator.requests.slice(shown)) {
            process.stdout.write(
                `${new Date(r.time).toISOString()} ${r.status} ${r.method} ${r.path} ${printable(r.body)}\n`,
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
    process.stderr.write(`pulumi-box-emulator: ${err.message}\n`);
    process.exit(2);
});
