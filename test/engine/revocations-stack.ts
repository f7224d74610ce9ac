/**
 * The set-up the revocations suites share: a fresh emulator accepting `token`, and a stack of the
 * revocations program (as `prepare` lays it out) on a copy of the sample file, configured with the
 * emulator's origin and the token as a secret. A failed test prints everything the CLI printed.
 */
import * as fs from "fs";
import * as path from "path";
import { CliStack, workDir } from "../../harness/cli-stack";
import { startBoxEmulator, type BoxEmulator } from "../../provider/testing";

const SAMPLE = path.join(__dirname, "..", "..", "examples", "gitops", "revocations.yaml");

/** What a test of such a suite works with, once `before` has run. */
export interface RevocationsStack {
    readonly box: BoxEmulator;
    readonly stack: CliStack;
    /** The stack's revocations file, to edit. */
    readonly file: string;
}

/** Registers the suite's hooks; call inside `describe`. */
export function useRevocationsStack(
    prefix: string,
    prepare: (work: string) => string | Promise<string>,
    token: string,
): RevocationsStack {
    const ctx: { box?: BoxEmulator; stack?: CliStack; file?: string } = {};
    before(async function () {
        this.timeout(600_000);
        ctx.box = await startBoxEmulator({ accessTokens: [token] });
        const work = workDir(prefix);
        ctx.file = path.join(work, "revocations.yaml");
        fs.copyFileSync(SAMPLE, ctx.file);
        ctx.stack = await CliStack.init(await prepare(work), work);
        await ctx.stack.config("revocationsFile", ctx.file);
        await ctx.stack.config("box:baseUrl", ctx.box.baseUrl);
        await ctx.stack.config("box:accessToken", token, true);
    });
    after(async () => {
        await ctx.box?.close();
    });
    afterEach(function () {
        if (this.currentTest?.state === "failed") console.log(ctx.stack?.transcript.join("\n"));
    });
    return {
        get box() {
            return ctx.box!;
        },
        get stack() {
            return ctx.stack!;
        },
        get file() {
            return ctx.file!;
        },
    };
}
