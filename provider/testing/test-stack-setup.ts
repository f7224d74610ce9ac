/**
 * How the test kit sets a stack up and reads it back: which `pulumi` runs, where the stack's files
 * go, an environment that keeps the user's own Pulumi and Box settings out, what `pulumi stack
 * export` holds, and the CLI's failures in a line a test can show.
 */
import * as fs from "fs";
import * as path from "path";
import type * as automation from "@pulumi/pulumi/automation";
import { MIN_CLI_VERSION, atLeast, maskSecrets, type Props, type ResourceState } from "./test-stack-events";

/**
 * What the CLI said went wrong, in a line or a few: its `error:` lines, else the cause of a command
 * that did not run (`spawn pulumi ENOENT`), never the Automation API's dump of stdout and stderr.
 */
export function cliProblem(err: unknown): string {
    const result = (err as { commandResult?: { stderr?: string; err?: Error } }).commandResult;
    const stderr = result?.stderr ?? "";
    const errors = stderr
        .split("\n")
        .filter((l) => l.startsWith("error: "))
        .map((l) => l.slice("error: ".length));
    if (errors.length) return errors.join("\n");
    if (result?.err?.message) return result.err.message.split("\n")[0];
    const first = stderr.trim().split("\n")[0];
    return first || String((err as Error)?.message ?? err).split("\n")[0];
}

/** The stack's resources from `pulumi stack export`, without the stack and provider resources. */
export async function exported(stack: automation.Stack): Promise<ResourceState[]> {
    const deployment = (await stack.exportStack()).deployment as { resources?: Props[] };
    return (deployment.resources ?? [])
        .filter((r) => !String(r.type).startsWith("pulumi:"))
        .map((r) => ({
            urn: String(r.urn),
            name: String(r.urn).split("::").pop()!,
            id: String(r.id ?? ""),
            inputs: maskSecrets(r.inputs ?? {}) as Props,
            outputs: maskSecrets(r.outputs ?? {}) as Props,
            initErrors: r.initErrors as string[] | undefined,
        }));
}

/** The `pulumi` to run, refused with what to install when missing or older than the floor. */
export async function findCli(
    auto: typeof automation,
    root: string | undefined,
): Promise<automation.PulumiCommand> {
    const where = root ? path.resolve(root, "bin", "pulumi") : "the pulumi on PATH";
    const install = "install it (https://www.pulumi.com/docs/install/) or give createTestStack's pulumiRoot";
    const cli = await auto.PulumiCommand.get({
        ...(root ? { root: path.resolve(root) } : {}),
        skipVersionCheck: true,
    }).catch((err: Error) => {
        throw new Error(
            `createTestStack needs the pulumi CLI ${MIN_CLI_VERSION} or later; ${where} did not run (${cliProblem(err)}): ${install}`,
        );
    });
    if (!cli.version || !atLeast([cli.version.major, cli.version.minor, cli.version.patch]))
        throw new Error(
            `createTestStack needs the pulumi CLI ${MIN_CLI_VERSION} or later; ${where} is ${cli.version?.version ?? "of unknown version"}: ${install}`,
        );
    return cli;
}

/** Where the stack's files go: under the project's node_modules, so its provider resolves from there. */
export function stackDir(cwd: string): string {
    if (!fs.existsSync(path.join(cwd, "node_modules", "@pulumi", "pulumi")))
        throw new Error(
            `createTestStack: ${cwd} has no node_modules/@pulumi/pulumi; run it from the project directory ` +
                "(or give `cwd`) after `npm install`",
        );
    const cache = path.join(cwd, "node_modules", ".cache");
    fs.mkdirSync(cache, { recursive: true });
    return fs.mkdtempSync(path.join(cache, "pulumi-box-test-stack-"));
}

/**
 * The environment of the stack's CLI and of the provider it starts: a backend, passphrase and home
 * of the stack's own, no update check or plugin download, and none of the user's `BOX_*` settings or
 * `PULUMI_OPTION_*` flags (each blanked, which both read as unset) unless `env` gives them; an
 * `undefined` in `env` unsets a variable too.
 */
export function isolatedEnv(
    dir: string,
    cli: automation.PulumiCommand,
    extra: Record<string, string | undefined>,
): Record<string, string> {
    const env: Record<string, string> = {};
    for (const k of Object.keys(process.env))
        if (k.startsWith("BOX_") || k.startsWith("PULUMI_OPTION_")) env[k] = "";
    Object.assign(env, {
        PULUMI_BACKEND_URL: `file://${path.join(dir, "backend")}`,
        PULUMI_CONFIG_PASSPHRASE: "test-stack",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    });
    // The CLI looks for the dynamic provider's host (pulumi-resource-pulumi-nodejs) on PATH.
    if (path.isAbsolute(cli.command))
        env.PATH = `${path.dirname(cli.command)}${path.delimiter}${process.env.PATH ?? ""}`;
    for (const [k, v] of Object.entries(extra)) env[k] = v ?? "";
    return env;
}
